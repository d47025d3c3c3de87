#include "prefs/file_watcher.h"

#include <sys/stat.h>

#include "core/thread_name.h"
#include "prefs/file_store.h"
#include "prefs/toml_writer.h"

namespace fmn::prefs {

FileWatcher::FileWatcher(std::string path, RuleValidator validator, const Population& initial,
                         ChangeSink& sink, std::chrono::milliseconds poll_interval)
    : path_(std::move(path)),
      validator_(std::move(validator)),
      sink_(sink),
      poll_interval_(poll_interval) {
  for (const auto& user : initial.users) users_[user.name] = write_user_toml(user);
  last_stamp_ = stamp();
  thread_ = std::thread([this] { run(); });
  name_thread(thread_, "prefs-watch");
}

FileWatcher::~FileWatcher() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

FileWatcher::FileStamp FileWatcher::stamp() const {
  struct stat st {};
  if (::stat(path_.c_str(), &st) != 0) return {};
  return {st.st_mtim.tv_sec * 1'000'000'000 + st.st_mtim.tv_nsec,
          st.st_ctim.tv_sec * 1'000'000'000 + st.st_ctim.tv_nsec, st.st_size, st.st_ino};
}

void FileWatcher::run() {
  std::unique_lock lock(mutex_);
  while (!wake_.wait_for(lock, poll_interval_, [this] { return stopping_; })) {
    FileStamp now = stamp();
    if (now == last_stamp_) continue;
    last_stamp_ = now;
    lock.unlock();
    reload();
    lock.lock();
  }
}

void FileWatcher::reload() {
  auto population = read_preferences_file(path_, validator_);
  if (!population) {
    sink_.store_status(false, "preferences not reloaded, keeping the previous ones: " +
                                  population.error().message);
    return;
  }
  std::map<std::string, std::string> fresh;
  std::vector<UserChange> changes;
  for (auto& user : population->users) {
    std::string name = user.name;
    std::string text = write_user_toml(user);
    auto old = users_.find(name);
    if (old == users_.end() || old->second != text) changes.push_back({name, std::move(user)});
    fresh.emplace(std::move(name), std::move(text));
  }
  for (const auto& [name, text] : users_) {
    if (!fresh.count(name)) changes.push_back({name, std::nullopt});
  }
  users_ = std::move(fresh);
  sink_.store_status(true, "preferences reloaded from " + path_ + ": " +
                               std::to_string(changes.size()) + " users changed");
  if (!changes.empty()) sink_.users_changed(std::move(changes));
}

}  // namespace fmn::prefs
