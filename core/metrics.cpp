#include "core/metrics.h"

#include <algorithm>
#include <charconv>
#include <cmath>

namespace fmn::metrics {
namespace {

std::string format_double(double v) {
  if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);  // shortest exact form
  return std::string(buf, end);
}

// Label values escape backslash, double quote and newline (exposition format rules).
void append_labels(std::string& out, const Labels& labels, const char* extra_key = nullptr,
                   const std::string& extra_value = {}) {
  if (labels.empty() && extra_key == nullptr) return;
  out += '{';
  bool first = true;
  auto add = [&](const std::string& k, const std::string& v) {
    if (!first) out += ',';
    first = false;
    out += k;
    out += "=\"";
    for (char c : v) {
      if (c == '\\' || c == '"') {
        out += '\\';
        out += c;
      } else if (c == '\n') {
        out += "\\n";
      } else {
        out += c;
      }
    }
    out += '"';
  };
  for (const auto& [k, v] : labels) add(k, v);
  if (extra_key != nullptr) add(extra_key, extra_value);
  out += '}';
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)),
      buckets_(std::make_unique<std::atomic<uint64_t>[]>(bounds_.size() + 1)) {}

void Histogram::observe(double v) {
  size_t i = std::lower_bound(bounds_.begin(), bounds_.end(), v) - bounds_.begin();
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_nanos_.fetch_add(static_cast<uint64_t>(std::max(0.0, v) * 1e9), std::memory_order_relaxed);
}

uint64_t Histogram::cumulative(size_t i) const {
  uint64_t total = 0;
  for (size_t b = 0; b <= i && b <= bounds_.size(); ++b) {
    total += buckets_[b].load(std::memory_order_relaxed);
  }
  return total;
}

double Histogram::sum() const { return sum_nanos_.load(std::memory_order_relaxed) / 1e9; }

std::vector<double> latency_buckets() {
  return {1e-6, 2.5e-6, 5e-6,   1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3,
          5e-3, 1e-2,   2.5e-2, 5e-2, 0.1,    0.25, 0.5,  1,      2.5,  5,    10};
}

Registry::Family& Registry::family(const std::string& name, const std::string& help, Kind kind) {
  for (Family& f : families_) {
    if (f.name == name) return f;
  }
  families_.push_back(Family{name, help, kind, {}});
  return families_.back();
}

Counter& Registry::counter(const std::string& name, const std::string& help, Labels labels) {
  std::lock_guard lock(mu_);
  Counter& c = counters_.emplace_back();
  family(name, help, Kind::kCounter)
      .series.push_back(Series{std::move(labels), &c, nullptr, nullptr, {}});
  return c;
}

Gauge& Registry::gauge(const std::string& name, const std::string& help, Labels labels) {
  std::lock_guard lock(mu_);
  Gauge& g = gauges_.emplace_back();
  family(name, help, Kind::kGauge)
      .series.push_back(Series{std::move(labels), nullptr, &g, nullptr, {}});
  return g;
}

Histogram& Registry::histogram(const std::string& name, const std::string& help,
                               std::vector<double> bounds, Labels labels) {
  std::lock_guard lock(mu_);
  Histogram& h = histograms_.emplace_back(std::move(bounds));
  family(name, help, Kind::kHistogram)
      .series.push_back(Series{std::move(labels), nullptr, nullptr, &h, {}});
  return h;
}

void Registry::gauge_fn(const std::string& name, const std::string& help,
                        std::function<double()> fn, Labels labels) {
  std::lock_guard lock(mu_);
  family(name, help, Kind::kGauge)
      .series.push_back(Series{std::move(labels), nullptr, nullptr, nullptr, std::move(fn)});
}

void Registry::counter_fn(const std::string& name, const std::string& help,
                          std::function<double()> fn, Labels labels) {
  std::lock_guard lock(mu_);
  family(name, help, Kind::kCounter)
      .series.push_back(Series{std::move(labels), nullptr, nullptr, nullptr, std::move(fn)});
}

std::string Registry::render() const {
  std::lock_guard lock(mu_);
  std::string out;
  for (const Family& f : families_) {
    static constexpr const char* kTypes[] = {"counter", "gauge", "histogram"};
    out += "# HELP " + f.name + " " + f.help + "\n";
    out += "# TYPE " + f.name + " " + kTypes[static_cast<int>(f.kind)] + "\n";
    for (const Series& s : f.series) {
      if (s.histogram != nullptr) {
        const Histogram& h = *s.histogram;
        for (size_t i = 0; i <= h.bounds().size(); ++i) {
          out += f.name + "_bucket";
          double le = i < h.bounds().size() ? h.bounds()[i] : INFINITY;
          append_labels(out, s.labels, "le", format_double(le));
          out += " " + std::to_string(h.cumulative(i)) + "\n";
        }
        out += f.name + "_sum";
        append_labels(out, s.labels);
        out += " " + format_double(h.sum()) + "\n";
        out += f.name + "_count";
        append_labels(out, s.labels);
        out += " " + std::to_string(h.count()) + "\n";
        continue;
      }
      out += f.name;
      append_labels(out, s.labels);
      if (s.counter != nullptr) out += " " + std::to_string(s.counter->value());
      if (s.gauge != nullptr) out += " " + std::to_string(s.gauge->value());
      if (s.fn) out += " " + format_double(s.fn());
      out += "\n";
    }
  }
  return out;
}

}  // namespace fmn::metrics
