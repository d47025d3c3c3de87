// RedisOutbox: one destination kind's durable outbox, a Redis stream read through a consumer
// group, so a notification the pipeline accepted survives a crash until its sink confirmed it.
//
//   <prefix>outbox:<kind>        stream of entries, one per batch handed to the kind's queue
//                                (field `n`: encode_notifications(), notification_codec.h)
//   <prefix>outbox:<kind>:instances  a counter: each open() takes a number of its own, which
//                                makes the entry ids it chooses unique to it (see append())
//   <prefix>outbox:<kind>:marks:<id>  which notifications of entry <id> are dead letters already
//   <prefix>outbox:<kind>:dead   stream of dead letters: a notification its sink gave up (fields
//                                `n`, `entry`, `user`, `address`, `reason`) or an entry handed
//                                out too often (fields `n`, `id`, `deliveries`, `reason`)
//   group `fmn`, one consumer per instance (`consumer`, stable across restarts)
//
// Why a stream and a group rather than a list and a processing list: the group's pending list
// records per entry who holds it, since when and how many times it was handed out, which is what
// recovery needs (an instance takes back its own entries at once and a dead instance's after
// `claim_idle`; an entry handed out `max_deliveries` times becomes a dead letter), and one stream
// per kind keeps the kinds independent. A list would need those three records kept by hand.
//
// An entry is a batch, not a notification: one Redis round trip and one stream entry per batch
// keeps the cost per notification small at the fan-out of a large population (docs/
// reliability.md has the figure). An entry is removed once all its notifications are settled;
// after a crash its notifications are all delivered again, and the "already delivered" marks
// (DigestBatcher) skip the ones that were.
// append() adds a batch (append_all() several, an entry each) and puts it in this consumer's
// pending list in one transaction (so no entry is ever unowned); it returns once Redis holds it
// (as durable as Redis' persistence, docs/reliability.md), and adds it once even when the
// connection is lost before the answer (it looks for its entries before writing again).
// remove() acknowledges and deletes entries whose sink settled them, writing the notifications
// it gave up to the dead letters, each once however often it is sent (a resend after a lost
// reply, a retry of a failed removal): a dead letter is written only while its entry is still
// pending and not yet marked as having written it (`<stream>:marks:<entry id>`, a set of
// indexes kept with the entry, and for dead_letters_max_age at most).
// recover() (at start-up, or later when Redis was down then) claims this consumer's entries from
// a previous run (never those added since open()) and other consumers' entries idle for
// `claim_idle`, dead-letters those handed out more than `max_deliveries` times,
// and returns the rest for delivery again. Thread-safety: every method may be called from any
// thread (one connection, under a mutex).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <vector>

#include "core/notification.h"
#include "sinks/redis_connection.h"

namespace fmn::sinks {

struct OutboxConfig {
  std::string consumer = "fmn";  // stable per instance: a restart takes its own entries back
  int max_deliveries = 5;        // handed out this many times without confirmation: dead letter
  std::chrono::milliseconds claim_idle = std::chrono::minutes(5);
  // Dead letters kept: at most this many per kind (the oldest go first), none older than this.
  size_t dead_letters_max = 100'000;
  std::chrono::seconds dead_letters_max_age = std::chrono::hours(24 * 30);
};

struct OutboxEntry {
  std::string id;  // the stream entry id
  std::vector<Notification> notifications;
};

// A notification its sink gave up for good, on its way to the dead letters.
struct DeadLetter {
  Notification notification;
  std::string reason;    // the sink's: "refused (550): ..."
  std::string entry_id;  // the outbox entry it came from
  size_t index = 0;      // its place in that entry: with entry_id, what makes it this one
};

// One dead letter as listed for an operator: a notification given up (user and address set), or
// a whole entry handed out too often unconfirmed (user and address empty).
struct DeadLetterRecord {
  std::string id;  // the dead letter's stream id: when it was set apart
  std::string user, address, reason;
};

// A dead letter read back to be delivered again: what it holds (one notification, or a whole
// entry's batch).
struct ReplayableDeadLetter {
  std::string id;
  std::vector<Notification> notifications;
};

struct OutboxRecovery {
  std::vector<OutboxEntry> entries;  // to deliver again
  size_t dead_lettered = 0;
  std::vector<Notification> dead;  // what the entries dead-lettered now held, when decodable
  size_t undecodable = 0;          // entries that were not notifications: dead-lettered too
};

class RedisOutbox {
 public:
  static Result<std::unique_ptr<RedisOutbox>> open(const RedisConfig& redis, std::string_view kind,
                                                   OutboxConfig config);

