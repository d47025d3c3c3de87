// The admission stage: runs on parsed batches in source order, one batch at a time. Tracks
// each publisher's sequence numbers (gaps, restarts: counted) and drops messages whose msg_id
// was seen recently (the same message from two endpoints). Dropped duplicates are counted.
// What is admitted is offered to the recent-message recorder, when there is one.
#pragma once

#include "bus/dedupe_window.h"
#include "bus/sequence_tracker.h"
#include "pipeline/batches.h"
#include "pipeline/pipeline_stats.h"
#include "pipeline/recent_recorder.h"

namespace fmn::pipeline {

class AdmissionStage {
 public:
  // `recorder` may be null; it outlives the stage.
  AdmissionStage(PipelineStats& stats, size_t dedupe_window, RecentRecorder* recorder = nullptr)
      : stats_(stats), dedupe_(dedupe_window), recorder_(recorder) {}

  // REQUIRES: batches arrive in source order, from one thread at a time.
  void operator()(ParsedBatch& batch);

  bus::SequenceStats sequence_stats() const { return sequence_.stats(); }

 private:
  PipelineStats& stats_;
  bus::SequenceTracker sequence_;
  bus::DedupeWindow dedupe_;
  RecentRecorder* recorder_;
};

}  // namespace fmn::pipeline
