#include "core/envelope_parser.h"

#include <rapidjson/error/en.h>
#include <rapidjson/reader.h>
#include <simdjson.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include "core/json_writer.h"
#include "core/utf8.h"

namespace fmn {
namespace {

// Encoding is validated up front by first_invalid_json_text(): RapidJSON's own validation disables
// its SIMD string scanning and costs about a third of the parse. The recursive parser is
// faster than the iterative one, and safe: DepthLimitedHandler refuses each object or array
// before the parser descends into it, so recursion stays within max_depth.
constexpr unsigned kParseFlags = rapidjson::kParseInsituFlag | rapidjson::kParseStopWhenDoneFlag |
                                 rapidjson::kParseNumbersAsStringsFlag;

// Forwards SAX events to the document and refuses nesting deeper than a limit, so no later
// recursive walk (printing, rule evaluation) can be driven into a stack overflow.
class DepthLimitedHandler {
 public:
  // `escapes`: the text holds a \u escape. RapidJSON 1.1.0 decodes a lone low surrogate
  // (\uDC00-\uDFFF) into bytes that are not UTF-8, so such strings are checked once decoded.
  DepthLimitedHandler(JsonDocument& doc, size_t max_depth, bool escapes)
      : doc_(doc), max_depth_(max_depth), escapes_(escapes) {}

  bool Null() { return doc_.Null(); }
  bool Bool(bool b) { return doc_.Bool(b); }
  bool Int(int i) { return doc_.Int(i); }
  bool Uint(unsigned u) { return doc_.Uint(u); }
  bool Int64(int64_t i) { return doc_.Int64(i); }
  bool Uint64(uint64_t u) { return doc_.Uint64(u); }
  bool Double(double d) { return doc_.Double(d); }
  // An integer as RapidJSON's reader sends it: as the narrowest of its kinds that holds it.
  bool Integer(int64_t i) {
    if (i >= 0) return Unsigned(static_cast<uint64_t>(i));
    return i >= INT32_MIN ? Int(static_cast<int>(i)) : Int64(i);
  }
  bool Unsigned(uint64_t u) { return u <= UINT32_MAX ? Uint(static_cast<unsigned>(u)) : Uint64(u); }
  // RapidJSON's reader sends each number as its text (kParseNumbersAsStringsFlag), read here
  // correctly rounded, as simdjson reads it: RapidJSON's own conversion can be a unit in the
  // last place off, and infinite for the largest doubles. A number too large for a double is
  // refused (number_too_big()); one too small for it is zero. An integer too large for 64 bits
  // is a double, as RapidJSON makes it.
  bool RawNumber(const char* s, rapidjson::SizeType n, bool) {
    const std::string_view text(s, n);
    if (text.find_first_of(".eE") == std::string_view::npos) {
      if (text.front() == '-') {
        int64_t i = 0;
        if (std::from_chars(s, s + n, i).ec == std::errc()) return Integer(i);
      } else {
        uint64_t u = 0;
        if (std::from_chars(s, s + n, u).ec == std::errc()) return Unsigned(u);
      }
    }
    double d = 0;
    const auto read = std::from_chars(s, s + n, d);
    if (read.ec == std::errc::result_out_of_range) {
      if (decimal_order(text) >= 0) {
        number_too_big_ = true;
        return false;
      }
      d = text.front() == '-' ? -0.0 : 0.0;
    } else if (read.ec != std::errc()) {
      return false;  // RapidJSON has checked the syntax: not reached
    }
    return Double(d);
  }
  bool String(const char* s, rapidjson::SizeType n, bool copy) {
    return valid(s, n) && doc_.String(s, n, copy);
  }
  bool Key(const char* s, rapidjson::SizeType n, bool copy) {
    return valid(s, n) && doc_.Key(s, n, copy);
  }
  bool StartObject() { return ++depth_ <= max_depth_ && doc_.StartObject(); }
  bool EndObject(rapidjson::SizeType n) {
    --depth_;
    return doc_.EndObject(n);
  }
  bool StartArray() { return ++depth_ <= max_depth_ && doc_.StartArray(); }
  bool EndArray(rapidjson::SizeType n) {
    --depth_;
    return doc_.EndArray(n);
  }
  bool too_deep() const { return depth_ > max_depth_; }
  bool bad_escape() const { return bad_escape_; }
  bool number_too_big() const { return number_too_big_; }

