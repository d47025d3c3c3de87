#include "pipeline/placeholder_matcher.h"

namespace fmn::pipeline {

void PlaceholderMatcher::match(const MessagePtr& message, std::vector<Notification>& out) const {
  out.push_back(Notification{.message = message,
                             .destination = DestinationKind::kStdout,
                             .user = "demo",
                             .rule_name = "placeholder: every message"});
}

}  // namespace fmn::pipeline
