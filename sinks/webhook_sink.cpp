#include "sinks/webhook_sink.h"

#include <algorithm>
#include <memory>
#include <thread>

#include "core/destination_address.h"
#include "core/json_writer.h"
#include "core/log.h"
#include "core/secret_equal.h"
#include "sinks/webhook_signature.h"

namespace fmn::sinks {
namespace {

// "https://host:port" of a URL: what logs may name of it (its path may be a credential).
std::string_view origin(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return {};
  return url.substr(0, url.find_first_of("/?#", scheme + 3));
}

bool retryable(const HttpReply& reply) {
  return reply.status == 0 || reply.status == 408 || reply.status == 429 || reply.status >= 500;
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) {
    s.remove_suffix(1);
  }
  return s;
}

std::string confirmation_body(const ConfirmationRequest& request) {
  JsonBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("type");
  w.String("confirmation");
  w.Key("user");
  w.String(request.user.data(), static_cast<rapidjson::SizeType>(request.user.size()));
  w.Key("challenge");
  w.String(request.code.data(), static_cast<rapidjson::SizeType>(request.code.size()));
  w.Key("expires");
  w.Int64(request.expires_unix);
  w.EndObject();
  return std::string(buffer.GetString(), buffer.GetSize());
}

}  // namespace

WebhookSink::WebhookSink(std::unique_ptr<WebhookTransport> transport, WebhookSecrets secrets,
                         WebhookSinkConfig config, Clock& clock, FailureHandler on_failure,
                         ConfirmationHandler on_confirmed)
    : transport_(std::move(transport)),
      secrets_(std::move(secrets)),
      config_(std::move(config)),
      clock_(clock),
      on_failure_(std::move(on_failure)),
      on_confirmed_(std::move(on_confirmed)),
      renderer_(TemplateSet::builtin(), config_.render) {}

std::string_view WebhookSink::name() const {
  return destination_kind_info(DestinationKind::kWebhook).metrics_label;
}

void WebhookSink::deliver(std::span<const Notification> batch) { deliver_confirmed(batch, {}); }

void WebhookSink::deliver_confirmed(std::span<const Notification> batch,
                                    std::span<NotificationSettled> settled) {
  for (size_t i = 0; i < batch.size(); ++i) {
    const Notification& n = batch[i];
    NotificationSettled done = i < settled.size() ? std::move(settled[i]) : NotificationSettled();
    if (!is_webhook_url(n.address())) {
      counters_.rejected.fetch_add(1, std::memory_order_relaxed);
      if (on_failure_)
        on_failure_({std::string(n.user()), std::string(n.address()), false, "not a webhook URL"});
      done.give_up("not a webhook URL");
      continue;
    }
    Pending p{std::string(n.user()), std::string(n.address()), {}, 0, std::move(done)};
    if (renderer_.sse_json(n, p.body, config_.max_event_bytes)) {
      counters_.truncated.fetch_add(1, std::memory_order_relaxed);
    }
    submit(std::move(p));
  }
  send_due();
}

void WebhookSink::tick() { send_due(); }

size_t WebhookSink::drain(std::chrono::milliseconds grace) {
  // Real time: the process is stopping. Retries follow their backoff, as in tick().
  const auto deadline = std::chrono::steady_clock::now() + grace;
  send_due();
  for (auto now = std::chrono::steady_clock::now(); queued_ > 0 && now < deadline;
       now = std::chrono::steady_clock::now()) {
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        std::chrono::milliseconds(50), deadline - now));
    send_due();
  }
  return queued_;
}

bool WebhookSink::challenge(const ConfirmationRequest& request) {
  const std::string secret = request.secret.empty() ? secrets_(request.address) : request.secret;
  if (secret.empty() || !is_webhook_url(request.address)) {
    counters_.rejected.fetch_add(1, std::memory_order_relaxed);
    log::warn("webhook_confirmation", {{"user", request.user},
                                       {"host", origin(request.address)},
                                       {"outcome", "rejected: no secret or not a webhook URL"}});
    return false;
  }
  const std::string body = confirmation_body(request);
  const HttpReply reply =
      transport_->post(request.address, headers("confirmation", secret, body), body);
  const bool echoed =
      reply.status >= 200 && reply.status < 300 && secrets_equal(trimmed(reply.body), request.code);
  if (!echoed) {
    log::warn("webhook_confirmation",
              {{"user", request.user},
               {"host", origin(request.address)},
               {"status", std::to_string(reply.status)},
               {"outcome", reply.status == 0 ? reply.error : "challenge not echoed"}});
    return false;
  }
  if (!on_confirmed_) return true;
  const ConfirmationOutcome outcome =
      on_confirmed_({request.user, std::string(destination_kind_name(DestinationKind::kWebhook)),
                     request.address, request.code, true});
  return outcome == ConfirmationOutcome::kDone;
}

