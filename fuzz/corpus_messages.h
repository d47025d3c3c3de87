// The recorded corpus (corpus/fedmsg-real.jsonl) as parsed messages with meta, for the rule
// fuzzers to evaluate what they compile against real messages.
//
// Loaded once, on first use, and kept for the process; read-only afterwards, so any thread may
// read it. Empty when the corpus cannot be read (the fuzzers then still exercise the front end).
#pragma once

#include <memory>
#include <vector>

#include "core/message.h"
#include "dsl/user_params.h"

namespace fmn::fuzz {

// Every `stride`-th message of the corpus (a sample keeps each fuzz iteration fast).
const std::vector<std::unique_ptr<Message>>& corpus_sample();

// Two users whose parameters occur in the corpus, and one with none: rules with `$me` and
// `$my_packages` take both branches. Normalised.
const std::vector<dsl::UserParams>& sample_users();

}  // namespace fmn::fuzz
