// Builds notifications for sink tests from real envelopes, with the meta a test chooses.
#pragma once

#include <string>
#include <vector>

#include "core/envelope_parser.h"
#include "core/notification.h"
#include "sinks/text_escape.h"

namespace fmn::sinks::testing {

struct MessageSpec {
  std::string topic = "org.fedoraproject.prod.bodhi.update.comment";
  std::string msg_id = "2024-0f3c5a1e-1111-2222-3333-444455556666";
  double timestamp = 1714564800;  // 2024-05-01 12:00:00 UTC
  std::string category = "bodhi";
  std::string title = "bodhi.update.comment";
  std::string subtitle = "ralph commented on bodhi update python-requests-2.31.0-1.fc40";
  std::string link = "https://bodhi.fedoraproject.org/updates/FEDORA-2024-abc";
  std::string agent = "ralph";
  std::vector<std::string> usernames = {"bowlofeggs", "ralph"};
  std::vector<std::string> packages = {"python-requests"};
};

inline MessagePtr make_message(const MessageSpec& spec) {
  std::string json = R"({"topic":")";
  append_json(json, spec.topic);
  json += R"(","msg_id":")";
  append_json(json, spec.msg_id);
  json += R"(","timestamp":)" + std::to_string(spec.timestamp) + R"(,"msg":{}})";
  auto parsed = parse_envelope(json);
  if (!parsed) std::abort();
  std::unique_ptr<Message> m = std::move(parsed.value());
  m->meta.category = spec.category;
  m->meta.title = spec.title;
  m->meta.subtitle = spec.subtitle;
  if (!spec.link.empty()) m->meta.link = spec.link;
  if (!spec.agent.empty()) m->meta.agent = spec.agent;
  m->meta.usernames = spec.usernames;
  m->meta.packages = spec.packages;
  return MessagePtr(std::move(m));
}

inline Notification make_notification(const MessageSpec& spec = {},
                                      DestinationKind kind = DestinationKind::kEmail,
                                      std::string_view address = "bowlofeggs@example.org") {
  Notification n;
  n.message = make_message(spec);
  n.set_names("bowlofeggs", "my updates", address);
  n.user_id = 7;
  n.rule_id = 3;
  n.destination = kind;
  return n;
}

}  // namespace fmn::sinks::testing
