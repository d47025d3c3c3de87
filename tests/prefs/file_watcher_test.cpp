#include "prefs/file_watcher.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "prefs/file_store.h"
#include "tests/prefs/recording_sink.h"

namespace fmn::prefs {
namespace {

std::vector<Diagnostic> accept_all(std::string_view, const User&) { return {}; }

constexpr const char* kTwoUsers =
    "[[users]]\nname = \"ralph\"\npackages = [\"fedmsg\"]\n"
    "[[users]]\nname = \"kevin\"\npackages = [\"ansible\"]\n";

class FileWatcherTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("fmn-prefs-watch-" + std::to_string(::getpid()) + ".toml"))
                .string();
    ASSERT_TRUE(write_file_atomically(path_, kTwoUsers).ok());
  }
  void TearDown() override { std::filesystem::remove(path_); }

  std::string path_;
};

TEST_F(FileWatcherTest, ReportsOnlyTheUsersThatChanged) {
  auto initial = read_preferences_file(path_, accept_all);
  ASSERT_TRUE(initial.ok()) << initial.error().message;
  RecordingSink sink;
  FileWatcher watcher(path_, accept_all, *initial, sink, std::chrono::milliseconds(20));

  ASSERT_TRUE(write_file_atomically(path_,
                                    "[[users]]\nname = \"ralph\"\npackages = [\"fedmsg\"]\n"
                                    "[[users]]\nname = \"kevin\"\npackages = [\"ansible\", "
                                    "\"nagios\"]\n[[users]]\nname = \"adamw\"\n")
                  .ok());
  ASSERT_TRUE(sink.wait_for([](const auto& c) { return !c.changes.empty(); }));
  auto changes = sink.calls().changes[0];
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].name, "kevin");
  ASSERT_TRUE(changes[0].user.has_value());
  EXPECT_EQ(changes[0].user->packages, (std::vector<std::string>{"ansible", "nagios"}));
  EXPECT_EQ(changes[1].name, "adamw");

  ASSERT_TRUE(write_file_atomically(path_, "[[users]]\nname = \"adamw\"\n").ok());
  ASSERT_TRUE(sink.wait_for([](const auto& c) { return c.changes.size() == 2; }));
  changes = sink.calls().changes[1];
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].name, "kevin");
  EXPECT_FALSE(changes[0].user.has_value());
  EXPECT_EQ(changes[1].name, "ralph");
  EXPECT_FALSE(changes[1].user.has_value());
}

TEST_F(FileWatcherTest, KeepsTheLastGoodPreferencesWhenTheFileIsBroken) {
  auto initial = read_preferences_file(path_, accept_all);
  ASSERT_TRUE(initial.ok());
  RecordingSink sink;
  FileWatcher watcher(path_, accept_all, *initial, sink, std::chrono::milliseconds(20));

  ASSERT_TRUE(write_file_atomically(path_, "[[users]]\nname = \"ralph\"\nenabled = maybe\n").ok());
  ASSERT_TRUE(sink.wait_for([](const auto& c) { return !c.statuses.empty(); }));
  auto status = sink.calls().statuses[0];
  EXPECT_FALSE(status.first);
  EXPECT_NE(status.second.find(path_ + ":3:"), std::string::npos) << status.second;
  EXPECT_TRUE(sink.calls().changes.empty());

  // Fixing the file reports the difference from the last good version, not from the broken one.
  ASSERT_TRUE(write_file_atomically(path_, kTwoUsers).ok());
  ASSERT_TRUE(sink.wait_for([](const auto& c) { return c.statuses.size() >= 2; }));
  EXPECT_TRUE(sink.calls().statuses[1].first);
  EXPECT_TRUE(sink.calls().changes.empty());
}

}  // namespace
}  // namespace fmn::prefs
