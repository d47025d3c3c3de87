// The settings of a destination kind's sink: the keys of its section in fmn-pipeline's
// configuration ([webhook] ...), declared by the kind's factory (destination_sinks.h), read and
// checked by the pipeline's configuration parser, and read back by the factory.
//
// A value type; thread-compatible.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <variant>

namespace fmn::sinks {

// One key of a section: its type, range and default (contrib/fmn.toml documents it).
struct SinkSetting {
  enum class Type { kText, kNumber, kFlag };
  std::string_view key;
  Type type = Type::kText;
  double min = 0, max = 0;  // kNumber: the accepted range
  std::string_view text;    // kText: the default
  double number = 0;        // kNumber: the default
  bool flag = false;        // kFlag: the default
  // kText: fmn-pipeline's command-line flag overriding it ("--smtp") and its help; empty: none.
  std::string_view option;
  std::string_view option_help;
};

class SinkSettings {
 public:
  using Value = std::variant<std::string, double, bool>;

  // `keys` (static storage) gives every value that set() did not.
  explicit SinkSettings(std::span<const SinkSetting> keys = {}) : keys_(keys) {}

  std::span<const SinkSetting> keys() const { return keys_; }
  // REQUIRES: `key` is one of keys(), of the value's type (the parser checks both).
  void set(std::string_view key, Value value);
  // REQUIRES: `key` is one of keys(), of the type asked for.
  std::string text(std::string_view key) const;
  double number(std::string_view key) const;
  bool flag(std::string_view key) const;

 private:
  Value value(std::string_view key) const;

  std::span<const SinkSetting> keys_;
  std::map<std::string, Value, std::less<>> set_;
};

}  // namespace fmn::sinks
