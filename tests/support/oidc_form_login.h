// A browser without JavaScript at an OpenID provider: follows redirects from the authorization
// URL, fills in the login form (fields "login" and "password") and submits every other form as
// it is (consent), keeping the provider's cookies, until the provider redirects to
// `redirect_uri`. Returns that final URL (redirect_uri?code=...&state=...) without fetching it.
// Enough for oidc-provider's development interactions (oidc_provider.h); a provider needing
// JavaScript needs the real browser (web_driver.h). Thread-safe (one curl handle per call).
#pragma once

#include <string>

#include "core/result.h"

namespace fmn::test {

Result<std::string> sign_in_through_forms(const std::string& authorization_url,
                                          const std::string& redirect_uri, const std::string& login,
                                          const std::string& password = "any password");

}  // namespace fmn::test
