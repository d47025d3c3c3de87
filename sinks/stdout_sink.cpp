#include "sinks/stdout_sink.h"

#include "sinks/renderer.h"

#include <string>

namespace fmn::sinks {
namespace {

void append_printable(std::string& line, std::string_view text) {
  for (char c : text) line.push_back(static_cast<unsigned char>(c) < 0x20 || c == 0x7f ? ' ' : c);
}

}  // namespace

void StdoutSink::append_recipient(std::string& line, std::string_view user, DestinationKind kind,
                                  std::string_view address) {
  append_printable(line, user);
  if (address.empty()) return;
  line += " (";
  line += destination_kind_name(kind);
  line += ' ';
  append_printable(line, address);
  line += ')';
}

void StdoutSink::send_confirmation(const ConfirmationRequest& request) {
  std::string line;
  append_recipient(line, request.user, request.kind, request.address);
  line += " <- confirm at ";
  append_printable(line, confirmation_url(base_url_, request, true));
  line += '\n';
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
  counters_.delivered.fetch_add(1, std::memory_order_relaxed);
}

void StdoutSink::deliver(std::span<const Notification> batch) {
  std::string line;
  for (const Notification& n : batch) {
    const Message& m = *n.message;
    line.clear();
    append_recipient(line, n.user(), n.destination, n.address());
    line += " <- [";
    append_printable(line, n.rule_name());
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
