#include "sinks/counting_sink.h"

namespace fmn::sinks {

void CountingSink::deliver(std::span<const Notification> batch) {
  if (renderer_) {
    for (const Notification& n : batch) {
      switch (destination_kind_info(n.destination).template_slot) {
        case TemplateSlot::kEmail:
          renderer_->email(n, email_);
          bytes_ += email_.subject.size() + email_.text.size() + email_.html.size();
          break;
        case TemplateSlot::kIrcLine:
          line_.clear();
          renderer_->irc_line(n, line_);
          bytes_ += line_.size();
          break;
        case TemplateSlot::kEventJson:
          line_.clear();
          renderer_->sse_json(n, line_);
          bytes_ += line_.size();
          break;
      }
    }
  }
  counters_.delivered.fetch_add(batch.size(), std::memory_order_relaxed);
}

void CountingSink::deliver_digest(const Digest& digest, std::span<NotificationSettled> settled) {
  ++digests_;
  if (renderer_ && !digest.items.empty()) {
    renderer_->digest_email(digest, email_);
    bytes_ += email_.subject.size() + email_.text.size() + email_.html.size();
  }
  counters_.delivered.fetch_add(digest.items.size(), std::memory_order_relaxed);
  for (NotificationSettled& s : settled) s();
}

}  // namespace fmn::sinks
