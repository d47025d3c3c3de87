#include "sinks/email_address.h"

#include <cstring>

namespace fmn::sinks {
namespace {

bool is_atext(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::strchr("!#$%&'*+-/=?^_`{|}~", c) != nullptr && c != '\0';
}

bool is_dot_atom(std::string_view s) {
  if (s.empty() || s.front() == '.' || s.back() == '.') return false;
  char prev = '\0';
  for (char c : s) {
    if (c == '.' ? prev == '.' : !is_atext(c)) return false;
    prev = c;
  }
  return true;
}

bool is_ipv4_literal(std::string_view s) {
  if (s.size() < 9 || s.front() != '[' || s.back() != ']') return false;
  s = s.substr(1, s.size() - 2);
  int parts = 0;
  while (!s.empty()) {
    const size_t dot = s.find('.');
    const std::string_view part = s.substr(0, dot);
    if (part.empty() || part.size() > 3) return false;
    int value = 0;
    for (char c : part) {
      if (c < '0' || c > '9') return false;
      value = value * 10 + (c - '0');
    }
    if (value > 255) return false;
    ++parts;
    if (dot == std::string_view::npos) break;
    s.remove_prefix(dot + 1);
    if (s.empty()) return false;
  }
  return parts == 4;
}

bool is_domain(std::string_view s) {
  if (s.empty() || s.size() > 253) return false;
  if (s.front() == '[') return is_ipv4_literal(s);
  while (true) {
    const size_t dot = s.find('.');
    const std::string_view label = s.substr(0, dot);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      const bool ok =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      if (!ok) return false;
    }
    if (dot == std::string_view::npos) return true;
    s.remove_prefix(dot + 1);
  }
}

}  // namespace

bool is_valid_email_address(std::string_view address) {
  if (address.size() > 254) return false;
  const size_t at = address.rfind('@');
  if (at == std::string_view::npos) return false;
  const std::string_view local = address.substr(0, at);
  return local.size() <= 64 && is_dot_atom(local) && is_domain(address.substr(at + 1));
}

}  // namespace fmn::sinks
