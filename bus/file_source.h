// A Source reading JSON-lines records (one envelope a line) from a file or stdin.
//
// Blank lines are skipped; every other line is one message whose origin is its line number.
// Records go out at full speed by default, or paced (fixed rate, or by their recorded
// "timestamp" scaled by a speed factor: see pacer.h). A paced next_batch() returns the messages
// already due, and sleeps (through the Clock) only when none is. At full speed a batch holds
// what can be read without waiting, so a slow pipe (stdin) hands lines over as they come.
// Reads wait in poll() beside a wake-up pipe: stop() ends a read of an idle pipe at once instead
// of waiting for the writer to close it.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "bus/pacer.h"
#include "bus/source.h"
#include "core/clock.h"
#include "core/result.h"

namespace fmn::bus {

class FileSource : public Source {
 public:
  // Opens `path`; "-" means stdin. `clock` must outlive the source.
  static Result<std::unique_ptr<FileSource>> open(const std::string& path,
                                                  const PacingOptions& pacing = {},
                                                  Clock& clock = SystemClock::instance());
  // Reads `text` (copied: it need not outlive the source) as if it were a file.
  static Result<std::unique_ptr<FileSource>> from_text(std::string_view text,
                                                       const PacingOptions& pacing = {},
                                                       Clock& clock = SystemClock::instance());
  ~FileSource() override;

  bool next_batch(std::vector<RawMessage>& out, size_t max) override;
  void stop() override;

 private:
  enum class Read { kRecord, kNotYet, kEnd };
  FileSource(int fd, const int wake[2], const PacingOptions& pacing, Clock& clock);
  static Result<std::unique_ptr<FileSource>> from_fd(int fd, const std::string& name,
                                                     const PacingOptions& pacing, Clock& clock);
  // Reads the next non-blank line into `out`. kNotYet: no whole line without waiting (only
  // when `wait` is false); kEnd: the end of the file, or stopped.
  Read read_record(RawMessage& out, bool wait);
  // Appends what the file has to `buf_`, waiting for it if `wait`; false at its end or stopped.
  bool fill(bool wait);

  int fd_;
  int wake_[2];  // stop() writes to [1]; reads poll [0] beside fd_
  bool eof_ = false;
  std::string buf_;
  size_t start_ = 0;  // first byte of buf_ not yet returned
  bool recorded_pacing_;
  Pacer pacer_;
  uint64_t line_ = 0;
  // A record read but not yet due, with its due time.
  std::optional<RawMessage> pending_;
  Clock::time_point pending_due_{};
};

}  // namespace fmn::bus
