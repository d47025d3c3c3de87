#include "sinks/sink_settings.h"

namespace fmn::sinks {

void SinkSettings::set(std::string_view key, Value value) {
  set_.insert_or_assign(std::string(key), std::move(value));
}

SinkSettings::Value SinkSettings::value(std::string_view key) const {
  if (auto it = set_.find(key); it != set_.end()) return it->second;
  for (const SinkSetting& s : keys_) {
    if (s.key != key) continue;
    switch (s.type) {
      case SinkSetting::Type::kText:
        return std::string(s.text);
      case SinkSetting::Type::kNumber:
        return s.number;
      case SinkSetting::Type::kFlag:
        return s.flag;
    }
  }
  return std::string();
}

std::string SinkSettings::text(std::string_view key) const {
  const Value v = value(key);
  const std::string* s = std::get_if<std::string>(&v);
  return s != nullptr ? *s : std::string();
}

double SinkSettings::number(std::string_view key) const {
  const Value v = value(key);
  const double* d = std::get_if<double>(&v);
  return d != nullptr ? *d : 0;
}

bool SinkSettings::flag(std::string_view key) const {
  const Value v = value(key);
  const bool* b = std::get_if<bool>(&v);
  return b != nullptr && *b;
}

}  // namespace fmn::sinks
