// Sign-ins on many threads share one JwksCache: they all verify, and the keys are fetched once.
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "tests/support/fake_clock.h"
#include "tests/web/oidc/claims_builder.h"
#include "tests/web/oidc/fake_http_client.h"
#include "tests/web/oidc/test_keys.h"
#include "web/oidc/id_token_verifier.h"

namespace fmn::oidc {
namespace {

TEST(JwksCacheConcurrencyTest, ConcurrentVerificationsFetchTheKeysOnce) {
  constexpr char kJwksUri[] = "https://id.example.org/jwks";
  const test::TestKey key = test::TestKey::ec_p256("ec-1");
  test::FakeClock clock;
  test::FakeHttpClient::State http_state;
  http_state.answers[kJwksUri] = {200, test::jwk_set({key.public_jwk()})};
  test::FakeHttpClient http(http_state);
  JwksCache cache(http, kJwksUri, clock);
  const auto now =
      std::chrono::duration_cast<std::chrono::seconds>(clock.wall().time_since_epoch()).count();
  const std::string token = key.sign(key.header(), test::Claims(now).json());
  const IdTokenExpectations want{test::kIssuer, test::kClientId, test::kNonce};

  std::atomic<int> verified{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 20; ++i) {
        if (verify_id_token(token, want, cache, clock.wall()).ok()) ++verified;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(verified.load(), 8 * 20);
  EXPECT_EQ(http_state.count(kJwksUri), 1u);
}

}  // namespace
}  // namespace fmn::oidc
