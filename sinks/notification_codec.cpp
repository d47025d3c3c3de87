#include "sinks/notification_codec.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <charconv>

#include "core/envelope_parser.h"
#include "core/json_writer.h"
#include "sinks/renderer.h"
#include "sinks/text_escape.h"

namespace fmn::sinks {
namespace {

// What a stored notification keeps of a display text (subtitle, link, agent). A rendering
// shows at most kMaxFieldBytes of one (renderer.h), so a longer text is kept as its UTF-8
// prefix of just over that: still longer than any cut a rendering makes, so it renders exactly
// as the whole text would, and a message with megabyte texts held for many digests is not
// copied whole into each of their items.
std::string_view stored(std::string_view field) {
  return field.size() <= kMaxFieldBytes ? field : utf8_prefix(field, kMaxFieldBytes + 4);
}

void put(JsonWriter& w, const char* key, std::string_view value) {
  w.Key(key);
  w.String(value.data(), static_cast<rapidjson::SizeType>(value.size()));
}

void put_list(JsonWriter& w, const char* key, const std::vector<std::string>& values) {
  w.Key(key);
  w.StartArray();
  for (const std::string& v : values)
    w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  w.EndArray();
}

std::string_view get(const rapidjson::Value& obj, const char* key) {
  const auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsString()) return {};
  return {it->value.GetString(), it->value.GetStringLength()};
}

std::optional<std::string> get_optional(const rapidjson::Value& obj, const char* key) {
  const auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsString()) return std::nullopt;
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

std::vector<std::string> get_list(const rapidjson::Value& obj, const char* key) {
  std::vector<std::string> out;
  const auto it = obj.FindMember(key);
  if (it == obj.MemberEnd() || !it->value.IsArray()) return out;
  for (const auto& v : it->value.GetArray()) {
    if (v.IsString()) out.emplace_back(v.GetString(), v.GetStringLength());
  }
  return out;
}

void put_recipient(JsonWriter& w, const Notification& n) {
  put(w, "user", n.user());
  put(w, "rule", n.rule_name());
  put(w, "address", n.address());
  w.Key("kind");
  w.Uint(static_cast<unsigned>(n.destination));
  w.Key("user_id");
  w.Uint(n.user_id);
  w.Key("rule_id");
  w.Uint(n.rule_id);
  if (n.digest.plain()) return;
  // A recovered notification keeps its rule's digest policy and its destination's window.
  w.Key("every");
  w.Int64(n.digest.every.count());
  w.Key("count");
  w.Uint(n.digest.count);
  if (n.digest.at >= 0) {
    w.Key("at");
    w.Int(n.digest.at);
  }
  if (const DeliveryWindow* window = n.digest.window.get()) {
    put(w, "tz", window->tz);
    w.Key("quiet_from");
    w.Int(window->quiet_from);
    w.Key("quiet_to");
    w.Int(window->quiet_to);
    w.Key("snoozed_until");
    w.Int64(window->snoozed_until);
  }
}

// `minute` if it is a minute of the day, otherwise -1 (none).
int16_t minute_or_none(int minute) {
  return minute >= 0 && minute < kMinutesPerDay ? static_cast<int16_t>(minute) : -1;
}

// A minute of the day, or -1 when absent or out of range.
int16_t minute_of(const rapidjson::Value& d, const char* key) {
  const auto it = d.FindMember(key);
  if (it == d.MemberEnd() || !it->value.IsInt()) return -1;
  return minute_or_none(it->value.GetInt());
}

Result<bool> get_recipient(const rapidjson::Value& d, Notification& n) {
  n.set_names(get(d, "user"), get(d, "rule"), get(d, "address"));
  const auto uint_of = [&](const char* key) -> unsigned {
    return d.HasMember(key) && d[key].IsUint() ? d[key].GetUint() : 0;
  };
  const unsigned kind = uint_of("kind");
  if (kind >= kDestinationKindCount) {
    return Error{ErrorCode::kBadEnvelope, "stored notification: unknown destination kind"};
  }
  n.destination = static_cast<DestinationKind>(kind);
  n.user_id = uint_of("user_id");
  n.rule_id = uint_of("rule_id");
  if (d.HasMember("every") && d["every"].IsInt64()) {
    n.digest.every = std::chrono::seconds(d["every"].GetInt64());
  }
  n.digest.count = uint_of("count");
  n.digest.at = minute_of(d, "at");
  if (d.HasMember("tz")) {
    DeliveryWindow window;
    window.tz = get(d, "tz");
    window.quiet_from = minute_of(d, "quiet_from");
    window.quiet_to = minute_of(d, "quiet_to");
    if (d.HasMember("snoozed_until") && d["snoozed_until"].IsInt64()) {
      window.snoozed_until = d["snoozed_until"].GetInt64();
    }
    n.digest.window = std::make_shared<const DeliveryWindow>(std::move(window));
  }
  return true;
}

// Records of a batch, each ending a line. Numbers are decimal, each followed by a separator;
// strings are <length>:<bytes>, so no byte needs escaping; '~' stands for an absent value.
//   B<message><recipient>\n   a message and its first recipient
//   P<recipient>\n            a further recipient of the message before
//   message:   <topic><msg_id><timestamp or ~><category><title><subtitle, link, agent: each or ~>
//              <n> <username>...<n> <package>...
//   recipient: <kind> <user_id> <rule_id> <every> <count> <at> <user><rule><address>
//              <~, or W<tz><quiet_from> <quiet_to> <snoozed_until> >
// Entries written before this form hold M<JSON object>\n (encode_notification) and
// R<kind> <user_id> <rule_id> <every> <count> <user><rule><address>\n; both are still read.
template <typename T>
void put_number(T value, char separator, std::string& out) {
  char digits[32];
  auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  out.append(digits, end);
  out += separator;
}

void put_counted(std::string_view value, std::string& out) {
  put_number(value.size(), ':', out);
  out += value;
}

// A display text: '~' when absent, otherwise what is stored() of it.
void put_optional(const std::optional<std::string>& value, std::string& out) {
  if (value) {
    put_counted(stored(*value), out);
  } else {
    out += '~';
  }
}

void put_strings(const std::vector<std::string>& values, std::string& out) {
  put_number(values.size(), ' ', out);
  for (const std::string& v : values) put_counted(v, out);
}

void put_message(const Message& m, std::string& out) {
  put_counted(m.topic, out);
  put_counted(m.msg_id, out);
  if (m.timestamp) {
    put_number(*m.timestamp, ' ', out);
  } else {
    out += '~';
  }
  put_counted(m.meta.category, out);
  put_counted(m.meta.title, out);
  put_optional(m.meta.subtitle, out);
  put_optional(m.meta.link, out);
  put_optional(m.meta.agent, out);
  put_strings(m.meta.usernames, out);
  put_strings(m.meta.packages, out);
}

void put_compact_recipient(const Notification& n, std::string& out) {
  put_number(static_cast<unsigned>(n.destination), ' ', out);
  put_number(n.user_id, ' ', out);
  put_number(n.rule_id, ' ', out);
  put_number(std::max<int64_t>(0, n.digest.every.count()), ' ', out);
  put_number(n.digest.count, ' ', out);
  put_number(n.digest.at, ' ', out);
  put_counted(n.user(), out);
  put_counted(n.rule_name(), out);
  put_counted(n.address(), out);
  if (const DeliveryWindow* window = n.digest.window.get()) {
    out += 'W';
    put_counted(window->tz, out);
    put_number(window->quiet_from, ' ', out);
    put_number(window->quiet_to, ' ', out);
    put_number(window->snoozed_until, ' ', out);
  } else {
    out += '~';
  }
  out += '\n';
}

// Reads a number ended by `separator` from the front of `in`.
template <typename T>
bool get_number(std::string_view& in, char separator, T& value) {
  auto [end, ec] = std::from_chars(in.data(), in.data() + in.size(), value);
  if (ec != std::errc() || end == in.data() + in.size() || *end != separator) return false;
  in.remove_prefix(static_cast<size_t>(end - in.data()) + 1);
  return true;
}

bool get_counted(std::string_view& in, std::string_view& value) {
  size_t size = 0;
  if (!get_number(in, ':', size) || size > in.size()) return false;
  value = in.substr(0, size);
  in.remove_prefix(size);
  return true;
}

bool get_counted(std::string_view& in, std::string& value) {
  std::string_view view;
  if (!get_counted(in, view)) return false;
  value.assign(view);
  return true;
}

// '~' (absent) or a counted string.
bool absent(std::string_view& in) {
  if (in.empty() || in[0] != '~') return false;
  in.remove_prefix(1);
  return true;
}

bool get_optional(std::string_view& in, std::optional<std::string>& value) {
  if (absent(in)) return true;
  return get_counted(in, value.emplace());
}

bool get_strings(std::string_view& in, std::vector<std::string>& values) {
  size_t n = 0;
  if (!get_number(in, ' ', n) || n > in.size()) return false;
  values.resize(n);
  for (std::string& v : values) {
    if (!get_counted(in, v)) return false;
  }
  return true;
}

Result<MessagePtr> get_message(std::string_view& in) {
  const auto bad = [] { return Error{ErrorCode::kMalformedJson, "stored message: bad record"}; };
  std::string topic, msg_id;
  std::optional<double> timestamp;
  if (!get_counted(in, topic) || !get_counted(in, msg_id)) return bad();
  if (!absent(in) && !get_number(in, ' ', timestamp.emplace())) return bad();
  auto parsed = bodyless_message(topic, msg_id, timestamp);
  if (!parsed) return parsed.error();
  std::unique_ptr<Message> m = std::move(parsed.value());
  m->redelivered = true;  // read back: it may have been delivered before
  Meta& meta = m->meta;
  if (!get_counted(in, meta.category) || !get_counted(in, meta.title) ||
      !get_optional(in, meta.subtitle) || !get_optional(in, meta.link) ||
      !get_optional(in, meta.agent) || !get_strings(in, meta.usernames) ||
      !get_strings(in, meta.packages)) {
    return bad();
  }
  return MessagePtr(std::move(m));
}

// `full`: the recipient as put_compact_recipient() writes it; otherwise the older form (no
// `at`, no window).
bool get_compact_recipient(std::string_view& in, Notification& n, bool full) {
  unsigned kind = 0;
  int64_t every = 0;
  if (!get_number(in, ' ', kind) || kind >= kDestinationKindCount) return false;
  n.destination = static_cast<DestinationKind>(kind);
  if (!get_number(in, ' ', n.user_id) || !get_number(in, ' ', n.rule_id) ||
      !get_number(in, ' ', every) || !get_number(in, ' ', n.digest.count) ||
      (full && !get_number(in, ' ', n.digest.at))) {
    return false;
  }
  n.digest.every = std::chrono::seconds(every);
  n.digest.at = minute_or_none(n.digest.at);
  std::string_view user;
  std::string_view rule_name;
  std::string_view address;
  if (!get_counted(in, user) || !get_counted(in, rule_name) || !get_counted(in, address)) {
    return false;
  }
  n.set_names(user, rule_name, address);
  if (full && !absent(in)) {
    DeliveryWindow window;
    if (in.empty() || in[0] != 'W') return false;
    in.remove_prefix(1);
    if (!get_counted(in, window.tz) || !get_number(in, ' ', window.quiet_from) ||
        !get_number(in, ' ', window.quiet_to) || !get_number(in, ' ', window.snoozed_until)) {
      return false;
    }
    window.quiet_from = minute_or_none(window.quiet_from);
    window.quiet_to = minute_or_none(window.quiet_to);
    n.digest.window = std::make_shared<const DeliveryWindow>(std::move(window));
  }
  if (in.empty() || in[0] != '\n') return false;
  in.remove_prefix(1);
  return true;
}

}  // namespace

