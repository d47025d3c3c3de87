// fmn-bench render: rendering + enqueue of notifications on one core, per destination, over
// the corpus' messages (parsed and meta-extracted once, outside the timing). "Enqueue" is what
// the sink's queue costs: the rendered text moved into a bounded ring (IRC, SSE, email), or the
// encoded notification added to an in-memory digest store (digest). With --recipients N each
// message is rendered for N recipients in a row, as a sink receives a message's notifications:
// what depends only on the message is rendered for the first of them.
#include <time.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <optional>
#include <string>
#include <vector>

#include "bench/bench_commands.h"
#include "bench/bench_report.h"
#include "core/envelope_parser.h"
#include "core/meta_extractor.h"
#include "sinks/memory_digest_store.h"
#include "sinks/notification_codec.h"
#include "sinks/renderer.h"

namespace fmn::bench {
namespace {

struct RenderFlags {
  std::string corpus;
  bool json = false;
  int repetitions = 7;
  uint64_t notifications = 1'000'000;
  uint32_t recipients = 1;  // notifications per message, one after another
};

Result<std::vector<Notification>> load(const std::string& path, uint32_t recipients) {
  std::ifstream in(path);
  if (!in) return Error{ErrorCode::kIo, path + ": cannot open"};
  auto meta = MetaExtractor::builtin(builtin_aliases());
  if (!meta) return meta.error();
  std::vector<Notification> out;
  std::string line;
  uint32_t i = 0;
  while (std::getline(in, line)) {
    auto m = parse_envelope(line);
    if (!m) continue;
    (*meta)->extract(*m.value());
    const MessagePtr message(std::move(m.value()));
    for (uint32_t r = 0; r < recipients; ++r) {
      Notification n;
      n.message = message;
      n.user_id = ++i;
      const std::string user = "user" + std::to_string(i % 1000);
      n.set_names(user, "packages I follow", user + "@example.org");
      out.push_back(std::move(n));
    }
  }
  return out;
}

// A bounded ring of rendered items: what a sink queue holds between stages.
class Ring {
 public:
  explicit Ring(size_t size) : slots_(size) {}
  void push(std::string& text) {
    slots_[next_].swap(text);  // the ring keeps the text; `text` gets an old buffer to reuse
    next_ = (next_ + 1) % slots_.size();
  }

 private:
  std::vector<std::string> slots_;
  size_t next_ = 0;
};

// Thread CPU time: the figure is per core even when other processes share the machine.
double cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

template <typename Body>
std::vector<Run> measure(const RenderFlags& flags, const std::vector<Notification>& corpus,
                         Body body) {
  const uint64_t passes = (flags.notifications + corpus.size() - 1) / corpus.size();
  uint64_t bytes = 0;
  for (const Notification& n : corpus) bytes += body(n);  // warm-up
  std::vector<Run> runs;
  for (int rep = 0; rep < flags.repetitions; ++rep) {
    bytes = 0;
    const double start = cpu_seconds();
    for (uint64_t p = 0; p < passes; ++p) {
      for (const Notification& n : corpus) bytes += body(n);
    }
    const double seconds = cpu_seconds() - start;
    runs.push_back({passes * corpus.size(), bytes, seconds});
  }
  return runs;
}

void run(const RenderFlags& flags) {
  auto corpus = load(flags.corpus, flags.recipients);
  if (!corpus || corpus->empty()) {
    std::fprintf(stderr, "fmn-bench render: %s\n",
                 corpus ? "the corpus is empty" : corpus.error().message.c_str());
    exit_status() = 1;
    return;
  }
  sinks::RenderConfig config;
  config.base_url = "http://localhost:8081";
  config.unsubscribe_secret = "bench";
  sinks::Renderer renderer(sinks::TemplateSet::builtin(), config);
  Ring ring(4096);
  std::string text;
  sinks::RenderedEmail email;

  std::printf(
      "render + enqueue: %zu corpus messages, %u recipients each in a row, one core (thread CPU "
      "time)\n",
      corpus->size() / flags.recipients, flags.recipients);
  print_report(stdout, "render_irc",
               measure(flags, *corpus,
                       [&](const Notification& n) {
                         text.clear();
                         renderer.irc_line(n, text);
                         const size_t size = text.size();
                         ring.push(text);
                         return size;
                       }),
               false);
  print_report(stdout, "render_sse",
               measure(flags, *corpus,
                       [&](const Notification& n) {
                         text.clear();
                         renderer.sse_json(n, text);
                         const size_t size = text.size();
                         ring.push(text);
                         return size;
                       }),
               false);
  print_report(stdout, "render_email",
               measure(flags, *corpus,
                       [&](const Notification& n) {
                         renderer.email(n, email);
                         const size_t size =
                             email.subject.size() + email.text.size() + email.html.size();
                         ring.push(email.text);
                         return size;
                       }),
               false);
  // Digest enqueue: ids get a serial number so the dedupe set accepts every pass; the store
  // is renewed every 100k items to keep memory bounded (pending digests flush in service).
  std::optional<sinks::MemoryDigestStore> store(std::in_place);
  uint64_t serial = 0;
  std::string id;
  const auto runs = measure(flags, *corpus, [&](const Notification& n) {
    text.clear();
    sinks::encode_notification(n, text);
    id = sinks::delivery_id(n);
    id += std::to_string(++serial);
    (void)store->add(n.user(), id, text, 0, 0);
    if (serial % 100'000 == 0) store.emplace();
    return text.size();
  });
  print_report(stdout, "enqueue_digest", runs, flags.json);
}

}  // namespace

void add_render_command(CLI::App& app) {
  auto flags = std::make_shared<RenderFlags>();
  CLI::App* cmd = app.add_subcommand(
      "render", "Rendering + enqueue of notifications per destination, one core");
  cmd->add_option("--corpus", flags->corpus, "JSON-lines corpus")->required();
  cmd->add_flag("--json", flags->json, "End with one JSON line of the figures");
  cmd->add_option("--repetitions", flags->repetitions, "Timed repetitions (the median is kept)")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--notifications", flags->notifications, "Notifications a repetition renders")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->add_option("--recipients", flags->recipients,
                  "Notifications of each message, rendered one after another")
      ->capture_default_str()
      ->check(CLI::PositiveNumber);
  cmd->callback([flags] { run(*flags); });
}

}  // namespace fmn::bench
