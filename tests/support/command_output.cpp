#include "tests/support/command_output.h"

#include <array>
#include <cstdio>

namespace fmn::test {

std::string command_output(const std::string& shell_command) {
  std::string out;
  FILE* pipe = ::popen(shell_command.c_str(), "r");
  if (pipe == nullptr) return out;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0) out.append(buf.data(), n);
  ::pclose(pipe);
  return out;
}

}  // namespace fmn::test
