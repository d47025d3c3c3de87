#include "prefs/population_generator.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <random>

namespace fmn::prefs {
namespace {

// Fedora groups and SIGs (FAS), standing in for group data the corpus does not carry.
const std::vector<std::string> kGroups = {
    "packager",    "provenpackager", "sysadmin-main", "infra-sig",
    "python-sig",  "kde-sig",        "gnome-sig",     "qa",
    "releng",      "docs",           "design-team",   "ambassadors",
    "fedora-ci",   "neuro-sig",      "golang-sig",    "rust-sig",
    "perl-sig",    "ruby-sig",       "java-sig",      "haskell-sig",
    "ml-sig",      "go-sig",         "security-team", "websites",
    "marketing",   "council",        "fesco",         "epel",
    "kernel-team", "atomic"};

// FMN's two defaults (corpus/rules/fmn-defaults.fmn), as every new user got them.
constexpr const char* kMyPackages =
    "packages in $my_packages and not mutual_noise and not package_noise";
constexpr const char* kMentionsMe = "$me in usernames and not mutual_noise and not username_noise";

bool is_account_name(std::string_view s) {
  if (s.empty() || s.size() > 20 || !std::isalpha(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
}

std::vector<std::string> ranked(const std::map<std::string, size_t>& counts) {
  std::vector<std::pair<size_t, std::string>> items;
  for (const auto& [name, n] : counts) items.emplace_back(n, name);
  std::stable_sort(items.begin(), items.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::vector<std::string> out;
  for (auto& [n, name] : items) out.push_back(std::move(name));
  return out;
}

// Draws ranks 0..n-1 with probability proportional to 1/(rank+1)^s.
class Zipf {
 public:
  Zipf(size_t n, double s) : cdf_(n) {
    double total = 0;
    for (size_t i = 0; i < n; ++i) cdf_[i] = total += 1.0 / std::pow(double(i + 1), s);
    for (auto& c : cdf_) c /= total;
  }
  size_t operator()(std::mt19937_64& rng) const {
    double u = std::uniform_real_distribution<double>(0, 1)(rng);
    return std::min<size_t>(std::lower_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin(),
                            cdf_.size() - 1);
  }

 private:
  std::vector<double> cdf_;
};

// `k` distinct picks from `pool` by Zipf rank (fewer when the pool is small).
std::vector<std::string> pick(const std::vector<std::string>& pool, const Zipf& zipf, size_t k,
                              std::mt19937_64& rng) {
  std::vector<std::string> out;
  k = std::min(k, pool.size());
  for (size_t tries = 0; out.size() < k && tries < 8 * k; ++tries) {
    const std::string& item = pool[zipf(rng)];
    if (std::find(out.begin(), out.end(), item) == out.end()) out.push_back(item);
  }
  return out;
}

std::string hex_token(std::mt19937_64& rng, size_t chars) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  while (out.size() < chars) out += kHex[rng() & 15];
  return out;
}

}  // namespace

Vocabulary vocabulary_from_expected(std::string_view jsonl) {
  std::map<std::string, size_t> users, packages, topics;
  size_t start = 0;
  while (start < jsonl.size()) {
    size_t end = jsonl.find('\n', start);
    if (end == std::string_view::npos) end = jsonl.size();
    rapidjson::Document doc;
    doc.Parse(jsonl.data() + start, end - start);
    start = end + 1;
    if (doc.HasParseError() || !doc.IsObject()) continue;
    if (doc.HasMember("topic") && doc["topic"].IsString()) {
      std::string topic = doc["topic"].GetString();
      // Drop "<prefix>.<env>." when there is one: keep the last three components at most.
      size_t dots = 0, cut = topic.size();
      while (cut > 0 && dots < 3) {
        if (topic[--cut] == '.') ++dots;
      }
      ++topics[dots == 3 ? topic.substr(cut + 1) : topic];
    }
    if (!doc.HasMember("expect") || !doc["expect"].IsObject()) continue;
    const auto& expect = doc["expect"];
    for (auto [key, counts] : {std::pair{"usernames", &users}, std::pair{"packages", &packages}}) {
      if (!expect.HasMember(key) || !expect[key].IsArray()) continue;
      for (const auto& v : expect[key].GetArray()) {
        if (v.IsString() && is_account_name(v.GetString())) ++(*counts)[v.GetString()];
      }
    }
  }
  return {ranked(users), ranked(packages), kGroups, ranked(topics)};
}

Population generate_population(const Vocabulary& v, const GeneratorOptions& options) {
  std::mt19937_64 rng(options.seed);
  Zipf package_rank(std::max<size_t>(1, v.packages.size()), options.zipf_exponent);
  Zipf user_rank(std::max<size_t>(1, v.usernames.size()), options.zipf_exponent);
  Zipf group_rank(std::max<size_t>(1, v.groups.size()), options.zipf_exponent);
  Zipf topic_rank(std::max<size_t>(1, v.topics.size()), options.zipf_exponent);
  std::geometric_distribution<size_t> package_count(0.25);  // mean 3, long tail
  std::uniform_real_distribution<double> coin(0, 1);
  auto chance = [&](double p) { return coin(rng) < p; };

  Population population;
  population.users.reserve(options.users);
  const SharedText my_packages(kMyPackages), mentions_me(kMentionsMe);
  for (size_t i = 0; i < options.users; ++i) {
    User& u = population.users.emplace_back();
    const std::string& base =
        v.usernames.empty() ? std::string("user") : v.usernames[i % v.usernames.size()];
    u.name = i < v.usernames.size()
                 ? base
                 : base + "-" + std::to_string(i / std::max<size_t>(1, v.usernames.size()));
    u.enabled = !chance(0.02);
    if (!v.packages.empty())
      u.packages = pick(v.packages, package_rank, 1 + package_count(rng), rng);
    if (!v.usernames.empty() && chance(0.3))
      u.followed_users = pick(v.usernames, user_rank, 1 + rng() % 3, rng);
    u.groups = pick(v.groups, group_rank, rng() % 4, rng);
    if (chance(0.1)) u.followed_groups = pick(v.groups, group_rank, 1, rng);

    Destination& email = u.destinations.emplace_back();
    email.name = "email";
    email.address = u.name + "@example.org";
    double state = coin(rng);
    if (state < 0.04) {
      email.confirmation = {ConfirmationState::kPending, hex_token(rng, 16), 1900000000};
    } else if (state < 0.05) {
      email.confirmation.state = ConfirmationState::kRejected;
    }
    bool irc = chance(0.3), sse = chance(0.05);
    if (irc) {
      Destination& d = u.destinations.emplace_back();
      d.name = "irc";
      d.kind = DestinationKind::kIrc;
      d.address = u.name.substr(0, 30);
    }
    if (sse) {
      Destination& d = u.destinations.emplace_back();
      d.name = "sse";
      d.kind = DestinationKind::kSse;
      d.address = u.name;
      d.token = hex_token(rng, 32);
    }

    auto deliver = [&](Rule& r) {
      Delivery& d = r.deliveries.emplace_back();
      d.destination = "email";
      if (chance(0.3)) d.digest = {chance(0.5) ? 3600u : 86400u, chance(0.5) ? 50u : 0u};
      if (irc && chance(0.5)) r.deliveries.push_back({"irc", {}, {}, {}});
      if (sse) r.deliveries.push_back({"sse", {}, {}, {}});
    };
    if (chance(0.85)) {
      for (auto [name, source] :
           {std::pair{"my packages", &my_packages}, std::pair{"mentions me", &mentions_me}}) {
        Rule& r = u.rules.emplace_back();
        r.name = name;
        r.source = *source;
        deliver(r);
      }
    }
    if (!v.topics.empty() && chance(0.2)) {
      Rule& r = u.rules.emplace_back();
      r.name = "topic watch";
      r.source = "topic ~ \"*." + v.topics[topic_rank(rng)] + "\" and agent != $me";
      deliver(r);
    }
    if (!v.packages.empty() && chance(0.1)) {
      Rule& r = u.rules.emplace_back();
      r.name = "failed builds";
      r.source = "topic endswith \"buildsys.build.state.change\" and msg.new == 3 and \"" +
                 v.packages[package_rank(rng)] + "\" in packages";
      deliver(r);
    }
  }
  return population;
}

}  // namespace fmn::prefs
