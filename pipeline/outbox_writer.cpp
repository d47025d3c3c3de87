#include "pipeline/outbox_writer.h"

#include <algorithm>
#include <span>

namespace fmn::pipeline {

OutboxWriter::OutboxWriter(sinks::RedisOutbox& outbox, Written written, Failed failed)
    : outbox_(outbox), written_(std::move(written)), failed_(std::move(failed)) {
  thread_ = std::thread([this] { run(); });
}

OutboxWriter::~OutboxWriter() { stop(); }

void OutboxWriter::write(Batch batch) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(batch));
  }
  not_empty_.notify_one();
}

void OutboxWriter::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  not_empty_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void OutboxWriter::run() {
  std::vector<Batch> taken;
  std::vector<std::span<const Notification>> spans;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      not_empty_.wait(lock, [&] { return !queue_.empty() || stopping_; });
      if (queue_.empty()) return;  // stopping, and everything written
      const size_t n = std::min(queue_.size(), kMaxGroup);
      taken.assign(std::make_move_iterator(queue_.begin()),
                   std::make_move_iterator(queue_.begin() + static_cast<ptrdiff_t>(n)));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<ptrdiff_t>(n));
    }
    spans.clear();
    for (const Batch& b : taken) spans.emplace_back(*b);
    auto ids = outbox_.append_all(spans);
    if (!ids) failed_(ids.error());
    for (size_t i = 0; i < taken.size(); ++i) {
      written_(std::move(taken[i]), ids ? std::move((*ids)[i]) : std::string());
    }
  }
}

}  // namespace fmn::pipeline
