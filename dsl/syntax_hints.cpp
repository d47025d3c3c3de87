#include "dsl/syntax_hints.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

namespace fmn::dsl {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";
// Longer call arguments are not copied into hints.
constexpr size_t kMaxQuoted = 60;

bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// “ ” ‘ ’, the low quotes „ ‚, guillemets « » and the full-width ＂, as word processors, chat
// clients and input methods type them.
std::optional<std::string_view> smart_quote_at(std::string_view text, uint32_t at) {
  static constexpr std::array<std::string_view, 9> kQuotes = {
      "\xE2\x80\x9C", "\xE2\x80\x9D", "\xE2\x80\x98", "\xE2\x80\x99", "\xE2\x80\x9E",
      "\xE2\x80\x9A", "\xC2\xAB",     "\xC2\xBB",     "\xEF\xBC\x82"};
  for (std::string_view q : kQuotes) {
    if (text.substr(at, q.size()) == q) return q;
  }
  return std::nullopt;
}

bool is_path_char(char c) { return is_name_char(c) || c == '.' || c == '$'; }

// A call `name(argument)`, or `receiver.name(argument)` as in methods.
struct Call {
  std::string_view name;
  std::string_view receiver;  // the path before `.name`, or empty
  std::string_view argument;  // the text between the parentheses, or empty if not on one line
};

// The call whose `(` is at `at`, if the text there is `name(` or `name (`.
std::optional<Call> call_at(std::string_view text, uint32_t at) {
  if (at >= text.size() || text[at] != '(') return std::nullopt;
  uint32_t end = at;
  while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
  uint32_t begin = end;
  while (begin > 0 && is_name_char(text[begin - 1])) --begin;
  if (begin == end) return std::nullopt;
  Call call{text.substr(begin, end - begin), {}, {}};
  if (begin > 0 && text[begin - 1] == '.') {
    uint32_t r = begin - 1;
    while (r > 0 && is_path_char(text[r - 1])) --r;
    call.receiver = text.substr(r, begin - 1 - r);
  }
  size_t close = text.find_first_of(")\n", at + 1);
  if (close != std::string_view::npos && text[close] == ')' && close - at - 1 <= kMaxQuoted) {
    call.argument = text.substr(at + 1, close - at - 1);
  }
  return call;
}

// The field the writer meant to call the function on, for the example in the hint.
std::string_view subject(const Call& call) {
  if (!call.receiver.empty()) return call.receiver;
  std::string_view a = call.argument;
  if (!a.empty() && (std::isalpha(static_cast<unsigned char>(a[0])) || a[0] == '$') &&
      std::all_of(a.begin(), a.end(), is_path_char)) {
    return a;
  }
  return "msg.title";
}

bool is_operator(std::string_view name) {
  return name == "startswith" || name == "endswith" || name == "contains" || name == "matches";
}

bool is_case_function(std::string_view name) {
  for (std::string_view f : {"lower", "upper", "lowercase", "uppercase", "tolower", "toupper",
                             "casefold", "lcase", "ucase", "toLowerCase", "toUpperCase"}) {
    if (name == f) return true;
  }
  return false;
}

std::string function_hint(const Call& call) {
  if (is_case_function(call.name)) {
    std::string_view field = subject(call);
    return fmt::format(
        "did you mean `{0} ==* \"...\"` or `{0} matches \"(?i)...\"`? A `*` against an operator "
        "ignores case: `==*`, `!=*`, `in*`, `~*`, `startswith*`, `endswith*`, `contains*`",
        field);
  }
  if (is_operator(call.name) && !call.receiver.empty() && !call.argument.empty()) {
    return fmt::format("`{}` is an operator: write `{} {} {}`", call.name, call.receiver, call.name,
                       call.argument);
  }
  return "tests are comparisons such as `msg.a == \"x\"`, joined with `and`, `or`, `not`";
}

}  // namespace

std::optional<SyntaxMessage> refine_syntax_error(std::string_view text, uint32_t at, Code code) {
  if (at == 0 && text.starts_with(kBom)) {
    return SyntaxMessage{"the file starts with a byte order mark (U+FEFF)",
                         "save the file as UTF-8 without a BOM"};
  }
  if (text.substr(at, kBom.size()) == kBom) {
    return SyntaxMessage{"an invisible byte order mark (U+FEFF) is here",
                         "remove it: joining files saved with a BOM leaves one at the start of "
                         "each"};
  }
  if (std::optional<std::string_view> q = smart_quote_at(text, at)) {
    bool single = *q == "\xE2\x80\x98" || *q == "\xE2\x80\x99" || *q == "\xE2\x80\x9A";
    return SyntaxMessage{fmt::format("`{}` is a typographic quote, not `\"`", *q),
                         single ? "strings are written between plain double quotes: \"...\""
                                : "write plain double quotes: \"...\" (your editor may have "
                                  "replaced them)"};
  }
  if (std::optional<Call> call = call_at(text, at)) {
    return SyntaxMessage{
        fmt::format("`{}(...)` looks like a function call, but the language has no functions",
                    call->name),
        function_hint(*call)};
  }
  if (code == Code::kBadEscape && at < text.size()) {
    // `at` is the character after the backslash.
    uint32_t c = at > 0 && text[at - 1] == '\\' ? at : at + 1;
    if (c < text.size() && text[c] != '\n') {
      constexpr std::string_view kEscapes =
          "the escapes are \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX";
      std::string hint =
          text[c] == '.' ? fmt::format(
                               "write `\\\\.`: in a string a regular expression's `\\.` needs its "
                               "backslash doubled; {}",
                               kEscapes)
                         : fmt::format("for a backslash followed by `{0}` write `\\\\{0}`; {1}",
                                       text[c], kEscapes);
      return SyntaxMessage{fmt::format("unknown escape sequence `\\{}`", text[c]), std::move(hint)};
    }
  }
  return std::nullopt;
}

}  // namespace fmn::dsl
