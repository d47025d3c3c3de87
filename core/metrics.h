// Metrics: counters, gauges and histograms, exposed in the Prometheus text format (0.0.4).
//
// Metrics are registered at start-up (Registry methods take a lock and return a reference that
// stays valid for the Registry's life); the hot path then only touches atomics through that
// reference: no lock, no allocation. Names follow Prometheus conventions: `fmn_` prefix,
// counters end in `_total`, units in the name. Label values must never be user ids or
// addresses (unbounded cardinality); they name stages, sinks, outcomes.
#pragma once

#include <atomic>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace fmn::metrics {

using Labels = std::vector<std::pair<std::string, std::string>>;

class Counter {
 public:
  void inc(uint64_t n = 1) { v_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> v_{0};
};

class Gauge {
 public:
  void set(int64_t v) { v_.store(v, std::memory_order_relaxed); }
  void add(int64_t d) { v_.fetch_add(d, std::memory_order_relaxed); }
  int64_t value() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> v_{0};
};

// Fixed buckets (upper bounds, in the metric's unit, ascending). observe() is lock-free.
class Histogram {
 public:
  explicit Histogram(std::vector<double> bounds);
  void observe(double v);
  const std::vector<double>& bounds() const { return bounds_; }
  // Cumulative count for bucket i (i == bounds().size() is +Inf), total count and sum.
  uint64_t cumulative(size_t i) const;
  uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  double sum() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<uint64_t>[]> buckets_;
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sum_nanos_{0};  // sum * 1e9, so it can be an integer atomic
};

// Latency buckets in seconds, 1 µs .. 10 s.
std::vector<double> latency_buckets();

class Registry {
 public:
  Counter& counter(const std::string& name, const std::string& help, Labels labels = {});
  Gauge& gauge(const std::string& name, const std::string& help, Labels labels = {});
  Histogram& histogram(const std::string& name, const std::string& help, std::vector<double> bounds,
                       Labels labels = {});
  // A gauge computed at scrape time (queue depths, generation number).
  void gauge_fn(const std::string& name, const std::string& help, std::function<double()> fn,
                Labels labels = {});
  // A counter kept elsewhere (a stage's own atomic), read at scrape time.
  void counter_fn(const std::string& name, const std::string& help, std::function<double()> fn,
                  Labels labels = {});

  // The whole registry in the Prometheus text exposition format.
  std::string render() const;

 private:
  enum class Kind { kCounter, kGauge, kHistogram };
  struct Series {
    Labels labels;
    Counter* counter = nullptr;
    Gauge* gauge = nullptr;
    Histogram* histogram = nullptr;
    std::function<double()> fn;
  };
  struct Family {
    std::string name, help;
    Kind kind;
    std::vector<Series> series;
  };
  Family& family(const std::string& name, const std::string& help, Kind kind);

  mutable std::mutex mu_;
  std::vector<Family> families_;
  std::deque<Counter> counters_;  // deques: references stay valid as metrics are added
  std::deque<Gauge> gauges_;
  std::deque<Histogram> histograms_;
};

}  // namespace fmn::metrics
