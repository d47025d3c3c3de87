// FMN's classic rules as templates: the starting points the app's rule editor offers in one
// click ("my packages", "mentions me", ...), served by GET /api/v1/templates so a script gets the
// same list as the page.
//
//   response: {"templates": [{"id": "my-packages", "title": "My packages",
//              "description": "...", "source": "packages in $my_packages and agent != $me"}]}
//
// Each source is a stored rule's text in the rule language (docs/rules-language.md) that reads
// only the user's parameters, so the same text serves every user. Immutable; thread-safe.
#pragma once

#include <span>
#include <string_view>

#include "web/http_message.h"

namespace fmn::web {

struct RuleTemplate {
  std::string_view id;           // stable, for scripts and the page's buttons
  std::string_view title;        // also the name a new rule takes from it
  std::string_view description;  // one sentence: what the rule tells you about
  std::string_view source;       // the rule's text
};

// The templates, in the order the page shows them.
std::span<const RuleTemplate> rule_templates();

// GET /api/v1/templates.
HttpResponse rule_templates_json();

}  // namespace fmn::web
