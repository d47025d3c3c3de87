// A test Matcher: one user, "demo", whose single rule "every message" matches everything, to
// the stdout destination. Lets graph tests run end to end without a rule engine.
#pragma once

#include "pipeline/matcher.h"

namespace fmn::pipeline {

class EveryMessageMatcher : public Matcher {
 public:
  void match(const MessagePtr& message, std::vector<Notification>& out) const override {
    Notification& n = out.emplace_back();
    n.message = message;
    n.destination = DestinationKind::kStdout;
    n.refer(nullptr, "demo", "every message", "");
  }
};

}  // namespace fmn::pipeline
