#include "sinks/digest_batcher.h"

#include <algorithm>
#include <iterator>
#include <memory>

#include "core/bounded_id.h"
#include "sinks/notification_codec.h"
#include "sinks/renderer.h"

namespace fmn::sinks {
namespace {

int64_t to_ms(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

// When the digest that a notification arriving at `now` starts is due, given that nothing
// leaves before `hold`.
int64_t due_ms(const DigestPolicy& policy, WallTime now, WallTime hold) {
  WallTime due = WallTime::max();
  if (policy.at >= 0) {
    const std::string_view tz = policy.window ? std::string_view(policy.window->tz) : "";
    due = next_time_of_day(tz, policy.at, now);
  } else if (policy.every.count() > 0) {
    due = now + policy.every;
  } else if (policy.immediate() || hold > now) {  // held, or a count that waits out the hold
    due = hold;
  }
  return due == WallTime::max() ? kNeverDue : to_ms(std::max(due, hold));
}

}  // namespace

DigestBatcher::DigestBatcher(Sink& inner, DigestStore& store, DigestBatcherConfig config,
                             Clock& clock, FailureHandler on_failure)
    : inner_(inner),
      store_(store),
      config_(config),
      clock_(clock),
      on_failure_(std::move(on_failure)) {}

std::string DigestBatcher::key_of(const Notification& n) {
  std::string key(destination_kind_name(n.destination));
  key += ':';
  key += n.user();
  key += ':';
  key += n.address();
  return bounded_id(key);
}

bool DigestBatcher::key_of_user(std::string_view key, std::string_view user) {
  const size_t colon = key.find(':');
  if (colon == std::string_view::npos) return false;
  const std::string_view rest = key.substr(colon + 1);
  return rest.size() > user.size() && rest.substr(0, user.size()) == user &&
         rest[user.size()] == ':' && key.substr(0, colon) != "sha256";
}

void DigestBatcher::deliver(std::span<const Notification> batch) { deliver_confirmed(batch, {}); }

void DigestBatcher::deliver_confirmed(std::span<const Notification> batch,
                                      std::span<NotificationSettled> settled) {
  immediate_.clear();
  settled_.clear();
  const WallTime now = clock_.wall();
  std::vector<std::string> full;
  for (size_t i = 0; i < batch.size(); ++i) {
    const Notification& n = batch[i];
    NotificationSettled outer = i < settled.size() ? std::move(settled[i]) : NotificationSettled();
    auto settle_now = [&outer] {
      if (outer) outer();
    };
    const DigestPolicy& policy = n.digest;
    const std::string id = delivery_id(n);
    const WallTime hold = policy.window ? release_time(*policy.window, now) : now;
    if (policy.immediate() && hold <= now) {
      if (on_the_way_.count(id) != 0) {  // a repeat of one not yet confirmed
        settle_now();
        continue;
      }
      auto seen = store_.seen(id);
      if (!seen) {
        store_error(seen.error());
        hold_unchecked(n, std::move(outer));
      } else if (seen.value()) {
        settle_now();  // already delivered: a redelivery after a crash
      } else {
        on_the_way_.insert(id);
        immediate_.push_back(n);
        settled_.push_back([this, id, outer = std::move(outer)](std::string_view failure) mutable {
          delivered(id);
          if (failure.empty()) {
            outer();
          } else {
            outer.give_up(failure);
          }
        });
      }
      continue;
    }
    encoded_.clear();
    encode_notification(n, encoded_);
    const std::string key = key_of(n);
    auto pending = store_.add(key, id, encoded_, due_ms(policy, now, hold), to_ms(hold));
    if (!pending) {
      store_error(pending.error());
      hold_unchecked(n, std::move(outer));
      continue;
    }
    settle_now();  // the digest store holds it from here on
    if (policy.count > 0 && pending.value() >= policy.count && hold <= now) full.push_back(key);
  }
  if (!immediate_.empty()) inner_.deliver_confirmed(immediate_, settled_);
  for (const std::string& key : full) flush(key);
}

void DigestBatcher::hold_unchecked(const Notification& n, NotificationSettled outer) {
  if (!outer) return;  // nothing durable waits for it: at most once, as documented
  unchecked_.push_back(n);
  unchecked_settled_.push_back(std::move(outer));
}

void DigestBatcher::retry_unchecked() {
  if (unchecked_.empty() || clock_.steady() < next_retry_) return;
  next_retry_ = clock_.steady() + kUncheckedRetry;
  std::vector<Notification> batch;
  std::vector<NotificationSettled> settled;
  batch.swap(unchecked_);
  settled.swap(unchecked_settled_);
  retrying_ = true;  // an outage is counted once per notification, not once per retry
  deliver_confirmed(batch, settled);
  retrying_ = false;
}

void DigestBatcher::tick() {
  retry_unchecked();
  auto keys = store_.due(to_ms(clock_.wall()));
  if (!keys) {
    store_error(keys.error());
  } else {
    for (const std::string& key : keys.value()) flush(key);
  }
  std::vector<std::string> settled;
  std::set_difference(held_.begin(), held_.end(), unsettled_.begin(), unsettled_.end(),
                      std::back_inserter(settled));
  for (const std::string& key : settled) {
    held_.erase(key);
    flush(key);
  }
  inner_.tick();
}

void DigestBatcher::recover() {
  auto keys = store_.in_flight();
  if (!keys) {
    store_error(keys.error());
    return;
  }
  for (const std::string& key : keys.value()) flush(key);
}

void DigestBatcher::flush_all() {
  auto keys = store_.due(kNeverDue);
  if (!keys) {
    store_error(keys.error());
    return;
  }
  for (const std::string& key : keys.value()) flush(key);
}

void DigestBatcher::flush(const std::string& key) {
  if (unsettled_.count(key) != 0) {
    held_.insert(key);
    return;
  }
  auto items = store_.take(key);
  if (!items) {
    store_error(items.error());
    return;
  }
  Digest digest;
  for (const std::string& bytes : items.value()) {
    if (digest.items.size() >= config_.max_items) {
      ++digest.omitted;
      continue;
    }
    auto n = decode_notification(bytes);
    if (!n) {
      store_error(n.error());
      continue;
    }
    digest.items.push_back(std::move(n.value()));
  }
  if (digest.items.empty()) {
    settle(key);
    return;
  }
  unsettled_.insert(key);
  // The digest leaves the store once every item is finished with, whatever became of each.
  auto remaining = std::make_shared<size_t>(digest.items.size());
  std::vector<NotificationSettled> each(digest.items.size(), [this, key, remaining] {
    if (--*remaining == 0) settle(key);
  });
  inner_.deliver_digest(digest, each);
}

void DigestBatcher::delivered(const std::string& id) {
  on_the_way_.erase(id);
  auto once = store_.mark_once(id);
  if (!once) store_error(once.error());
}

size_t DigestBatcher::drain(std::chrono::milliseconds grace) {
  next_retry_ = {};  // a last try: what still fails stays in the outbox for the next start
  retry_unchecked();
  return inner_.drain(grace);
}

void DigestBatcher::settle(const std::string& key) {
  unsettled_.erase(key);
  auto done = store_.done(key);
  if (!done) store_error(done.error());
}

void DigestBatcher::store_error(const Error& e) {
  if (retrying_) return;
  counters_.failed.fetch_add(1, std::memory_order_relaxed);
  if (on_failure_) on_failure_({"", "", false, "digest store: " + e.message});
}

}  // namespace fmn::sinks
