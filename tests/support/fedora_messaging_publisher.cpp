#include "tests/support/fedora_messaging_publisher.h"

#include <fstream>

#include "core/json_writer.h"
#include "tests/support/temp_dir.h"

namespace fmn::embedded {
std::string_view fedora_messaging_publisher_py();
}  // namespace fmn::embedded

namespace fmn::test {
namespace {

void write_strings(JsonWriter& w, const char* key, const std::vector<std::string>& items) {
  w.Key(key);
  w.StartArray();
  for (const std::string& s : items) w.String(s.c_str());
  w.EndArray();
}

}  // namespace

Status publish_fedora_messages(const std::string& url, const std::vector<FedoraMessage>& messages,
                               Duration timeout) {
  auto dir = TempDir::create("fm-publish");
  if (!dir.ok()) return dir.error();
  {
    std::ofstream script(dir.value() / "publisher.py");
    script << embedded::fedora_messaging_publisher_py();
    std::ofstream lines(dir.value() / "messages.jsonl");
    for (const FedoraMessage& m : messages) {
      JsonBuffer buffer;
      JsonWriter w(buffer);
      w.StartObject();
      w.Key("topic");
      w.String(m.topic.c_str());
      w.Key("id");
      w.String(m.id.c_str());
      w.Key("body");
      w.String(m.body.data(), static_cast<rapidjson::SizeType>(m.body.size()));
      write_strings(w, "users", m.users);
      write_strings(w, "packages", m.packages);
      w.Key("severity");
      w.Int(m.severity);
      w.Key("encoding");
      w.String(m.encoding.c_str());
      w.EndObject();
      lines << buffer.GetString() << "\n";
    }
    if (!lines.flush() || !script.flush()) {
      return Error{ErrorCode::kIo, "cannot write the publisher's files"};
    }
  }
  return ChildProcess::run({.argv = {"/usr/bin/python3", (dir.value() / "publisher.py").string(),
                                     url, (dir.value() / "messages.jsonl").string()},
                            .log = dir.value() / "publisher.log"},
                           timeout);
}

}  // namespace fmn::test
