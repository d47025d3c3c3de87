// GET /api/v1/history: the signed-in user's last deliveries ("What you got"), newest first,
// from the delivery history (sinks/delivery_history.h), a page at a time:
//   ?offset=N (default 0) &limit=M (default 50, at most 200)
//   -> {"records": [record...], "next_offset": N+M or null when there are no more}
// A record is sinks/delivery_record_json.h's object. Only ever `user`'s own records; bad
// numbers are a 400, a store that does not answer a 503.
#pragma once

#include <string_view>

#include "sinks/delivery_history.h"
#include "web/http_message.h"

namespace fmn::web {

inline constexpr size_t kHistoryPageDefault = 50;
inline constexpr size_t kHistoryPageMax = 200;

HttpResponse history_api(sinks::DeliveryHistory& history, std::string_view user,
                         const HttpRequest& request);

}  // namespace fmn::web
