// FileStore: preferences kept in one TOML file (the embedded default for a one-command start,
// and the import/export format).
//
// Reads validate the whole file. Writes validate the whole resulting population and replace the
// file atomically (write to a temporary sibling, then rename), in canonical form: comments and
// layout are not preserved. Not thread-safe; one writer per file.
#pragma once

#include <string>

#include "core/diagnostic.h"
#include "prefs/preference_store.h"
#include "prefs/rule_validator.h"
#include "prefs/toml_reader.h"

namespace fmn::prefs {

class FileStore : public PreferenceStore {
 public:
  FileStore(std::string path, RuleValidator validator)
      : path_(std::move(path)), validator_(std::move(validator)) {}

  Result<Population> load_all() override;
  Result<std::optional<User>> load_user(std::string_view name) override;
  Status put_user(const User& user) override;
  Result<bool> remove_user(std::string_view name) override;
  Status replace_all(const Population& population) override;

  const std::string& path() const { return path_; }

 private:
  Status write(const Population& population);

  std::string path_;
  RuleValidator validator_;
};

// Reads and validates a preferences file; the error's message is the rendered diagnostics.
Result<Population> read_preferences_file(const std::string& path, const RuleValidator& validator);

// Parses `text` as if it were the file `name`; same contract as read_preferences_file().
Result<Population> parse_preferences_text(std::string_view text, std::string_view name,
                                          const RuleValidator& validator);

// Writes `text` to `path` atomically (temporary file + rename).
Status write_file_atomically(const std::string& path, std::string_view text);

}  // namespace fmn::prefs
