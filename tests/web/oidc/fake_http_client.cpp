#include "tests/web/oidc/fake_http_client.h"

#include <algorithm>

namespace fmn::test {

size_t FakeHttpClient::State::count(const std::string& url) const {
  return static_cast<size_t>(std::count_if(requests.begin(), requests.end(),
                                           [&](const RecordedRequest& r) { return r.url == url; }));
}

Result<oidc::HttpResponse> FakeHttpClient::answer(RecordedRequest request) {
  std::lock_guard lock(state_.mu);
  state_.requests.push_back(request);
  auto it = state_.answers.find(request.url);
  if (it == state_.answers.end()) return Error{ErrorCode::kIo, request.url + ": unreachable"};
  return it->second;
}

}  // namespace fmn::test
