// Writes preferences in the canonical file form read by toml_reader.h.
//
// Canonical: the same preferences always give the same bytes (fixed key order, defaults
// omitted, durations and times in their shortest spelling), so files can be diffed, a
// population round-trips file -> PostgreSQL -> file byte for byte, and two users are equal when
// their texts are. Pure functions; thread-safe.
#pragma once

#include <string>

#include "prefs/model.h"

namespace fmn::prefs {

std::string write_preferences_toml(const Population& population);

// One user's [[users]] block (what write_preferences_toml() writes for it).
std::string write_user_toml(const User& user);

}  // namespace fmn::prefs
