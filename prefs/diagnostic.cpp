#include "prefs/diagnostic.h"

#include <algorithm>

namespace fmn::prefs {
namespace {

// The text of line `line` (1-based) of `text`, without its newline; empty when out of range.
std::string_view line_of(std::string_view text, uint32_t line) {
  size_t begin = 0;
  for (uint32_t n = 1; n < line; ++n) {
    begin = text.find('\n', begin);
    if (begin == std::string_view::npos) return {};
    ++begin;
  }
  size_t end = text.find('\n', begin);
  return text.substr(begin, end == std::string_view::npos ? text.size() - begin : end - begin);
}

}  // namespace

bool has_errors(const std::vector<Diagnostic>& diagnostics) {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

std::string render(const Diagnostic& d, std::string_view file_name, std::string_view file_text) {
  std::string out;
  if (!file_name.empty()) {
    out += file_name;
    if (d.pos.line != 0) {
      out += ":" + std::to_string(d.pos.line) + ":" + std::to_string(d.pos.column);
    }
    out += ": ";
  }
  out += severity_name(d.severity);
  out += ": ";
  if (!d.where.empty()) out += d.where + ": ";
  out += d.message + "\n";
  std::string_view line = d.pos.line != 0 ? line_of(file_text, d.pos.line) : std::string_view();
  if (!line.empty()) {
    std::string number = std::to_string(d.pos.line);
    out += std::string(4 - std::min<size_t>(4, number.size()), ' ') + number + " | ";
    out += line;
    out += "\n     | ";
    // Keep tabs so the caret lines up under the same column in a terminal.
    for (uint32_t c = 1; c < d.pos.column && c - 1 < line.size(); ++c) {
      out += line[c - 1] == '\t' ? '\t' : ' ';
    }
    out += "^\n";
  }
  if (!d.hint.empty()) out += "     hint: " + d.hint + "\n";
  return out;
}

std::string render(const std::vector<Diagnostic>& diagnostics, std::string_view file_name,
                   std::string_view file_text) {
  std::string out;
  for (const auto& d : diagnostics) out += render(d, file_name, file_text);
  return out;
}

}  // namespace fmn::prefs
