#include "bus/file_source.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "core/envelope_parser.h"

namespace fmn::bus {

Result<std::unique_ptr<FileSource>> FileSource::open(const std::string& path,
                                                     const PacingOptions& pacing, Clock& clock) {
  std::FILE* f = path == "-" ? stdin : std::fopen(path.c_str(), "rb");
  if (f == nullptr) {
    return Error{ErrorCode::kIo, "cannot open " + path + ": " + std::strerror(errno)};
  }
  return std::unique_ptr<FileSource>(new FileSource(f, pacing, clock));
}

FileSource::FileSource(std::FILE* file, const PacingOptions& pacing, Clock& clock)
    : file_(file),
      recorded_pacing_(pacing.mode == PacingOptions::Mode::kRecorded),
      pacer_(pacing, clock) {}

FileSource::~FileSource() {
  std::free(line_buf_);
  if (file_ != stdin) std::fclose(file_);
}

bool FileSource::read_record(RawMessage& out) {
  for (;;) {
    ssize_t len = getline(&line_buf_, &line_cap_, file_);
    if (len < 0) return false;
    ++line_;
    while (len > 0 && (line_buf_[len - 1] == '\n' || line_buf_[len - 1] == '\r')) --len;
    if (len == 0) continue;
    out = RawMessage{{}, std::string(line_buf_, static_cast<size_t>(len)), line_};
    return true;
  }
}

bool FileSource::next_batch(std::vector<RawMessage>& out, size_t max) {
  if (pacer_.full_speed()) {
    RawMessage record;
    for (size_t n = 0; n < max; ++n) {
      if (!read_record(record)) return false;
      out.push_back(std::move(record));
    }
    return true;
  }
  for (size_t n = 0; n < max; ++n) {
    if (!pending_) {
      RawMessage record;
      if (!read_record(record)) return false;
      std::optional<double> timestamp;
      if (recorded_pacing_) {
        // A record that does not parse has no timestamp; the parse stage reports it later.
        auto parsed = parse_envelope(record.payload);
        if (parsed) timestamp = parsed.value()->timestamp;
      }
      pending_due_ = pacer_.due(timestamp);
      pending_ = std::move(record);
    }
    if (pending_due_ > pacer_.clock().steady()) {
      if (n > 0) return true;
      pacer_.clock().sleep_until(pending_due_);
    }
    out.push_back(std::move(*pending_));
    pending_.reset();
  }
  return true;
}

}  // namespace fmn::bus
