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

// FMN's two defaults (data/rules/fmn-defaults.fmn), as every new user got them.
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

std::string_view profile_name(PopulationProfile profile) {
  return profile == PopulationProfile::kStress ? "stress" : "fedora";
}

bool parse_profile(std::string_view text, PopulationProfile& profile) {
  for (PopulationProfile p : {PopulationProfile::kFedora, PopulationProfile::kStress}) {
    if (text == profile_name(p)) {
      profile = p;
      return true;
    }
  }
  return false;
}

namespace {

// Fedora's figures (docs/rule-engine.md, "Populations"): active packagers, the share of the
// population they are at most (small populations), and what everyone else follows.
constexpr size_t kFedoraPackagers = 3000;
constexpr double kMaxPackagerShare = 1.0 / 3;
constexpr double kPackagesMedian = 6;    // per packager, log-normal ...
constexpr double kPackagesSigma = 1.2;   // ... so mean ~12, p99 ~100
constexpr size_t kMaxPackages = 500;     // the busiest packagers
constexpr double kFollowersShare = 0.2;  // non-packagers following any package
constexpr double kTopicWatchers = 0.01;  // a "topic ~" rule: every message of a topic
constexpr const char* kGroupPackages =
    "packages in $my_group_packages and not mutual_noise and not package_noise";
constexpr const char* kPeopleIFollow = "agent in $followed_users or usernames in $followed_users";

// Package popularity in the fedora profile ignores how often the corpus names a package (the
// bus talks about every package, popular or not): ranks are a seeded shuffle of the universe.
std::vector<std::string> shuffled(std::vector<std::string> items, uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::shuffle(items.begin(), items.end(), rng);
  return items;
}

bool is_sig(const std::string& group) { return group.ends_with("-sig"); }

class Generator {
 public:
  Generator(const Vocabulary& v, const GeneratorOptions& options)
      : v_(v),
        options_(options),
        rng_(options.seed),
        fedora_(options.profile == PopulationProfile::kFedora),
        packages_(fedora_ ? shuffled(v.packages, options.seed) : v.packages),
        packagers_(std::max(
            std::min<size_t>(kFedoraPackagers, size_t(double(options.users) * kMaxPackagerShare)),
            v.usernames.size())),
        package_rank_(std::max<size_t>(1, packages_.size()), fedora_ ? 0.6 : 1.1),
        follow_rank_(std::max<size_t>(1, packages_.size()), 0.9),
        user_rank_(
            std::max<size_t>(1, fedora_ ? std::min(packagers_, options.users) : v.usernames.size()),
            fedora_ ? 0 : 1.1),
        group_rank_(std::max<size_t>(1, v.groups.size()), 1.1),
        topic_rank_(std::max<size_t>(1, v.topics.size()), fedora_ ? 0 : 1.1) {}

  Population run() {
    Population population;
    population.users.reserve(options_.users);
    for (size_t i = 0; i < options_.users; ++i) {
      User& u = population.users.emplace_back();
      u.name = name_of(i);
      u.enabled = !chance(0.02);
      if (fedora_) {
        fedora_interests(u, i < packagers_);
      } else {
        stress_interests(u);
      }
    }
    return population;
  }

 private:
  // The corpus' usernames first (they are the people messages mention), then derived names.
  std::string name_of(size_t i) const {
    const std::string& base =
        v_.usernames.empty() ? std::string("user") : v_.usernames[i % v_.usernames.size()];
    return i < v_.usernames.size()
               ? base
               : base + "-" + std::to_string(i / std::max<size_t>(1, v_.usernames.size()));
  }
  bool chance(double p) { return coin_(rng_) < p; }

  // Today's generator, draw for draw: Zipf 1.1 over packages in corpus order, 20% topic
  // watchers.
  void stress_interests(User& u) {
    std::geometric_distribution<size_t> package_count(0.25);  // mean 3, long tail
    if (!packages_.empty())
      u.packages = pick(packages_, package_rank_, 1 + package_count(rng_), rng_);
    if (!v_.usernames.empty() && chance(0.3))
      u.followed_users = pick(v_.usernames, user_rank_, 1 + rng_() % 3, rng_);
    u.groups = pick(v_.groups, group_rank_, rng_() % 4, rng_);
    if (chance(0.1)) u.followed_groups = pick(v_.groups, group_rank_, 1, rng_);
    bool irc = add_destinations(u);
    if (chance(0.85)) add_default_rules(u, irc);
    if (!v_.topics.empty() && chance(0.2)) add_topic_watch(u, irc);
    if (!packages_.empty() && chance(0.1))
      add_failed_builds(u, packages_[package_rank_(rng_)], irc);
  }

