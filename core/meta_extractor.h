// Meta extraction: derives Message::meta (what fedmsg.meta computed for the old FMN) from a parsed
// message by evaluating a rule table.
//
// The table is data (data/meta/*.toml, documented in docs/meta-extraction.md): per topic pattern,
// text templates for subtitle/link/agent and lists of templates for usernames, packages, objects,
// containers, modules and flatpaks, over JSON paths of the body and a small set of named helpers.
// It is compiled once at load time (patterns indexed by topic suffix, paths pre-split, templates
// pre-parsed), so extraction does no parsing, no regex and no allocation beyond its output.
//
// An AliasMap (e-mail address or IRC/GitHub nick -> account name) stands in for the account
// system; the `account` helper consults it.
//
// Thread-safety: a MetaExtractor is immutable after create(); extract() is const and may run on
// any number of threads at once.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/message.h"
#include "core/result.h"

namespace fmn {

using AliasMap = std::unordered_map<std::string, std::string>;  // email or nick -> account

// One table text and the name errors cite for it (a file name).
struct MetaTableSource {
  std::string name;
  std::string text;
};

// What extract() fills: everything, or the index part only (every field but the deferred ones,
// kDeferredMetaFields: FMN_META_DISPLAY and FMN_META_RULE_LIST in core/message_fields.def),
// leaving those to Message::complete_meta(). The pipeline takes the index part: rules are indexed
// and mostly evaluated on the rest, the display fields cost more to render than all the others
// while only the messages someone is notified of need them, and the rule-only lists (objects,
// the most templates of the index part) are needed only by the rules that read them.
enum class MetaParts : uint8_t { kAll, kIndex };

class MetaExtractor {
 public:
  // Compiles the given table texts, in order (earlier files' rules are tried first). Errors
  // (kInvalidConfig) name the file and the rule: "bodhi.toml: rule 3 (bodhi.update.comment):
  // subtitle: unknown helper 'nvr2name'".
  static Result<std::unique_ptr<MetaExtractor>> create(std::span<const MetaTableSource> tables,
                                                       AliasMap aliases);
  // The table compiled into the binary, with the given aliases.
  static Result<std::unique_ptr<MetaExtractor>> builtin(AliasMap aliases = {});
  // The tables from every *.toml file of `dir` except aliases.toml, in file-name order; for
  // trying out table edits without rebuilding.
  static Result<std::unique_ptr<MetaExtractor>> from_directory(const std::string& dir,
                                                               AliasMap aliases);

  ~MetaExtractor();
  MetaExtractor(const MetaExtractor&) = delete;
  MetaExtractor& operator=(const MetaExtractor&) = delete;

  // Fills m.meta (category, title, subtitle, link, agent, lists sorted and unique). Never throws.
  // A topic no rule names gets category and title from the topic and the rest from the fallback
  // rules (topic "**", data/meta/fallback.toml), and is counted (fallback_count()).
  // With MetaParts::kIndex the deferred fields stay unset until m.complete_meta(), which
  // extracts them with this extractor: it must outlive m.
  // REQUIRES: m was produced by parse_envelope (m.body is not null); m is not shared yet.
  void extract(Message& m, MetaParts parts = MetaParts::kAll) const;

  // Number of compiled rules, for start-up logs.
  size_t rule_count() const;
  // True when no rule but the fallback names `title` (a topic without its `<prefix>.<env>.`,
  // as in Message::topic_suffix): such messages get only the fallback's generic meta.
  bool falls_back(std::string_view title) const;
  // Messages extract() handed to the fallback since create(); read at scrape time.
  uint64_t fallback_count() const;

  struct Impl;

 private:
  friend struct Message;
  // Extracts the meta fields of `fields`; the pass that takes any field not deferred also sets
  // category and title, applies the fedora-messaging headers and counts a fallback.
  void run(Message& m, MessageFieldSet fields) const;
  explicit MetaExtractor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Parses an alias table: TOML with an [aliases] table of "address-or-nick" = "account".
// `name` is cited in errors.
Result<AliasMap> parse_aliases(std::string_view toml_text, std::string_view name);

// The aliases compiled into the binary (data/meta/aliases.toml): the four the ground truth
// assumes.
AliasMap builtin_aliases();

// The compact JSON line `fmn-rulec meta` prints for a Meta: one key per meta field of
// core/message_fields.def, in its order; absent values (and empty category or title) are null,
// lists are arrays.
std::string meta_to_json(const Meta& meta);

}  // namespace fmn
