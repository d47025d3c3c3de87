#include "web/rule_templates.h"

#include "web/json_body.h"

namespace fmn::web {
namespace {

// FMN's defaults ("Events on packages that I own", "Events referring to my username") and the
// classic rules its users added most, in the words of docs/rules-language.md's tour.
constexpr RuleTemplate kTemplates[] = {
    {"my-packages", "My packages",
     "Everything about the packages you maintain, except what you did.",
     "packages in $my_packages and agent != $me"},
    {"mentions-me", "Mentions me", "Messages that name your account, except what you did.",
     "$me in usernames and agent != $me"},
    {"my-groups", "My groups' packages",
     "Everything about the packages your groups maintain, except what you did.",
     "packages in $my_group_packages and agent != $me"},
    {"followed-users", "People I follow", "What the people you follow do or are named in.",
     "agent in $followed_users or usernames in $followed_users"},
    {"followed-packages", "Packages I follow", "Everything about the packages you follow.",
     "packages in $followed_packages"},
    {"failed-builds", "Failed builds", "Koji builds of your packages that failed.",
     "topic ~ \"*.buildsys.build.state.change\" and msg.new == 3 and packages in $my_packages"},
    {"update-comments", "Comments on my updates",
     "Comments others leave on the Bodhi updates you submitted.",
     "topic ~ \"*.bodhi.update.comment\" and msg.comment.update_submitter == $me\n"
     "  and msg.comment.author != $me"},
};

}  // namespace

std::span<const RuleTemplate> rule_templates() { return kTemplates; }

HttpResponse rule_templates_json() {
  JsonBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("templates");
  w.StartArray();
  for (const RuleTemplate& t : kTemplates) {
    w.StartObject();
    w.Key("id");
    write_string(w, t.id);
    w.Key("title");
    write_string(w, t.title);
    w.Key("description");
    write_string(w, t.description);
    w.Key("source");
    write_string(w, t.source);
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return {200, "application/json", buffer.GetString(), {}};
}

}  // namespace fmn::web
