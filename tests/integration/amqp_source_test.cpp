// The AMQP source against a real RabbitMQ: a delivery the broker hands out again (its consumer
// went away without acknowledging it) reaches the pipeline marked as redelivered, so a sink
// with no delivery marks of its own (SSE) checks it before delivering it again.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "bus/amqp_publisher.h"
#include "bus/amqp_source.h"
#include "core/meta_extractor.h"
#include "tests/support/rabbitmq_server.h"
#include "tests/support/raw_http_client.h"

namespace fmn::bus {
namespace {

// The first batch `source` hands out (at most one message), waiting for it on a thread of its own;
// `published` is called once the source consumes from its queue.
std::vector<RawMessage> first_batch(AmqpSource& source, const std::function<void()>& published) {
  auto batch = std::async(std::launch::async, [&source] {
    std::vector<RawMessage> out;
    source.next_batch(out, 1);
    return out;
  });
  EXPECT_TRUE(test::wait_for([&] { return source.connected(); }));
  if (published) published();
  return batch.get();
}

TEST(AmqpSource, ADeliveryHandedOutAgainAfterItsConsumerLeftIsMarkedRedelivered) {
  auto rabbit = test::RabbitMqServer::start();
  ASSERT_TRUE(rabbit.ok()) << rabbit.error().message;
  auto meta = MetaExtractor::builtin();
  ASSERT_TRUE(meta.ok()) << meta.error().message;
  AmqpSourceOptions options;
  options.urls = {rabbit->url()};
  options.queue = "fmn-redelivery";

  auto first = AmqpSource::create(options);
  ASSERT_TRUE(first.ok()) << first.error().message;
  const auto got = first_batch(**first, [&] {
    auto publisher = AmqpPublisher::create({.url = rabbit->url()}, **meta);
    ASSERT_TRUE(publisher.ok()) << publisher.error().message;
    ASSERT_TRUE(
        (*publisher)
            ->send(
                "",
                R"({"topic":"org.fedoraproject.prod.bodhi.update.comment","msg_id":"2024-redelivery",)"
                R"("timestamp":1714564800,"msg":{"comment":{"user":{"name":"ralph"}}}})"));
    ASSERT_TRUE((*publisher)->flush());
  });
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].parsed->msg_id, "2024-redelivery");
  EXPECT_FALSE(got[0].parsed->redelivered);
  (*first)->finish();  // gone without settling it: the broker keeps it for the next consumer

  auto second = AmqpSource::create(options);
  ASSERT_TRUE(second.ok()) << second.error().message;
  const auto again = first_batch(**second, {});
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].parsed->msg_id, "2024-redelivery");
  EXPECT_TRUE(again[0].parsed->redelivered);
  (*second)->finish();
}

}  // namespace
}  // namespace fmn::bus
