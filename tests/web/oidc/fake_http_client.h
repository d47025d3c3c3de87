// An HttpClient answering from a table, recording every request; for unit tests.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "web/oidc/http_client.h"

namespace fmn::oidc::test {

struct RecordedRequest {
  std::string url;
  std::string body;    // the form, for POSTs
  std::string bearer;  // for get_with_bearer
  BasicAuth auth;
};

class FakeHttpClient : public HttpClient {
 public:
  // Shared between the test and the client under test (which owns a FakeHttpClient handle).
  struct State {
    std::map<std::string, HttpResponse> answers;  // by URL; others: a transport error
    std::vector<RecordedRequest> requests;
    size_t count(const std::string& url) const;
  };
  explicit FakeHttpClient(State& state) : state_(state) {}

  Result<HttpResponse> get(const std::string& url) override { return answer({url}); }
  Result<HttpResponse> get_with_bearer(const std::string& url, const std::string& token) override {
    return answer({url, "", token, {}});
  }
  Result<HttpResponse> post_form(const std::string& url, const std::string& form,
                                 const BasicAuth& auth) override {
    return answer({url, form, "", auth});
  }

 private:
  Result<HttpResponse> answer(RecordedRequest request);
  State& state_;
};

}  // namespace fmn::oidc::test
