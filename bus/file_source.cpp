#include "bus/file_source.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/envelope_parser.h"

namespace fmn::bus {

Result<std::unique_ptr<FileSource>> FileSource::open(const std::string& path,
                                                     const PacingOptions& pacing, Clock& clock) {
  int fd = path == "-" ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{ErrorCode::kIo, "cannot open " + path + ": " + std::strerror(errno)};
  return from_fd(fd, path, pacing, clock);
}

Result<std::unique_ptr<FileSource>> FileSource::from_text(std::string_view text,
                                                          const PacingOptions& pacing,
                                                          Clock& clock) {
  int fd = ::memfd_create("fmn-replay", MFD_CLOEXEC);
  if (fd < 0) return Error{ErrorCode::kIo, std::string("memfd_create: ") + std::strerror(errno)};
  for (size_t done = 0; done < text.size();) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      ::close(fd);
      return Error{ErrorCode::kIo, std::string("memfd write: ") + std::strerror(errno)};
    }
    done += static_cast<size_t>(n);
  }
  ::lseek(fd, 0, SEEK_SET);
  return from_fd(fd, "memory", pacing, clock);
}

Result<std::unique_ptr<FileSource>> FileSource::from_fd(int fd, const std::string& name,
                                                        const PacingOptions& pacing, Clock& clock) {
  int wake[2];
  if (::pipe2(wake, O_CLOEXEC | O_NONBLOCK) != 0) {
    if (fd != STDIN_FILENO) ::close(fd);
    return Error{ErrorCode::kIo, name + ": cannot create a pipe: " + std::strerror(errno)};
  }
  return std::unique_ptr<FileSource>(new FileSource(fd, wake, pacing, clock));
}

FileSource::FileSource(int fd, const int wake[2], const PacingOptions& pacing, Clock& clock)
    : fd_(fd),
      wake_{wake[0], wake[1]},
      recorded_pacing_(pacing.mode == PacingOptions::Mode::kRecorded),
      pacer_(pacing, clock) {}

FileSource::~FileSource() {
  if (fd_ != STDIN_FILENO) ::close(fd_);
  ::close(wake_[0]);
  ::close(wake_[1]);
}

void FileSource::stop() {
  char byte = 1;
  [[maybe_unused]] ssize_t n = ::write(wake_[1], &byte, 1);  // a full pipe is already awake
}

bool FileSource::fill(bool wait) {
  pollfd fds[2] = {{fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
  for (;;) {
    int ready = ::poll(fds, 2, wait ? -1 : 0);
    if (ready < 0 && errno == EINTR) continue;
    if (ready < 0 || fds[1].revents != 0) return false;  // stopped
    if (ready == 0) return true;                         // nothing yet, not waiting
    break;
  }
  if (start_ > 0) {
    buf_.erase(0, start_);
    start_ = 0;
  }
  constexpr size_t kChunk = 64 * 1024;
  size_t size = buf_.size();
  buf_.resize(size + kChunk);
  ssize_t n;
  do {
    n = ::read(fd_, buf_.data() + size, kChunk);
  } while (n < 0 && errno == EINTR);
  buf_.resize(size + static_cast<size_t>(n > 0 ? n : 0));
  if (n <= 0) eof_ = true;  // a read error ends the file like its end does
  return true;
}

FileSource::Read FileSource::read_record(RawMessage& out, bool wait) {
  for (;;) {
    size_t newline = buf_.find('\n', start_);
    if (newline == std::string::npos && eof_ && start_ < buf_.size()) newline = buf_.size();
    if (newline == std::string::npos) {
      if (eof_) return Read::kEnd;
      size_t before = buf_.size() - start_;
      if (!fill(wait)) return Read::kEnd;
      if (!wait && !eof_ && buf_.size() - start_ == before) return Read::kNotYet;
      continue;
    }
    ++line_;
    std::string_view line(buf_.data() + start_, newline - start_);
    start_ = std::min(newline + 1, buf_.size());
    while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
    if (line.empty()) continue;
    out = RawMessage{{}, std::string(line), line_};
    return Read::kRecord;
  }
}

bool FileSource::next_batch(std::vector<RawMessage>& out, size_t max) {
  if (pacer_.full_speed()) {
    RawMessage record;
    for (size_t n = 0; n < max; ++n) {
      Read r = read_record(record, n == 0);
      if (r == Read::kNotYet) return true;
      if (r == Read::kEnd) return false;
      out.push_back(std::move(record));
    }
    return true;
  }
  for (size_t n = 0; n < max; ++n) {
    if (!pending_) {
      RawMessage record;
      if (read_record(record, true) != Read::kRecord) return false;
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
