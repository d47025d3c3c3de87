#include "core/fedora_messaging_headers.h"

#include <algorithm>
#include <array>
#include <string_view>

namespace fmn {
namespace {

struct ListHeader {
  std::string_view prefix;
  std::vector<std::string> Meta::*list;
};

constexpr std::array kListHeaders = {
    ListHeader{"fedora_messaging_user_", &Meta::usernames},
    ListHeader{"fedora_messaging_rpm_", &Meta::packages},
    ListHeader{"fedora_messaging_container_", &Meta::containers},
    ListHeader{"fedora_messaging_module_", &Meta::modules},
    ListHeader{"fedora_messaging_flatpak_", &Meta::flatpaks},
};

}  // namespace

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
    for (size_t k = 0; k < kListHeaders.size(); ++k) {
      std::string_view prefix = kListHeaders[k].prefix;
      if (key.size() <= prefix.size() || key.substr(0, prefix.size()) != prefix) continue;
      seen[k] = true;
      if (member.value.IsBool() && member.value.GetBool()) {
        found[k].emplace_back(key.substr(prefix.size()));
      }
      break;
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
