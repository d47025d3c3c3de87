// Publishes messages to a RabbitMQ broker the way fedora-messaging does, with an independent
// client: /usr/bin/python3 and Debian's python3-pika (the library fedora-messaging builds on).
// Each message goes to `amq.topic` with routing key = topic, delivery_mode 2 (persistent),
// content_type application/json, content_encoding, message_id, and the headers
// fedora_messaging_schema, sent-at, fedora_messaging_severity and one
// fedora_messaging_user_<name> / fedora_messaging_rpm_<name> per person and package; publisher
// confirms make publish() return only once the broker has every message. Thread-compatible.
#pragma once

#include <string>
#include <vector>

#include "tests/support/child_process.h"
#include "tests/support/status.h"

namespace fmn::test {

struct FedoraMessage {
  std::string topic;
  std::string id;    // message_id
  std::string body;  // the body as sent (normally JSON)
  std::vector<std::string> users, packages;
  int severity = 20;  // INFO
  std::string encoding = "utf-8";
};

// `url`: amqp://guest:guest@127.0.0.1:<port>. The script and the message file go to a temp
// dir removed afterwards.
Status publish_fedora_messages(const std::string& url, const std::vector<FedoraMessage>& messages,
                               Duration timeout = std::chrono::seconds(120));

}  // namespace fmn::test
