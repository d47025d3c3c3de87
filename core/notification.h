// A notification: one message matched for one user's rule, bound for one destination.
//
// Cheap to copy (the message and the names are shared, read-only). Produced by the matcher's
// fan-out and consumed by batchers and sinks; sinks know notifications, never rules.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>

#include "core/delivery_window.h"
#include "core/destination_kinds.h"
#include "core/message.h"

namespace fmn {

// How a (user, destination) wants a rule's notifications: at once, or collected into digests
// flushed on time and/or count (FMN's batch_delta and batch_count) or daily at a local time of
// day; and, whatever the policy, held while the destination is snoozed or in quiet hours, or
// dropped while it is muted (`window`). Set by the preferences when the rule is loaded and carried
// by each notification, so delivery never looks it up.
struct DigestPolicy {
  std::chrono::seconds every{0};  // batch_delta: flush this long after the first pending item
  uint32_t count = 0;             // batch_count: flush when this many items are pending
  int16_t at = -1;  // daily at this local time (minutes after midnight in window's zone); -1: no
  std::shared_ptr<const DeliveryWindow> window;  // zone, quiet hours, snooze, mute; null: none
  // None of every, count and at: nothing is batched (a window may still hold notifications).
  // Otherwise whichever comes first.
  bool immediate() const { return every.count() <= 0 && count == 0 && at < 0; }
  // Nothing batched and nothing that could hold a notification back.
  bool plain() const { return immediate() && window == nullptr; }
  // True when a notification arriving at `now` is dropped: its destination (or user) is muted.
  bool muted(WallTime now) const { return window != nullptr && muted_at(*window, now); }
};

// The user, rule and destination names are views into storage the notification shares: the
// engine's packed users when the matcher made it (no string is copied per recipient), or its own
// copies when it was made from names alone (restored from a store, a test send).
struct Notification {
  MessagePtr message;
  uint32_t user_id = 0;
  uint32_t rule_id = 0;
  DestinationKind destination = DestinationKind::kStdout;
  DigestPolicy digest;  // immediate unless the user asked for digests

  std::string_view user() const { return user_; }            // account name
  std::string_view rule_name() const { return rule_name_; }  // the rule that matched
  // The destination: email address, IRC nick or SSE feed; may be empty.
  std::string_view address() const { return address_; }

  // Views into `owner`'s storage, which the notification keeps alive (null: static storage).
  void refer(std::shared_ptr<const void> owner, std::string_view user, std::string_view rule_name,
             std::string_view address) {
    owner_ = std::move(owner);
    user_ = user;
    rule_name_ = rule_name;
    address_ = address;
  }
  // Copies of the three names, held by the notification (and its copies).
  void set_names(std::string_view user, std::string_view rule_name, std::string_view address);

 private:
  std::shared_ptr<const void> owner_;
  std::string_view user_;
  std::string_view rule_name_;
  std::string_view address_;
};

}  // namespace fmn
