// A sink that only counts what reaches it, optionally rendering each notification first: the
// null sink for benches (rendering + enqueue cost without I/O) and for tests of upstream stages.
//
// counters().delivered counts notifications; bytes() the rendered bytes (0 unless rendering).
#pragma once

#include <optional>

#include "sinks/renderer.h"
#include "sinks/sink.h"

namespace fmn::sinks {

class CountingSink : public Sink {
 public:
  // With a renderer, each notification is rendered with its kind's template slot
  // (core/destination_kinds.h: email subject and bodies, an IRC line, or the event JSON) and
  // the text discarded.
  CountingSink() = default;
  explicit CountingSink(Renderer renderer) : renderer_(std::move(renderer)) {}

  std::string_view name() const override { return "counting"; }
  void deliver(std::span<const Notification> batch) override;
  void deliver_digest(const Digest& digest, std::span<NotificationSettled> settled) override;

  uint64_t digests() const { return digests_; }
  uint64_t bytes() const { return bytes_; }

 private:
  std::optional<Renderer> renderer_;
  RenderedEmail email_;
  std::string line_;
  uint64_t digests_ = 0;
  uint64_t bytes_ = 0;
};

}  // namespace fmn::sinks
