#include "pipeline/parse_stage.h"

#include "core/envelope_writer.h"

namespace fmn::pipeline {

ParsedBatchPtr ParseStage::operator()(const RawBatchPtr& raw) const {
  auto out = std::make_shared<ParsedBatch>();
  out->seq = raw->seq;
  out->messages.reserve(raw->items.size());
  for (const bus::RawMessage& r : raw->items) {
    std::shared_ptr<Message> m = r.parsed;
    if (!m) {
      auto parsed = parse_envelope(r.payload, r.topic, options_);
      if (!parsed) {
        stats_.parse_errors.fetch_add(1, std::memory_order_relaxed);
        report_("line " + std::to_string(r.origin) + ": " + parsed.error().message);
        continue;
      }
      m = std::move(parsed).value();
    }
    if (signatures_.verifier != nullptr) {
      // A message the source parsed has no envelope text of its own: its envelope is written.
      std::string written;
      std::string_view envelope = r.payload;
      if (r.parsed) envelope = written = write_envelope(*m);
      SignatureCheck check = signatures_.verifier->verify(envelope);
      if (check.outcome != SignatureOutcome::kOk) {
        stats_.signature_rejected[static_cast<size_t>(check.outcome)].fetch_add(
            1, std::memory_order_relaxed);
        signatures_.rejected(*m, check);
        continue;
      }
    }
    meta_.extract(*m, MetaParts::kIndex);
    out->messages.push_back(std::move(m));
  }
  stats_.received.fetch_add(raw->items.size(), std::memory_order_relaxed);
  return out;
}

}  // namespace fmn::pipeline
