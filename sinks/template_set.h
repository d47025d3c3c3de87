// The templates for every destination, loaded from one TOML data file (data/templates/
// default.toml is compiled into the binary; an operator may point to their own file).
//
// Loading validates every template (unknown fields, unbalanced sections, missing keys) and
// reports the first problem with the file name, table and line. Immutable once loaded; share it
// as shared_ptr<const TemplateSet> between renderers on any threads.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "sinks/template.h"

namespace fmn::sinks {

struct TemplateSet {
  Template email_subject, email_text, email_html;
  Template digest_subject, digest_text, digest_text_item, digest_html, digest_html_item;
  Template irc_line;
  Template sse_text;
  Template confirmation_subject, confirmation_text, confirmation_irc;

  // Parses TOML `text`; `name` labels error messages.
  static Result<std::shared_ptr<const TemplateSet>> parse(std::string_view name,
                                                          std::string_view text);
  static Result<std::shared_ptr<const TemplateSet>> load_file(const std::string& path);
  // The templates compiled into the binary (data/templates/default.toml).
  static std::shared_ptr<const TemplateSet> builtin();
};

}  // namespace fmn::sinks
