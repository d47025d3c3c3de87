// Per-publisher sequence tracking on fedmsg's "i": detects and counts missed messages (gaps) and
// publisher restarts.
//
// What a publisher is: fedmsg numbers messages per publishing process, and the envelope does not
// name the process. The closest the envelope gets is the topic up to the publishing module
// ("<prefix>.<env>.<modname>", e.g. "org.fedoraproject.prod.bodhi") plus "username", the
// process's user: publisher_key() joins them as "apache@org.fedoraproject.prod.bodhi" (a
// username over kMaxPlainId bytes as its SHA-256, core/bounded_id.h; with topics at most
// kMaxTopicBytes, every key is short whatever publishers send). Messages
// relayed by a gateway keep their key, so tracking works behind one. Two processes sharing a
// key (several workers of one service) interleave their counters and show up as restarts and
// gaps: that is a limit of what fedmsg carries.
//
// Per key, with `last` the previous "i" seen:
//   first message           kFirst      (nothing is known about earlier ones)
//   i == last + 1           kInOrder
//   i >  last + 1           kGap        i - last - 1 messages counted missing
//   i == last               kRepeat     (a duplicate that got past deduplication)
//   i <  last               kRestart    the publisher restarted and counts from 1 again
// Messages without "i" are kUnsequenced. At most `max_publishers` keys are tracked; messages of
// further keys are kUntracked, so hostile topics cannot grow memory without bound.
//
// Thread-safety: observe() from one thread at a time; stats() from any thread at any time (the
// counters are single-writer atomics, so reading them costs the writer nothing).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "bus/counter.h"
#include "core/message.h"

namespace fmn::bus {

enum class SeqEvent : uint8_t {
  kFirst,
  kInOrder,
  kGap,
  kRepeat,
  kRestart,
  kUnsequenced,
  kUntracked
};

struct SeqVerdict {
  SeqEvent event;
  uint64_t missing = 0;  // kGap: how many "i" values were skipped
};

struct SequenceStats {
  uint64_t messages = 0;     // observed, sequenced or not
  uint64_t unsequenced = 0;  // without "i"
  uint64_t untracked = 0;    // from publishers beyond max_publishers
  uint64_t publishers = 0;   // distinct keys tracked
  uint64_t gaps = 0;         // gap events
  uint64_t missing = 0;      // messages missed, summed over gaps
  uint64_t repeats = 0;
  uint64_t restarts = 0;
};

// Appends the publisher key of `m` (see above) to `out`.
void append_publisher_key(const Message& m, std::string& out);
std::string publisher_key(const Message& m);

class SequenceTracker {
 public:
  explicit SequenceTracker(size_t max_publishers = 65536) : max_publishers_(max_publishers) {}

  SeqVerdict observe(const Message& m);
  void observe(std::span<const MessagePtr> batch);

  SequenceStats stats() const;

 private:
  struct KeyHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };

  size_t max_publishers_;
  std::unordered_map<std::string, int64_t, KeyHash, std::equal_to<>> last_seq_;
  std::string key_;  // scratch, reused so observing allocates nothing for known publishers
  SingleWriterCounter messages_, unsequenced_, untracked_, publishers_, gaps_, missing_, repeats_,
      restarts_;
};

}  // namespace fmn::bus
