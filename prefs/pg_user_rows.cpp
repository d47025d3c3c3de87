#include "prefs/pg_user_rows.h"

#include <pqxx/prepared_statement>
#include <pqxx/result>

#include <algorithm>

#include "prefs/pg_text.h"
#include "prefs/pg_user_columns.h"

namespace fmn::prefs::pg {
namespace {

// Rule texts no rule refers to any more, among `candidates` (an array literal of ids).
void drop_unused_sources(pqxx::transaction_base& tx, const std::string& candidates) {
  if (candidates != "{}") tx.exec_prepared("fmn_drop_unused_sources", candidates);
}

std::string id_array(const pqxx::result& rows) {
  std::string out = "{";
  for (const auto& row : rows) out += (out.size() > 1 ? "," : "") + std::string(row[0].c_str());
  return out + "}";
}

// INSERT ... ON CONFLICT of a whole fmn_users row, its values $1... in user_columns() order.
std::string upsert_user_statement() {
  std::string values, updates;
  for (size_t i = 0; i < kUserColumnCount; ++i) {
    values += (i ? ", $" : "$") + std::to_string(i + 1);
    const std::string column(user_column_names()[i]);
    if (column != "name") {
      updates += (updates.empty() ? "" : ", ") + column + " = EXCLUDED." + column;
    }
  }
  return "INSERT INTO fmn_users (" + user_columns() + ") VALUES (" + values +
         ") ON CONFLICT (name) DO UPDATE SET " + updates + " RETURNING id";
}

}  // namespace

void prepare_user_statements(pqxx::connection_base& c) {
  c.prepare("fmn_user_by_name", "SELECT id, " + user_columns() + " FROM fmn_users WHERE name = $1");
  c.prepare("fmn_destinations_of",
            "SELECT name, kind, address, coalesce(token, ''), confirmation, coalesce(code, ''), "
            "coalesce(expires_at, 0), quiet_from, quiet_to, snoozed_until, muted_until "
            "FROM fmn_destinations WHERE user_id = $1 ORDER BY id");
  c.prepare("fmn_rules_of",
            "SELECT r.id, r.name, s.source, r.enabled FROM fmn_rules r "
            "JOIN fmn_rule_sources s ON s.id = r.source_id WHERE r.user_id = $1 ORDER BY r.id");
  // The join names user_id on both sides (the foreign key's pair) so that the plan reads the
  // user's destinations by index: joined on id alone, a generic plan made before the tables
  // were analyzed (after a bulk import) hashed every destination, ~190 ms at 100,000 users.
  c.prepare("fmn_deliveries_of",
            "SELECT d.rule_id, t.name, d.every_seconds, d.count, d.include_links, d.long_form, "
            "d.triggered_by, d.shorten_links, d.markup, d.at_minute FROM fmn_deliveries d "
            "JOIN fmn_destinations t ON t.user_id = d.user_id AND t.id = d.destination_id "
            "WHERE d.user_id = $1 ORDER BY d.id");
  c.prepare("fmn_lists_of",
            "SELECT name, items FROM fmn_user_lists WHERE user_id = $1 ORDER BY id");
  c.prepare("fmn_upsert_user", upsert_user_statement());
  c.prepare("fmn_clear_lists", "DELETE FROM fmn_user_lists WHERE user_id = $1");
  c.prepare("fmn_insert_list",
            "INSERT INTO fmn_user_lists (user_id, name, items) VALUES ($1, $2, $3::text[])");
  c.prepare("fmn_clear_deliveries", "DELETE FROM fmn_deliveries WHERE user_id = $1");
  c.prepare("fmn_clear_rules", "DELETE FROM fmn_rules WHERE user_id = $1 RETURNING source_id");
  c.prepare("fmn_clear_destinations", "DELETE FROM fmn_destinations WHERE user_id = $1");
  c.prepare("fmn_insert_destination",
            "INSERT INTO fmn_destinations (user_id, name, kind, address, token, confirmation, "
            "code, expires_at, quiet_from, quiet_to, snoozed_until, muted_until) VALUES ($1, "
            "$2, $3, $4, NULLIF($5, ''), $6, NULLIF($7, ''), NULLIF($8::bigint, 0), $9, $10, "
            "$11, $12) RETURNING id");
  c.prepare("fmn_intern_source",
            "WITH added AS (INSERT INTO fmn_rule_sources (source) VALUES ($1) "
            "ON CONFLICT (digest) DO NOTHING RETURNING id) "
            "SELECT id FROM added UNION ALL SELECT id FROM fmn_rule_sources "
            "WHERE digest = sha256(convert_to($1, 'UTF8')) LIMIT 1");
  c.prepare("fmn_insert_rule",
            "INSERT INTO fmn_rules (user_id, name, source_id, enabled) VALUES ($1, $2, $3, $4) "
            "RETURNING id");
  c.prepare("fmn_insert_delivery",
            "INSERT INTO fmn_deliveries (user_id, rule_id, destination_id, every_seconds, count, "
            "include_links, long_form, triggered_by, shorten_links, markup, at_minute) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)");
  c.prepare("fmn_drop_unused_sources",
            "DELETE FROM fmn_rule_sources s WHERE s.id = ANY($1::bigint[]) "
            "AND NOT EXISTS (SELECT 1 FROM fmn_rules r WHERE r.source_id = s.id)");
  c.prepare("fmn_delete_user", "DELETE FROM fmn_users WHERE name = $1 RETURNING id");
  c.prepare("fmn_sources_of", "SELECT source_id FROM fmn_rules WHERE user_id = $1");
}

std::optional<User> read_user(pqxx::transaction_base& tx, const std::string& name) {
  pqxx::result rows = tx.exec_prepared("fmn_user_by_name", name);
  if (rows.empty()) return std::nullopt;
  User user;
  const auto& row = rows[0];
  int64_t id = row[0].as<int64_t>();
  UserColumns values;
  for (size_t i = 0; i < kUserColumnCount; ++i) values[i] = row[static_cast<int>(1 + i)].c_str();
  if (!parse_user_values(values, user)) {
    throw pqxx::conversion_error("malformed fmn_users row of " + name);
  }
  for (const auto& r : tx.exec_prepared("fmn_destinations_of", id)) {
    Destination& d = user.destinations.emplace_back();
    d.name = r[0].c_str();
    if (!parse_destination_kind(r[1].c_str(), d.kind) ||
        !parse_confirmation_state(r[4].c_str(), d.confirmation.state)) {
      throw pqxx::conversion_error("malformed destination of " + name);
    }
    d.address = r[2].c_str();
    d.token = r[3].c_str();
    d.confirmation.code = r[5].c_str();
    d.confirmation.expires_at = r[6].as<int64_t>();
    d.quiet = {r[7].as<int16_t>(), r[8].as<int16_t>()};
    d.snoozed_until = r[9].as<int64_t>();
    d.muted_until = r[10].as<int64_t>();
  }
  for (const auto& r : tx.exec_prepared("fmn_lists_of", id)) {
    NamedList& l = user.lists.emplace_back();
    l.name = r[0].c_str();
    if (!parse_text_array(r[1].c_str(), l.items)) {
      throw pqxx::conversion_error("malformed list of " + name);
    }
  }
  std::vector<int64_t> rule_ids;
  for (const auto& r : tx.exec_prepared("fmn_rules_of", id)) {
    rule_ids.push_back(r[0].as<int64_t>());
    Rule& rule = user.rules.emplace_back();
    rule.name = r[1].c_str();
    rule.source = std::string(r[2].c_str());
    rule.enabled = r[3].as<bool>();
  }
  for (const auto& r : tx.exec_prepared("fmn_deliveries_of", id)) {
    auto at = std::find(rule_ids.begin(), rule_ids.end(), r[0].as<int64_t>());
    Delivery& d = user.rules[at - rule_ids.begin()].deliveries.emplace_back();
    d.destination = r[1].c_str();
    d.digest.every_seconds = r[2].as<uint32_t>();
    d.digest.count = r[3].as<uint32_t>();
    d.options = {r[4].as<bool>(), r[5].as<bool>(), r[6].as<bool>(), r[7].as<bool>(),
                 r[8].as<bool>()};
    d.digest.at = r[9].as<int16_t>();
  }
  return user;
}

void write_user(pqxx::transaction_base& tx, const User& user) {
  const UserColumns values = user_values(user);
  int64_t id = tx.exec_prepared1("fmn_upsert_user", pqxx::prepare::make_dynamic_params(values))[0]
                   .as<int64_t>();
  tx.exec_prepared("fmn_clear_deliveries", id);
  std::string old_sources = id_array(tx.exec_prepared("fmn_clear_rules", id));
  tx.exec_prepared("fmn_clear_destinations", id);
  tx.exec_prepared("fmn_clear_lists", id);
  for (const NamedList& l : user.lists) {
    tx.exec_prepared("fmn_insert_list", id, l.name, format_text_array(l.items));
  }
  std::vector<int64_t> destination_ids;
  for (const auto& d : user.destinations) {
    destination_ids.push_back(
        tx.exec_prepared1("fmn_insert_destination", id, d.name,
                          std::string(destination_kind_name(d.kind)), d.address, d.token,
                          std::string(confirmation_state_name(d.confirmation.state)),
                          d.confirmation.code, d.confirmation.expires_at, d.quiet.from, d.quiet.to,
                          d.snoozed_until, d.muted_until)[0]
            .as<int64_t>());
  }
  for (const auto& rule : user.rules) {
    int64_t source_id = tx.exec_prepared1("fmn_intern_source", rule.source.str())[0].as<int64_t>();
    int64_t rule_id =
        tx.exec_prepared1("fmn_insert_rule", id, rule.name, source_id, rule.enabled)[0]
            .as<int64_t>();
    for (const auto& d : rule.deliveries) {
      size_t index = 0;
      while (user.destinations[index].name != d.destination) ++index;
      tx.exec_prepared("fmn_insert_delivery", id, rule_id, destination_ids[index],
                       d.digest.every_seconds, d.digest.count, d.options.include_links,
                       d.options.verbose, d.options.triggered_by, d.options.shorten_links,
                       d.options.markup, d.digest.at);
    }
  }
  drop_unused_sources(tx, old_sources);
}

bool delete_user(pqxx::transaction_base& tx, const std::string& name) {
  pqxx::result user = tx.exec_prepared("fmn_user_by_name", name);
  if (user.empty()) return false;
  std::string sources = id_array(tx.exec_prepared("fmn_sources_of", user[0][0].as<int64_t>()));
  tx.exec_prepared("fmn_delete_user", name);
  drop_unused_sources(tx, sources);
  return true;
}

}  // namespace fmn::prefs::pg
