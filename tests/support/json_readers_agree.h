// Whether the envelope parser's two JSON readers agree on a text: simdjson (what reads every
// text up to ParseOptions::fast_reader_max_bytes) and RapidJSON alone (what reads the others and
// every text simdjson refuses). Used by the parser's tests and by the envelope fuzzer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/envelope_parser.h"
#include "core/json_writer.h"

namespace fmn::test {

// Empty when both readers refuse `json` with the same error or accept it with the same tree
// (printed alike: the same types, members in the same order, the same strings and numbers), or
// when RapidJSON refuses a number simdjson reads (below); otherwise what differs.
inline std::string json_readers_disagree(std::string_view json) {
  ParseOptions fast, rapidjson_only;
  fast.fast_reader_max_bytes = SIZE_MAX;
  rapidjson_only.fast_reader_max_bytes = 0;
  Message a, b;
  auto read_fast = parse_json_in_situ(a, json, 0, fast);
  auto read_alone = parse_json_in_situ(b, json, 0, rapidjson_only);
  auto said = [](const Result<char*>& r) {
    return r ? std::string("accepted") : r.error().message;
  };
  if (!read_fast || !read_alone) {
    if (said(read_fast) == said(read_alone)) return {};
    // RapidJSON refuses an exponent over 308 whatever the digits before it (0e400 is 0):
    // simdjson reads those. Only texts over fast_reader_max_bytes meet RapidJSON's refusal.
    if (read_fast && read_alone.error().message.starts_with("Number too big")) return {};
    return "simdjson first: " + said(read_fast) + "; RapidJSON alone: " + said(read_alone);
  }
  auto print = [](const JsonDocument& doc) {
    JsonBuffer out;
    JsonWriter writer(out);
    doc.Accept(writer);
    return std::string(out.GetString(), out.GetSize());
  };
  std::string fast_tree = print(a.doc), alone_tree = print(b.doc);
  if (fast_tree == alone_tree) return {};
  return "simdjson first: " + fast_tree + "; RapidJSON alone: " + alone_tree;
}

}  // namespace fmn::test
