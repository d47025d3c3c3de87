// WebDriver: headless Chromium driven through chromedriver's W3C WebDriver API (HTTP, libcurl),
// for tests that check what a real browser shows, e.g. an EventSource page or the web app.
//
// start() runs chromedriver on a free loopback port and opens one session with headless
// Chromium (/usr/bin/chromium); the destructor closes the session and stops chromedriver.
// Move-only; not thread-safe.
#pragma once

#include <filesystem>
#include <string>

#include "core/result.h"
#include "tests/support/child_process.h"
#include "tests/support/status.h"
#include "tests/support/temp_dir.h"

namespace fmn::test {

class WebDriver {
 public:
  static Result<WebDriver> start();
  ~WebDriver();
  WebDriver(WebDriver&&) = default;

  // Navigates to `url`.
  Result<std::string> open(const std::string& url);
  // Runs `script` (a function body; no unescaped double quotes) in the page; returns the JSON
  // reply, whose "value" is what the script returned.
  Result<std::string> execute(const std::string& script);
  // Types `keys` (JSON string content: escaped, e.g. "\\uE009a" for Ctrl+A) into the first
  // element matching the CSS `selector`, as a person at the keyboard would: the browser focuses
  // it and sends each key's events.
  Status type(const std::string& selector, const std::string& keys);
  // Runs `script` (as execute()) until it returns true; an error quoting its last reply after
  // `timeout`. The script may act as well as test (click a refresh button, then look).
  Status wait_until(const std::string& script, Duration timeout);
  // Resizes the browser's window (its viewport follows).
  Status set_window_size(int width, int height);
  // Writes a PNG of the visible page to `path`.
  Status screenshot(const std::filesystem::path& path);

 private:
  WebDriver(TempDir dir, ChildProcess child, int port)
      : dir_(std::move(dir)), child_(std::move(child)), port_(port) {}

  Result<std::string> call(const std::string& method, const std::string& path,
                           const std::string& body);

  TempDir dir_;
  ChildProcess child_;
  int port_;
  std::string session_;
};

}  // namespace fmn::test
