// The webhook sink: POSTs each notification, as the JSON object the SSE feeds carry
// (Renderer::sse_json), to the destination's URL, signed with the destination's own secret.
// A body larger than `max_event_bytes` is the event cut short, as on a feed: no lists, fields
// shortened, "truncated": true and a link to the whole message.
//
// Every request carries `X-Fmn-Event` (notification | confirmation), `X-Fmn-Timestamp` (Unix
// seconds) and `X-Fmn-Signature: sha256=<hex>`, the HMAC-SHA256 of "<timestamp>.<body>" under
// the secret (webhook_signature.h); a receiver recomputes it, compares in constant time and
// refuses old timestamps. A 2xx reply delivers; 408, 429, 5xx and no reply are retried with
// exponential backoff and jitter (backoff.h) from tick(); any other status refuses the
// notification for good. Each URL has its own queue, so a receiver that is down delays only
// its own notifications, which keep their order; the queues are in memory, bounded in all, and
// a notification handed over by deliver_confirmed() (or a digest's item) is settled only once
// it was delivered or given up, each with its own outcome. A destination with no secret, or
// whose URL is not valid, is rejected.
//
// Confirmation: send_confirmation() POSTs a challenge (the pending code) that the receiver
// must echo as its reply body; only then is the destination confirmed, through the
// ConfirmationHandler, as an email owner does by following the link.
//
// Secrets are never logged, nor whole URLs (their path may be a credential): logs name the
// URL's scheme and host. One thread at a time, like every Sink.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>

#include "core/clock.h"
#include "sinks/backoff.h"
#include "sinks/confirmation.h"
#include "sinks/renderer.h"
#include "sinks/sink.h"
#include "sinks/webhook_transport.h"

namespace fmn::sinks {

// A destination's secret by its URL; empty when it has none.
using WebhookSecrets = std::function<std::string(std::string_view url)>;

struct WebhookSinkConfig {
  RenderConfig render;
  BackoffPolicy backoff;
  size_t max_queued = 100'000;  // notifications waiting, all URLs together; then the oldest
                                // of the longest queue is dropped
  // A body at most; a longer event is posted cut short (Renderer::sse_json) and counted as
  // truncated. REQUIRES: >= 4096.
  size_t max_event_bytes = 64 * 1024;
};

class WebhookSink : public Sink {
 public:
  // `clock` outlives the sink. `on_confirmed` receives the answers of receivers that echoed
  // their challenge (may be empty: confirmations are then only reported by the return value).
  WebhookSink(std::unique_ptr<WebhookTransport> transport, WebhookSecrets secrets,
              WebhookSinkConfig config = {}, Clock& clock = SystemClock::instance(),
              FailureHandler on_failure = {}, ConfirmationHandler on_confirmed = {});

  std::string_view name() const override;
  void deliver(std::span<const Notification> batch) override;
  void deliver_confirmed(std::span<const Notification> batch,
                         std::span<NotificationSettled> settled) override;
  void tick() override;
  size_t drain(std::chrono::milliseconds grace) override;

  // POSTs the challenge of `request` (kind webhook, address its URL); true when the receiver
  // echoed it and the destination was confirmed. Not retried: the owner starts it again.
  bool challenge(const ConfirmationRequest& request);
  void send_confirmation(const ConfirmationRequest& request) override { challenge(request); }

  size_t queued() const { return queued_; }

 private:
  struct Pending {
    std::string user, url, body;
    uint32_t attempts = 0;
    NotificationSettled settled;  // called once delivered or given up
    std::string failure;          // why it was given up; empty: delivered
  };
  struct Queue {
    std::deque<Pending> items;
    Clock::time_point next_attempt{};
  };

  void submit(Pending pending);
  // Sends what is due in every queue, each until it empties or an attempt fails.
  void send_due();
  // True when the head of `queue` is finished with (delivered or given up).
  bool attempt(Queue& queue);
  void settle_head(Queue& queue);
  void give_up(Pending& p, bool permanent, std::string detail);
  // The signed request's headers for `body` under `secret`.
  std::vector<std::string> headers(std::string_view event, std::string_view secret,
                                   std::string_view body) const;

  std::unique_ptr<WebhookTransport> transport_;
  WebhookSecrets secrets_;
  WebhookSinkConfig config_;
  Clock& clock_;
  FailureHandler on_failure_;
  ConfirmationHandler on_confirmed_;
  Renderer renderer_;
  std::map<std::string, Queue, std::less<>> queues_;  // by URL
  size_t queued_ = 0;
  std::mt19937_64 rng_{std::random_device{}()};
  std::string scratch_;
};

}  // namespace fmn::sinks
