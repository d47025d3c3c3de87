// How a rule's matches are delivered to one destination: when (at once or as a digest) and in
// what form (FMN's presentation options). Plain values, part of the preferences model
// (prefs/model.h).
#pragma once

#include <cstdint>

namespace fmn::prefs {

// When a rule's notifications leave for one destination: at once (all unset), or as a digest
// flushed every `every_seconds`, daily at the local time `at` (minutes after midnight in the
// user's `tz`; then `every_seconds` is 0 or one day), and/or after `count` messages, whichever
// comes first.
struct DigestPolicy {
  uint32_t every_seconds = 0;
  uint32_t count = 0;
  int16_t at = -1;
  bool immediate() const { return every_seconds == 0 && count == 0 && at < 0; }
  // With `at` set, the digest is daily: an `every` of one day says nothing more and is dropped;
  // false (nothing changed) for any other period.
  bool settle_daily() {
    if (at < 0 || every_seconds == 0) return true;
    if (every_seconds != 86400) return false;
    every_seconds = 0;
    return true;
  }
};

// FMN's per-destination presentation options.
struct DeliveryOptions {
  bool include_links = true;   // FMN: the message's link in the notification
  bool verbose = true;         // FMN: verbose (long form) vs. short (subtitle only)
  bool triggered_by = true;    // FMN: triggered_by_links, say which rule matched
  bool shorten_links = false;  // FMN: shorten_links
  bool markup = false;         // FMN: markup_messages (IRC colours)
};

}  // namespace fmn::prefs
