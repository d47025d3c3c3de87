#include "pipeline/delivery_failures.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "core/log.h"

namespace fmn::pipeline {
namespace {

std::string read_all(std::FILE* file) {
  std::string text(static_cast<size_t>(std::ftell(file)), '\0');
  std::rewind(file);
  text.resize(std::fread(text.data(), 1, text.size(), file));
  return text;
}

size_t occurrences(const std::string& text, const std::string& what) {
  size_t n = 0;
  for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// A kind's sink and its batcher share the kind's series; each failure counts under its reason
// and is logged with the address redacted.
TEST(DeliveryFailures, CountsPerKindAndReasonAndLogsWithoutTheAddressInClear) {
  std::FILE* log_file = std::tmpfile();
  ASSERT_NE(log_file, nullptr);
  log::configure(log::Level::kInfo, log::Format::kText, log_file);
  metrics::Registry registry;
  DeliveryFailures failures(registry);
  sinks::FailureHandler sink = failures.handler(DestinationKind::kEmail);
  sinks::FailureHandler batcher = failures.handler(DestinationKind::kEmail);
  sinks::FailureHandler hook = failures.handler(DestinationKind::kWebhook);
  sink({"alice", "alice@example.org", true, "refused (550): mailbox unavailable"});
  batcher({"", "", false, "digest store: unreachable"});
  hook({"bob", "https://hooks.example.org/in?token=s3cret", false, "gave up after 10 attempts"});
  log::configure(log::Level::kInfo, log::Format::kText, stderr);

  const std::string text = registry.render();
  EXPECT_EQ(occurrences(text, "fmn_delivery_failures_total{sink=\"email\",reason=\"refused\"} 1"),
            1u)
      << text;
  EXPECT_EQ(occurrences(text, "fmn_delivery_failures_total{sink=\"email\",reason=\"gave_up\"} 1"),
            1u)
      << text;
  EXPECT_EQ(occurrences(text, "fmn_delivery_failures_total{sink=\"webhook\",reason=\"gave_up\"} 1"),
            1u)
      << text;
  EXPECT_EQ(occurrences(text, "sink=\"irc\""), 0u) << "no IRC sink asked for a handler";

  const std::string logged = read_all(log_file);
  std::fclose(log_file);
  EXPECT_EQ(occurrences(logged, "ERROR delivery_refused"), 1u) << logged;
  EXPECT_EQ(occurrences(logged, "WARN delivery_failed"), 2u) << logged;
  EXPECT_NE(logged.find("a***@example.org"), std::string::npos) << logged;
  EXPECT_NE(logged.find("https://hooks.example.org/..."), std::string::npos) << logged;
  EXPECT_EQ(logged.find("alice@"), std::string::npos) << logged;
  EXPECT_EQ(logged.find("s3cret"), std::string::npos) << logged;
}

}  // namespace
}  // namespace fmn::pipeline
