#include "core/destination_address.h"

#include <algorithm>
#include <cstring>

namespace fmn {
namespace {

constexpr size_t kMaxEmailBytes = 254;
constexpr size_t kMaxLocalPartBytes = 64;
constexpr size_t kMaxNickBytes = 30;
constexpr size_t kMaxNameBytes = 64;
constexpr size_t kMaxUrlBytes = 2000;

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }

bool is_atext(char c) {
  return is_alnum(c) || (c != '\0' && std::strchr("!#$%&'*+-/=?^_`{|}~", c) != nullptr);
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
      if (!is_digit(c)) return false;
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
    if (!std::all_of(label.begin(), label.end(), [](char c) { return is_alnum(c) || c == '-'; })) {
      return false;
    }
    if (dot == std::string_view::npos) return true;
    s.remove_prefix(dot + 1);
  }
}

}  // namespace

bool is_email_address(std::string_view address) {
  if (address.size() > kMaxEmailBytes) return false;
  const size_t at = address.rfind('@');
  if (at == std::string_view::npos) return false;
  const std::string_view local = address.substr(0, at);
  return local.size() <= kMaxLocalPartBytes && is_dot_atom(local) &&
         is_domain(address.substr(at + 1));
}

bool is_irc_nick(std::string_view nick) {
  auto special = [](char c) {
    return std::string_view("[]\\`_^{|}").find(c) != std::string_view::npos;
  };
  if (nick.empty() || nick.size() > kMaxNickBytes || !(is_alpha(nick[0]) || special(nick[0]))) {
    return false;
  }
  return std::all_of(nick.begin(), nick.end(),
                     [&](char c) { return is_alnum(c) || special(c) || c == '-'; });
}

bool same_irc_nick(std::string_view a, std::string_view b) {
  auto fold = [](char c) {
    if (c >= 'A' && c <= 'Z') return static_cast<char>(c - 'A' + 'a');
    switch (c) {
      case '[':
        return '{';
      case ']':
        return '}';
      case '\\':
        return '|';
      case '~':
        return '^';
      default:
        return c;
    }
  };
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [&](char x, char y) { return fold(x) == fold(y); });
}

bool is_plain_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameBytes || !is_alnum(name[0])) return false;
  return std::all_of(name.begin(), name.end(),
                     [](char c) { return is_alnum(c) || c == '_' || c == '.' || c == '-'; });
}

bool is_webhook_url(std::string_view url) {
  if (url.size() > kMaxUrlBytes) return false;
  size_t scheme = 0;
  if (url.starts_with("https://")) {
    scheme = 8;
  } else if (url.starts_with("http://")) {
    scheme = 7;
  } else {
    return false;
  }
  const bool printable = std::all_of(url.begin(), url.end(), [](char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f && c != '"' && c != '<' && c != '>' && c != '\\';
  });
  if (!printable) return false;
  const std::string_view authority = url.substr(scheme, url.find_first_of("/?#", scheme) - scheme);
  return !authority.empty() && authority.front() != ':' &&
         authority.find('@') == std::string_view::npos;
}

std::string redacted_address(std::string_view address) {
  if (const size_t scheme = address.find("://"); scheme != std::string_view::npos) {
    const size_t host_end = address.find_first_of("/?#", scheme + 3);
    return std::string(address.substr(0, host_end)) + "/...";
  }
  if (const size_t at = address.rfind('@'); at != std::string_view::npos && at > 0) {
    return std::string(address.substr(0, 1)) + "***" + std::string(address.substr(at));
  }
  return std::string(address);
}

}  // namespace fmn
