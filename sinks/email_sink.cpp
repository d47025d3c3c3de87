#include "sinks/email_sink.h"

#include <algorithm>
#include <thread>

namespace fmn::sinks {

EmailSink::EmailSink(std::unique_ptr<SmtpTransport> transport, EmailSinkConfig config,
                     std::shared_ptr<const TemplateSet> templates, Clock& clock,
                     FailureHandler on_failure)
    : transport_(std::move(transport)),
      config_(std::move(config)),
      renderer_(std::move(templates), config_.render),
      composer_(config_.email),
      clock_(clock),
      on_failure_(std::move(on_failure)) {}

void EmailSink::deliver(std::span<const Notification> batch) { deliver_confirmed(batch, {}); }

void EmailSink::deliver_confirmed(std::span<const Notification> batch,
                                  std::span<NotificationSettled> settled) {
  const std::time_t now = std::chrono::system_clock::to_time_t(clock_.wall());
  for (size_t i = 0; i < batch.size(); ++i) {
    const Notification& n = batch[i];
    NotificationSettled done = i < settled.size() ? std::move(settled[i]) : NotificationSettled();
    renderer_.email(n, rendered_);
    unsubscribe_url_.clear();
    renderer_.append_unsubscribe_url(unsubscribe_url_, n);
    auto mail = composer_.compose(n, rendered_, unsubscribe_url_, now);
    if (!mail) {
      reject(n, mail.error());
      done.give_up(mail.error().message);
      continue;
    }
    submit({std::move(mail.value()), std::string(n.user()), 0, std::move(done)});
  }
}

void EmailSink::deliver_digest(const Digest& digest, std::span<NotificationSettled> each) {
  if (digest.items.empty()) return;
  Settled settled = Settled::all_of(each);  // one email: every item fares as it does
  const Notification& first = digest.items.front();
  renderer_.digest_email(digest, rendered_);
  unsubscribe_url_.clear();
  renderer_.append_unsubscribe_url(unsubscribe_url_, first, /*every_rule=*/true);
  auto mail = composer_.compose_digest(digest, rendered_, unsubscribe_url_,
                                       std::chrono::system_clock::to_time_t(clock_.wall()));
  if (!mail) {
    reject(first, mail.error());
    settled.give_up(mail.error().message);
    return;
  }
  submit({std::move(mail.value()), std::string(first.user()), 0, std::move(settled)});
}

void EmailSink::send_confirmation(const ConfirmationRequest& request) {
  renderer_.confirmation_email(request, rendered_);
  auto mail = composer_.compose_confirmation(request, rendered_,
                                             std::chrono::system_clock::to_time_t(clock_.wall()));
  if (!mail) {
    counters_.rejected.fetch_add(1, std::memory_order_relaxed);
    report(request.user, request.address, false, mail.error().message);
    return;
  }
  submit({std::move(mail.value()), request.user});
}

void EmailSink::tick() { send_queued(); }

size_t EmailSink::drain(std::chrono::milliseconds grace) {
  // Real time: the process is stopping. Retries follow their backoff, as in tick().
  const auto deadline = std::chrono::steady_clock::now() + grace;
  send_queued();
  for (auto now = std::chrono::steady_clock::now(); !queue_.empty() && now < deadline;
       now = std::chrono::steady_clock::now()) {
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        std::chrono::milliseconds(50), deadline - now));
    send_queued();
  }
  return queue_.size();
}

void EmailSink::submit(Pending pending) {
  if (queue_.size() >= config_.max_queued) {
    counters_.dropped.fetch_add(1, std::memory_order_relaxed);
    report(queue_.front().user, queue_.front().email.to, false, "dropped: retry queue full");
    pop_and_settle("dropped: retry queue full");
  }
  queue_.push_back(std::move(pending));
  send_queued();
}

void EmailSink::send_queued() {
  while (!queue_.empty() && clock_.steady() >= next_attempt_) {
    Pending& head = queue_.front();
    const SendResult result = transport_->send(head.email);
    ++head.attempts;
    switch (result.status) {
      case SendStatus::kSent:
        counters_.delivered.fetch_add(1, std::memory_order_relaxed);
        pop_and_settle();
        break;
      case SendStatus::kPermanent:
        give_up(head, true, "refused (" + std::to_string(result.smtp_code) + "): " + result.detail);
        break;
      case SendStatus::kTemporary: {
        if (head.attempts >= config_.backoff.max_attempts) {
          give_up(head, false,
                  "gave up after " + std::to_string(head.attempts) + " attempts: " + result.detail);
          break;
        }
        counters_.retried.fetch_add(1, std::memory_order_relaxed);
        const double unit = std::uniform_real_distribution<double>(0.0, 1.0)(rng_);
        next_attempt_ = clock_.steady() + config_.backoff.delay(head.attempts, unit);
        return;
      }
    }
  }
}

void EmailSink::pop_and_settle(std::string_view failure) {
  Settled settled = std::move(queue_.front().settled);
  queue_.pop_front();
  if (failure.empty()) {
    settled();
  } else {
    settled.give_up(failure);
  }
}

void EmailSink::give_up(const Pending& p, bool permanent, std::string detail) {
  counters_.failed.fetch_add(1, std::memory_order_relaxed);
  report(p.user, p.email.to, permanent, detail);
  pop_and_settle(detail);  // `p` is the head
}

void EmailSink::reject(const Notification& n, const Error& error) {
  counters_.rejected.fetch_add(1, std::memory_order_relaxed);
  report(n.user(), n.address(), false, error.message);
}

void EmailSink::report(std::string_view user, std::string_view address, bool permanent,
                       std::string detail) {
  if (on_failure_)
    on_failure_({std::string(user), std::string(address), permanent, std::move(detail)});
}

}  // namespace fmn::sinks
