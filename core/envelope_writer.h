// The inverse of parse_envelope(): a parsed message written back as a fedmsg envelope (topic,
// msg_id, timestamp, i, username, the signature fields, headers, msg), so a message kept
// elsewhere (the recent-message store in Redis) parses again into the same message. The meta
// is not written: the meta extractor derives it again. Thread-safe.
#pragma once

#include <string>

#include "core/message.h"

namespace fmn {

std::string write_envelope(const Message& message);

}  // namespace fmn
