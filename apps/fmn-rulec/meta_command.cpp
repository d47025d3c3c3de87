// `fmn-rulec meta FILE.jsonl`: what the meta extractor derives from each message of a JSON-lines
// file, one compact JSON object a line (see fmn::meta_to_json), or {"error": "..."} for a line
// that is not a fedmsg envelope. With --coverage, a report instead: how many messages and
// topics no table names (their meta came from the fallback rules alone), and which topics.

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <vector>

#include "apps/fmn-rulec/commands.h"
#include "core/envelope_parser.h"
#include "core/json_writer.h"
#include "core/meta_extractor.h"

namespace fmn::rulec {
namespace {

struct MetaOptions {
  std::string file;
  std::string tables_dir;
  std::string aliases_file;
  bool coverage = false;
};

// Messages and topics seen, and those only the fallback rules described.
struct Coverage {
  size_t messages = 0;
  size_t fallback_messages = 0;
  std::map<std::string, size_t, std::less<>> topics;     // title -> messages
  std::map<std::string, size_t, std::less<>> fallbacks;  // title -> messages

  void add(const MetaExtractor& extractor, std::string_view title) {
    ++messages;
    ++topics[std::string(title)];
    if (!extractor.falls_back(title)) return;
    ++fallback_messages;
    ++fallbacks[std::string(title)];
  }

  void print() const {
    auto share = [](size_t part, size_t whole) {
      return whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
    };
    std::printf("messages: %zu, handled by the fallback only: %zu (%.1f%%)\n", messages,
                fallback_messages, share(fallback_messages, messages));
    std::printf("topics: %zu, handled by the fallback only: %zu (%.1f%%)\n", topics.size(),
                fallbacks.size(), share(fallbacks.size(), topics.size()));
    std::vector<std::pair<std::string_view, size_t>> sorted(fallbacks.begin(), fallbacks.end());
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const auto& a, const auto& b) { return a.second > b.second; });
    for (const auto& [title, count] : sorted) {
      std::printf("%8zu  %.*s\n", count, static_cast<int>(title.size()), title.data());
    }
  }
};

std::string error_line(const std::string& what) {
  JsonBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("error");
  w.String(what.c_str(), static_cast<rapidjson::SizeType>(what.size()));
  w.EndObject();
  return buffer.GetString();
}

Result<AliasMap> load_aliases(const std::string& path) {
  if (path.empty()) return builtin_aliases();
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in) return Error{ErrorCode::kIo, path + ": cannot read"};
  return parse_aliases(text.str(), path);
}

int run_meta(const MetaOptions& opt) {
  auto aliases = load_aliases(opt.aliases_file);
  if (!aliases) {
    std::fprintf(stderr, "fmn-rulec meta: %s\n", aliases.error().message.c_str());
    return 1;
  }
  auto extractor = opt.tables_dir.empty()
                       ? MetaExtractor::builtin(std::move(aliases).value())
                       : MetaExtractor::from_directory(opt.tables_dir, std::move(aliases).value());
  if (!extractor) {
    std::fprintf(stderr, "fmn-rulec meta: %s\n", extractor.error().message.c_str());
    return 1;
  }
  std::ifstream file;
  if (opt.file != "-") {
    file.open(opt.file);
    if (!file) {
      std::fprintf(stderr, "fmn-rulec meta: %s: cannot open\n", opt.file.c_str());
      return 1;
    }
  }
  std::istream& in = opt.file == "-" ? std::cin : file;
  std::string line;
  Coverage coverage;
  while (std::getline(in, line)) {
    auto m = parse_envelope(line);
    if (!m) {
      if (!opt.coverage) std::puts(error_line(m.error().message).c_str());
      continue;
    }
    if (opt.coverage) {
      coverage.add(*extractor.value(), m.value()->topic_suffix);
      continue;
    }
    extractor.value()->extract(*m.value());
    std::puts(meta_to_json(m.value()->meta).c_str());
  }
  if (opt.coverage) coverage.print();
  if (in.bad()) {
    std::fprintf(stderr, "fmn-rulec meta: %s: read error\n", opt.file.c_str());
    return 1;
  }
  return 0;
}

}  // namespace

void add_meta_command(CLI::App& app) {
  auto opt = std::make_shared<MetaOptions>();
  CLI::App* cmd = app.add_subcommand(
      "meta",
      "Print the meta fields derived from each message of a JSON-lines file, one JSON object a "
      "line with a key per field as rules name it (category, title, usernames, packages...)");
  cmd->add_option("file", opt->file, "JSON-lines file of fedmsg envelopes (- for stdin)")
      ->required();
  cmd->add_option("--tables", opt->tables_dir,
                  "Directory of meta tables (*.toml) to use instead of the built-in ones");
  cmd->add_option("--aliases", opt->aliases_file,
                  "Account alias file ([aliases] email-or-nick = account) instead of the "
                  "built-in one");
  cmd->add_flag("--coverage", opt->coverage,
                "Instead of the metadata, report which topics no meta table names (their "
                "messages get only the fallback's generic metadata), most frequent first");
  cmd->callback([opt] { exit_status() = run_meta(*opt); });
}

}  // namespace fmn::rulec
