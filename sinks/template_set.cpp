#include "sinks/template_set.h"

#include <toml++/toml.h>
#include <fstream>
#include <sstream>

namespace fmn::embedded {
std::string_view default_templates();
}

namespace fmn::sinks {
namespace {

struct Slot {
  const char* table;
  const char* key;
  Escape escape;
  Template TemplateSet::*member;
};

constexpr Slot kSlots[] = {
    {"email", "subject", Escape::kPlain, &TemplateSet::email_subject},
    {"email", "text", Escape::kPlain, &TemplateSet::email_text},
    {"email", "html", Escape::kHtml, &TemplateSet::email_html},
    {"digest", "subject", Escape::kPlain, &TemplateSet::digest_subject},
    {"digest", "text", Escape::kPlain, &TemplateSet::digest_text},
    {"digest", "text_item", Escape::kPlain, &TemplateSet::digest_text_item},
    {"digest", "html", Escape::kHtml, &TemplateSet::digest_html},
    {"digest", "html_item", Escape::kHtml, &TemplateSet::digest_html_item},
    {"irc", "line", Escape::kPlain, &TemplateSet::irc_line},
    {"sse", "text", Escape::kPlain, &TemplateSet::sse_text},
    {"confirmation", "subject", Escape::kPlain, &TemplateSet::confirmation_subject},
    {"confirmation", "text", Escape::kPlain, &TemplateSet::confirmation_text},
    {"confirmation", "irc", Escape::kPlain, &TemplateSet::confirmation_irc},
};

}  // namespace

Result<std::shared_ptr<const TemplateSet>> TemplateSet::parse(std::string_view name,
                                                              std::string_view text) {
  toml::table root;
  try {  // toml++ reports syntax errors by exception; they stop here
    root = toml::parse(text, name);
  } catch (const toml::parse_error& e) {
    return Error{ErrorCode::kInvalidConfig,
                 std::string(name) + ":" + std::to_string(e.source().begin.line) + ":" +
                     std::to_string(e.source().begin.column) + ": " + std::string(e.description())};
  }
  auto set = std::make_shared<TemplateSet>();
  for (const Slot& slot : kSlots) {
    const std::string where = std::string(name) + ": [" + slot.table + "] " + slot.key;
    const toml::node* node = root.at_path(std::string(slot.table) + "." + slot.key).node();
    if (node == nullptr || !node->is_string()) {
      return Error{ErrorCode::kInvalidConfig, where + ": missing (a string is required)"};
    }
    // Error lines are relative to the file, so the template's own line numbers are offset.
    const auto line = node->source().begin.line;
    auto t = Template::compile(where + " (from line " + std::to_string(line) + ")",
                               **node->as_string(), slot.escape);
    if (!t) return t.error();
    (*set).*slot.member = std::move(t.value());
  }
  return std::shared_ptr<const TemplateSet>(std::move(set));
}

Result<std::shared_ptr<const TemplateSet>> TemplateSet::load_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{ErrorCode::kIo, path + ": cannot open"};
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse(path, buffer.str());
}

std::shared_ptr<const TemplateSet> TemplateSet::builtin() {
  static const std::shared_ptr<const TemplateSet> set = [] {
    auto parsed = parse("default.toml", embedded::default_templates());
    // The embedded file is checked by the unit tests; failing here is a build defect.
    if (!parsed) std::abort();
    return parsed.value();
  }();
  return set;
}

}  // namespace fmn::sinks
