#include "dsl/syntax_hints.h"

#include <fmt/format.h>

#include <array>
#include <cctype>

namespace fmn::dsl {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

bool is_name_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// “ ” ‘ ’ and the low quotes „ ‚, as word processors and chat clients type them.
std::optional<std::string_view> smart_quote_at(std::string_view text, uint32_t at) {
  static constexpr std::array<std::string_view, 6> kQuotes = {"\xE2\x80\x9C", "\xE2\x80\x9D",
                                                              "\xE2\x80\x98", "\xE2\x80\x99",
                                                              "\xE2\x80\x9E", "\xE2\x80\x9A"};
  for (std::string_view q : kQuotes) {
    if (text.substr(at, q.size()) == q) return q;
  }
  return std::nullopt;
}

// `name(` or `name (` ending at `at`: the name, else empty.
std::string_view called_name(std::string_view text, uint32_t at) {
  if (at >= text.size() || text[at] != '(') return {};
  uint32_t end = at;
  while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
  uint32_t begin = end;
  while (begin > 0 && is_name_char(text[begin - 1])) --begin;
  return text.substr(begin, end - begin);
}

bool is_case_function(std::string_view name) {
  for (std::string_view f : {"lower", "upper", "lowercase", "uppercase", "tolower", "toupper",
                             "casefold", "lcase", "ucase"}) {
    if (name == f) return true;
  }
  return false;
}

}  // namespace

std::optional<SyntaxMessage> refine_syntax_error(std::string_view text, uint32_t at, Code code) {
  if (at == 0 && text.starts_with(kBom)) {
    return SyntaxMessage{"the file starts with a byte order mark (U+FEFF)",
                         "save the file as UTF-8 without a BOM"};
  }
  if (std::optional<std::string_view> q = smart_quote_at(text, at)) {
    bool single = *q == "\xE2\x80\x98" || *q == "\xE2\x80\x99" || *q == "\xE2\x80\x9A";
    return SyntaxMessage{fmt::format("`{}` is a typographic quote, not `\"`", *q),
                         single ? "strings are written between plain double quotes: \"...\""
                                : "write plain double quotes: \"...\" (your editor may have "
                                  "replaced them)"};
  }
  if (std::string_view name = called_name(text, at); !name.empty()) {
    return SyntaxMessage{
        fmt::format("`{}(...)` looks like a function call, but the language has no functions",
                    name),
        is_case_function(name)
            ? std::string("did you mean `matches \"(?i)...\"`? For example: "
                          "msg.title matches \"(?i)^kernel\"")
            : std::string("tests are comparisons such as `msg.a == \"x\"`, joined with `and`, "
                          "`or`, `not`")};
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
