#include "prefs/file_store.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "prefs/toml_writer.h"
#include "prefs/validation.h"

namespace fmn::prefs {
namespace {

Error io_error(const std::string& what, const std::string& path) {
  return {ErrorCode::kIo, what + " " + path + ": " + std::strerror(errno)};
}

}  // namespace

Result<Population> parse_preferences_text(std::string_view text, std::string_view name,
                                          const RuleValidator& validator) {
  auto parsed = read_preferences_toml(text, name, validator);
  if (has_errors(parsed.diagnostics)) {
    return Error{ErrorCode::kInvalidConfig, render_text(parsed.diagnostics, name, text)};
  }
  return std::move(parsed.population);
}

Result<Population> read_preferences_file(const std::string& path, const RuleValidator& validator) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return io_error("cannot open", path);
  std::ostringstream text;
  text << in.rdbuf();
  return parse_preferences_text(text.str(), path, validator);
}

Status write_file_atomically(const std::string& path, std::string_view text) {
  std::string temporary = path + ".tmp";
  std::FILE* f = std::fopen(temporary.c_str(), "wb");
  if (f == nullptr) return io_error("cannot create", temporary);
  bool written = std::fwrite(text.data(), 1, text.size(), f) == text.size();
  written = std::fflush(f) == 0 && written;
  if (std::fclose(f) != 0 || !written) {
    std::remove(temporary.c_str());
    return io_error("cannot write", temporary);
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    std::remove(temporary.c_str());
    return io_error("cannot replace", path);
  }
  return ok_status();
}

Result<Population> FileStore::load_all() { return read_preferences_file(path_, validator_); }

Result<std::optional<User>> FileStore::load_user(std::string_view name) {
  auto population = load_all();
  if (!population) return population.error();
  const User* user = population->find(name);
  return user ? std::optional<User>(*user) : std::nullopt;
}

Status FileStore::put_user(const User& user) {
  auto population = load_all();
  if (!population) return population.error();
  auto& users = population->users;
  auto it =
      std::find_if(users.begin(), users.end(), [&](const User& u) { return u.name == user.name; });
  if (it == users.end()) {
    users.push_back(user);
  } else {
    *it = user;
  }
  return replace_all(*population);
}

Result<bool> FileStore::remove_user(std::string_view name) {
  auto population = load_all();
  if (!population) return population.error();
  auto& users = population->users;
  auto it = std::find_if(users.begin(), users.end(), [&](const User& u) { return u.name == name; });
  if (it == users.end()) return false;
  users.erase(it);
  auto status = write(*population);
  if (!status) return status.error();
  return true;
}

Status FileStore::replace_all(const Population& population) {
  auto diagnostics = validate_population(population, validator_);
  if (has_errors(diagnostics))
    return Error{ErrorCode::kInvalidConfig, render_text(diagnostics, "")};
  return write(population);
}

Status FileStore::write(const Population& population) {
  return write_file_atomically(path_, write_preferences_toml(population));
}

}  // namespace fmn::prefs
