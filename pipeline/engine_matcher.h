// EngineMatcher: the pipeline's match stage (pipeline/matcher.h) on top of a RuleEngine.
//
// Each call reads the engine's current generation once (never blocking, whatever edits are
// under way) and turns its matches into notifications: for each user, each destination gets
// one notification naming the first of the user's rules (in their order) that matched and sends
// there, as FMN did. Thread-safe: any number of pipeline threads may call match().
#pragma once

#include <vector>

#include "engine/rule_engine.h"
#include "pipeline/matcher.h"

namespace fmn::pipeline {

// REQUIRES: `matches` all come from one match() call (one generation, still held).
void append_notifications(const MessagePtr& message, std::vector<engine::Match>& matches,
                          std::vector<Notification>& out);

class EngineMatcher : public Matcher {
 public:
  explicit EngineMatcher(const engine::RuleEngine& engine) : engine_(engine) {}
  void match(const MessagePtr& message, std::vector<Notification>& out) const override;

 private:
  const engine::RuleEngine& engine_;
};

}  // namespace fmn::pipeline
