#include "bus/amqp_envelope.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <ctime>

#include "core/fedora_messaging_headers.h"
#include "core/json_writer.h"

namespace fmn::bus {
namespace {

bool is_utf8_name(std::string_view encoding) {
  auto is = [encoding](std::string_view name) {
    return std::equal(
        encoding.begin(), encoding.end(), name.begin(), name.end(),
        [](char a, char b) { return std::tolower(static_cast<unsigned char>(a)) == b; });
  };
  return encoding.empty() || is("utf-8") || is("utf8");
}

// Bytes the message's own copies of the delivery's texts take: the routing key, the message id,
// each header's name and text value, each terminated.
size_t text_size(const AmqpDelivery& d) {
  size_t n = d.routing_key.size() + 1 + d.message_id.size() + 1;
  for (const auto& [name, value] : d.headers) {
    n += name.size() + 1;
    if (const auto* text = std::get_if<std::string_view>(&value)) n += text->size() + 1;
  }
  return n;
}

JsonValue string_ref(std::string_view text) {
  return JsonValue(
      rapidjson::StringRef(text.data(), static_cast<rapidjson::SizeType>(text.size())));
}

bool digits(std::string_view text, size_t at, size_t n, int& out) {
  if (at + n > text.size()) return false;
  out = 0;
  for (size_t i = at; i < at + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

}  // namespace

std::optional<double> parse_iso8601(std::string_view text) {
  int year, month, day, hour, minute, second;
  if (!digits(text, 0, 4, year) || text.size() < 19 || text[4] != '-' ||
      !digits(text, 5, 2, month) || text[7] != '-' || !digits(text, 8, 2, day) ||
      (text[10] != 'T' && text[10] != ' ') || !digits(text, 11, 2, hour) || text[13] != ':' ||
      !digits(text, 14, 2, minute) || text[16] != ':' || !digits(text, 17, 2, second)) {
    return std::nullopt;
  }
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) {
    return std::nullopt;
  }
  size_t at = 19;
  double fraction = 0;
  if (at < text.size() && text[at] == '.') {
    double scale = 0.1;
    for (++at; at < text.size() && text[at] >= '0' && text[at] <= '9'; ++at, scale /= 10) {
      fraction += (text[at] - '0') * scale;
    }
  }
  int offset = 0;
  if (at < text.size() && (text[at] == 'Z' || text[at] == 'z')) {
    ++at;
  } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
    int oh, om;
    if (!digits(text, at + 1, 2, oh) || at + 3 >= text.size() || text[at + 3] != ':' ||
        !digits(text, at + 4, 2, om)) {
      return std::nullopt;
    }
    offset = (text[at] == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    at += 6;
  }
  if (at != text.size()) return std::nullopt;
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = day;
  tm.tm_hour = hour;
  tm.tm_min = minute;
  tm.tm_sec = second;
  return static_cast<double>(timegm(&tm) - offset) + fraction;
}

std::string format_iso8601(double seconds) {
  auto whole = static_cast<time_t>(std::floor(seconds));
  auto micros = static_cast<int>(std::lround((seconds - static_cast<double>(whole)) * 1e6));
  if (micros == 1000000) {
    ++whole;
    micros = 0;
  }
  std::tm tm{};
  gmtime_r(&whole, &tm);
  char text[80];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%06d+00:00", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, micros);
  return text;
}

AmqpDelivery fedora_messaging_of(const Message& m, AmqpDeliveryText& text) {
  JsonBuffer buffer;
  JsonWriter w(buffer);
  m.body->Accept(w);
  text.body.assign(buffer.GetString(), buffer.GetSize());
  auto keep = [&text](std::string s) -> std::string_view {
    return text.texts.emplace_back(std::move(s));
  };
  AmqpDelivery d;
  d.routing_key = m.topic;
  d.message_id = m.msg_id;
  d.content_encoding = "utf-8";
  double sent =
      m.timestamp
          ? *m.timestamp
          : std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
                .count();
  d.headers.emplace_back("fedora_messaging_schema", std::string_view("base.message"));
  d.headers.emplace_back("sent-at", keep(format_iso8601(sent)));
  d.headers.emplace_back("fedora_messaging_severity",
                         int64_t{m.meta.severity.value_or(kSeverityInfo)});
  for (const auto& [prefix, list] : fedora_messaging_list_headers()) {
    for (const std::string& name : m.meta.*list) {
      d.headers.emplace_back(keep(std::string(prefix) + name), true);
    }
  }
  d.body = text.body;
  return d;
}

Result<std::shared_ptr<Message>> fedora_message(const AmqpDelivery& d,
                                                const ParseOptions& options) {
  if (!is_utf8_name(d.content_encoding)) {
    return Error{ErrorCode::kBadEnvelope, "content_encoding '" + std::string(d.content_encoding) +
                                              "': only UTF-8 bodies are understood"};
  }
  auto m = std::make_shared<Message>(pool_chunk_for(d.body.size()));
  auto parsed = parse_json_in_situ(*m, d.body, text_size(d), options);
  if (!parsed) return Error{parsed.error().code, "body: " + parsed.error().message};
  char* free_at = *parsed;  // zeroed: each copy is terminated
  auto keep = [&free_at](std::string_view text) {
    std::memcpy(free_at, text.data(), text.size());
    std::string_view kept(free_at, text.size());
    free_at += text.size() + 1;
    return kept;
  };
  JsonAllocator& pool = m->pool;
  JsonValue body;
  static_cast<JsonValue&>(m->doc).Swap(body);
  m->topic = keep(d.routing_key);
  m->msg_id = keep(d.message_id);
  std::optional<double> when;
  JsonValue headers(rapidjson::kObjectType);
  for (const auto& [name, value] : d.headers) {
    JsonValue key = string_ref(keep(name));
    JsonValue v;
    if (const bool* b = std::get_if<bool>(&value)) {
      v.SetBool(*b);
    } else if (const int64_t* n = std::get_if<int64_t>(&value)) {
      v.SetInt64(*n);
    } else if (const double* x = std::get_if<double>(&value)) {
      v.SetDouble(*x);
    } else {
      std::string_view text = keep(std::get<std::string_view>(value));
      if (name == "sent-at") when = parse_iso8601(text);
      v = string_ref(text);
    }
    headers.AddMember(key, v, pool);
  }
  if (!when && d.timestamp) when = static_cast<double>(*d.timestamp);
  m->timestamp = when;
  // The tree a fedmsg envelope would have parsed into: the message's views point into it.
  JsonDocument& doc = m->doc;
  doc.SetObject();
  JsonValue topic = string_ref(m->topic);
  doc.AddMember("topic", topic, pool);
  if (!m->msg_id.empty()) {
    JsonValue id = string_ref(m->msg_id);
    doc.AddMember("msg_id", id, pool);
  }
  doc.AddMember("headers", headers, pool);
  if (when) doc.AddMember("timestamp", *when, pool);
  doc.AddMember("msg", body, pool);
  m->headers = &doc.FindMember("headers")->value;
  m->body = &doc.FindMember("msg")->value;
  split_topic(m->topic, m->topic_env, m->topic_suffix);
  return m;
}

}  // namespace fmn::bus