void encode_notification(const Notification& n, std::string& out) {
  const Message& m = *n.message;
  JsonBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  put(w, "topic", m.topic);
  put(w, "msg_id", m.msg_id);
  if (m.timestamp) {
    w.Key("timestamp");
    w.Double(*m.timestamp);
  }
  put_recipient(w, n);
  put(w, "category", m.meta.category);
  put(w, "title", m.meta.title);
  if (m.meta.subtitle) put(w, "subtitle", stored(*m.meta.subtitle));
  if (m.meta.link) put(w, "link", stored(*m.meta.link));
  if (m.meta.agent) put(w, "agent", stored(*m.meta.agent));
  put_list(w, "usernames", m.meta.usernames);
  put_list(w, "packages", m.meta.packages);
  w.EndObject();
  out.append(buffer.GetString(), buffer.GetSize());
}

Result<Notification> decode_notification(std::string_view bytes) {
  // RapidJSON's SSE4.2 scanner reads whole 16-byte blocks: give it room past the end.
  std::string padded;
  padded.reserve(bytes.size() + 16);
  padded.assign(bytes);
  rapidjson::Document d;
  d.Parse(padded.data(), padded.size());
  if (d.HasParseError() || !d.IsObject()) {
    return Error{ErrorCode::kMalformedJson, "stored notification: not a JSON object"};
  }
  // Rebuild a message through the envelope parser, so it is a Message like any other.
  std::optional<double> timestamp;
  if (d.HasMember("timestamp") && d["timestamp"].IsNumber()) timestamp = d["timestamp"].GetDouble();
  auto parsed = bodyless_message(get(d, "topic"), get(d, "msg_id"), timestamp);
  if (!parsed) return parsed.error();
  std::unique_ptr<Message> m = std::move(parsed.value());
  m->redelivered = true;  // read back: it may have been delivered before
  m->meta.category = get(d, "category");
  m->meta.title = get(d, "title");
  m->meta.subtitle = get_optional(d, "subtitle");
  m->meta.link = get_optional(d, "link");
  m->meta.agent = get_optional(d, "agent");
  m->meta.usernames = get_list(d, "usernames");
  m->meta.packages = get_list(d, "packages");
  Notification n;
  n.message = MessagePtr(std::move(m));
  auto recipient = get_recipient(d, n);
  if (!recipient) return recipient.error();
  return n;
}

