#include "prefs/pg_population_copy.h"

#include <pqxx/stream_from>
#include <pqxx/stream_to>

#include <algorithm>
#include <array>
#include <charconv>
#include <unordered_map>

#include "prefs/pg_text.h"
#include "prefs/pg_user_columns.h"

namespace fmn::prefs::pg {
namespace {

// id -> position. Identity columns are dense, so a vector does; a sparse id falls back to a map.
class IdIndex {
 public:
  void set(int64_t id, uint64_t position) {
    if (id >= 0 && id < kDenseLimit) {
      if (static_cast<size_t>(id) >= dense_.size()) {
        dense_.resize(std::max<size_t>(id + 1, dense_.size() * 2), kMissing);
      }
      dense_[id] = position;
    } else {
      sparse_[id] = position;
    }
  }
  bool get(int64_t id, uint64_t& position) const {
    if (id >= 0 && static_cast<size_t>(id) < dense_.size()) {
      position = dense_[id];
      return position != kMissing;
    }
    auto it = sparse_.find(id);
    if (it == sparse_.end()) return false;
    position = it->second;
    return true;
  }

 private:
  static constexpr int64_t kDenseLimit = int64_t{1} << 27;
  static constexpr uint64_t kMissing = ~uint64_t{0};
  std::vector<uint64_t> dense_;
  std::unordered_map<int64_t, uint64_t> sparse_;
};

uint64_t pack(size_t user, size_t item) { return (uint64_t{user} << 32) | item; }

class RowReader {
 public:
  RowReader(pqxx::transaction_base& tx, const std::string& query, size_t columns)
      : stream_(tx, "(" + query + ")"), columns_(columns) {}

  // Next row's raw fields; false at the end. A row with the wrong shape is an error.
  bool next(std::vector<std::string_view>& fields) {
    if (!stream_.get_raw_line(line_)) return false;
    if (!line_.empty() && line_.back() == '\n') line_.pop_back();
    split_copy_line(line_, fields);
    if (fields.size() != columns_) bad_ = true;
    return !bad_;
  }
  void finish() { stream_.complete(); }
  bool bad() const { return bad_; }

 private:
  pqxx::stream_from stream_;
  size_t columns_;
  std::string line_;
  bool bad_ = false;
};

int64_t to_int(std::string_view s, bool& ok) {
  int64_t v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  ok = ok && ec == std::errc() && end == s.data() + s.size();
  return v;
}
bool to_bool(std::string_view s) { return s == "t"; }
bool is_null(std::string_view s) { return s == "\\N"; }

// Scan order is usually id order; when it is not, sort rows (and their ids) by id.
template <typename Row>
void sort_by_id(std::vector<int64_t>& ids, std::vector<Row>& rows) {
  if (std::is_sorted(ids.begin(), ids.end())) return;
  std::vector<size_t> order(ids.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return ids[a] < ids[b]; });
  std::vector<int64_t> sorted_ids;
  std::vector<Row> sorted_rows;
  sorted_ids.reserve(ids.size());
  sorted_rows.reserve(rows.size());
  for (size_t i : order) {
    sorted_ids.push_back(ids[i]);
    sorted_rows.push_back(std::move(rows[i]));
  }
  ids = std::move(sorted_ids);
  rows = std::move(sorted_rows);
}

Error malformed(const char* table) {
  return Error{ErrorCode::kIo, std::string("malformed row in ") + table};
}

struct ChildRow {
  int64_t user_id;
  int64_t ref_id;    // rules: the source id; deliveries: the rule id
  int64_t other_id;  // deliveries: the destination id
};

}  // namespace

