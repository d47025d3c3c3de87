#include "prefs/pg_text.h"

namespace fmn::prefs::pg {

void split_copy_line(std::string_view line, std::vector<std::string_view>& fields) {
  fields.clear();
  size_t start = 0;
  while (true) {
    size_t tab = line.find('\t', start);
    if (tab == std::string_view::npos) {
      fields.push_back(line.substr(start));
      return;
    }
    fields.push_back(line.substr(start, tab - start));
    start = tab + 1;
  }
}

void copy_unescape(std::string_view field, std::string& out) {
  out.clear();
  size_t backslash = field.find('\\');
  if (backslash == std::string_view::npos) {
    out.assign(field);
    return;
  }
  out.reserve(field.size());
  for (size_t i = 0; i < field.size(); ++i) {
    char c = field[i];
    if (c != '\\' || i + 1 == field.size()) {
      out += c;
      continue;
    }
    switch (char e = field[++i]) {
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'v':
        out += '\v';
        break;
      default:
        out += e;  // "\\" and any other escaped character stand for themselves
    }
  }
}

bool parse_text_array(std::string_view s, std::vector<std::string>& out) {
  out.clear();
  if (s.size() < 2 || s.front() != '{' || s.back() != '}') return false;
  size_t i = 1, end = s.size() - 1;
  if (i == end) return true;
  while (i <= end) {
    std::string item;
    if (i < end && s[i] == '"') {
      for (++i; i < end && s[i] != '"'; ++i) {
        if (s[i] == '\\' && i + 1 < end) ++i;
        item += s[i];
      }
      if (i >= end) return false;
      ++i;  // closing quote
    } else {
      size_t stop = s.find(',', i);
      if (stop == std::string_view::npos || stop > end) stop = end;
      item.assign(s.substr(i, stop - i));
      if (item.empty() || item == "NULL") return false;
      i = stop;
    }
    out.push_back(std::move(item));
    if (i == end) return true;
    if (s[i] != ',') return false;
    ++i;
  }
  return false;
}

std::string format_text_array(const std::vector<std::string>& items) {
  std::string out = "{";
  for (size_t n = 0; n < items.size(); ++n) {
    out += n ? ",\"" : "\"";
    for (char c : items[n]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

}  // namespace fmn::prefs::pg
