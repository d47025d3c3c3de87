#include "core/notification.h"

#include <utility>

namespace fmn {

void Notification::set_names(std::string_view user, std::string_view rule_name,
                             std::string_view address) {
  auto names = std::make_shared<std::string>();
  names->reserve(user.size() + rule_name.size() + address.size());
  names->append(user).append(rule_name).append(address);
  std::string_view all = *names;
  refer(std::move(names), all.substr(0, user.size()), all.substr(user.size(), rule_name.size()),
        all.substr(user.size() + rule_name.size()));
}

}  // namespace fmn
