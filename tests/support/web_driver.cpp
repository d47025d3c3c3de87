#include "tests/support/web_driver.h"

#include <curl/curl.h>
#include <rapidjson/document.h>

#include <openssl/evp.h>

#include <fstream>
#include <memory>
#include <thread>

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

Status WebDriver::type(const std::string& selector, const std::string& keys) {
  auto found = call("POST", "/session/" + session_ + "/element",
                    R"({"using":"css selector","value":")" + selector + R"("})");
  if (!found) return found.error();
  // The W3C element reference: {"value": {"element-6066-11e4-a52e-4f735466cecf": "<id>"}}.
  rapidjson::Document d;
  found->reserve(found->size() + 16);  // RapidJSON's SSE4.2 reads 16-byte blocks
  d.Parse(found->c_str());
  constexpr char kElement[] = "element-6066-11e4-a52e-4f735466cecf";
  if (d.HasParseError() || !d.HasMember("value") || !d["value"].IsObject() ||
      !d["value"].HasMember(kElement)) {
    return Error{ErrorCode::kIo, "chromedriver: no element " + selector + ": " + *found};
  }
  auto typed = call(
      "POST", "/session/" + session_ + "/element/" + d["value"][kElement].GetString() + "/value",
      R"({"text":")" + keys + R"("})");
  if (!typed) return typed.error();
  if (typed->find(R"("error")") != std::string::npos) {
    return Error{ErrorCode::kIo, "chromedriver: " + *typed};
  }
  return ok_status();
}

Status WebDriver::wait_until(const std::string& script, Duration timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string last;
  while (std::chrono::steady_clock::now() < deadline) {
    auto reply = execute(script);
    if (!reply) return reply.error();
    if (reply->find(R"("value":true)") != std::string::npos) return ok_status();
    last = std::move(reply).value();
    std::this_thread::sleep_for(50ms);  // the page's own requests run meanwhile
  }
  return Error{ErrorCode::kIo, "the page never satisfied: " + script + "\nlast reply: " + last};
}

Status WebDriver::set_window_size(int width, int height) {
  auto reply =
      call("POST", "/session/" + session_ + "/window/rect",
           R"({"width":)" + std::to_string(width) + R"(,"height":)" + std::to_string(height) + "}");
  if (!reply) return reply.error();
  if (reply->find(R"("error")") != std::string::npos) {
    return Error{ErrorCode::kIo, "chromedriver: " + *reply};
  }
  return ok_status();
}

Status WebDriver::screenshot(const std::filesystem::path& path) {
  auto reply = call("GET", "/session/" + session_ + "/screenshot", "");
  if (!reply) return reply.error();
  rapidjson::Document d;
  reply->reserve(reply->size() + 16);  // RapidJSON's SSE4.2 reads 16-byte blocks
  d.Parse(reply->c_str());
  if (d.HasParseError() || !d.HasMember("value") || !d["value"].IsString()) {
    return Error{ErrorCode::kIo, "chromedriver: no screenshot: " + reply->substr(0, 200)};
  }
  const std::string_view base64(d["value"].GetString(), d["value"].GetStringLength());
  std::string png(base64.size() / 4 * 3 + 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(png.data()),
                                reinterpret_cast<const unsigned char*>(base64.data()),
                                static_cast<int>(base64.size()));
  if (n < 0) return Error{ErrorCode::kIo, "chromedriver: a screenshot that is not base64"};
  png.resize(static_cast<size_t>(n) - (base64.ends_with("==") ? 2 : base64.ends_with("=") ? 1 : 0));
  std::filesystem::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  out << png;
  if (!out) return Error{ErrorCode::kIo, "cannot write " + path.string()};
  return ok_status();
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
