// Thread names, as ps -L, top -H, perf and gdb show them: each long-lived thread of the service
// says what it does ("stage", "sink-email", "outbox-irc"...), and a bench can sum the CPU of each
// kind of thread from /proc (bench/thread_cpu.h). Best effort: a name the kernel does not take
// is left as it was; only its first 15 bytes are kept (the kernel's limit).
#pragma once

#include <string_view>
#include <thread>

namespace fmn {

void name_this_thread(std::string_view name);
void name_thread(std::thread& thread, std::string_view name);

}  // namespace fmn
