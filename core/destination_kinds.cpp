#include "core/destination_kinds.h"

#include <array>

#include "core/destination_address.h"

namespace fmn {
namespace {

bool no_address(std::string_view) { return false; }

constexpr std::array<DestinationKindInfo, kDestinationKindCount> kKinds{{
    {DestinationKind::kEmail, "email", "email", "email", TemplateSlot::kEmail, true,
     &is_email_address, "email address",
     "an address is local@domain, without spaces, quotes, commas or angle brackets", ""},
    {DestinationKind::kIrc, "irc", "irc", "irc", TemplateSlot::kIrcLine, true, &is_irc_nick,
     "IRC nick",
     "nicks are up to 30 letters, digits, '-' and []\\`_^{|}, not starting with a digit or '-'",
     ""},
    {DestinationKind::kSse, "sse", "sse", "sse", TemplateSlot::kEventJson, true, &is_plain_name,
     "SSE feed name",
     "feed names are 1-64 letters, digits, '_', '.', '-', starting with a letter or digit",
     "an SSE feed", true, true},
    // Where notifications go when their kind has no sink; no user names it.
    {DestinationKind::kStdout, "stdout", "stdout", "stdout", TemplateSlot::kEventJson, false,
     &no_address, "", "", ""},
    {DestinationKind::kWebhook, "webhook", "webhook", "webhook", TemplateSlot::kEventJson, true,
     &is_webhook_url, "webhook URL",
     "an http:// or https:// URL without spaces, quotes or user:password@", "a webhook"},
}};

constexpr bool in_enumerator_order() {
  for (size_t i = 0; i < kKinds.size(); ++i) {
    if (static_cast<size_t>(kKinds[i].kind) != i) return false;
  }
  return true;
}
static_assert(in_enumerator_order(), "kKinds[i] must describe DestinationKind value i");

}  // namespace

std::span<const DestinationKindInfo> destination_kinds() { return kKinds; }

const DestinationKindInfo& destination_kind_info(DestinationKind kind) {
  return kKinds[static_cast<size_t>(kind)];
}

std::string_view destination_kind_name(DestinationKind kind) {
  return destination_kind_info(kind).name;
}

std::optional<DestinationKind> destination_kind_named(std::string_view name) {
  for (const DestinationKindInfo& info : kKinds) {
    if (info.name == name) return info.kind;
  }
  return std::nullopt;
}

}  // namespace fmn