 private:
  // The power of ten of a number's first significant digit (1.5 is 0, 0.05 is -2, 2e9 is 9),
  // for telling a double too small from one too large; a text of zeros is 0.
  static long decimal_order(std::string_view text) {
    const size_t e = text.find_first_of("eE");
    std::string_view digits = text.substr(0, e);
    if (digits.front() == '-') digits.remove_prefix(1);
    const size_t dot = digits.find('.');
    const std::string_view whole = digits.substr(0, dot);
    long order = 0;
    if (size_t first = whole.find_first_not_of('0'); first != std::string_view::npos) {
      order = static_cast<long>(whole.size() - first) - 1;
    } else if (dot != std::string_view::npos) {
      const size_t first_fraction = digits.find_first_not_of('0', dot + 1);
      if (first_fraction != std::string_view::npos)
        order = -static_cast<long>(first_fraction - dot);
    }
    if (e == std::string_view::npos) return order;
    std::string_view exponent = text.substr(e + 1);
    const bool negative = exponent.front() == '-';
    if (exponent.front() == '-' || exponent.front() == '+') exponent.remove_prefix(1);
    long value = 0;
    for (char c : exponent) value = std::min(value * 10 + (c - '0'), 1'000'000'000L);
    return negative ? order - value : order + value;
  }

  bool valid(const char* s, rapidjson::SizeType n) {
    if (escapes_ && first_invalid_utf8({s, n}) != n) bad_escape_ = true;
    return !bad_escape_;
  }

  JsonDocument& doc_;
  size_t max_depth_;
  size_t depth_ = 0;
  bool escapes_;
  bool bad_escape_ = false;
  bool number_too_big_ = false;
};

// simdjson reads this far past the text (and RapidJSON's SSE4.2 scan 16 bytes): the message's
// buffer keeps that many zeroed bytes after the copy.
constexpr size_t kPadding = simdjson::SIMDJSON_PADDING;

// Replays a document simdjson parsed as the SAX events RapidJSON's reader would have sent for
// the same text, with each string (decoded) copied NUL-terminated to `out`, which has room:
// a string's decoded bytes and its NUL never outnumber its quoted text. False once the handler
// refuses one (too deep).
class TapeReplay {
 public:
  TapeReplay(DepthLimitedHandler& handler, char* out) : handler_(handler), out_(out) {}

  bool value(simdjson::dom::element e) {
    using Type = simdjson::dom::element_type;
    switch (e.type()) {
      case Type::OBJECT: {
        if (!handler_.StartObject()) return false;
        rapidjson::SizeType n = 0;
        for (simdjson::dom::key_value_pair member : simdjson::dom::object(e)) {
          const char* key = copy(member.key);
          if (!handler_.Key(key, size(member.key), false) || !value(member.value)) return false;
          ++n;
        }
        return handler_.EndObject(n);
      }
      case Type::ARRAY: {
        if (!handler_.StartArray()) return false;
        rapidjson::SizeType n = 0;
        for (simdjson::dom::element item : simdjson::dom::array(e)) {
          if (!value(item)) return false;
          ++n;
        }
        return handler_.EndArray(n);
      }
      case Type::STRING: {
        const std::string_view s(e);
        const char* copied = copy(s);
        return handler_.String(copied, size(s), false);
      }
      case Type::INT64:
        return handler_.Integer(int64_t(e));
      case Type::UINT64:
        return handler_.Unsigned(uint64_t(e));
      case Type::DOUBLE:
        return handler_.Double(double(e));
      case Type::BOOL:
        return handler_.Bool(bool(e));
      case Type::NULL_VALUE:
        return handler_.Null();
    }
    return false;
  }

 private:
  static rapidjson::SizeType size(std::string_view s) {
    return static_cast<rapidjson::SizeType>(s.size());
  }
  // A short string is copied 16 bytes at once, without a call: `out` has the text's padding
  // after it, and simdjson's string buffer its own.
  const char* copy(std::string_view s) {
    char* at = out_;
    if (s.size() < 16) {
      std::memcpy(at, s.data(), 16);
    } else {
      std::memcpy(at, s.data(), s.size());
    }
    at[s.size()] = '\0';
    out_ += s.size() + 1;
    return at;
  }

