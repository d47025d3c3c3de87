// /api/v1/rules: the signed-in user's rules, listed and changed through a PreferenceStore (the
// file in the demo, PostgreSQL in production). Every handler reads and writes only the record
// of `user`, the session's user: no request names whose preferences it touches.
//
//   GET    /api/v1/rules                    {"user", "rules": [...], "destinations": [...]}
//   POST   /api/v1/rules                    {"name", "source", "enabled"?, "deliveries"?} -> 201
//   POST   /api/v1/rules/order              {"names": [every rule's name, in the new order]}
//                                           -> 200, the list as GET answers it
//   PUT    /api/v1/rules/<name>             any of those members -> 200
//   POST   /api/v1/rules/<name>/enable      -> 200
//   POST   /api/v1/rules/<name>/disable     -> 200
//   DELETE /api/v1/rules/<name>             -> 204
//
// A rule is {"name", "source", "enabled", "deliveries": [{"destination", "every_seconds",
// "count"}]}. A source that does not compile is answered 422 with the check's diagnostics
// (check_api.h); anything else the store refuses, 422 with its message. Unknown rule: 404.
// Order matters: a notification names the first of the user's rules that matched, and the
// stores keep the rules in the order given (the file's order, PostgreSQL's row ids); an order
// that does not name each rule exactly once is answered 422 and changes nothing.
// REQUIRES: the caller gives each call exclusive use of `store` (stores are not thread-safe).
#pragma once

#include <string_view>

#include "dsl/rule_compiler.h"
#include "prefs/preference_store.h"
#include "web/http_message.h"

namespace fmn::web {

// `rest` is the path after "/api/v1/rules" ("", "/<name>", "/<name>/enable"...). `sse_url`: the
// SSE server's public URL, under which the listed destinations' feeds are shown.
HttpResponse rules_api(prefs::PreferenceStore& store, dsl::RuleCompiler& compiler,
                       std::string_view sse_url, std::string_view user, std::string_view rest,
                       const HttpRequest& request);

}  // namespace fmn::web
