#include "fuzz/corpus_messages.h"

#include <fstream>
#include <string>

#include "core/envelope_parser.h"
#include "core/meta_extractor.h"

namespace fmn::fuzz {
namespace {

constexpr size_t kStride = 7;  // about 55 of the 380 messages

std::vector<std::unique_ptr<Message>> load() {
  std::vector<std::unique_ptr<Message>> out;
  auto extractor = MetaExtractor::builtin(builtin_aliases());
  if (!extractor) return out;
  std::ifstream in(std::string(FMN_CORPUS_DIR) + "/fedmsg-real.jsonl");
  std::string line;
  for (size_t n = 0; std::getline(in, line); ++n) {
    if (n % kStride != 0) continue;
    auto m = parse_envelope(line);
    if (!m) continue;
    extractor.value()->extract(*m.value());
    out.push_back(std::move(m).value());
  }
  return out;
}

dsl::UserParams user(std::string me, std::vector<std::string> packages) {
  dsl::UserParams p;
  p.me = std::move(me);
  p.my_packages = std::move(packages);
  p.followed_users = {"bodhi", "kevin"};
  p.my_groups = {"packager"};
  p.normalize();
  return p;
}

}  // namespace

const std::vector<std::unique_ptr<Message>>& corpus_sample() {
  static const std::vector<std::unique_ptr<Message>> messages = load();
  return messages;
}

const std::vector<dsl::UserParams>& sample_users() {
  static const std::vector<dsl::UserParams> users = {
      user("ralph", {"kernel", "python-fedmsg-meta-fedora-infrastructure"}),
      user("pingou", {"pagure", "guake"}),
      dsl::UserParams{},
  };
  return users;
}

}  // namespace fmn::fuzz
