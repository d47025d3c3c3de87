// A sink that keeps what it was given, for tests of what sits in front of sinks. Digests are
// settled at once, unless `hold_digests` is set: then their callbacks wait in `unsettled` until
// the test calls them, as a sink waiting to retry would; `hold_notifications` does the same for
// notifications handed over by deliver_confirmed() (in `unconfirmed`), as a sink waiting for
// its server's confirmation would.
#pragma once

#include <vector>

#include "sinks/sink.h"

namespace fmn::sinks::testing {

class RecordingSink : public Sink {
 public:
  std::string_view name() const override { return "recording"; }
  void deliver(std::span<const Notification> batch) override {
    single.insert(single.end(), batch.begin(), batch.end());
  }
  void deliver_digest(const Digest& digest, std::span<NotificationSettled> settled) override {
    digests.push_back(digest);
    if (hold_digests) {
      unsettled.push_back(Settled::all_of(settled));
    } else {
      for (NotificationSettled& s : settled) s();
    }
  }
  void deliver_confirmed(std::span<const Notification> batch,
                         std::span<NotificationSettled> settled) override {
    deliver(batch);
    for (NotificationSettled& s : settled) {
      if (hold_notifications) {
        unconfirmed.push_back(std::move(s));
      } else {
        s();
      }
    }
  }
  void tick() override { ++ticks; }

  bool hold_digests = false, hold_notifications = false;
  std::vector<Notification> single;
  std::vector<Digest> digests;
  std::vector<Settled> unsettled;  // each stands for every item of its digest
  std::vector<NotificationSettled> unconfirmed;
  int ticks = 0;
};

}  // namespace fmn::sinks::testing
