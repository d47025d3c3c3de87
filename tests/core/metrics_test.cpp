#include "core/metrics.h"

#include <gtest/gtest.h>

#include <thread>

namespace fmn::metrics {
namespace {

TEST(Metrics, RendersPrometheusTextFormat) {
  Registry r;
  Counter& received = r.counter("fmn_messages_received_total", "Messages received.");
  Counter& ok = r.counter("fmn_delivered_total", "Delivered.", {{"sink", "email"}});
  Counter& bad = r.counter("fmn_delivered_total", "Delivered.", {{"sink", "irc"}});
  Gauge& depth = r.gauge("fmn_queue_depth", "Queued batches.");
  r.gauge_fn("fmn_generation", "Rule generation.", [] { return 7.0; });
  Histogram& h =
      r.histogram("fmn_stage_seconds", "Stage latency.", {0.001, 0.01}, {{"stage", "parse"}});
  received.inc(3);
  ok.inc();
  bad.inc(2);
  depth.set(5);
  h.observe(0.0005);
  h.observe(0.005);
  h.observe(1);

  EXPECT_EQ(r.render(),
            "# HELP fmn_messages_received_total Messages received.\n"
            "# TYPE fmn_messages_received_total counter\n"
            "fmn_messages_received_total 3\n"
            "# HELP fmn_delivered_total Delivered.\n"
            "# TYPE fmn_delivered_total counter\n"
            "fmn_delivered_total{sink=\"email\"} 1\n"
            "fmn_delivered_total{sink=\"irc\"} 2\n"
            "# HELP fmn_queue_depth Queued batches.\n"
            "# TYPE fmn_queue_depth gauge\n"
            "fmn_queue_depth 5\n"
            "# HELP fmn_generation Rule generation.\n"
            "# TYPE fmn_generation gauge\n"
            "fmn_generation 7\n"
            "# HELP fmn_stage_seconds Stage latency.\n"
            "# TYPE fmn_stage_seconds histogram\n"
            "fmn_stage_seconds_bucket{stage=\"parse\",le=\"0.001\"} 1\n"
            "fmn_stage_seconds_bucket{stage=\"parse\",le=\"0.01\"} 2\n"
            "fmn_stage_seconds_bucket{stage=\"parse\",le=\"+Inf\"} 3\n"
            "fmn_stage_seconds_sum{stage=\"parse\"} 1.0055\n"
            "fmn_stage_seconds_count{stage=\"parse\"} 3\n");
}

TEST(Metrics, LabelValuesAreEscaped) {
  Registry r;
  r.counter("fmn_x_total", "X.", {{"why", "a\"b\\c\nd"}}).inc();
  EXPECT_NE(r.render().find("fmn_x_total{why=\"a\\\"b\\\\c\\nd\"} 1\n"), std::string::npos);
}

TEST(Metrics, CountersAreExactUnderConcurrency) {
  Registry r;
  Counter& c = r.counter("fmn_c_total", "C.");
  Histogram& h = r.histogram("fmn_h_seconds", "H.", latency_buckets());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 100000; ++i) {
        c.inc();
        h.observe(1e-5);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(c.value(), 400000u);
  EXPECT_EQ(h.count(), 400000u);
  EXPECT_EQ(h.cumulative(latency_buckets().size()), 400000u);
}

}  // namespace
}  // namespace fmn::metrics
