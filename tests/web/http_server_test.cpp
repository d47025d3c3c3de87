// The web app's HTTP server behind the shared listener (net/listener.h): out of descriptors it
// answers busy and then serves again; over the per-address limit it answers busy.
#include "web/http_server.h"

#include <gtest/gtest.h>

#include <memory>

#include "tests/support/no_free_descriptors.h"
#include "tests/support/raw_http_client.h"

namespace fmn::web {
namespace {

using namespace std::chrono_literals;

std::unique_ptr<HttpServer> serve(HttpServerConfig config = {}) {
  auto server = HttpServer::open(std::move(config), [](const HttpRequest& request) {
    HttpResponse response;
    response.content_type = "text/plain";
    response.body = "hello " + request.path + "\n";
    return response;
  });
  if (!server) return nullptr;
  server.value()->serve();
  return std::move(server).value();
}

TEST(HttpServer, AnswersBusyWhenOutOfDescriptorsAndAcceptsAgainOnceFree) {
  if (test::kSanitizerNeedsDescriptors) GTEST_SKIP() << "the sanitizer runtime needs descriptors";
  auto server = serve();
  ASSERT_NE(server, nullptr);
  const auto got = test::request_out_of_descriptors(server->port(), test::get("/app"));
  ASSERT_TRUE(got.exhausted);
  EXPECT_NE(got.text.find("HTTP/1.1 503 Service Unavailable\r\n"), std::string::npos) << got.text;
  EXPECT_NE(got.text.find("\r\nRetry-After: 5\r\n"), std::string::npos) << got.text;
  EXPECT_TRUE(got.closed);
  EXPECT_GE(server->listener().accept_errors(), 1u);
  EXPECT_TRUE(test::wait_for(
      [&] { return server->listener().refused(net::Refusal::kNoDescriptors) == 1; }));
  test::Client later(server->port(), test::get("/app"));
  EXPECT_NE(later.read_until("hello /app").find("HTTP/1.1 200 OK\r\n"), std::string::npos);
}

TEST(HttpServer, RefusesConnectionsOverThePerAddressLimitWith503AndRetryAfter) {
  HttpServerConfig config;
  config.limits.max_connections_per_ip = 1;
  config.limits.retry_after = 4s;
  auto server = serve(config);
  ASSERT_NE(server, nullptr);
  test::Client first(server->port(), test::get("/first"));
  EXPECT_NE(first.read_until("hello /first").find("200 OK"), std::string::npos);  // kept alive

  test::Client second(server->port(), test::get("/second"));
  const std::string& got = second.read_until("retry later");
  EXPECT_NE(got.find("HTTP/1.1 503 Service Unavailable\r\n"), std::string::npos) << got;
  EXPECT_NE(got.find("\r\nRetry-After: 4\r\n"), std::string::npos) << got;
  EXPECT_EQ(server->listener().refused(net::Refusal::kPerAddress), 1u);
  EXPECT_EQ(server->listener().refused(net::Refusal::kTotal), 0u);
}

}  // namespace
}  // namespace fmn::web
