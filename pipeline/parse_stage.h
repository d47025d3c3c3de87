// The parse stage: raw records to parsed messages with the meta indexing needs extracted (a
// message its source parsed already, as the AMQP source does, only has its meta extracted);
// the deferred fields are left to Message::complete_meta(), which the match stage calls for the
// display fields of the messages that caused a notification, and rules for the fields they
// read. Bad records are
// counted and reported with their origin (line number or receive counter) through `report`, then
// skipped; the batch goes on. With signature checks on, a message whose fedmsg signature does not
// verify is counted by outcome, reported through `rejected` and skipped too. Stateless apart from
// the counters: safe to run on several threads at once. The MetaExtractor and the verifier must
// outlive the stage.
#pragma once

#include <functional>
#include <string>

#include "core/envelope_parser.h"
#include "core/meta_extractor.h"
#include "core/signature_verifier.h"
#include "pipeline/batches.h"
#include "pipeline/pipeline_stats.h"

namespace fmn::pipeline {

struct SignatureChecks {
  const SignatureVerifier* verifier = nullptr;  // null: off
  std::function<void(const Message&, const SignatureCheck&)> rejected;
};

class ParseStage {
 public:
  using Report = std::function<void(const std::string&)>;
  ParseStage(const MetaExtractor& meta, PipelineStats& stats, Report report,
             SignatureChecks signatures = {})
      : meta_(meta),
        stats_(stats),
        report_(std::move(report)),
        signatures_(std::move(signatures)) {}

  ParsedBatchPtr operator()(const RawBatchPtr& raw) const;

 private:
  const MetaExtractor& meta_;
  PipelineStats& stats_;
  Report report_;
  SignatureChecks signatures_;
  ParseOptions options_;
};

}  // namespace fmn::pipeline
