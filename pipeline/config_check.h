// `fmn-pipeline --check-config`: what a start would do, without starting (like `nginx -t`).
//
// Validates the configuration (validate()), loads the preferences (the file, the built-in
// demo's, or the database without migrating it) and probes every server the configuration
// names: bus endpoints, Redis, SMTP and IRC by TCP, that the SSE and admin ports are free, and
// the OpenID provider (its client secret file and discovery).
// Prints one line per check ("ok" or "error"), then what the service would run. Returns the
// number of problems: 0 when a start should succeed.
#pragma once

#include <cstdio>

#include "pipeline/service_config.h"

namespace fmn::pipeline {

int check_config(const ServiceConfig& config, std::FILE* out);

}  // namespace fmn::pipeline
