#include "tests/faults/chaos_bus.h"

#include "bus/amqp_publisher.h"
#include "core/meta_extractor.h"
#include "tests/support/rabbitmq_server.h"

namespace fmn::faults {
namespace {

using namespace std::chrono_literals;

class ZeroMqBus final : public ChaosBus {
 public:
  explicit ZeroMqBus(test::ZmqPublisher publisher) : publisher_(std::move(publisher)) {}

  std::string source_config() const override {
    return "[source]\nconnect = [\"" + publisher_.endpoint() + "\"]\n";
  }

  // Each (re)start of the pipeline subscribes once more.
  test::Status wait_consuming(const PipelineProcess&) override {
    return publisher_.wait_for_subscriptions(++subscriptions_, 60s);
  }

  test::Status publish(const test::BusMessage& m) override {
    return publisher_.publish(m.topic, m.json);
  }

  test::Status restart(const PipelineProcess&) override {
    if (auto s = publisher_.stop(); !s) return s;
    if (auto s = publisher_.restart(); !s) return s;
    subscriptions_ = 1;
    return publisher_.wait_for_subscriptions(subscriptions_, 60s);
  }

 private:
  test::ZmqPublisher publisher_;
  size_t subscriptions_ = 0;
};

constexpr const char* kQueue = "fmn-chaos";

class AmqpBus final : public ChaosBus {
 public:
  AmqpBus(test::RabbitMqServer broker, std::unique_ptr<MetaExtractor> meta)
      : broker_(std::move(broker)), meta_(std::move(meta)) {}

  std::string source_config() const override {
    return "[source]\namqp = [\"" + broker_.url() + "\"]\namqp_queue = \"" + kQueue + "\"\n";
  }

  test::Status wait_consuming(const PipelineProcess& pipeline) override {
    return pipeline.wait_metric(
        "fmn_amqp_connected", "", [](double v) { return v == 1; }, 60s);
  }

  test::Status publish(const test::BusMessage& m) override {
    if (!publisher_) {
      auto publisher = bus::AmqpPublisher::create({.url = broker_.url()}, *meta_);
      if (!publisher) return publisher.error();
      publisher_ = std::move(publisher).value();
    }
    if (!publisher_->send(m.topic, m.json) || !publisher_->flush()) {
      publisher_.reset();
      return Error{ErrorCode::kIo, "the broker did not confirm " + m.topic};
    }
    return test::ok_status();
  }

  test::Status restart(const PipelineProcess& pipeline) override {
    const double reconnects = pipeline.metric("fmn_amqp_reconnects_total").value_or(0);
    publisher_.reset();
    if (auto s = broker_.stop(); !s) return s;
    if (auto s = broker_.restart(); !s) return s;
    return pipeline.wait_metric(
        "fmn_amqp_reconnects_total", "", [&](double v) { return v > reconnects; }, 60s);
  }

 private:
  test::RabbitMqServer broker_;
  std::unique_ptr<MetaExtractor> meta_;  // outlives publisher_
  std::unique_ptr<bus::AmqpPublisher> publisher_;
};

}  // namespace

Result<std::unique_ptr<ChaosBus>> ChaosBus::start(ChaosSource source) {
  if (source == ChaosSource::kZeroMq) {
    auto publisher = test::ZmqPublisher::start();
    if (!publisher) return publisher.error();
    return std::unique_ptr<ChaosBus>(new ZeroMqBus(std::move(publisher).value()));
  }
  auto meta = MetaExtractor::builtin(builtin_aliases());
  if (!meta) return meta.error();
  auto broker = test::RabbitMqServer::start();
  if (!broker) return broker.error();
  return std::unique_ptr<ChaosBus>(new AmqpBus(std::move(broker).value(), std::move(meta).value()));
}

}  // namespace fmn::faults
