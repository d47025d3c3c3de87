// The OpenID Connect sign-ins in progress, in this process's memory.
#include "web/memory_pending_sign_ins.h"

#include "tests/web/pending_sign_ins_contract.h"

namespace fmn::web {
namespace {

struct MemoryFactory {
  std::unique_ptr<PendingSignIns> make(PendingSignInsConfig config, const Clock& clock) {
    return std::make_unique<MemoryPendingSignIns>(config, clock);
  }
};

INSTANTIATE_TYPED_TEST_SUITE_P(MemoryPendingSignIns, PendingSignInsContract, MemoryFactory);

TEST(MemoryPendingSignIns, HoldsNoMoreThanItsCapacity) {
  test::FakeClock clock;
  MemoryPendingSignIns store({.capacity = 3}, clock);
  for (const char* state : {"a", "b", "c", "d", "e"}) {
    ASSERT_TRUE(store.add({state, "n", "v"}).ok());
  }
  EXPECT_EQ(store.size(), 3u);
}

}  // namespace
}  // namespace fmn::web
