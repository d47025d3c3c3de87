#include "core/fedora_messaging_headers.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace fmn {
namespace {

constexpr std::array kListHeaders = {
#define FMN_META_LIST(Id, member, header, doc) FedoraMessagingListHeader{header, &Meta::member},
#include "core/message_fields.def"
};

// The index in kListHeaders of the list a header names an entry of, or kListHeaders.size().
size_t list_of_header(std::string_view key) {
  for (size_t k = 0; k < kListHeaders.size(); ++k) {
    std::string_view prefix = kListHeaders[k].prefix;
    if (!prefix.empty() && key.size() > prefix.size() && key.substr(0, prefix.size()) == prefix) {
      return k;
    }
  }
  return kListHeaders.size();
}

// Lists without a header are not fedora-messaging's to replace.
constexpr auto kHeaders = [] {
  constexpr size_t n = std::count_if(kListHeaders.begin(), kListHeaders.end(),
                                     [](const auto& h) { return !h.prefix.empty(); });
  std::array<FedoraMessagingListHeader, n> out{};
  size_t i = 0;
  for (const auto& h : kListHeaders) {
    if (!h.prefix.empty()) out[i++] = h;
  }
  return out;
}();

}  // namespace

std::span<const FedoraMessagingListHeader> fedora_messaging_list_headers() { return kHeaders; }

uint32_t lists_stated_by_headers(const Message& m) {
  static_assert(kListHeaders.size() <= 32);
  uint32_t stated = 0;
  if (m.headers == nullptr || !m.headers->IsObject()) return stated;
  for (const auto& member : m.headers->GetObject()) {
    size_t k = list_of_header({member.name.GetString(), member.name.GetStringLength()});
    if (k < kListHeaders.size()) stated |= uint32_t{1} << k;
  }
  return stated;
}

void apply_fedora_messaging_headers(Message& m) {
  if (m.headers == nullptr || !m.headers->IsObject()) return;
  std::array<std::vector<std::string>, kListHeaders.size()> found;
  std::array<bool, kListHeaders.size()> seen{};
  for (const auto& member : m.headers->GetObject()) {
    std::string_view key(member.name.GetString(), member.name.GetStringLength());
    if (key == "fedora_messaging_severity") {
      if (member.value.IsInt()) m.meta.severity = member.value.GetInt();
      continue;
    }
    size_t k = list_of_header(key);
    if (k == kListHeaders.size()) continue;
    seen[k] = true;
    if (member.value.IsBool() && member.value.GetBool()) {
      found[k].emplace_back(key.substr(kListHeaders[k].prefix.size()));
    }
  }
  for (size_t k = 0; k < kListHeaders.size(); ++k) {
    if (!seen[k]) continue;
    std::vector<std::string>& list = m.meta.*kListHeaders[k].list;
    list = std::move(found[k]);
    std::sort(list.begin(), list.end());
    list.erase(std::unique(list.begin(), list.end()), list.end());
  }
}

}  // namespace fmn
