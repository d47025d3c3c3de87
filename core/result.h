// fmn::Result<T>: a value or an Error, for the message path where exceptions never travel.
//
// Error is a cheap value: a code saying what kind of failure, and a message saying what and
// where ("line 12: msg_id: expected a string"). Thread-compatible like any value type.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace fmn {

enum class ErrorCode {
  kMalformedJson,  // the bytes are not JSON
  kBadEnvelope,    // JSON, but not a fedmsg envelope (missing topic, wrong types)
  kTooLarge,       // over a configured size limit
  kIo,             // a file, socket or server failed
  kInvalidConfig,  // configuration or data file rejected at start-up
  kNotFound,
};

struct Error {
  ErrorCode code;
  std::string message;
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // REQUIRES: ok().
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }

  // REQUIRES: !ok().
  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace fmn
