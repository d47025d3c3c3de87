// The parse stage parses raw records, and only extracts the meta of messages their source parsed
// already (the AMQP source's), side by side in one batch.
#include "pipeline/parse_stage.h"

#include <gtest/gtest.h>

#include <string>

namespace fmn::pipeline {
namespace {

TEST(ParseStage, AMessageItsSourceParsedOnlyHasItsMetaExtracted) {
  auto meta = MetaExtractor::builtin(builtin_aliases());
  ASSERT_TRUE(meta.ok()) << meta.error().message;
  PipelineStats stats;
  std::vector<std::string> reports;
  ParseStage parse(**meta, stats, [&](const std::string& what) { reports.push_back(what); });

  auto parsed =
      parse_envelope(R"({"topic":"org.fedoraproject.prod.bodhi.update.comment","msg_id":"a",)"
                     R"("headers":{"fedora_messaging_user_alice":true},"msg":{}})");
  ASSERT_TRUE(parsed) << parsed.error().message;
  auto raw = std::make_shared<RawBatch>();
  bus::RawMessage& from_amqp = raw->items.emplace_back();
  from_amqp.origin = 1;
  from_amqp.parsed = std::move(parsed).value();
  raw->items.push_back({{}, R"({"topic":"org.fedoraproject.prod.test.b","msg":{}})", 2, {}});
  raw->items.push_back({{}, "{not json", 3, {}});

  ParsedBatchPtr out = parse(raw);
  ASSERT_EQ(out->messages.size(), 2u);
  EXPECT_EQ(out->messages[0].get(), raw->items[0].parsed.get());
  EXPECT_EQ(out->messages[0]->meta.usernames, std::vector<std::string>{"alice"});
  EXPECT_EQ(out->messages[1]->topic, "org.fedoraproject.prod.test.b");
  EXPECT_EQ(stats.received, 3u);
  EXPECT_EQ(stats.parse_errors, 1u);
  ASSERT_EQ(reports.size(), 1u);
  EXPECT_EQ(reports[0].rfind("line 3: ", 0), 0u) << reports[0];
}

}  // namespace
}  // namespace fmn::pipeline
