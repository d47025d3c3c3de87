#include "tests/faults/scenario.h"

#include <thread>

namespace fmn::faults {

std::string one_user_prefs(const std::string& rule_source, const std::string& delivery) {
  return "version = 1\n"
         "[[users]]\nname = \"ralph\"\n"
         "[[users.destinations]]\nkind = \"email\"\naddress = \"ralph@example.org\"\n"
         "[[users.destinations]]\nkind = \"irc\"\naddress = \"" +
         std::string(kIrcNick) +
         "\"\n"
         "[[users.rules]]\nname = \"watched\"\nsource = '" +
         rule_source + "'\ndeliver = [" + delivery + "]\n";
}

std::string servers_config(const std::string& bus_endpoint, const std::string& smtp_url,
                           const std::string& redis_address, const std::string& irc_address) {
  std::string out = "[source]\nconnect = [\"" + bus_endpoint + "\"]\n";
  if (!smtp_url.empty()) out += "[email]\nsmtp_url = \"" + smtp_url + "\"\n";
  if (!redis_address.empty()) out += "[state]\nredis = \"" + redis_address + "\"\n";
  if (!irc_address.empty()) out += "[irc]\nserver = \"" + irc_address + "\"\n";
  return out;
}

bool wait_for_count(const std::function<long long()>& count, long long want,
                    test::Duration timeout) {
  for (auto deadline = std::chrono::steady_clock::now() + timeout;
       std::chrono::steady_clock::now() < deadline;
       std::this_thread::sleep_for(std::chrono::milliseconds(50))) {
    if (count() == want) return true;
  }
  return false;
}

}  // namespace fmn::faults
