// A destination's secret (an SSE feed's token, a webhook's signing key): made fresh from the OS's
// CSPRNG, shown once to its owner, and kept as its kind keeps it (core/destination_kinds.h): a
// digest when the secret is only ever compared with what a client offers (core/stored_secret.h),
// the secret itself when a sink needs it. The web app and fmn-prefs both make secrets here, so a
// store never holds an SSE token as itself whichever tool added the feed. Thread-safe.
#pragma once

#include <string>

#include "prefs/model.h"

namespace fmn::prefs {

// Gives `d` a fresh secret: d.token becomes what the store keeps. Returns the secret to show
// the owner, this once (nothing else can tell it again). REQUIRES: has_secret(d.kind).
std::string new_destination_secret(Destination& d);

}  // namespace fmn::prefs
