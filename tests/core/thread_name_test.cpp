#include "core/thread_name.h"

#include <gtest/gtest.h>
#include <pthread.h>

#include <future>
#include <string>

namespace fmn {
namespace {

std::string name_of(pthread_t thread) {
  char name[16] = {};
  EXPECT_EQ(pthread_getname_np(thread, name, sizeof name), 0);
  return name;
}

TEST(ThreadName, NamesTheCallingThread) {
  std::thread named([] {
    name_this_thread("sink-email");
    EXPECT_EQ(name_of(pthread_self()), "sink-email");
  });
  named.join();
}

TEST(ThreadName, NamesAnotherThreadKeepingTheFirstFifteenBytes) {
  std::promise<void> named, checked;
  std::thread thread([&] {
    named.get_future().wait();
    checked.set_value();
  });
  name_thread(thread, "outbox-a-long-destination-kind");
  EXPECT_EQ(name_of(thread.native_handle()), "outbox-a-long-d");
  named.set_value();
  checked.get_future().wait();
  thread.join();
}

TEST(ThreadName, AThreadThatIsNotRunningIsLeftAlone) {
  std::thread none;
  name_thread(none, "nothing");  // no thread to name: nothing happens
  EXPECT_FALSE(none.joinable());
}

}  // namespace
}  // namespace fmn
