#include "sinks/stdout_sink.h"

#include "sinks/renderer.h"

#include <string>

namespace fmn::sinks {
namespace {

void append_printable(std::string& line, std::string_view text) {
  for (char c : text) line.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? ' ' : c);
}

}  // namespace

void StdoutSink::deliver(std::span<const Notification> batch) {
  std::string line;
  for (const Notification& n : batch) {
    const Message& m = *n.message;
    line.clear();
    append_printable(line, n.user);
    if (!n.address.empty()) {
      line += " (";
      line += destination_kind_name(n.destination);
      line += ' ';
      append_printable(line, n.address);
      line += ')';
    }
    line += " <- [";
    append_printable(line, n.rule_name);
    line += "] ";
    append_printable(line, m.topic);
    line += ": ";
    append_printable(line, m.meta.subtitle ? *m.meta.subtitle : m.meta.title);
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), out_);
  }
  std::fflush(out_);
  counters_.delivered.fetch_add(batch.size(), std::memory_order_relaxed);
}

}  // namespace fmn::sinks
