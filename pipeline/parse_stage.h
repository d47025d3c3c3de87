// The parse stage: raw records to parsed messages with their meta extracted. Bad records are
// counted and reported with their origin (line number or receive counter) through `report`, then
// skipped; the batch goes on. Stateless apart from the counters: safe to run on several threads at
// once. The MetaExtractor must outlive the stage.
#pragma once

#include <functional>
#include <string>

#include "core/envelope_parser.h"
#include "core/meta_extractor.h"
#include "pipeline/batches.h"
#include "pipeline/pipeline_stats.h"

namespace fmn::pipeline {

class ParseStage {
 public:
  using Report = std::function<void(const std::string&)>;
  ParseStage(const MetaExtractor& meta, PipelineStats& stats, Report report)
      : meta_(meta), stats_(stats), report_(std::move(report)) {}

  ParsedBatchPtr operator()(const RawBatchPtr& raw) const;

 private:
  const MetaExtractor& meta_;
  PipelineStats& stats_;
  Report report_;
  ParseOptions options_;
};

}  // namespace fmn::pipeline
