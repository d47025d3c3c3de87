#include "tests/faults/scenario.h"

#include <hiredis/hiredis.h>

#include <algorithm>
#include <memory>
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

std::string user_prefs(const UserSpec& u) {
  return "[[users]]\nname = \"" + u.name + "\"\n[[users.destinations]]\nkind = \"" + u.kind +
         "\"\naddress = \"" + u.address + "\"\n" +
         (u.token.empty() ? "" : "token = \"" + u.token + "\"\n") + "[[users.rules]]\nname = \"" +
         u.rule + "\"\nsource = '" + u.source + "'\ndeliver = [" + u.delivery + "]\n";
}

std::string servers_config(const std::string& bus_endpoint, const std::string& smtp_url,
                           const std::string& redis_address, const std::string& irc_address) {
  std::string out;
  if (!bus_endpoint.empty()) out += "[source]\nconnect = [\"" + bus_endpoint + "\"]\n";
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

long long outbox_notifications(const test::RedisServer& redis, const std::string& kind) {
  std::unique_ptr<redisContext, decltype(&redisFree)> c(
      redisConnect(redis.host().c_str(), redis.port()), &redisFree);
  if (!c || c->err) return -1;
  auto* entries =
      static_cast<redisReply*>(redisCommand(c.get(), "XRANGE fmn:outbox:%s - +", kind.c_str()));
  if (entries == nullptr) return -1;
  long long n = 0;
  for (size_t i = 0; i < entries->elements; ++i) {
    const redisReply* fields = entries->element[i]->element[1];
    for (size_t f = 1; f < fields->elements; f += 2) {
      std::string_view items(fields->element[f]->str, fields->element[f]->len);
      n += static_cast<long long>(std::count(items.begin(), items.end(), '\n'));
    }
  }
  freeReplyObject(entries);
  return n;
}

bool wait_notifications(const test::RedisServer& redis, const std::string& kind, long long count,
                        test::Duration timeout) {
  return wait_for_count([&] { return outbox_notifications(redis, kind); }, count, timeout);
}

}  // namespace fmn::faults
