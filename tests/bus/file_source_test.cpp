#include "bus/file_source.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/fake_clock.h"

namespace fmn::bus {
namespace {

using test::FakeClock;

std::string write_file(const std::string& name, const std::string& text) {
  std::string path = testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

std::string record(const std::string& timestamp) {
  std::string ts = timestamp.empty() ? "" : R"(,"timestamp":)" + timestamp;
  return R"({"topic":"org.fedoraproject.prod.x.y","msg":{})" + ts + "}\n";
}

std::string crlf(std::string line) { return line.substr(0, line.size() - 1) + "\r\n"; }

TEST(FileSource, FullSpeedInBatchesSkippingBlankLines) {
  std::string path =
      write_file("full.jsonl", record("1") + "\n" + crlf(record("2")) + record("") + record("3"));
  auto source = FileSource::open(path);
  ASSERT_TRUE(source.ok()) << source.error().message;
  std::vector<RawMessage> out;
  EXPECT_TRUE((*source)->next_batch(out, 3));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[0].origin, 1u);
  EXPECT_EQ(out[1].origin, 3u);
  EXPECT_EQ(out[1].payload.back(), '}');  // CR LF stripped
  EXPECT_FALSE((*source)->next_batch(out, 3));
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[3].origin, 5u);
}

TEST(FileSource, StopEndsAReadOfAnIdlePipeWhoseWriterStaysOpen) {
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  auto source = FileSource::open("/dev/fd/" + std::to_string(fds[0]));
  ASSERT_TRUE(source.ok()) << source.error().message;
  std::string line = record("1");
  ASSERT_EQ(::write(fds[1], line.data(), line.size()), static_cast<ssize_t>(line.size()));

  // A batch holds what is there: one line, not the 100 asked for.
  std::vector<RawMessage> out;
  EXPECT_TRUE((*source)->next_batch(out, 100));
  EXPECT_EQ(out.size(), 1u);
  bool more = true;
  std::thread reader([&] { more = (*source)->next_batch(out, 100); });
  (*source)->stop();
  reader.join();  // returns although the writer never closed the pipe
  EXPECT_FALSE(more);
  EXPECT_EQ(out.size(), 1u);
  ::close(fds[0]);
  ::close(fds[1]);
}

TEST(FileSource, ReadsTextHeldInMemoryAsAFile) {
  auto source = FileSource::from_text(record("1") + "\n" + record("2"));
  ASSERT_TRUE(source.ok()) << source.error().message;
  std::vector<RawMessage> out;
  EXPECT_FALSE((*source)->next_batch(out, 10));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[1].origin, 3u);
}

TEST(FileSource, MissingFileIsAnError) {
  auto source = FileSource::open(testing::TempDir() + "does-not-exist.jsonl");
  ASSERT_FALSE(source.ok());
  EXPECT_EQ(source.error().code, ErrorCode::kIo);
}

TEST(FileSource, RecordedPacingReturnsWhatIsDue) {
  std::string path = write_file("paced.jsonl", record("100") + record("100.5") + record("100.5") +
                                                   record("102") + "\n" + record(""));
  FakeClock clock;
  auto source = FileSource::open(path, PacingOptions::recorded(1), clock);
  ASSERT_TRUE(source.ok());
  std::vector<RawMessage> out;

  EXPECT_TRUE((*source)->next_batch(out, 10));
  EXPECT_EQ(out.size(), 1u);  // the second is due in 0.5 s: not waited for
  EXPECT_TRUE(clock.sleeps().empty());

  out.clear();
  EXPECT_TRUE((*source)->next_batch(out, 10));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_DOUBLE_EQ(clock.seconds_since_start(), 0.5);
  EXPECT_EQ(out[1].origin, 3u);

  out.clear();
  EXPECT_FALSE((*source)->next_batch(out, 10));
  ASSERT_EQ(out.size(), 2u);  // the record without a timestamp goes with its predecessor
  EXPECT_DOUBLE_EQ(clock.seconds_since_start(), 2.0);
  EXPECT_EQ(out[1].origin, 6u);
}

TEST(FileSource, FixedRateHonoursBatchLimit) {
  std::string path = write_file("rate.jsonl", record("1") + record("2") + record("3"));
  FakeClock clock;
  auto source = FileSource::open(path, PacingOptions::fixed_rate(2), clock);
  ASSERT_TRUE(source.ok());
  std::vector<RawMessage> out;
  size_t batches = 0;
  while ((*source)->next_batch(out, 1)) ++batches;
  EXPECT_EQ(out.size(), 3u);
  EXPECT_EQ(batches, 3u);
  EXPECT_DOUBLE_EQ(clock.seconds_since_start(), 1.0);
}

}  // namespace
}  // namespace fmn::bus