Result<Population> copy_population_out(pqxx::transaction_base& tx) {
  Population population;
  auto& users = population.users;
  std::vector<std::string_view> f;
  std::string text;
  IdIndex user_index, destination_index, rule_index, source_index;

  std::vector<int64_t> ids;
  RowReader user_rows(tx, "SELECT id, " + user_columns() + " FROM fmn_users", 1 + kUserColumnCount);
  UserColumns values;
  while (user_rows.next(f)) {
    bool ok = true;
    ids.push_back(to_int(f[0], ok));
    for (size_t i = 0; i < kUserColumnCount; ++i) copy_unescape(f[1 + i], values[i]);
    if (!parse_user_values(values, users.emplace_back()) || !ok) return malformed("fmn_users");
  }
  if (user_rows.bad()) return malformed("fmn_users");
  user_rows.finish();
  sort_by_id(ids, users);
  for (size_t i = 0; i < users.size(); ++i) user_index.set(ids[i], i);

  ids.clear();
  std::vector<std::pair<int64_t, Destination>> destinations;  // (user id, destination)
  RowReader destination_rows(tx,
                             "SELECT id, user_id, name, kind, address, token, confirmation, "
                             "code, expires_at, quiet_from, quiet_to, snoozed_until, "
                             "muted_until FROM fmn_destinations",
                             13);
  while (destination_rows.next(f)) {
    bool ok = true;
    ids.push_back(to_int(f[0], ok));
    auto& [user_id, d] = destinations.emplace_back();
    user_id = to_int(f[1], ok);
    copy_unescape(f[2], d.name);
    ok = parse_destination_kind(f[3], d.kind) && ok;
    copy_unescape(f[4], d.address);
    if (!is_null(f[5])) copy_unescape(f[5], d.token);
    ok = parse_confirmation_state(f[6], d.confirmation.state) && ok;
    if (!is_null(f[7])) copy_unescape(f[7], d.confirmation.code);
    if (!is_null(f[8])) d.confirmation.expires_at = to_int(f[8], ok);
    d.quiet = {static_cast<int16_t>(to_int(f[9], ok)), static_cast<int16_t>(to_int(f[10], ok))};
    d.snoozed_until = to_int(f[11], ok);
    d.muted_until = to_int(f[12], ok);
    if (!ok) return malformed("fmn_destinations");
  }
  if (destination_rows.bad()) return malformed("fmn_destinations");
  destination_rows.finish();
  sort_by_id(ids, destinations);
  for (size_t i = 0; i < destinations.size(); ++i) {
    uint64_t u;
    if (!user_index.get(destinations[i].first, u)) return malformed("fmn_destinations");
    destination_index.set(ids[i], pack(u, users[u].destinations.size()));
    users[u].destinations.push_back(std::move(destinations[i].second));
  }
  destinations = {};

  std::vector<std::pair<int64_t, NamedList>> lists;  // (user id, list)
  ids.clear();
  RowReader list_rows(tx, "SELECT id, user_id, name, items FROM fmn_user_lists", 4);
  while (list_rows.next(f)) {
    bool ok = true;
    ids.push_back(to_int(f[0], ok));
    auto& [user_id, l] = lists.emplace_back();
    user_id = to_int(f[1], ok);
    copy_unescape(f[2], l.name);
    copy_unescape(f[3], text);
    if (!parse_text_array(text, l.items) || !ok) return malformed("fmn_user_lists");
  }
  if (list_rows.bad()) return malformed("fmn_user_lists");
  list_rows.finish();
  sort_by_id(ids, lists);
  for (auto& [user_id, l] : lists) {
    uint64_t u;
    if (!user_index.get(user_id, u)) return malformed("fmn_user_lists");
    users[u].lists.push_back(std::move(l));
  }
  lists = {};

  std::vector<SharedText> sources;
  RowReader source_rows(tx, "SELECT id, source FROM fmn_rule_sources", 2);
  while (source_rows.next(f)) {
    bool ok = true;
    source_index.set(to_int(f[0], ok), sources.size());
    copy_unescape(f[1], text);
    sources.emplace_back(text);
    if (!ok) return malformed("fmn_rule_sources");
  }
  if (source_rows.bad()) return malformed("fmn_rule_sources");
  source_rows.finish();

  ids.clear();
  std::vector<std::pair<ChildRow, Rule>> rules;
  RowReader rule_rows(tx, "SELECT id, user_id, name, source_id, enabled FROM fmn_rules", 5);
  while (rule_rows.next(f)) {
    bool ok = true;
    ids.push_back(to_int(f[0], ok));
    auto& [row, rule] = rules.emplace_back();
    row.user_id = to_int(f[1], ok);
    copy_unescape(f[2], rule.name);
    row.ref_id = to_int(f[3], ok);
    rule.enabled = to_bool(f[4]);
    if (!ok) return malformed("fmn_rules");
  }
  if (rule_rows.bad()) return malformed("fmn_rules");
  rule_rows.finish();
  sort_by_id(ids, rules);
  for (size_t i = 0; i < rules.size(); ++i) {
    uint64_t u, s;
    if (!user_index.get(rules[i].first.user_id, u) || !source_index.get(rules[i].first.ref_id, s)) {
      return malformed("fmn_rules");
    }
    rules[i].second.source = sources[s];
    rule_index.set(ids[i], pack(u, users[u].rules.size()));
    users[u].rules.push_back(std::move(rules[i].second));
  }
  rules = {};

  ids.clear();
  std::vector<std::pair<ChildRow, Delivery>> deliveries;
  RowReader delivery_rows(tx,
                          "SELECT id, rule_id, destination_id, every_seconds, count, "
                          "include_links, long_form, triggered_by, shorten_links, markup, "
                          "at_minute FROM fmn_deliveries",
                          11);
  while (delivery_rows.next(f)) {
    bool ok = true;
    ids.push_back(to_int(f[0], ok));
    auto& [row, d] = deliveries.emplace_back();
    row.ref_id = to_int(f[1], ok);
    row.other_id = to_int(f[2], ok);
    d.digest.every_seconds = static_cast<uint32_t>(to_int(f[3], ok));
    d.digest.count = static_cast<uint32_t>(to_int(f[4], ok));
    d.options = {to_bool(f[5]), to_bool(f[6]), to_bool(f[7]), to_bool(f[8]), to_bool(f[9])};
    d.digest.at = static_cast<int16_t>(to_int(f[10], ok));
    if (!ok) return malformed("fmn_deliveries");
  }
  if (delivery_rows.bad()) return malformed("fmn_deliveries");
  delivery_rows.finish();
  sort_by_id(ids, deliveries);
  for (auto& [row, d] : deliveries) {
    uint64_t r, dest;
    if (!rule_index.get(row.ref_id, r) || !destination_index.get(row.other_id, dest)) {
      return malformed("fmn_deliveries");
    }
    User& user = users[r >> 32];
    d.destination = user.destinations[dest & 0xffffffff].name;
    user.rules[r & 0xffffffff].deliveries.push_back(std::move(d));
  }
  return population;
}

