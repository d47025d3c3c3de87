// libFuzzer target: arbitrary bytes through the envelope parser and the meta extractor, as
// every bus message goes. Besides crashes and sanitizer reports, it checks what the pipeline
// relies on: a rejected record has a message; an accepted one has a non-empty topic and a
// body, its meta lists are sorted and unique, and meta_to_json() prints valid JSON in valid UTF-8;
// and simdjson, which reads first, gives the same tree or the same error as RapidJSON alone.
#include <rapidjson/document.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "core/envelope_parser.h"
#include "core/meta_extractor.h"
#include "tests/support/json_readers_agree.h"

namespace {

void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "envelope_fuzzer: invariant broken: %s\n", what);
  std::abort();
}

bool sorted_unique(const std::vector<std::string>& v) {
  return std::adjacent_find(v.begin(), v.end(), std::greater_equal<>()) == v.end();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto extractor = fmn::MetaExtractor::builtin(fmn::builtin_aliases());
  require(extractor.ok(), "the built-in meta table compiles");
  std::string_view json(reinterpret_cast<const char*>(data), size);
  require(fmn::test::json_readers_disagree(json).empty(),
          "simdjson and RapidJSON read the same tree or refuse with the same error");
  // Half the inputs also carry a transport topic frame, as ZeroMQ messages do.
  std::string_view frame = (size % 2 == 0) ? "org.fedoraproject.prod.bodhi.update.comment" : "";
  auto parsed = fmn::parse_envelope(json, frame);
  if (!parsed) {
    require(!parsed.error().message.empty(), "a rejected record says why");
    return 0;
  }
  fmn::Message& m = *parsed.value();
  require(!m.topic.empty() && m.body != nullptr, "an accepted record has a topic and a body");
  extractor.value()->extract(m);
  const fmn::Meta& meta = m.meta;
#define FMN_META_LIST(Id, member, header, doc) \
  require(sorted_unique(meta.member), "meta lists are sorted and unique");
#include "core/message_fields.def"
  std::string printed = fmn::meta_to_json(meta);
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(printed.data(), printed.size());
  require(!doc.HasParseError() && doc.IsObject(),
          "meta_to_json prints a JSON object in valid UTF-8");
  return 0;
}
