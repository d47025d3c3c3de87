#include "sinks/destination_sinks.h"

#include <array>

#include "sinks/curl_webhook_transport.h"
#include "sinks/webhook_sink.h"

namespace fmn::sinks {
namespace {

using Type = SinkSetting::Type;

constexpr std::array kWebhookSettings{
    SinkSetting{.key = "enabled", .type = Type::kFlag, .flag = false},
    SinkSetting{
        .key = "timeout_seconds", .type = Type::kNumber, .min = 0.1, .max = 300, .number = 10},
    SinkSetting{.key = "max_attempts", .type = Type::kNumber, .min = 1, .max = 100, .number = 10},
    SinkSetting{
        .key = "max_queued", .type = Type::kNumber, .min = 1, .max = 1e7, .number = 100'000},
};

Result<std::unique_ptr<Sink>> open_webhook(const SinkSettings& settings,
                                           const SinkContext& context) {
  if (!settings.flag("enabled")) return std::unique_ptr<Sink>();
  auto transport = CurlWebhookTransport::create(
      std::chrono::milliseconds(static_cast<int64_t>(settings.number("timeout_seconds") * 1000)));
  if (!transport) return transport.error();
  WebhookSinkConfig config;
  config.backoff.max_attempts = static_cast<uint32_t>(settings.number("max_attempts"));
  config.max_queued = static_cast<size_t>(settings.number("max_queued"));
  auto secret = context.secret;
  return std::unique_ptr<Sink>(std::make_unique<WebhookSink>(
      std::move(transport).value(),
      [secret](std::string_view url) {
        return secret ? secret(DestinationKind::kWebhook, url) : std::string();
      },
      std::move(config), SystemClock::instance(), context.on_failure, context.on_answer));
}

constexpr std::array kSinks{
    DestinationSink{DestinationKind::kWebhook, kWebhookSettings, &open_webhook},
};

}  // namespace

std::span<const DestinationSink> destination_sinks() { return kSinks; }

}  // namespace fmn::sinks
