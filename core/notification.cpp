#include "core/notification.h"

namespace fmn {

std::string_view destination_kind_name(DestinationKind kind) {
  switch (kind) {
    case DestinationKind::kEmail:
      return "email";
    case DestinationKind::kIrc:
      return "irc";
    case DestinationKind::kSse:
      return "sse";
    case DestinationKind::kStdout:
      break;
  }
  return "stdout";
}

}  // namespace fmn
