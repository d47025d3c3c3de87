#include "web/test_notification.h"

#include "core/envelope_parser.h"
#include "prefs/confirmation.h"

namespace fmn::web {

Result<Notification> test_notification(std::string_view user, const prefs::Destination& destination,
                                       std::string_view app_url, int64_t now_unix) {
  auto parsed = bodyless_message(kTestTopic, "fmn-test-" + prefs::random_token(24),
                                 static_cast<double>(now_unix));
  if (!parsed) return parsed.error();
  std::unique_ptr<Message> m = std::move(parsed).value();
  m->meta.category = "fmn";
  m->meta.title = "fmn.test";
  m->meta.subtitle = "This is a test notification for " + std::string(user) +
                     ", sent to the destination \"" + destination.name +
                     "\" as asked in the notifications app.";
  m->meta.link = std::string(app_url);
  m->meta.usernames = {std::string(user)};
  Notification n;
  n.message = MessagePtr(std::move(m));
  n.destination = destination.kind;
  n.set_names(user, kTestRuleName, destination.address);
  return n;
}

}  // namespace fmn::web
