// The standard output of a shell command (e.g. curl reading an SSE stream for a while), for
// tests that drive real command-line clients. Empty when the command cannot be started.
#pragma once

#include <string>

namespace fmn::test {

std::string command_output(const std::string& shell_command);

}  // namespace fmn::test
