// The sinks side of the table of destination kinds (core/destination_kinds.h): for each kind
// opened through it, the keys of its configuration section and the factory of its sink.
// fmn-pipeline reads every section this table names (the parser's schema comes from it), opens
// each kind's sink with its settings, puts a digest batcher and an outbox in front of it and
// routes the kind to it: a kind added here needs no change in pipeline/.
//
// Email, IRC and SSE are still opened by pipeline/service_sinks.cpp from typed configuration fields
// (and command-line flags); kinds added since are opened from this table only.
// Immutable; thread-safe.
#pragma once

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "core/destination_kinds.h"
#include "core/result.h"
#include "sinks/confirmation.h"
#include "sinks/sink.h"
#include "sinks/sink_settings.h"

namespace fmn::sinks {

// What the service gives every factory besides the kind's settings.
struct SinkContext {
  // The secret of a destination of a kind that has one (DestinationKindInfo::secret_holder),
  // by kind and address; empty when there is none. Called from the sink's thread; must not
  // block on a reload.
  std::function<std::string(DestinationKind, std::string_view address)> secret;
  // Where the kind's sink reports the deliveries it gives up; may be empty.
  FailureHandler on_failure;
  // Where a sink whose receivers answer confirmation requests through it hands the answers
  // (sinks/confirmation.h); may be empty: such answers are then not recorded.
  ConfirmationHandler on_answer;
};

struct DestinationSink {
  DestinationKind kind;
  std::span<const SinkSetting> settings;  // the keys of section info(kind).config_section
  // The kind's sink, or nullptr when its settings leave it off; an error stops the start-up.
  Result<std::unique_ptr<Sink>> (*open)(const SinkSettings& settings, const SinkContext& context);
};

// Every kind opened through this table.
std::span<const DestinationSink> destination_sinks();

}  // namespace fmn::sinks
