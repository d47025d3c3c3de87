#include "core/thread_name.h"

#include <pthread.h>

#include <string>

namespace fmn {
namespace {

constexpr size_t kMaxNameBytes = 15;

void set_name(pthread_t thread, std::string_view name) {
  const std::string kept(name.substr(0, kMaxNameBytes));
  pthread_setname_np(thread, kept.c_str());
}

}  // namespace

void name_this_thread(std::string_view name) { set_name(pthread_self(), name); }

void name_thread(std::thread& thread, std::string_view name) {
  if (thread.joinable()) set_name(thread.native_handle(), name);
}

}  // namespace fmn
