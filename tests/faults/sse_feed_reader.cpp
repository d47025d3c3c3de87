#include "tests/faults/sse_feed_reader.h"

#include <rapidjson/document.h>

#include <csignal>
#include <fstream>
#include <iterator>
#include <sstream>

namespace fmn::faults {

Result<SseFeedReader> SseFeedReader::create(std::string url) {
  auto dir = test::TempDir::create("chaos-sse");
  if (!dir) return dir.error();
  return SseFeedReader(std::move(url), std::move(dir).value());
}

std::vector<std::string> SseFeedReader::read(bool reconnect) {
  std::vector<std::string> out;
  const bool exited = curl_ && !curl_->running();
  if (!stream_.empty()) {
    std::ifstream in(stream_, std::ios::binary);
    in.seekg(static_cast<std::streamoff>(offset_));
    parse(std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()), out);
  }
  if (exited) curl_.reset();  // what it wrote before it exited is read above
  if (!curl_ && reconnect) {
    stream_ = (dir_.path() / ("stream-" + std::to_string(++connections_) + ".txt")).string();
    offset_ = 0;
    std::vector<std::string> argv{"curl", "-sSN"};
    if (!last_id_.empty()) argv.insert(argv.end(), {"-H", "Last-Event-ID: " + last_id_});
    argv.push_back(url_);
    auto curl = test::ChildProcess::spawn({argv, stream_});
    if (curl) curl_.emplace(std::move(curl).value());
  }
  return out;
}

void SseFeedReader::disconnect() {
  if (curl_) curl_->stop(SIGTERM, std::chrono::seconds(5));
  curl_.reset();
}

// Parses the whole events (each ends with a blank line) of `text`, the stream from offset_.
void SseFeedReader::parse(const std::string& text, std::vector<std::string>& out) {
  size_t start = 0;
  for (size_t end; (end = text.find("\n\n", start)) != std::string::npos; start = end + 2) {
    std::string id, data, event;
    std::istringstream lines(text.substr(start, end - start));
    for (std::string line; std::getline(lines, line);) {
      if (line.starts_with("id: ")) id = line.substr(4);
      if (line.starts_with("event: ")) event = line.substr(7);
      if (line.starts_with("data: ")) data = line.substr(6);
    }
    if (data.empty()) continue;  // a heartbeat, the retry hint
    if (!id.empty()) last_id_ = id;
    rapidjson::Document d;
    d.Parse(data.c_str());
    out.push_back(event.empty() && !d.HasParseError() && d.IsObject() && d.HasMember("msg_id") &&
                          d["msg_id"].IsString()
                      ? d["msg_id"].GetString()
                      : "(" + (event.empty() ? std::string("event") : event) + ": " +
                            data.substr(0, 200) + ")");
  }
  offset_ += start;
}

}  // namespace fmn::faults