  void fedora_interests(User& u, bool packager) {
    if (!packages_.empty()) {
      if (packager) {
        std::lognormal_distribution<double> count(std::log(kPackagesMedian), kPackagesSigma);
        size_t n = std::clamp<size_t>(size_t(count(rng_)), 1, kMaxPackages);
        u.packages = pick(packages_, package_rank_, n, rng_);
      } else if (chance(kFollowersShare)) {
        std::geometric_distribution<size_t> count(0.5);  // mean 2
        u.packages = pick(packages_, follow_rank_, 1 + count(rng_), rng_);
      }
    }
    if (chance(packager ? 0.1 : 0.02)) {
      for (size_t k = 1 + rng_() % 3, tries = 0; u.followed_users.size() < k && tries < 8;
           ++tries) {
        std::string name = name_of(user_rank_(rng_));
        if (name != u.name && std::find(u.followed_users.begin(), u.followed_users.end(), name) ==
                                  u.followed_users.end())
          u.followed_users.push_back(std::move(name));
      }
    }
    if (packager) {
      u.groups = pick(v_.groups, group_rank_, 1 + rng_() % 3, rng_);
    } else if (chance(0.1)) {
      u.groups = pick(v_.groups, group_rank_, 1, rng_);
    }
    if (chance(0.05)) u.followed_groups = pick(v_.groups, group_rank_, 1, rng_);
    bool irc = add_destinations(u);
    if (chance(0.85)) add_default_rules(u, irc);
    if (!u.followed_users.empty()) add_rule(u, "people I follow", kPeopleIFollow, irc);
    if (packager && std::any_of(u.groups.begin(), u.groups.end(), is_sig) && chance(0.2))
      add_rule(u, "my groups' packages", kGroupPackages, irc);
    if (!v_.topics.empty() && chance(kTopicWatchers)) add_topic_watch(u, irc);
    if (packager && !u.packages.empty() && chance(0.1)) add_failed_builds(u, u.packages[0], irc);
  }

  // Email always (sometimes pending or rejected); IRC for 30%, SSE for 5%. Returns whether
  // the user has IRC.
  bool add_destinations(User& u) {
    Destination& email = u.destinations.emplace_back();
    email.name = "email";
    email.address = u.name + "@example.org";
    double state = coin_(rng_);
    if (state < 0.04) {
      email.confirmation = {ConfirmationState::kPending, hex_token(rng_, 16), 1900000000};
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
      d.token = hex_token(rng_, 32);
    }
    return irc;
  }

  void add_rule(User& u, const char* name, const SharedText& source, bool irc) {
    Rule& r = u.rules.emplace_back();
    r.name = name;
    r.source = source;
    Delivery& d = r.deliveries.emplace_back();
    d.destination = "email";
    if (chance(0.3)) d.digest = {chance(0.5) ? 3600u : 86400u, chance(0.5) ? 50u : 0u};
    if (irc && chance(0.5)) r.deliveries.push_back({"irc", {}, {}, {}});
    if (u.find_destination("sse") != nullptr) r.deliveries.push_back({"sse", {}, {}, {}});
  }
  void add_default_rules(User& u, bool irc) {
    add_rule(u, "my packages", my_packages_, irc);
    add_rule(u, "mentions me", mentions_me_, irc);
  }
  void add_topic_watch(User& u, bool irc) {
    add_rule(u, "topic watch",
             "topic ~ \"*." + v_.topics[topic_rank_(rng_)] + "\" and agent != $me", irc);
  }
  void add_failed_builds(User& u, const std::string& package, bool irc) {
    add_rule(u, "failed builds",
             "topic endswith \"buildsys.build.state.change\" and msg.new == 3 and \"" + package +
                 "\" in packages",
             irc);
  }

  const Vocabulary& v_;
  const GeneratorOptions& options_;
  std::mt19937_64 rng_;
  std::uniform_real_distribution<double> coin_{0, 1};
  const bool fedora_;
  const std::vector<std::string> packages_;  // by popularity, most followed first
  const size_t packagers_;                   // fedora: users [0, packagers_) are packagers
  Zipf package_rank_, follow_rank_, user_rank_, group_rank_, topic_rank_;
  const SharedText my_packages_{kMyPackages}, mentions_me_{kMentionsMe};
};

}  // namespace

Population generate_population(const Vocabulary& v, const GeneratorOptions& options) {
  return Generator(v, options).run();
}

std::map<std::string, std::vector<std::string>> group_packages(const Vocabulary& v,
                                                               const GeneratorOptions& options) {
  std::map<std::string, std::vector<std::string>> out;
  if (options.profile != PopulationProfile::kFedora || v.packages.empty()) return out;
  // The same popularity order as the users' packages: SIGs maintain the packages people use.
  std::vector<std::string> packages = shuffled(v.packages, options.seed);
  std::mt19937_64 rng(options.seed ^ 0x5195);
  Zipf rank(packages.size(), 0.6);
  size_t sig = 0;
  for (const std::string& group : v.groups) {
    if (!is_sig(group)) continue;
    out[group] = pick(packages, rank, 10 + 400 / ++sig, rng);  // python-sig ~400, the last ~30
  }
  return out;
}

}  // namespace fmn::prefs
