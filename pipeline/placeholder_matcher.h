// PLACEHOLDER until the rule engine lands: one demo user, "demo", whose single rule
// "placeholder: every message" matches everything. Lets the graph run end to end.
#pragma once

#include "pipeline/matcher.h"

namespace fmn::pipeline {

class PlaceholderMatcher : public Matcher {
 public:
  void match(const MessagePtr& message, std::vector<Notification>& out) const override;
};

}  // namespace fmn::pipeline
