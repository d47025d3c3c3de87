// A Source reading JSON-lines records (one envelope a line) from a file or stdin.
//
// Blank lines are skipped; every other line is one message whose origin is its line number.
// Records go out at full speed by default, or paced (fixed rate, or by their recorded
// "timestamp" scaled by a speed factor: see pacer.h). A paced next_batch() returns the messages
// already due, and sleeps (through the Clock) only when none is.
#pragma once

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

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
  ~FileSource() override;

  bool next_batch(std::vector<RawMessage>& out, size_t max) override;

 private:
  FileSource(std::FILE* file, const PacingOptions& pacing, Clock& clock);
  // Reads the next non-blank line into `out`; false at the end of the file.
  bool read_record(RawMessage& out);

  std::FILE* file_;
  bool recorded_pacing_;
  Pacer pacer_;
  uint64_t line_ = 0;
  char* line_buf_ = nullptr;
  size_t line_cap_ = 0;
  // A record read but not yet due, with its due time.
  std::optional<RawMessage> pending_;
  Clock::time_point pending_due_{};
};

}  // namespace fmn::bus
