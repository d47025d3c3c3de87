// The web app's public URL when the configuration names none: where users reach the app, and
// so the base of the settings, confirmation and unsubscribe links in notifications. The one
// definition of that default: the service's web.public_url and the app's own config start
// from it; contrib/fmn.toml states it, which a test holds equal to this.
#pragma once

#include <string_view>

namespace fmn::web {

inline constexpr std::string_view kDefaultPublicUrl = "http://localhost:8081";

}  // namespace fmn::web
