// The match stage's contract: from one parsed message, the notifications it yields.
//
// match() is called concurrently from several threads and must not block or throw.
#pragma once

#include <vector>

#include "core/notification.h"

namespace fmn::pipeline {

class Matcher {
 public:
  virtual ~Matcher() = default;
  virtual void match(const MessagePtr& message, std::vector<Notification>& out) const = 0;
};

}  // namespace fmn::pipeline
