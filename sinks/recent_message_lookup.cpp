#include "sinks/recent_message_lookup.h"

#include "core/envelope_parser.h"
#include "core/host_port.h"
#include "sinks/redis_recent_messages.h"

namespace fmn::sinks {

Result<std::unique_ptr<Message>> find_recent_message(std::string_view address,
                                                     const std::string& prefix,
                                                     std::string_view msg_id,
                                                     const MetaExtractor& meta) {
  RedisConfig config;
  config.prefix = prefix;
  if (!split_host_port(address, config.host, config.port)) {
    return Error{ErrorCode::kInvalidConfig,
                 "expected HOST:PORT of Redis, got '" + std::string(address) + "'"};
  }
  RedisRecentMessages store(config, {});
  auto found = store.find(msg_id);
  if (!found)
    return Error{found.error().code,
                 "Redis at " + std::string(address) + ": " + found.error().message};
  if (!found->has_value()) {
    return Error{ErrorCode::kNotFound, "no message with msg_id " + std::string(msg_id) +
                                           " among the recent messages in " + std::string(address)};
  }
  auto m = parse_envelope((*found)->envelope);
  if (!m) {
    return Error{m.error().code, "the stored message does not parse: " + m.error().message};
  }
  meta.extract(*m.value());
  return std::move(m).value();
}

}  // namespace fmn::sinks
