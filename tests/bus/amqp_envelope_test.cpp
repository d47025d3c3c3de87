// A fedora-messaging delivery becomes the message the meta extraction and the rules read: topic,
// id, time, body, and the headers that name people and artifacts.
#include "bus/amqp_envelope.h"

#include <gtest/gtest.h>

#include "core/envelope_parser.h"
#include "core/envelope_writer.h"
#include "core/fedora_messaging_headers.h"
#include "core/meta_extractor.h"

namespace fmn::bus {
namespace {

AmqpDelivery bodhi_comment(std::string_view body) {
  AmqpDelivery d;
  d.routing_key = "org.fedoraproject.prod.bodhi.update.comment";
  d.message_id = "0f5c7a4e-6a5e-4f43-9c2a-3b9d1e0e7a11";
  d.content_encoding = "utf-8";
  d.headers = {{"fedora_messaging_schema", std::string_view("bodhi.update.comment.v1")},
               {"sent-at", std::string_view("2024-05-01T12:00:00.250000+02:00")},
               {"fedora_messaging_severity", int64_t{30}},
               {"fedora_messaging_user_alice", true},
               {"fedora_messaging_user_bob", true},
               {"fedora_messaging_rpm_kernel", true}};
  d.body = body;
  return d;
}

TEST(AmqpEnvelope, CarriesTopicIdTimeBodyAndHeaders) {
  std::string body = R"({"comment":{"user":{"name":"carol"},"text":"works"}})";
  auto m = fedora_message(bodhi_comment(body));
  ASSERT_TRUE(m) << m.error().message;
  EXPECT_EQ((*m)->topic, "org.fedoraproject.prod.bodhi.update.comment");
  EXPECT_EQ((*m)->msg_id, "0f5c7a4e-6a5e-4f43-9c2a-3b9d1e0e7a11");
  ASSERT_TRUE((*m)->timestamp.has_value());
  EXPECT_DOUBLE_EQ(*(*m)->timestamp, 1714557600.25);
  ASSERT_TRUE((*m)->body->IsObject());
  EXPECT_STREQ((*(*m)->body)["comment"]["text"].GetString(), "works");
}

// The delivery's parts live in the client library's frame buffers, reused for the next one.
TEST(AmqpEnvelope, TheMessageOwnsWhatItViews) {
  std::string topic = "org.fedoraproject.prod.bodhi.update.comment";
  std::string id = "0f5c7a4e-6a5e-4f43-9c2a-3b9d1e0e7a11";
  std::string name = "fedora_messaging_user_alice";
  std::string sent = "2024-05-01T12:00:00.250000+02:00";
  std::string body = R"({"comment":{"text":"works"}})";
  AmqpDelivery d;
  d.routing_key = topic;
  d.message_id = id;
  d.headers = {{name, true}, {"sent-at", std::string_view(sent)}};
  d.body = body;
  auto m = fedora_message(d);
  ASSERT_TRUE(m) << m.error().message;
  for (std::string* s : {&topic, &id, &name, &sent, &body}) s->assign(s->size(), 'x');
  EXPECT_EQ((*m)->topic, "org.fedoraproject.prod.bodhi.update.comment");
  EXPECT_EQ((*m)->topic_suffix, "bodhi.update.comment");
  EXPECT_EQ((*m)->msg_id, "0f5c7a4e-6a5e-4f43-9c2a-3b9d1e0e7a11");
  ASSERT_NE((*m)->headers, nullptr);
  EXPECT_TRUE((*(*m)->headers)["fedora_messaging_user_alice"].GetBool());
  EXPECT_STREQ((*(*m)->headers)["sent-at"].GetString(), "2024-05-01T12:00:00.250000+02:00");
  EXPECT_STREQ((*(*m)->body)["comment"]["text"].GetString(), "works");
}

// Written back as a fedmsg envelope (the recent-message store), it parses into the same message.
TEST(AmqpEnvelope, ItsEnvelopeParsesIntoTheSameMessage) {
  auto m = fedora_message(bodhi_comment(R"({"comment":{"text":"works"}})"));
  ASSERT_TRUE(m) << m.error().message;
  auto again = parse_envelope(write_envelope(**m));
  ASSERT_TRUE(again) << again.error().message;
  EXPECT_EQ((*again)->topic, (*m)->topic);
  EXPECT_EQ((*again)->msg_id, (*m)->msg_id);
  EXPECT_EQ((*again)->timestamp, (*m)->timestamp);
  ASSERT_NE((*again)->headers, nullptr);
  EXPECT_TRUE(*(*again)->headers == *(*m)->headers);
  EXPECT_TRUE(*(*again)->body == *(*m)->body);
}

TEST(AmqpEnvelope, HeadersAreTheAuthoritativeMeta) {
  std::string body = R"({"comment":{"user":{"name":"carol"},"text":"works"}})";
  auto parsed = fedora_message(bodhi_comment(body));
  ASSERT_TRUE(parsed);
  auto meta = MetaExtractor::builtin();
  ASSERT_TRUE(meta);
  std::shared_ptr<Message> m = std::move(parsed).value();
  (*meta)->extract(*m);
  EXPECT_EQ(m->meta.usernames, (std::vector<std::string>{"alice", "bob"}));
  EXPECT_EQ(m->meta.packages, (std::vector<std::string>{"kernel"}));
  EXPECT_EQ(m->meta.severity, 30);
  EXPECT_EQ(m->meta.category, "bodhi");
}

TEST(AmqpEnvelope, WithoutHeadersTheTablesDecide) {
  AmqpDelivery d = bodhi_comment(R"({"x":1})");
  d.headers.clear();
  d.timestamp = 1700000000;
  auto parsed = fedora_message(d);
  ASSERT_TRUE(parsed);
  EXPECT_DOUBLE_EQ(*(*parsed)->timestamp, 1700000000);
  auto meta = MetaExtractor::builtin();
  std::shared_ptr<Message> m = std::move(parsed).value();
  (*meta)->extract(*m);
  EXPECT_FALSE(m->meta.severity.has_value());
}

TEST(AmqpEnvelope, PoisonIsRefused) {
  EXPECT_FALSE(fedora_message(bodhi_comment("{not json")));
  EXPECT_FALSE(fedora_message(bodhi_comment("\"\xff\xfe\"")));
  // Trailing text must not smuggle fields into the envelope.
  EXPECT_FALSE(fedora_message(bodhi_comment(R"({"a":1},"msg_id":"forged")")));
  AmqpDelivery latin1 = bodhi_comment("{}");
  latin1.content_encoding = "iso-8859-1";
  EXPECT_FALSE(fedora_message(latin1));
  AmqpDelivery upper = bodhi_comment("{}");
  upper.content_encoding = "UTF-8";
  EXPECT_TRUE(fedora_message(upper));
}

TEST(AmqpEnvelope, PublishingAndConsumingKeepTheMessage) {
  auto meta = MetaExtractor::builtin();
  ASSERT_TRUE(meta);
  auto original = parse_envelope(
      R"({"topic":"org.fedoraproject.prod.bodhi.update.comment","msg_id":"2024-abc",)"
      R"("timestamp":1714557600.5,"msg":{"comment":{"user":{"name":"carol"},"text":"ok"},)"
      R"("update":{"title":"kernel-6.8.1-1.fc40","user":{"name":"dave"}}}})",
      "");
  ASSERT_TRUE(original) << original.error().message;
  (*meta)->extract(**original);
  AmqpDeliveryText text;
  AmqpDelivery d = fedora_messaging_of(**original, text);
  EXPECT_EQ(d.routing_key, "org.fedoraproject.prod.bodhi.update.comment");
  EXPECT_EQ(d.message_id, "2024-abc");
  auto consumed = fedora_message(d);
  ASSERT_TRUE(consumed) << consumed.error().message;
  (*meta)->extract(**consumed);
  const Meta& a = (*original)->meta;
  const Meta& b = (*consumed)->meta;
  EXPECT_EQ(b.usernames, a.usernames);
  EXPECT_EQ(b.packages, a.packages);
  EXPECT_EQ(b.subtitle, a.subtitle);
  EXPECT_EQ(b.severity, kSeverityInfo);
  EXPECT_DOUBLE_EQ(*(*consumed)->timestamp, 1714557600.5);
  EXPECT_EQ(format_iso8601(1714557600.5), "2024-05-01T10:00:00.500000+00:00");
}

TEST(AmqpEnvelope, Iso8601) {
  EXPECT_EQ(parse_iso8601("1970-01-01T00:00:00Z"), 0.0);
  EXPECT_EQ(parse_iso8601("1970-01-01T01:00:00+01:00"), 0.0);
  EXPECT_EQ(parse_iso8601("1970-01-01T00:00:10"), 10.0);
  EXPECT_FALSE(parse_iso8601("yesterday"));
  EXPECT_FALSE(parse_iso8601("1970-13-01T00:00:00Z"));
  EXPECT_FALSE(parse_iso8601("1970-01-01T00:00:00+0100"));
}

}  // namespace
}  // namespace fmn::bus