void copy_population_in(pqxx::transaction_base& tx, const Population& population) {
  // stream_to escapes each field; a null const char* is NULL.
  auto text = [](auto value) { return std::string(value); };
  auto flag = [](bool b) { return std::string(b ? "t" : "f"); };
  std::unordered_map<std::string_view, int64_t> source_ids;
  {
    std::vector<std::string> columns{"id"};
    columns.insert(columns.end(), user_column_names().begin(), user_column_names().end());
    pqxx::stream_to out(tx, "fmn_users", columns);
    std::array<std::string, 1 + kUserColumnCount> row;  // tuple-like: stream_to takes it
    int64_t id = 0;
    for (const auto& u : population.users) {
      row[0] = std::to_string(++id);
      const UserColumns values = user_values(u);
      std::copy(values.begin(), values.end(), row.begin() + 1);
      out << row;
    }
    out.complete();
  }
  {
    pqxx::stream_to out(tx, "fmn_user_lists", std::vector<std::string>{"user_id", "name", "items"});
    int64_t user_id = 0;
    for (const auto& u : population.users) {
      ++user_id;
      for (const NamedList& l : u.lists) {
        out << std::make_tuple(user_id, l.name, format_text_array(l.items));
      }
    }
    out.complete();
  }
  {
    pqxx::stream_to out(tx, "fmn_rule_sources", std::vector<std::string>{"id", "source"});
    for (const auto& u : population.users) {
      for (const auto& r : u.rules) {
        auto [it, fresh] = source_ids.emplace(r.source.view(), source_ids.size() + 1);
        if (fresh) out << std::make_tuple(it->second, r.source.str());
      }
    }
    out.complete();
  }
  {
    pqxx::stream_to out(
        tx, "fmn_destinations",
        std::vector<std::string>{"id", "user_id", "name", "kind", "address", "token",
                                 "confirmation", "code", "expires_at", "quiet_from", "quiet_to",
                                 "snoozed_until", "muted_until"});
    int64_t id = 0, user_id = 0;
    for (const auto& u : population.users) {
      ++user_id;
      for (const auto& d : u.destinations) {
        bool pending = d.confirmation.state == ConfirmationState::kPending;
        std::string expires = std::to_string(d.confirmation.expires_at);
        out << std::make_tuple(++id, user_id, d.name, text(destination_kind_name(d.kind)),
                               d.address, has_secret(d.kind) ? d.token.c_str() : nullptr,
                               text(confirmation_state_name(d.confirmation.state)),
                               pending ? d.confirmation.code.c_str() : nullptr,
                               pending ? expires.c_str() : nullptr, d.quiet.from, d.quiet.to,
                               d.snoozed_until, d.muted_until);
      }
    }
    out.complete();
  }
  {
    pqxx::stream_to out(tx, "fmn_rules",
                        std::vector<std::string>{"id", "user_id", "name", "source_id", "enabled"});
    int64_t id = 0, user_id = 0;
    for (const auto& u : population.users) {
      ++user_id;
      for (const auto& r : u.rules) {
        out << std::make_tuple(++id, user_id, r.name, source_ids.at(r.source.view()),
                               flag(r.enabled));
      }
    }
    out.complete();
  }
  {
    pqxx::stream_to out(
        tx, "fmn_deliveries",
        std::vector<std::string>{"user_id", "rule_id", "destination_id", "every_seconds", "count",
                                 "include_links", "long_form", "triggered_by", "shorten_links",
                                 "markup", "at_minute"});
    int64_t user_id = 0, rule_id = 0, destination_base = 0;
    for (const auto& u : population.users) {
      ++user_id;
      for (const auto& r : u.rules) {
        ++rule_id;
        for (const auto& d : r.deliveries) {
          auto dest = std::find_if(u.destinations.begin(), u.destinations.end(),
                                   [&](const Destination& x) { return x.name == d.destination; });
          const DeliveryOptions& o = d.options;
          out << std::make_tuple(
              user_id, rule_id, destination_base + 1 + (dest - u.destinations.begin()),
              d.digest.every_seconds, d.digest.count, flag(o.include_links), flag(o.verbose),
              flag(o.triggered_by), flag(o.shorten_links), flag(o.markup), d.digest.at);
        }
      }
      destination_base += static_cast<int64_t>(u.destinations.size());
    }
    out.complete();
  }
  // Ids were given explicitly: move each identity past them.
  for (const char* table :
       {"fmn_users", "fmn_destinations", "fmn_rule_sources", "fmn_rules", "fmn_deliveries"}) {
    tx.exec(std::string("SELECT setval(pg_get_serial_sequence('") + table +
            "', 'id'), (SELECT coalesce(max(id), 0) + 1 FROM " + table + "), false)");
  }
}

}  // namespace fmn::prefs::pg
