// One message of the service's recent-message store in Redis (redis_recent_messages.h), found by
// its msg_id for the explain commands of fmn-prefs and fmn-rulec, so that an operator names a
// message by its id instead of finding it by hand. The stored envelope is parsed and its meta
// extracted as the service did when it matched it.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/message.h"
#include "core/meta_extractor.h"
#include "core/result.h"

namespace fmn::sinks {

// The newest message with `msg_id` in the store of the Redis at `address` ("host:port"), keys
// under `prefix` (state.redis and its prefix in the service's configuration). Errors, each a
// sentence to show as it is: kInvalidConfig for an address that is not host:port, kIo when
// Redis fails, kNotFound when no message with that msg_id is held (trimmed, or never seen),
// the parser's error when the stored envelope does not parse.
Result<std::unique_ptr<Message>> find_recent_message(std::string_view address,
                                                     const std::string& prefix,
                                                     std::string_view msg_id,
                                                     const MetaExtractor& meta);

}  // namespace fmn::sinks
