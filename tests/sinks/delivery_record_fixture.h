// Delivery records for the history's tests: record i of `user`, an email sent by "mentions me".
#pragma once

#include <string>

#include "sinks/delivery_history.h"

namespace fmn::sinks::testing {

inline DeliveryRecord numbered_record(const std::string& user, int i) {
  DeliveryRecord r;
  r.at_ms = 1'700'000'000'000 + i;
  r.user = user;
  r.kind = "email";
  r.address = user + "@example.org";
  r.rule = "mentions me";
  r.msg_id = "2024-" + std::to_string(i);
  return r;
}

}  // namespace fmn::sinks::testing
