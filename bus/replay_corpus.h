// A recorded corpus prepared for publishing: each JSON-lines record split into what a replay
// rewrites (msg_id, i, timestamp) and everything else, serialised once, so rendering a message
// is string concatenation rather than a JSON round trip.
//
// Records are grouped by publisher (publisher_key(), see sequence_tracker.h) so a replay can
// number each publisher's messages from 1, as the publishing processes did.
//
// Immutable after load(); safe to share between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "bus/source.h"
#include "core/result.h"

namespace fmn::bus {

struct ReplayRecord {
  std::string topic;       // the topic frame
  std::string topic_json;  // the topic as a JSON string, quoted and escaped
  // The envelope's members but topic, msg_id, i and timestamp, as JSON without braces:
  // `"msg":{...},"username":"apache"`.
  std::string members;
  std::optional<double> timestamp;  // as recorded
  uint32_t publisher = 0;           // index into ReplayCorpus::publishers()
  uint64_t origin = 0;              // line number in the corpus file
};

class ReplayCorpus {
 public:
  // Reads every record of `source`. A record that is not a fedmsg envelope is an error naming
  // its line.
  static Result<ReplayCorpus> load(Source& source);
  static Result<ReplayCorpus> load_file(const std::string& path);

  const std::vector<ReplayRecord>& records() const { return records_; }
  const std::vector<std::string>& publishers() const { return publishers_; }
  size_t total_bytes() const { return total_bytes_; }

  // Writes `record`'s envelope into `out` (replacing its contents) with the given msg_id, i and
  // timestamp.
  static void render(const ReplayRecord& record, std::string_view msg_id, int64_t seq,
                     double timestamp, std::string& out);

 private:
  std::vector<ReplayRecord> records_;
  std::vector<std::string> publishers_;
  size_t total_bytes_ = 0;
};

}  // namespace fmn::bus
