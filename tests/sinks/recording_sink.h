// A sink that keeps what it was given, for tests of what sits in front of sinks.
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
  void deliver_digest(const Digest& digest) override { digests.push_back(digest); }
  void tick() override { ++ticks; }

  std::vector<Notification> single;
  std::vector<Digest> digests;
  int ticks = 0;
};

}  // namespace fmn::sinks::testing
