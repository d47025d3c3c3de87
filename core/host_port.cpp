#include "core/host_port.h"

namespace fmn {

bool split_host_port(std::string_view text, std::string& host, int& port) {
  size_t colon = text.rfind(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 == text.size()) return false;
  int p = 0;
  for (char c : text.substr(colon + 1)) {
    if (c < '0' || c > '9' || p > 65535) return false;
    p = p * 10 + (c - '0');
  }
  if (p > 65535) return false;
  host = std::string(text.substr(0, colon));
  port = p;
  return true;
}

}  // namespace fmn
