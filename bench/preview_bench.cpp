// fmn-bench preview: the web app's preview of one rule (POST /api/v1/preview's handler, without
// the network) over --messages recent messages held as the pipeline keeps them: the corpus
// parsed, meta extracted and cycled into a RecentMessages ring. Each rule is checked (cached
// after the first run) and run over every message; the median of --repetitions wall-clock runs
// is printed per rule, with the memory the ring's messages take.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

#include "bench/bench_commands.h"
#include "bench/bench_report.h"
#include "bus/file_source.h"
#include "core/envelope_parser.h"
#include "core/meta_extractor.h"
#include "web/preview_api.h"

namespace fmn::bench {
namespace {

struct PreviewFlags {
  std::string corpus = "corpus/fedmsg-real.jsonl";
  size_t messages = 100000;
  int repetitions = 9;
  std::vector<std::string> rules = {
      R"(topic ~ "*.buildsys.build.state.change" and msg.new == 3 and packages in $my_packages)",
      R"(packages in $my_packages and agent != $me and not (topic ~ "*.copr.build.start"))",
      R"($me in usernames and agent != $me)",
      R"(category == "bodhi" and msg.update.status == "stable")"};
  bool json = false;
};

// The ring filled with `count` messages, the corpus's lines parsed over and over.
Result<std::shared_ptr<sinks::RecentMessages>> fill(const PreviewFlags& flags) {
  auto source = bus::FileSource::open(flags.corpus);
  if (!source) return source.error();
  std::vector<bus::RawMessage> raw;
  while ((*source)->next_batch(raw, 1024)) {
  }
  if (raw.empty()) return Error{ErrorCode::kInvalidConfig, flags.corpus + " is empty"};
  auto meta = MetaExtractor::builtin(builtin_aliases());
  if (!meta) return meta.error();
  auto recent =
      std::make_shared<sinks::RecentMessages>(sinks::RecentMessagesConfig{flags.messages});
  const auto now = std::chrono::system_clock::now();
  for (size_t i = 0, added = 0; added < flags.messages; ++i) {
    auto m = parse_envelope(raw[i % raw.size()].payload);
    if (!m) continue;
    (*meta)->extract(*m.value());
    recent->add({MessagePtr(std::move(m).value()), now});
    ++added;
  }
  return recent;
}

void run(const PreviewFlags& flags) {
  const double rss_before = rss_mb();
  auto recent = fill(flags);
  if (!recent) {
    std::fprintf(stderr, "fmn-bench preview: %s\n", recent.error().message.c_str());
    exit_status() = 1;
    return;
  }
  std::printf("preview: %zu recent messages held, %.0f MB resident for them\n", (*recent)->size(),
              rss_mb() - rss_before);
  dsl::RuleCompiler compiler;
  dsl::UserParams params;
  params.me = "ralph";
  params.my_packages = {"kernel", "python-fedora", "fedmsg", "firefox", "rpms", "bodhi"};
  params.normalize();
  std::vector<Run> all;
  Extras extras;
  for (size_t r = 0; r < flags.rules.size(); ++r) {
    web::HttpRequest request;
    request.method = "POST";
    request.path = "/api/v1/preview";
    std::string escaped;
    for (char c : flags.rules[r]) {
      if (c == '"' || c == '\\') escaped += '\\';
      escaped += c;
    }
    request.body = "{\"source\":\"" + escaped + "\"}";
    std::vector<double> ms;
    std::string answer;
    for (int rep = 0; rep < flags.repetitions; ++rep) {
      const auto start = std::chrono::steady_clock::now();
      web::HttpResponse response =
          web::preview_rule(compiler, **recent, params, request, std::chrono::system_clock::now());
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (response.status != 200 || response.body.find("\"ok\":true") == std::string::npos) {
        std::fprintf(stderr, "fmn-bench preview: rule %zu: %s\n", r + 1, response.body.c_str());
        exit_status() = 1;
        return;
      }
      ms.push_back(seconds * 1000);
      all.push_back({(*recent)->size(), 0, seconds});
      answer = std::move(response.body);
    }
    std::sort(ms.begin(), ms.end());
    const size_t at = answer.find("\"matched\":");
    const unsigned long matched = at == std::string::npos ? 0 : std::stoul(answer.substr(at + 10));
    std::printf("  rule %zu: median %.1f ms (min %.1f, max %.1f), %lu matched: %s\n", r + 1,
                ms[ms.size() / 2], ms.front(), ms.back(), matched, flags.rules[r].c_str());
    extras.emplace_back("rule" + std::to_string(r + 1) + "_ms", ms[ms.size() / 2]);
  }
  print_report(stdout, "preview", all, flags.json, extras);
}

}  // namespace

void add_preview_command(CLI::App& app) {
  auto flags = std::make_shared<PreviewFlags>();
  CLI::App* cmd = app.add_subcommand(
      "preview", "The web app's rule preview over N recent messages held in memory");
  cmd->add_option("--corpus", flags->corpus, "JSON-lines corpus cycled into the store")
      ->capture_default_str();
  cmd->add_option("--messages", flags->messages, "Recent messages held")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--repetitions", flags->repetitions, "Timed runs per rule (the median is kept)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--rule", flags->rules, "A rule's text (repeatable); default: four of FMN's");
  cmd->add_flag("--json", flags->json, "End with one JSON line of the figures");
  cmd->callback([flags] { run(*flags); });
}

}  // namespace fmn::bench
