// The email sink: renders each notification (or digest), composes the email and sends it
// through an SmtpTransport.
//
// Temporary failures (server down, 4xx) put the email in a bounded retry queue, retried with
// exponential backoff and jitter (backoff.h) from tick(); later emails wait behind it so a
// user's emails keep their order. A permanent refusal (5xx) or running out of attempts gives
// the email up: counted, and reported to the FailureHandler. Invalid addresses are rejected
// before any SMTP command. The queue is in memory: durability of pending work is the digest
// store's job (digest_store.h), so a digest — and a notification handed over by
// deliver_confirmed() — is settled only once its email was sent or given up, never while it
// waits for a retry. drain() (stopping) keeps retrying what is due for the grace period and
// reports what is still queued.
// One thread at a time, like every Sink.
#pragma once

#include <deque>
#include <memory>
#include <random>

#include "core/clock.h"
#include "sinks/backoff.h"
#include "sinks/email_composer.h"
#include "sinks/renderer.h"
#include "sinks/sink.h"
#include "sinks/smtp_transport.h"

namespace fmn::sinks {

struct EmailSinkConfig {
  EmailConfig email;
  RenderConfig render;
  BackoffPolicy backoff;
  size_t max_queued = 100'000;  // emails waiting for a retry; beyond it the oldest is dropped
};

class EmailSink : public Sink {
 public:
  // REQUIRES: config.email passes EmailComposer::validate(); `clock` outlives the sink.
  EmailSink(std::unique_ptr<SmtpTransport> transport, EmailSinkConfig config,
            std::shared_ptr<const TemplateSet> templates = TemplateSet::builtin(),
            Clock& clock = SystemClock::instance(), FailureHandler on_failure = {});

  std::string_view name() const override { return "email"; }
  void deliver(std::span<const Notification> batch) override;
  void deliver_confirmed(std::span<const Notification> batch,
                         std::span<NotificationSettled> settled) override;
  void deliver_digest(const Digest& digest, std::span<NotificationSettled> settled) override;
  void tick() override;
  size_t drain(std::chrono::milliseconds grace) override;
  // Sends a confirmation request to a new address (the only email it gets until confirmed).
  void send_confirmation(const ConfirmationRequest& request) override;

  size_t queued() const { return queue_.size(); }

 private:
  struct Pending {
    OutgoingEmail email;
    std::string user;
    uint32_t attempts = 0;
    Settled settled;  // called once the email is sent or given up
  };
  void submit(Pending pending);
  // Sends queued emails, oldest first, until one fails or the queue is empty.
  void send_queued();
  // Removes the head of the queue, then settles it (the callback may queue more email).
  // Pops the head and settles it: delivered, or given up with `failure`.
  void pop_and_settle(std::string_view failure = {});
  // Counts and reports the head `p` as given up, then pops and settles it.
  void give_up(const Pending& p, bool permanent, std::string detail);
  void reject(const Notification& n, const Error& error);
  void report(std::string_view user, std::string_view address, bool permanent, std::string detail);

  std::unique_ptr<SmtpTransport> transport_;
  EmailSinkConfig config_;
  Renderer renderer_;
  EmailComposer composer_;
  Clock& clock_;
  FailureHandler on_failure_;
  std::deque<Pending> queue_;
  std::chrono::steady_clock::time_point next_attempt_{};
  std::mt19937_64 rng_{std::random_device{}()};
  RenderedEmail rendered_;
  std::string unsubscribe_url_;
};

}  // namespace fmn::sinks
