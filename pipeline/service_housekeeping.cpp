#include <chrono>
#include <thread>

#include "core/log.h"
#include "engine/rule_engine.h"
#include "pipeline/endpoint_probe.h"
#include "pipeline/service_impl.h"

namespace fmn::pipeline {

Result<bool> Service::Impl::listen_admin() {
  std::string host;
  int port = 0;
  split_host_port(config.admin_listen, host, port);
  std::vector<ReadinessCheck> checks{{"rules", [this] { return engine->current() != nullptr; }}};
  checks.push_back({"reload", [this] { return last_reload_ok.load(); }});
  if (zmq != nullptr) checks.push_back({"bus", [this] { return bus_reachable.load(); }});
  if (amqp != nullptr) checks.push_back({"bus", [this] { return amqp->connected(); }});
  if (!config.redis.empty()) checks.push_back({"redis", [this] { return redis_reachable.load(); }});
  if (pg_listener) checks.push_back({"prefs", [this] { return preferences->store_healthy(); }});
  net::ListenerLimits limits;
  limits.header_timeout = milliseconds(config.admin_header_timeout_seconds);
  limits.idle_timeout = milliseconds(config.admin_idle_timeout_seconds);
  limits.max_connections = config.admin_max_connections;
  limits.max_connections_per_ip = config.admin_max_connections_per_ip;
  DeadLetterActions dead_letters;
  if (!outboxes.empty()) {
    dead_letters.list = [this](const std::string& user) { return list_dead_letters(user); };
    dead_letters.replay = [this](const std::string& user, size_t limit) {
      return replay_dead_letters(user, limit);
    };
  }
  admin =
      std::make_unique<AdminServer>(registry, std::move(checks), limits, std::move(dead_letters));
  return admin->listen(host, port);
}

void Service::Impl::probe_dependencies() {
  constexpr auto kTimeout = std::chrono::milliseconds(500);
  if (zmq != nullptr) {
    bool any = false;
    for (const std::string& endpoint : config.connect) {
      any = any || zmq_endpoint_reachable(endpoint, kTimeout);
    }
    bus_reachable.store(any);
  }
  if (!config.redis.empty()) {
    std::string host;
    int port = 0;
    bool up = split_host_port(config.redis, host, port) && tcp_reachable(host, port, kTimeout);
    // Said at start and on each change, so an operator sees it without polling /readyz.
    if (up != redis_reachable.exchange(up) || !probed) {
      if (up) {
        log::info("redis_reachable", {{"address", config.redis}});
      } else {
        log::warn("redis_unreachable",
                  {{"address", config.redis},
                   {"effect", "/readyz reports redis not ready until it answers"}});
      }
    }
  }
  probed = true;
}

void Service::Impl::housekeeping(const std::atomic<bool>& done) {
  using Clock = std::chrono::steady_clock;
  constexpr auto kProbeInterval = std::chrono::seconds(5);
  auto next_probe = Clock::now() + kProbeInterval;
  auto last_progress = Clock::now();
  uint64_t last_received = 0;
  while (!done.load()) {
    // Reloads happen beside matching: the engine publishes the new rules atomically.
    if (reload.exchange(false)) {
      auto ok = load_preferences();
      last_reload_ok.store(ok.ok());
      if (!ok) {
        reload_failures.fetch_add(1);
        log::error("reload_failed", {{"error", ok.error().message},
                                     {"effect", "matching goes on with the rules loaded last"}});
      }
    }
    if (settlement != nullptr) settlement->poll();  // workers may finish after the last batch
    auto now = Clock::now();
    if (now >= next_probe) {
      probe_dependencies();
      trim_dead_letters();
      next_probe = now + kProbeInterval;
    }
    double since = std::chrono::duration<double>(now - last_progress).count();
    if (config.progress_seconds > 0 && since >= config.progress_seconds) {
      uint64_t received = stats.received.load();
      if (received != last_received) {
        log::info("progress",
                  {{"messages", received},
                   {"rate_per_s", static_cast<double>(received - last_received) / since},
                   {"notifications", stats.notifications.load()},
                   {"parse_errors", stats.parse_errors.load()}});
      }
      last_received = received;
      last_progress = now;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace fmn::pipeline
