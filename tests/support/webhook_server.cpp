#include "tests/support/webhook_server.h"

#include <rapidjson/document.h>

#include <fstream>
#include <thread>

namespace fmn::embedded {
std::string_view webhook_receiver_py();
}  // namespace fmn::embedded

namespace fmn::test {
namespace {

std::string text_of(const rapidjson::Value& doc, const char* key) {
  return doc.HasMember(key) && doc[key].IsString() ? doc[key].GetString() : "";
}

}  // namespace

Result<WebhookServer> WebhookServer::start(const std::string& secret) {
  auto dir = TempDir::create("webhook");
  if (!dir.ok()) return dir.error();
  auto port = pick_free_port();
  if (!port.ok()) return port.error();
  const auto script = dir.value() / "webhook_receiver.py";
  if (auto written = write_file(script, embedded::webhook_receiver_py()); !written.ok()) {
    return written.error();
  }
  const int p = port.value();
  ServerSpec spec{
      .name = "webhook receiver (python3 http.server)",
      .address = loopback_address(p),
      .spawn = {.argv = {"/usr/bin/python3", script.string(), "--port", std::to_string(p), "--dir",
                         dir.value().path().string(), "--secret", secret},
                .log = dir.value() / "webhook.log"},
      .ready = [p] { return port_accepts(p); },
  };
  auto process = ServerProcess::start(std::move(spec));
  if (!process.ok()) return process.error();
  return WebhookServer(std::move(dir).value(), std::move(process).value(), p);
}

Status WebhookServer::set_mode(WebhookMode mode) {
  const char* text = "accept\n";
  if (mode == WebhookMode::kFail) text = "fail\n";
  if (mode == WebhookMode::kNoEcho) text = "no-echo\n";
  return write_file(dir_ / "mode", text);
}

Result<std::vector<WebhookRequest>> WebhookServer::requests() const {
  std::vector<WebhookRequest> out;
  std::ifstream in(dir_ / "requests.jsonl");
  for (std::string line; std::getline(in, line);) {
    if (in.eof()) break;  // no newline yet: the server is still writing this line
    rapidjson::Document doc;
    doc.Parse(line.data(), line.size());
    if (doc.HasParseError() || !doc.IsObject()) {
      return Error{ErrorCode::kIo, "webhook receiver: malformed record: " + line};
    }
    WebhookRequest r{text_of(doc, "path"), text_of(doc, "event"), text_of(doc, "timestamp"),
                     text_of(doc, "signature"), text_of(doc, "body")};
    r.signature_valid = doc.HasMember("signature_valid") && doc["signature_valid"].IsTrue();
    r.status = doc.HasMember("status") && doc["status"].IsInt() ? doc["status"].GetInt() : 0;
    out.push_back(std::move(r));
  }
  return out;
}

Result<std::vector<WebhookRequest>> WebhookServer::wait_for_requests(size_t count,
                                                                     Duration timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto got = requests();
    if (!got.ok() || got->size() >= count) return got;
    if (std::chrono::steady_clock::now() >= deadline) {
      return Error{ErrorCode::kIo, "webhook receiver: " + std::to_string(got->size()) + " of " +
                                       std::to_string(count) + " requests; server output:\n" +
                                       process_.log_text()};
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace fmn::test