  DepthLimitedHandler& handler_;
  char* out_;
};

Error envelope_error(std::string what) { return {ErrorCode::kBadEnvelope, std::move(what)}; }

Error too_deep_error(size_t max_depth) {
  return {ErrorCode::kMalformedJson,
          "nesting deeper than " + std::to_string(max_depth) + " levels"};
}

const char* type_name(const JsonValue& v) {
  static constexpr std::array<const char*, 7> kNames = {"null",  "false",  "true",  "object",
                                                        "array", "string", "number"};
  return kNames[v.GetType()];
}

}  // namespace

void split_topic(std::string_view topic, std::string_view& env, std::string_view& suffix) {
  static constexpr std::array<std::string_view, 4> kEnvs = {"prod", "stg", "stage", "dev"};
  size_t start = 0;
  while (start < topic.size()) {
    size_t dot = topic.find('.', start);
    if (dot == std::string_view::npos) break;
    std::string_view part = topic.substr(start, dot - start);
    for (std::string_view e : kEnvs) {
      if (part == e && start > 0) {
        env = part;
        suffix = topic.substr(dot + 1);
        return;
      }
    }
    start = dot + 1;
  }
  env = {};
  suffix = topic;
}

Result<char*> parse_json_in_situ(Message& m, std::string_view json, size_t extra,
                                 const ParseOptions& options) {
  if (json.size() > options.max_bytes) {
    return Error{ErrorCode::kTooLarge, "message of " + std::to_string(json.size()) +
                                           " bytes exceeds the limit of " +
                                           std::to_string(options.max_bytes)};
  }
  m.size_bytes = json.size();
  // The caller's bytes are kept after the padding, so that the message owns every byte its
  // views point at. Only the padding and the caller's part are zeroed: the text itself is
  // overwritten by the strings.
  const size_t extra_at = json.size() + kPadding;
  m.buffer.reset(new char[extra_at + extra]);
  std::memcpy(m.buffer.get(), json.data(), json.size());
  std::memset(m.buffer.get() + json.size(), 0, extra_at + extra - json.size());

  // simdjson first: it validates the encoding and refuses unescaped control characters itself,
  // and reads about twice as fast as RapidJSON, whose string scan goes a byte at a time up to
  // each string's first 16-byte boundary. A text it accepts is one the checks below accept too;
  // for any other, they run as before and say exactly what is wrong. The tree is RapidJSON's
  // either way, built from the same events.
  if (json.size() <= options.fast_reader_max_bytes) {
    thread_local simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (!parser.parse(m.buffer.get(), json.size(), false).get(root)) {
      // simdjson refuses a \u escape of a lone surrogate itself.
      DepthLimitedHandler handler(m.doc, options.max_depth, false);
      TapeReplay replay(handler, m.buffer.get());
      bool ok = false;
      auto generate = [&](JsonDocument&) { return ok = replay.value(root); };
      m.doc.Populate(generate);
      if (ok) return m.buffer.get() + extra_at;
      return too_deep_error(options.max_depth);
    }
  }

  // RapidJSON 1.1.0's SIMD string scan compares against 0x19, not 0x20, so raw 0x1A-0x1F would
  // pass it: control characters are refused here, in the same pass as the UTF-8 check.
  if (size_t bad = first_invalid_json_text(json); bad != json.size()) {
    if (static_cast<unsigned char>(json[bad]) >= 0x20) {
      return Error{ErrorCode::kMalformedJson, "invalid UTF-8 at offset " + std::to_string(bad)};
    }
    char code[8];
    std::snprintf(code, sizeof code, "0x%02x", static_cast<unsigned char>(json[bad]));
    return Error{ErrorCode::kMalformedJson, std::string("unescaped control character ") + code +
                                                " at offset " + std::to_string(bad)};
  }
  rapidjson::GenericInsituStringStream<rapidjson::UTF8<>> stream(m.buffer.get());
  rapidjson::GenericReader<rapidjson::UTF8<>, rapidjson::UTF8<>, JsonAllocator> reader(&m.pool);
  DepthLimitedHandler handler(m.doc, options.max_depth, json.find("\\u") != std::string_view::npos);
  bool ok = false;
  auto generate = [&](JsonDocument&) {
    ok = !reader.Parse<kParseFlags>(stream, handler).IsError();
    return ok;
  };
  m.doc.Populate(generate);
  if (!ok) {
    if (handler.bad_escape()) {
      return Error{ErrorCode::kMalformedJson, "a \\u escape encodes a lone surrogate"};
    }
    if (handler.too_deep()) return too_deep_error(options.max_depth);
    if (handler.number_too_big()) {
      return Error{ErrorCode::kMalformedJson,
                   std::string(rapidjson::GetParseError_En(rapidjson::kParseErrorNumberTooBig)) +
                       " at offset " + std::to_string(reader.GetErrorOffset())};
    }
    return Error{ErrorCode::kMalformedJson,
                 std::string(rapidjson::GetParseError_En(reader.GetParseErrorCode())) +
                     " at offset " + std::to_string(reader.GetErrorOffset())};
  }
  // Anything after the value other than whitespace is an error too.
  for (size_t at = stream.Tell(); at < json.size(); ++at) {
    if (!std::strchr(" \t\r\n", json[at])) {
      return Error{ErrorCode::kMalformedJson,
                   "unexpected data after the JSON value at offset " + std::to_string(at)};
    }
  }
  return m.buffer.get() + extra_at;
}

Result<std::unique_ptr<Message>> parse_envelope(std::string_view json, std::string_view topic_frame,
                                                const ParseOptions& options) {
  auto m = std::make_unique<Message>(pool_chunk_for(json.size()));
  auto parsed = parse_json_in_situ(*m, json, topic_frame.size(), options);
  if (!parsed) return parsed.error();
  char* frame = *parsed;
  if (!topic_frame.empty()) std::memcpy(frame, topic_frame.data(), topic_frame.size());
  const JsonDocument& doc = m->doc;
  if (!doc.IsObject())
    return envelope_error(std::string("envelope is ") + type_name(doc) + ", expected an object");

  for (const auto& member : doc.GetObject()) {
    std::string_view key(member.name.GetString(), member.name.GetStringLength());
    const JsonValue& v = member.value;
    auto want_string = [&](std::string_view& out) -> bool {
      if (v.IsNull()) return true;
      if (!v.IsString()) return false;
      out = std::string_view(v.GetString(), v.GetStringLength());
      return true;
    };
    bool good = true;
    if (key == "topic") {
      good = want_string(m->topic);
    } else if (key == "msg") {
      m->body = &v;
    } else if (key == "headers") {
      if (v.IsObject()) m->headers = &v;  // anything else: ignored, as fedmsg did
    } else if (key == "msg_id") {
      good = want_string(m->msg_id);
    } else if (key == "username") {
      good = want_string(m->username);
    } else if (key == "timestamp") {
      if (v.IsNumber())
        m->timestamp = v.GetDouble();
      else
        good = v.IsNull();
    } else if (key == "i") {
      if (v.IsInt64())
        m->seq = v.GetInt64();
      else
        good = v.IsNull();
    } else if (key == "crypto") {
      good = want_string(m->crypto);
    } else if (key == "signature") {
      good = want_string(m->signature);
    } else if (key == "certificate") {
      good = want_string(m->certificate);
    }
    // Other fields (source_name...) are accepted and ignored.
    if (!good) {
      return envelope_error(std::string(key) + ": unexpected " + type_name(v));
    }
  }
  if (m->topic.empty()) m->topic = std::string_view(frame, topic_frame.size());
  if (m->topic.empty()) return envelope_error("topic: missing");
  if (m->topic.size() > kMaxTopicBytes) {
    return envelope_error("topic: " + std::to_string(m->topic.size()) + " bytes, over " +
                          std::to_string(kMaxTopicBytes));
  }
  if (m->body == nullptr) return envelope_error("msg: missing");
  m->is_signed = !m->signature.empty() && !m->certificate.empty();
  split_topic(m->topic, m->topic_env, m->topic_suffix);
  return m;
}

Result<std::unique_ptr<Message>> bodyless_message(std::string_view topic, std::string_view msg_id,
                                                  std::optional<double> timestamp) {
  JsonBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("topic");
  w.String(topic.data(), static_cast<rapidjson::SizeType>(topic.size()));
  if (!msg_id.empty()) {
    w.Key("msg_id");
    w.String(msg_id.data(), static_cast<rapidjson::SizeType>(msg_id.size()));
  }
  if (timestamp) {
    w.Key("timestamp");
    w.Double(*timestamp);
  }
  w.Key("msg");
  w.StartObject();
  w.EndObject();
  w.EndObject();
  return parse_envelope({buffer.GetString(), buffer.GetSize()});
}

}  // namespace fmn
