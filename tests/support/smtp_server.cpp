#include "tests/support/smtp_server.h"

#include <rapidjson/document.h>

#include <fstream>
#include <iterator>
#include <string_view>
#include <thread>

namespace fmn::embedded {
std::string_view smtp_recorder_py();
}  // namespace fmn::embedded

namespace fmn::test {
namespace {

Error io_error(std::string message) { return Error{ErrorCode::kIo, std::move(message)}; }

Result<ReceivedMail> parse_record(const std::filesystem::path& dir, const std::string& line) {
  rapidjson::Document doc;
  doc.Parse(line.data(), line.size());
  if (doc.HasParseError() || !doc.IsObject() || !doc.HasMember("file") || !doc["file"].IsString() ||
      !doc.HasMember("mail_from") || !doc["mail_from"].IsString() || !doc.HasMember("rcpt_tos") ||
      !doc["rcpt_tos"].IsArray()) {
    return io_error("smtp recorder: malformed record: " + line);
  }
  ReceivedMail mail;
  mail.mail_from = doc["mail_from"].GetString();
  for (const auto& rcpt : doc["rcpt_tos"].GetArray()) {
    if (rcpt.IsString()) mail.rcpt_to.emplace_back(rcpt.GetString());
  }
  std::ifstream data(dir / doc["file"].GetString(), std::ios::binary);
  if (!data) return io_error(std::string("smtp recorder: missing ") + doc["file"].GetString());
  mail.data.assign(std::istreambuf_iterator<char>(data), std::istreambuf_iterator<char>());
  return mail;
}

// The messages an index file of the recorder lists, oldest first.
Result<std::vector<ReceivedMail>> read_index(const std::filesystem::path& dir, const char* name) {
  std::vector<ReceivedMail> mails;
  std::ifstream index(dir / name);
  for (std::string line; std::getline(index, line);) {
    if (index.eof()) break;  // no newline yet: the recorder is still writing this line
    auto mail = parse_record(dir, line);
    if (!mail.ok()) return mail.error();
    mails.push_back(std::move(mail).value());
  }
  return mails;
}

}  // namespace

Result<SmtpServer> SmtpServer::start(int port) {
  auto dir = TempDir::create("smtp");
  if (!dir.ok()) return dir.error();
  if (port == 0) {
    auto free = pick_free_port();
    if (!free.ok()) return free.error();
    port = free.value();
  }
  const auto script = dir.value() / "smtp_recorder.py";
  if (auto written = write_file(script, embedded::smtp_recorder_py()); !written.ok()) {
    return written.error();
  }
  ServerSpec spec{
      .name = "SMTP recorder (python3-aiosmtpd)",
      .address = loopback_address(port),
      .spawn = {.argv = {"/usr/bin/python3", script.string(), "--port", std::to_string(port),
                         "--dir", dir.value().path().string()},
                .log = dir.value() / "smtp.log"},
      .ready = [port] { return port_accepts(port); },
  };
  auto process = ServerProcess::start(std::move(spec));
  if (!process.ok()) return process.error();
  return SmtpServer(std::move(dir).value(), std::move(process).value(), port);
}

Status SmtpServer::set_mode(SmtpMode mode) {
  const char* text = "accept\n";
  switch (mode) {
    case SmtpMode::kAccept:
      break;
    case SmtpMode::kRejectPermanent:
      text = "reject\n";
      break;
    case SmtpMode::kRejectTransient:
      text = "tempfail\n";
      break;
    case SmtpMode::kRefuseData:
      text = "reject-data\n";
      break;
    case SmtpMode::kSlow:
      text = "slow\n";
      break;
  }
  return write_file(dir_ / "mode", text);
}

Status SmtpServer::release_held() { return write_file(dir_ / "release", "release\n"); }

Result<std::vector<ReceivedMail>> SmtpServer::received() const {
  return read_index(dir_.path(), "received.jsonl");
}

Result<std::vector<ReceivedMail>> SmtpServer::refused() const {
  return read_index(dir_.path(), "refused.jsonl");
}

Result<std::vector<ReceivedMail>> SmtpServer::wait_for_mail(size_t count, Duration timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto mails = received();
    if (!mails.ok() || mails->size() >= count) return mails;
    if (std::chrono::steady_clock::now() >= deadline) {
      return io_error("smtp recorder: " + std::to_string(mails->size()) + " of " +
                      std::to_string(count) + " messages within " +
                      std::to_string(timeout.count()) + " ms; server output:\n" + log_text());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

}  // namespace fmn::test
