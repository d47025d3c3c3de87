#include <map>

#include "core/log.h"
#include "pipeline/service_impl.h"
#include "sinks/digest_store_factory.h"
#include "sinks/notification_codec.h"

namespace fmn::pipeline {

Result<std::string> Service::Impl::list_dead_letters(const std::string& user) {
  constexpr size_t kLimit = 1000;  // per kind
  std::string out;
  for (const auto& outbox : outboxes) {
    auto listed = outbox->list_dead_letters(user, kLimit);
    if (!listed) return listed.error();
    for (const sinks::DeadLetterRecord& d : listed.value()) {
      // Tabs and newlines are the listing's separators: none inside a field.
      const std::string_view fields[] = {outbox->kind(), d.id, d.user, d.address, d.reason};
      for (size_t f = 0; f < std::size(fields); ++f) {
        if (f > 0) out += '\t';
        for (char c : fields[f]) out += c == '\t' || c == '\n' || c == '\r' ? ' ' : c;
      }
      out += '\n';
    }
  }
  return out;
}

// Each kind's dead letters go back through its worker, as a batch the router would hand it:
// into the outbox first (durable once submit() returns), and only then out of the dead letters,
// so a crash in between replays them again rather than losing them.
Result<std::string> Service::Impl::replay_dead_letters(const std::string& user, size_t limit) {
  std::string out;
  for (const auto& outbox : outboxes) {
    SinkWorker* worker = nullptr;
    for (const auto& w : workers) {
      if (w->outbox() == outbox.get()) worker = w.get();
    }
    const auto kind = destination_kind_named(outbox->kind());
    if (worker == nullptr || !kind) continue;
    size_t undecodable = 0;
    auto letters = outbox->read_dead_letters(user, limit, undecodable);
    if (!letters) return letters.error();
    auto batch = std::make_shared<std::vector<Notification>>();
    std::vector<std::string> ids;
    for (sinks::ReplayableDeadLetter& d : letters.value()) {
      ids.push_back(d.id);
      for (Notification& n : d.notifications) batch->push_back(std::move(n));
    }
    if (!batch->empty()) {
      // A notification given up is marked like a delivered one, which the kind's digest
      // batcher would skip: the marks go first.
      auto store = sinks::open_digest_store(sinks::kind_digest_redis(*redis_config(), *kind));
      if (!store) return store.error();
      for (const Notification& n : *batch) {
        auto forgotten = (*store)->forget(sinks::delivery_id(n));
        if (!forgotten) return forgotten.error();
      }
      worker->submit(batch);
      auto deleted = outbox->delete_dead_letters(ids);
      if (!deleted) return deleted.error();
    }
    log::info("dead_letters_replayed", {{"sink", outbox->kind()},
                                        {"user", user},
                                        {"dead_letters", ids.size()},
                                        {"notifications", batch->size()},
                                        {"undecodable", undecodable}});
    out += outbox->kind() + "\t" + std::to_string(ids.size()) + " dead letters, " +
           std::to_string(batch->size()) + " notifications replayed";
    if (undecodable > 0) out += ", " + std::to_string(undecodable) + " undecodable left";
    out += "\n";
  }
  return out;
}

void Service::Impl::trim_dead_letters() {
  for (const auto& outbox : outboxes) {
    auto trimmed = outbox->trim_dead_letters(std::chrono::system_clock::now());
    if (!trimmed) {
      log::warn("outbox_error", {{"sink", outbox->kind()}, {"error", trimmed.error().message}});
    }
  }
}

}  // namespace fmn::pipeline
