// POST /api/v1/preview: which of the recent messages (sinks/recent_messages.h) a rule's text
// would have matched, for the signed-in user's parameters ($me, $my_packages...). The text goes
// through the checker of /api/v1/check first; with errors, only the diagnostics come back.
//
//   request:  {"source": "topic ~ \"*.bodhi.update.comment\"", "limit": 50}
//   response: {"ok": true, "diagnostics": [], "scanned": 100000, "matched": 12,
//              "messages": [{"msg_id": "2024-...", "time": 1706000000.5,
//                            "topic": "org.fedoraproject.prod.bodhi.update.comment",
//                            "summary": "...", "link": "https://..."}]}
//
// "messages" lists the newest matches first, `limit` at most (default 50, at most 500); "time"
// is the message's timestamp, or when it was received when it has none. The scan runs the
// interpreter over the messages as the pipeline parsed them (no JSON is parsed again).
// Thread-safe.
#pragma once

#include <chrono>
#include <vector>

#include "dsl/rule_compiler.h"
#include "dsl/user_params.h"
#include "sinks/recent_messages.h"
#include "web/http_message.h"

namespace fmn::web {

struct PreviewMatches {
  size_t scanned = 0, matched = 0;
  std::vector<const sinks::RecentMessage*> newest;  // into the scanned vector, newest first
};

// Tests `rule` against every message of `messages` (oldest first), keeping the newest
// `max_listed` matches. REQUIRES: params.normalize() was called.
PreviewMatches match_recent(const dsl::CompiledRule& rule, const dsl::UserParams& params,
                            const std::vector<sinks::RecentMessage>& messages, size_t max_listed);

HttpResponse preview_rule(dsl::RuleCompiler& compiler, const sinks::RecentMessages& recent,
                          const dsl::UserParams& params, const HttpRequest& request,
                          std::chrono::system_clock::time_point now);

}  // namespace fmn::web
