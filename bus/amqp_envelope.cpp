#include "bus/amqp_envelope.h"

#include <rapidjson/error/en.h>
#include <rapidjson/memorystream.h>
#include <rapidjson/reader.h>

#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>

#include "core/fedora_messaging_headers.h"
#include "core/json_writer.h"

namespace fmn::bus {
namespace {

bool is_utf8_name(std::string_view encoding) {
  std::string lower;
  for (char c : encoding) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.empty() || lower == "utf-8" || lower == "utf8";
}

// Validates that `body` is one JSON value in UTF-8 and nothing else: it is spliced into the
// envelope as is, so trailing text must not add fields of its own.
Result<bool> check_body(std::string_view body) {
  rapidjson::MemoryStream stream(body.data(), body.size());
  rapidjson::BaseReaderHandler<> ignore;
  rapidjson::Reader reader;
  constexpr unsigned kFlags =
      rapidjson::kParseValidateEncodingFlag | rapidjson::kParseStopWhenDoneFlag;
  if (reader.Parse<kFlags>(stream, ignore).IsError()) {
    return Error{ErrorCode::kMalformedJson,
                 std::string("body: ") + rapidjson::GetParseError_En(reader.GetParseErrorCode()) +
                     " at offset " + std::to_string(reader.GetErrorOffset())};
  }
  for (size_t at = stream.Tell(); at < body.size(); ++at) {
    if (!std::isspace(static_cast<unsigned char>(body[at]))) {
      return Error{ErrorCode::kMalformedJson,
                   "body: unexpected data after the JSON value at offset " + std::to_string(at)};
    }
  }
  return true;
}

void write_header(JsonWriter& w, const AmqpHeaderValue& value) {
  std::visit(
      [&w](const auto& v) {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, bool>) {
          w.Bool(v);
        } else if constexpr (std::is_same_v<T, int64_t>) {
          w.Int64(v);
        } else if constexpr (std::is_same_v<T, double>) {
          w.Double(v);
        } else {
          w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
        }
      },
      value);
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

AmqpDelivery fedora_messaging_of(const Message& m, std::string& body) {
  JsonBuffer buffer;
  JsonWriter w(buffer);
  m.body->Accept(w);
  body.assign(buffer.GetString(), buffer.GetSize());
  AmqpDelivery d;
  d.routing_key = m.topic;
  d.message_id = m.msg_id;
  d.content_encoding = "utf-8";
  double sent =
      m.timestamp
          ? *m.timestamp
          : std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
                .count();
  d.headers.emplace_back("fedora_messaging_schema", std::string("base.message"));
  d.headers.emplace_back("sent-at", format_iso8601(sent));
  d.headers.emplace_back("fedora_messaging_severity",
                         int64_t{m.meta.severity.value_or(kSeverityInfo)});
  for (const auto& [prefix, list] : fedora_messaging_list_headers()) {
    for (const std::string& name : m.meta.*list) {
      d.headers.emplace_back(std::string(prefix) + name, true);
    }
  }
  d.body = body;
  return d;
}

Result<std::string> fedmsg_envelope(const AmqpDelivery& d) {
  if (!is_utf8_name(d.content_encoding)) {
    return Error{ErrorCode::kBadEnvelope,
                 "content_encoding '" + d.content_encoding + "': only UTF-8 bodies are understood"};
  }
  if (auto ok = check_body(d.body); !ok) return ok.error();
  JsonBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("topic");
  w.String(d.routing_key.data(), static_cast<rapidjson::SizeType>(d.routing_key.size()));
  if (!d.message_id.empty()) {
    w.Key("msg_id");
    w.String(d.message_id.data(), static_cast<rapidjson::SizeType>(d.message_id.size()));
  }
  std::optional<double> when;
  w.Key("headers");
  w.StartObject();
  for (const auto& [name, value] : d.headers) {
    w.Key(name.data(), static_cast<rapidjson::SizeType>(name.size()));
    write_header(w, value);
    if (name == "sent-at") {
      if (const auto* text = std::get_if<std::string>(&value)) when = parse_iso8601(*text);
    }
  }
  w.EndObject();
  if (!when && d.timestamp) when = static_cast<double>(*d.timestamp);
  if (when) {
    w.Key("timestamp");
    w.Double(*when);
  }
  w.Key("msg");
  w.RawValue(d.body.data(), d.body.size(), rapidjson::kObjectType);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace fmn::bus
