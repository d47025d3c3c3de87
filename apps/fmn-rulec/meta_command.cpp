// `fmn-rulec meta FILE.jsonl`: what the meta extractor derives from each message of a JSON-lines
// file, one compact JSON object a line (see fmn::meta_to_json), or {"error": "..."} for a line
// that is not a fedmsg envelope.

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

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
  while (std::getline(in, line)) {
    auto m = parse_envelope(line);
    if (!m) {
      std::puts(error_line(m.error().message).c_str());
      continue;
    }
    extractor.value()->extract(*m.value());
    std::puts(meta_to_json(m.value()->meta).c_str());
  }
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
      "Print the metadata (category, usernames, packages, agent, objects, link, subtitle, title) "
      "derived from each message of a JSON-lines file, one JSON object a line");
  cmd->add_option("file", opt->file, "JSON-lines file of fedmsg envelopes (- for stdin)")
      ->required();
  cmd->add_option("--tables", opt->tables_dir,
                  "Directory of meta tables (*.toml) to use instead of the built-in ones");
  cmd->add_option("--aliases", opt->aliases_file,
                  "Account alias file ([aliases] email-or-nick = account) instead of the "
                  "built-in one");
  cmd->callback([opt] { exit_status() = run_meta(*opt); });
}

}  // namespace fmn::rulec
