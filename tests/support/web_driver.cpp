#include "tests/support/web_driver.h"

#include <curl/curl.h>
#include <rapidjson/document.h>

#include <memory>

#include "tests/support/loopback.h"

namespace fmn::test {
namespace {

using namespace std::chrono_literals;

size_t collect(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

}  // namespace

Result<WebDriver> WebDriver::start() {
  auto dir = TempDir::create("fmn-chromedriver");
  if (!dir) return dir.error();
  auto port = pick_free_port();
  if (!port) return port.error();
  auto child = ChildProcess::spawn(
      {{"chromedriver", "--port=" + std::to_string(*port)}, dir->path() / "chromedriver.log"});
  if (!child) return child.error();
  const int p = *port;
  auto ready = child->wait_ready(
      "chromedriver", [p] { return port_accepts(p); }, 30s);
  if (!ready) return ready.error();
  WebDriver driver(std::move(dir.value()), std::move(child.value()), p);
  auto session = driver.call("POST", "/session",
                             R"({"capabilities":{"alwaysMatch":{"browserName":"chrome",)"
                             R"("goog:chromeOptions":{"binary":"/usr/bin/chromium","args":)"
                             R"(["--headless","--no-sandbox","--disable-gpu",)"
                             R"("--disable-dev-shm-usage"]}}}})");
  if (!session) return session.error();
  rapidjson::Document d;
  session->reserve(session->size() + 16);  // RapidJSON's SSE4.2 reads 16-byte blocks
  d.Parse(session->c_str());
  if (d.HasParseError() || !d.HasMember("value") || !d["value"].HasMember("sessionId")) {
    return Error{ErrorCode::kIo, "chromedriver: no session: " + *session};
  }
  driver.session_ = d["value"]["sessionId"].GetString();
  return driver;
}

WebDriver::~WebDriver() {
  if (!session_.empty()) (void)call("DELETE", "/session/" + session_, "");
}

Result<std::string> WebDriver::open(const std::string& url) {
  return call("POST", "/session/" + session_ + "/url", R"({"url":")" + url + R"("})");
}

Result<std::string> WebDriver::execute(const std::string& script) {
  return call("POST", "/session/" + session_ + "/execute/sync",
              R"({"script":")" + script + R"(","args":[]})");
}

Result<std::string> WebDriver::call(const std::string& method, const std::string& path,
                                    const std::string& body) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  const std::string url = "http://127.0.0.1:" + std::to_string(port_) + path;
  std::string reply;
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method == "POST") curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, body.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, collect);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &reply);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, 60L);
  const CURLcode code = curl_easy_perform(curl.get());
  curl_slist_free_all(headers);
  if (code != CURLE_OK) {
    return Error{ErrorCode::kIo, std::string("chromedriver: ") + curl_easy_strerror(code) + "\n" +
                                     child_.log_text()};
  }
  return reply;
}

}  // namespace fmn::test
