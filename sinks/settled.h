// Settled: what a sink calls, on its own thread, once it is finished with a notification (alone
// or an item of a digest) it was handed: settled() once the destination accepted it,
// give_up(reason) once it is given up for good (refused, rejected, out of attempts, dropped from a
// full queue). Until then the sink may still retry it, and whoever handed it over keeps it durable;
// a given-up one is kept apart as a dead letter (pipeline/sink_worker.h).
//
// Built from a callable taking the failure (empty: delivered) or from one taking nothing (it is
// then told only that the item is finished). An empty Settled does nothing. Cheap to move; a
// small callable (two pointers) is kept without allocating.
#pragma once

#include <concepts>
#include <functional>
#include <memory>
#include <span>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace fmn::sinks {

class Settled {
 public:
  Settled() = default;
  template <typename F>
  requires(!std::same_as<std::remove_cvref_t<F>, Settled> && std::invocable<F&, std::string_view>)
      Settled(F f)
      : f_(std::move(f)) {}  // NOLINT(google-explicit-constructor): a callback
  template <typename F>
  requires(!std::same_as<std::remove_cvref_t<F>, Settled> && std::invocable<F&> &&
           !std::invocable<F&, std::string_view>)
      Settled(F f)  // NOLINT(google-explicit-constructor)
      : f_([f = std::move(f)](std::string_view) mutable { f(); }) {}

  void operator()() {
    if (f_) f_({});
  }
  void give_up(std::string_view reason) {
    if (f_) f_(reason.empty() ? std::string_view("given up") : reason);
  }
  explicit operator bool() const { return static_cast<bool>(f_); }

  // One Settled standing for all of `each` (moved from), each told the same outcome: the items
  // of a digest sent as one message.
  static Settled all_of(std::span<Settled> each) {
    auto all = std::make_shared<std::vector<Settled>>(std::make_move_iterator(each.begin()),
                                                      std::make_move_iterator(each.end()));
    return Settled([all](std::string_view failure) {
      for (Settled& s : *all) s.f_ ? s.f_(failure) : void();
    });
  }

 private:
  std::function<void(std::string_view failure)> f_;
};

}  // namespace fmn::sinks
