// FileWatcher: keeps a running service in step with its preferences file.
//
// A background thread re-reads the file when it changes (checked every `poll_interval`; an
// editor's atomic rename counts). A valid new file is compared user by user with the last good
// one and only the users that differ are reported to the sink; an invalid file is reported
// through store_status() with its diagnostics and changes nothing. The service runs one when
// its preferences are a file (SIGHUP still reloads every user). Construction and destruction
// on one thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "prefs/change_sink.h"
#include "prefs/rule_validator.h"

namespace fmn::prefs {

class FileWatcher {
 public:
  // `initial` is the population the service started with (what changes are relative to).
  // REQUIRES: `sink` outlives the watcher.
  FileWatcher(std::string path, RuleValidator validator, const Population& initial,
              ChangeSink& sink,
              std::chrono::milliseconds poll_interval = std::chrono::milliseconds(250));
  ~FileWatcher();  // stops and joins the thread
  FileWatcher(const FileWatcher&) = delete;
  FileWatcher& operator=(const FileWatcher&) = delete;

 private:
  struct FileStamp {
    int64_t mtime_ns = 0, ctime_ns = 0, size = -1;
    uint64_t inode = 0;
    bool operator==(const FileStamp&) const = default;
  };
  FileStamp stamp() const;
  void run();
  void reload();

  std::string path_;
  RuleValidator validator_;
  ChangeSink& sink_;
  std::chrono::milliseconds poll_interval_;
  std::map<std::string, std::string> users_;  // name -> canonical text of the last good record
  FileStamp last_stamp_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace fmn::prefs
