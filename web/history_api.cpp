#include "web/history_api.h"

#include <optional>

#include "core/query_string.h"
#include "sinks/delivery_record_json.h"

namespace fmn::web {

HttpResponse history_api(sinks::DeliveryHistory& history, std::string_view user,
                         const HttpRequest& request) {
  if (request.method != "GET") return json_error(405, "method not allowed");
  const std::optional<size_t> offset = count_param(request.query, "offset", 0);
  const std::optional<size_t> limit = count_param(request.query, "limit", kHistoryPageDefault);
  if (!offset || !limit || *limit == 0 || *limit > kHistoryPageMax) {
    return json_error(400, "offset and limit must be counts, limit from 1 to 200");
  }
  // One more than asked says whether another page follows.
  auto records = history.recent(user, *offset, *limit + 1);
  if (!records) return json_error(503, "the delivery history is unavailable");
  const bool more = records->size() > *limit;
  if (more) records->pop_back();
  std::string body = "{\"records\":[";
  for (size_t i = 0; i < records->size(); ++i) {
    if (i > 0) body += ',';
    body += sinks::delivery_record_json((*records)[i]);
  }
  body += "],\"next_offset\":";
  body += more ? std::to_string(*offset + *limit) : "null";
  body += '}';
  return {200, "application/json", std::move(body), {}};
}

}  // namespace fmn::web
