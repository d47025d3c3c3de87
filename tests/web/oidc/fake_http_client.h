// An HttpClient answering from a table, recording every request; for unit tests. Requests may
// come from several threads; the test reads State once they are done.
#pragma once

#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "web/oidc/http_client.h"

namespace fmn::test {

struct RecordedRequest {
  std::string url;
  std::string body;    // the form, for POSTs
  std::string bearer;  // for get_with_bearer
  oidc::BasicAuth auth;
};

class FakeHttpClient : public oidc::HttpClient {
 public:
  // Shared between the test and the client under test (which owns a FakeHttpClient handle).
  struct State {
    std::map<std::string, oidc::HttpResponse> answers;  // by URL; others: a transport error
    std::vector<RecordedRequest> requests;
    std::mutex mu;  // held while a request is answered
    size_t count(const std::string& url) const;
  };
  explicit FakeHttpClient(State& state) : state_(state) {}

  Result<oidc::HttpResponse> get(const std::string& url) override { return answer({url}); }
  Result<oidc::HttpResponse> get_with_bearer(const std::string& url,
                                             const std::string& token) override {
    return answer({url, "", token, {}});
  }
  Result<oidc::HttpResponse> post_form(const std::string& url, const std::string& form,
                                       const oidc::BasicAuth& auth) override {
    return answer({url, form, "", auth});
  }

 private:
  Result<oidc::HttpResponse> answer(RecordedRequest request);
  State& state_;
};

}  // namespace fmn::test
