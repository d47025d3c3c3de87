// The fedora-messaging headers as metadata. A fedora-messaging publisher names the people and
// artifacts a message concerns in one boolean header each (`fedora_messaging_user_<name>`,
// `_rpm_<name>`, `_container_<name>`, `_module_<name>`, `_flatpak_<name>`) and its severity in
// `fedora_messaging_severity` (10 DEBUG, 20 INFO, 30 WARNING, 40 ERROR). Those headers are the
// publisher's own statement, so where a message carries any of one kind they replace what the
// meta tables derived for that kind; kinds without headers, and agent, link and subtitle, keep
// the tables' values. A message bridged from fedmsg carries no such headers and is unchanged.
// Thread-safe (pure).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/message.h"

namespace fmn {

// Severity levels as fedora-messaging numbers them.
inline constexpr int kSeverityDebug = 10;
inline constexpr int kSeverityInfo = 20;
inline constexpr int kSeverityWarning = 30;
inline constexpr int kSeverityError = 40;

// A meta list's flag header: `<prefix><name>` = true names `name` (core/message_fields.def).
struct FedoraMessagingListHeader {
  std::string_view prefix;
  std::vector<std::string> Meta::*list;
};
// Every meta list that has such a header, in the order of core/message_fields.def.
std::span<const FedoraMessagingListHeader> fedora_messaging_list_headers();

// Bit i set: the headers state the i-th meta list of core/message_fields.def (at least one
// `<prefix><name>` header of its kind), so apply_fedora_messaging_headers() sets that list
// whatever the tables derived, and the meta extraction need not derive it.
uint32_t lists_stated_by_headers(const Message& m);

// Reads m.headers (if any) into m.meta: the lists above (sorted, unique) and the severity.
void apply_fedora_messaging_headers(Message& m);

}  // namespace fmn