  // The entry id of `batch` (not empty), once Redis holds it; append_all(): one entry per batch,
  // in one transaction (one round trip, all or none), their ids in order.
  Result<std::string> append(std::span<const Notification> batch);
  Result<std::vector<std::string>> append_all(
      std::span<const std::span<const Notification>> batches);
  // Writes `dead` to the dead letters and removes the entries `ids`, in one transaction.
  Result<bool> remove(std::span<const std::string> ids, std::span<const DeadLetter> dead = {});
  Result<OutboxRecovery> recover();
  // Entries in the outbox (every consumer's), and dead letters.
  Result<size_t> size();
  Result<size_t> dead_letters();
  // The newest `limit` dead letters, newest first; only `user`'s when not empty. Read a page at
  // a time, however many there are.
  Result<std::vector<DeadLetterRecord>> list_dead_letters(std::string_view user, size_t limit);
  // The oldest `limit` dead letters, oldest first, only `user`'s when not empty (a whole entry's
  // has no user: only with `user` empty); `undecodable` counts those skipped as not decodable.
  Result<std::vector<ReplayableDeadLetter>> read_dead_letters(std::string_view user, size_t limit,
                                                              size_t& undecodable);
  // Deletes the dead letters `ids` (once delivered again).
  Result<bool> delete_dead_letters(std::span<const std::string> ids);
  // Applies the retention (dead_letters_max, dead_letters_max_age by `now`); remove() does too.
  Result<bool> trim_dead_letters(std::chrono::system_clock::time_point now);

  const std::string& kind() const { return kind_; }
  uint64_t dead_lettered_total() const { return dead_lettered_.load(std::memory_order_relaxed); }

 private:
  RedisOutbox(std::unique_ptr<RedisConnection> redis, std::string kind, std::string stream,
              OutboxConfig config)
      : kind_(std::move(kind)),
        redis_(std::move(redis)),
        stream_(std::move(stream)),
        dead_(stream_ + ":dead"),
        config_(std::move(config)) {}

  Result<bool> remove_locked(std::span<const std::string> ids, std::span<const DeadLetter> dead);
  // The set of the indexes of entry `entry_id` already written to the dead letters.
  std::string marks_key(std::string_view entry_id) const {
    return stream_ + ":marks:" + std::string(entry_id);
  }
  // The XTRIM commands of the retention as of `now`; `max` and `cutoff` hold their arguments.
  std::vector<std::vector<std::string_view>> trim_commands(
      std::chrono::system_clock::time_point now, std::string& max, std::string& cutoff) const;
  // Pages through the dead letters (kScanDeadScript), calling `row` with each matching one's
  // fields until it returns false or none are left.
  Result<bool> scan_dead_letters(std::string_view user, bool oldest_first, bool payload,
                                 const std::function<bool(std::span<const std::string>)>& row);

  const std::string kind_;
  std::mutex mu_;
  std::unique_ptr<RedisConnection> redis_;
  const std::string stream_, dead_;
  const OutboxConfig config_;
  std::atomic<uint64_t> dead_lettered_{0};
  std::vector<std::string> encoded_;  // one per batch of an append, reused
  // The next entry id append() chooses: <ms>-<instance_ * 2^32 + seq>, after every id this
  // instance chose and every id the stream held when it last looked.
  struct EntryId {
    uint64_t ms = 0, seq = 0;
  };
  EntryId next_id();
  // Looks at the stream's newest id again: the next ids come after it.
  Result<bool> skip_past_newest();
  // Of the entries `ids` (ascending), how many are in this consumer's pending list.
  Result<size_t> pending_of_mine(std::span<const std::string> ids);

  std::string opened_last_;  // the stream's newest id when opened: recover() takes none after it
  uint64_t instance_ = 0;    // this open()'s number (the :instances counter), below 2^32
  EntryId last_{};           // the last id chosen, or the stream's newest seen
};

}  // namespace fmn::sinks