void WebhookSink::submit(Pending pending) {
  if (queued_ >= config_.max_queued) {
    auto longest = std::max_element(
        queues_.begin(), queues_.end(),
        [](const auto& a, const auto& b) { return a.second.items.size() < b.second.items.size(); });
    const Pending& oldest = longest->second.items.front();
    counters_.dropped.fetch_add(1, std::memory_order_relaxed);
    if (on_failure_) on_failure_({oldest.user, oldest.url, false, "dropped: retry queue full"});
    longest->second.items.front().failure = "dropped: retry queue full";
    settle_head(longest->second);
    if (longest->second.items.empty()) queues_.erase(longest);
  }
  Queue& queue = queues_[pending.url];
  queue.items.push_back(std::move(pending));
  ++queued_;
}

void WebhookSink::send_due() {
  const Clock::time_point now = clock_.steady();
  for (auto it = queues_.begin(); it != queues_.end();) {
    Queue& queue = it->second;
    if (queue.next_attempt <= now) {
      while (!queue.items.empty() && attempt(queue)) settle_head(queue);
    }
    it = queue.items.empty() ? queues_.erase(it) : std::next(it);
  }
}

bool WebhookSink::attempt(Queue& queue) {
  Pending& head = queue.items.front();
  const std::string secret = secrets_(head.url);
  if (secret.empty()) {
    counters_.rejected.fetch_add(1, std::memory_order_relaxed);
    if (on_failure_) on_failure_({head.user, head.url, false, "the destination has no secret"});
    head.failure = "the destination has no secret";
    return true;
  }
  const HttpReply reply =
      transport_->post(head.url, headers("notification", secret, head.body), head.body);
  ++head.attempts;
  if (reply.status >= 200 && reply.status < 300) {
    counters_.delivered.fetch_add(1, std::memory_order_relaxed);
    return true;
  }
  const std::string what =
      reply.status == 0 ? reply.error : "HTTP status " + std::to_string(reply.status);
  if (!retryable(reply)) {
    give_up(head, true, "refused: " + what);
    return true;
  }
  if (head.attempts >= config_.backoff.max_attempts) {
    give_up(head, false, "gave up after " + std::to_string(head.attempts) + " attempts: " + what);
    return true;
  }
  counters_.retried.fetch_add(1, std::memory_order_relaxed);
  const double unit = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
  queue.next_attempt = clock_.steady() + config_.backoff.delay(head.attempts, unit);
  return false;
}

void WebhookSink::settle_head(Queue& queue) {
  NotificationSettled settled = std::move(queue.items.front().settled);
  const std::string failure = std::move(queue.items.front().failure);
  queue.items.pop_front();
  --queued_;
  if (failure.empty()) {
    settled();
  } else {
    settled.give_up(failure);
  }
}

void WebhookSink::give_up(Pending& p, bool permanent, std::string detail) {
  counters_.failed.fetch_add(1, std::memory_order_relaxed);
  log::warn("webhook_failed", {{"user", p.user}, {"host", origin(p.url)}, {"detail", detail}});
  p.failure = detail;
  if (on_failure_) on_failure_({p.user, p.url, permanent, std::move(detail)});
}

std::vector<std::string> WebhookSink::headers(std::string_view event, std::string_view secret,
                                              std::string_view body) const {
  const int64_t now =
      std::chrono::duration_cast<std::chrono::seconds>(clock_.wall().time_since_epoch()).count();
  return {"X-Fmn-Event: " + std::string(event), "X-Fmn-Timestamp: " + std::to_string(now),
          "X-Fmn-Signature: " + webhook_signature(secret, now, body)};
}

}  // namespace fmn::sinks
