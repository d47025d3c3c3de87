// A digest: the notifications batched for one (user, destination), delivered as one message
// where the medium allows (one email listing every item).
#pragma once

#include <cstddef>
#include <vector>

#include "core/notification.h"

namespace fmn::sinks {

struct Digest {
  std::vector<Notification> items;  // oldest first, all for the same user and destination
  size_t omitted = 0;               // items over the digest's cap, counted but not listed
};

}  // namespace fmn::sinks