void encode_notifications(std::span<const Notification> batch, std::string& out) {
  const Message* previous = nullptr;
  for (const Notification& n : batch) {
    if (n.message.get() == previous) {
      out += 'P';
    } else {
      out += 'B';
      put_message(*n.message, out);
      previous = n.message.get();
    }
    put_compact_recipient(n, out);
  }
}

Result<std::vector<Notification>> decode_notifications(std::string_view bytes) {
  std::vector<Notification> out;
  while (!bytes.empty()) {
    const char tag = bytes[0];
    bytes.remove_prefix(1);
    Notification n;
    if (tag == 'B') {
      auto message = get_message(bytes);
      if (!message) return message.error();
      n.message = std::move(message).value();
    } else if (tag == 'M') {
      const size_t end = std::min(bytes.find('\n'), bytes.size());
      auto whole = decode_notification(bytes.substr(0, end));
      if (!whole) return whole.error();
      out.push_back(std::move(whole.value()));
      bytes.remove_prefix(std::min(end + 1, bytes.size()));
      continue;
    } else if ((tag == 'P' || tag == 'R') && !out.empty()) {
      n.message = out.back().message;
    } else {
      return Error{ErrorCode::kMalformedJson, "stored notifications: bad record"};
    }
    if (!get_compact_recipient(bytes, n, tag != 'R')) {
      return Error{ErrorCode::kMalformedJson, "stored notifications: bad recipient"};
    }
    out.push_back(std::move(n));
  }
  return out;
}

std::string delivery_id(const Notification& n) {
  const Message& m = *n.message;
  std::string id(destination_kind_name(n.destination));
  id += ':';
  id += n.address();
  id += ':';
  if (!m.msg_id.empty()) {
    id += m.msg_id;
  } else {
    // No msg_id (old or body-only records): what the message says stands in for its identity.
    id += m.topic;
    id += '@';
    id += std::to_string(m.timestamp.value_or(0));
    id += ':';
    id += m.meta.subtitle ? stored(*m.meta.subtitle) : std::string_view(m.meta.title);
  }
  return id;
}

}  // namespace fmn::sinks
