#include "pipeline/admission_stage.h"

namespace fmn::pipeline {

void AdmissionStage::operator()(ParsedBatch& batch) {
  size_t dropped = dedupe_.filter(batch.messages);
  stats_.duplicates.fetch_add(dropped, std::memory_order_relaxed);
  sequence_.observe(batch.messages);
  if (recorder_ != nullptr) recorder_->offer(batch);
}

}  // namespace fmn::pipeline
