#include "sinks/destination_sinks.h"

#include <array>

#include "core/host_port.h"
#include "core/log.h"
#include "core/stored_secret.h"
#include "sinks/curl_smtp_transport.h"
#include "sinks/curl_webhook_transport.h"
#include "sinks/email_sink.h"
#include "sinks/irc_sink.h"
#include "sinks/irc_transport.h"
#include "sinks/sse_feed_url.h"
#include "sinks/sse_server_metrics.h"
#include "sinks/sse_sink.h"
#include "sinks/webhook_sink.h"

namespace fmn::sinks {
namespace {

using Type = SinkSetting::Type;

std::chrono::milliseconds seconds_setting(const SinkSettings& settings, std::string_view key) {
  return std::chrono::milliseconds(static_cast<int64_t>(settings.number(key) * 1000));
}

SettingProblem host_port(const SinkSettings& settings, std::string_view key) {
  const std::string value = settings.text(key);
  std::string host;
  int port = 0;
  if (value.empty() || split_host_port(value, host, port)) return {};
  return {key, "expected host:port, got '" + value + "'"};
}

// [email]

constexpr std::array kEmailSettings{
    SinkSetting{.key = "smtp_url",
                .option = "--smtp",
                .option_help = "SMTP server for email (smtp://host:port)"},
    SinkSetting{.key = "from", .text = "notifications@fedoraproject.org"},
};

// "host:port" of an smtp:// or smtps:// URL, the scheme's port when it names none.
std::string smtp_host_port(const std::string& url) {
  std::string rest = url.substr(url.find("://") + 3);
  rest = rest.substr(rest.find('@') == std::string::npos ? 0 : rest.find('@') + 1);
  rest = rest.substr(0, rest.find('/'));
  if (rest.find(':') == std::string::npos) rest += url.starts_with("smtps") ? ":465" : ":25";
  return rest;
}

SettingProblem check_email(const SinkSettings& settings) {
  const std::string url = settings.text("smtp_url");
  if (url.empty() || url.starts_with("smtp://") || url.starts_with("smtps://")) return {};
  return {"smtp_url", "expected smtp://host:port or smtps://host:port"};
}

std::string describe_email(const SinkSettings& settings) {
  return "email via " + smtp_host_port(settings.text("smtp_url")) + " from " +
         settings.text("from");
}

std::vector<SinkEndpoint> email_endpoints(const SinkSettings& settings) {
  return {{"SMTP server", smtp_host_port(settings.text("smtp_url"))}};
}

Result<std::unique_ptr<Sink>> open_email(const SinkSettings& settings, const SinkContext& context) {
  SmtpConfig smtp;
  smtp.url = settings.text("smtp_url");
  auto transport = CurlSmtpTransport::create(smtp);
  if (!transport) return transport.error();
  EmailSinkConfig email;
  email.email.from_address = settings.text("from");
  email.render.base_url = context.public_url;
  email.render.unsubscribe_secret = context.link_secret;
  return std::unique_ptr<Sink>(
      std::make_unique<EmailSink>(std::move(transport).value(), email, TemplateSet::builtin(),
                                  SystemClock::instance(), context.on_failure));
}

// [irc]

constexpr std::array kIrcSettings{
    SinkSetting{.key = "server", .option = "--irc", .option_help = "IRC server (host:port)"},
    SinkSetting{.key = "nick", .text = "fmn"},
    // One notification's text; longer is cut, with a link.
    SinkSetting{
        .key = "max_event_bytes", .type = Type::kNumber, .min = 512, .max = 65536, .number = 2048},
};

SettingProblem check_irc(const SinkSettings& settings) { return host_port(settings, "server"); }

std::string describe_irc(const SinkSettings& settings) {
  return "IRC via " + settings.text("server") + " as " + settings.text("nick");
}

std::vector<SinkEndpoint> irc_endpoints(const SinkSettings& settings) {
  return {{"IRC server", settings.text("server")}};
}

Result<std::unique_ptr<Sink>> open_irc(const SinkSettings& settings, const SinkContext& context) {
  std::string host;
  int port = 0;
  split_host_port(settings.text("server"), host, port);
  IrcConfig irc;
  irc.nick = settings.text("nick");
  irc.max_event_bytes = static_cast<size_t>(settings.number("max_event_bytes"));
  irc.render.base_url = context.public_url;
  irc.render.unsubscribe_secret = context.link_secret;
  auto sink = std::make_unique<IrcSink>(std::make_unique<TcpIrcTransport>(host, port), irc,
                                        TemplateSet::builtin(), SystemClock::instance(),
                                        context.on_failure, context.on_answer);
  if (context.registry != nullptr) {
    const IrcAnswerCounters& answers = sink->answer_counters();
    context.registry->counter_fn(
        "fmn_irc_answers_total",
        "Confirmation answers sent to the IRC bot by /msg and handed to the preferences.",
        [&answers] { return static_cast<double>(answers.answered.load()); });
    context.registry->counter_fn(
        "fmn_irc_answers_ignored_total",
        "Messages to the IRC bot ignored: not an answer (unknown command, garbage) or over the "
        "answers' rate.",
        [&answers] { return static_cast<double>(answers.ignored.load()); });
  }
  return std::unique_ptr<Sink>(std::move(sink));
}

// [sse]

constexpr std::array kSseSettings{
    SinkSetting{.key = "listen",
                .text = "127.0.0.1:8080",
                .option = "--sse-listen",
                .option_help = "host:port of the SSE feed server"},
    // One event's data; longer is cut, with a link.
    SinkSetting{.key = "max_event_bytes",
                .type = Type::kNumber,
                .min = 4096,
                .max = 262144,
                .number = 65536},
    // Open connections in all; more are answered 503.
    SinkSetting{
        .key = "max_connections", .type = Type::kNumber, .min = 1, .max = 1e7, .number = 16384},
    SinkSetting{
        .key = "max_connections_per_ip", .type = Type::kNumber, .min = 1, .max = 1e6, .number = 64},
    // To send the request headers, or be closed.
    SinkSetting{.key = "header_timeout_seconds",
                .type = Type::kNumber,
                .min = 0.1,
                .max = 3600,
                .number = 10},
    // A stream whose writes make no progress is closed.
    SinkSetting{.key = "idle_timeout_seconds",
                .type = Type::kNumber,
                .min = 30,
                .max = 86400,
                .number = 120},
    // Events held: backlog, client queues, pending publishes.
    SinkSetting{
        .key = "memory_budget_mb", .type = Type::kNumber, .min = 16, .max = 1 << 20, .number = 512},
    // Threads serving the connections; 0: one per core. More than one helps when many clients
    // read each feed.
    SinkSetting{.key = "network_threads", .type = Type::kNumber, .min = 0, .max = 256, .number = 1},
    // Where clients reach this server (through its proxy): the web app shows feeds under it.
    SinkSetting{.key = "public_url",
                .text = kDefaultSsePublicUrl,
                .option = "--sse-public-url",
                .option_help = "Base URL of the SSE feed server, for the feed URLs the web app "
                               "shows"},
};

SettingProblem check_sse(const SinkSettings& settings) {
  const std::string url = settings.text("public_url");
  if (!url.starts_with("http://") && !url.starts_with("https://")) {
    return {"public_url", "expected an http:// or https:// URL"};
  }
  return host_port(settings, "listen");
}

std::string describe_sse(const SinkSettings& settings) {
  return "SSE feeds on " + settings.text("listen");
}

std::vector<SinkEndpoint> sse_endpoints(const SinkSettings& settings) {
  return {{"SSE", settings.text("listen"), true}};
}

Result<std::unique_ptr<Sink>> open_sse(const SinkSettings& settings, const SinkContext& context) {
  SseServerConfig config;
  split_host_port(settings.text("listen"), config.bind, config.port);
  config.max_event_bytes = static_cast<size_t>(settings.number("max_event_bytes"));
  config.limits.max_connections = static_cast<size_t>(settings.number("max_connections"));
  config.limits.max_connections_per_ip =
      static_cast<size_t>(settings.number("max_connections_per_ip"));
  config.limits.header_timeout = seconds_setting(settings, "header_timeout_seconds");
  config.limits.idle_timeout = seconds_setting(settings, "idle_timeout_seconds");
  apply_memory_budget(config, static_cast<size_t>(settings.number("memory_budget_mb")) << 20);
  config.network_threads = static_cast<size_t>(settings.number("network_threads"));
  if (context.registry != nullptr) config.event_latency = &sse_event_latency(*context.registry);
  if (context.redis) {
    config.redis.emplace();
    config.redis->redis = *context.redis;
  }
  auto secret = context.secret;
  auto server = SseServer::start(config, [secret](std::string_view feed, std::string_view token) {
    return secret && secret_matches(secret(DestinationKind::kSse, feed), token);
  });
  if (!server) return server.error();
  if (context.registry != nullptr) register_sse_metrics(**server, *context.registry);
  log::info("sse_listening", {{"address", config.bind}, {"port", (*server)->port()}});
  return std::unique_ptr<Sink>(std::make_unique<SseSink>(std::move(server).value()));
}

// [webhook]

constexpr std::array kWebhookSettings{
    SinkSetting{.key = "enabled", .type = Type::kFlag, .flag = false},
    SinkSetting{
        .key = "timeout_seconds", .type = Type::kNumber, .min = 0.1, .max = 300, .number = 10},
    SinkSetting{.key = "max_attempts", .type = Type::kNumber, .min = 1, .max = 100, .number = 10},
    SinkSetting{
        .key = "max_queued", .type = Type::kNumber, .min = 1, .max = 1e7, .number = 100'000},
    // One request's body; a longer event is posted cut short.
    SinkSetting{.key = "max_event_bytes",
                .type = Type::kNumber,
                .min = 4096,
                .max = 1 << 20,
                .number = 64 * 1024},
};

std::string describe_webhook(const SinkSettings& settings) {
  return "webhooks posted, " + std::to_string(static_cast<int>(settings.number("max_attempts"))) +
         " attempts each at most";
}

std::vector<SinkEndpoint> no_endpoints(const SinkSettings&) { return {}; }

Result<std::unique_ptr<Sink>> open_webhook(const SinkSettings& settings,
                                           const SinkContext& context) {
  auto transport = CurlWebhookTransport::create(seconds_setting(settings, "timeout_seconds"));
  if (!transport) return transport.error();
  WebhookSinkConfig config;
  config.backoff.max_attempts = static_cast<uint32_t>(settings.number("max_attempts"));
  config.max_queued = static_cast<size_t>(settings.number("max_queued"));
  config.max_event_bytes = static_cast<size_t>(settings.number("max_event_bytes"));
  auto secret = context.secret;
  return std::unique_ptr<Sink>(std::make_unique<WebhookSink>(
      std::move(transport).value(),
      [secret](std::string_view url) {
        return secret ? secret(DestinationKind::kWebhook, url) : std::string();
      },
      std::move(config), SystemClock::instance(), context.on_failure, context.on_answer));
}

constexpr std::array kSinks{
    DestinationSink{.kind = DestinationKind::kEmail,
                    .settings = kEmailSettings,
                    .on_key = "smtp_url",
                    .needs_link_key = true,
                    .check = &check_email,
                    .describe = &describe_email,
                    .endpoints = &email_endpoints,
                    .open = &open_email},
    DestinationSink{.kind = DestinationKind::kIrc,
                    .settings = kIrcSettings,
                    .on_key = "server",
                    .check = &check_irc,
                    .describe = &describe_irc,
                    .endpoints = &irc_endpoints,
                    .open = &open_irc},
    DestinationSink{.kind = DestinationKind::kSse,
                    .settings = kSseSettings,
                    .on_key = "listen",
                    .digests = false,
                    .check = &check_sse,
                    .describe = &describe_sse,
                    .endpoints = &sse_endpoints,
                    .open = &open_sse},
    DestinationSink{.kind = DestinationKind::kWebhook,
                    .settings = kWebhookSettings,
                    .on_key = "enabled",
                    .check = nullptr,
                    .describe = &describe_webhook,
                    .endpoints = &no_endpoints,
                    .open = &open_webhook},
};

}  // namespace

std::span<const DestinationSink> destination_sinks() { return kSinks; }

bool sink_on(const DestinationSink& sink, const SinkSettings& settings) {
  for (const SinkSetting& key : sink.settings) {
    if (key.key != sink.on_key) continue;
    return key.type == Type::kFlag ? settings.flag(key.key) : !settings.text(key.key).empty();
  }
  return false;
}

}  // namespace fmn::sinks
