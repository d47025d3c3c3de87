// A private rabbitmq-server from tests/support: it boots, takes logins, and comes back on the
// same port after a restart or a crash.
#include <gtest/gtest.h>

#include "tests/support/rabbitmq_server.h"

namespace fmn::test {
namespace {

TEST(RabbitMqSmoke, LoginRestartAndCrash) {
  auto rabbit = RabbitMqServer::start();
  ASSERT_TRUE(rabbit.ok()) << rabbit.error().message;
  EXPECT_TRUE(amqp_login_works(rabbit->port()));
  ASSERT_TRUE(rabbit->restart().ok()) << rabbit->log_text();
  EXPECT_TRUE(amqp_login_works(rabbit->port()));
  rabbit->kill();
  EXPECT_FALSE(amqp_login_works(rabbit->port()));
  ASSERT_TRUE(rabbit->restart().ok()) << rabbit->log_text();
  EXPECT_TRUE(amqp_login_works(rabbit->port()));
}

}  // namespace
}  // namespace fmn::test
