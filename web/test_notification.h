// The notification a user asks for with "send me a test notification": it says it is a test,
// names the user and the destination, and links to the app. Its topic is kTestTopic and its
// msg_id fresh, so a delivery log never takes it for one already sent.
#pragma once

#include <cstdint>
#include <string_view>

#include "core/notification.h"
#include "core/result.h"
#include "prefs/preference_store.h"

namespace fmn::web {

inline constexpr std::string_view kTestTopic = "org.fedoraproject.fmn.test";
inline constexpr std::string_view kTestRuleName = "test notification";

Result<Notification> test_notification(std::string_view user, const prefs::Destination& destination,
                                       std::string_view app_url, int64_t now_unix);

}  // namespace fmn::web
