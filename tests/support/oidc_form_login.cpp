#include "tests/support/oidc_form_login.h"

#include <curl/curl.h>

#include <memory>
#include <string_view>
#include <utility>
#include <vector>

namespace fmn::test {
namespace {

constexpr int kMaxSteps = 12;

Error fail(std::string message) { return Error{ErrorCode::kIo, "form sign-in: " + message}; }

size_t append(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

std::string html_unescape(std::string text) {
  for (const auto& [entity, c] : std::vector<std::pair<std::string, std::string>>{
           {"&quot;", "\""}, {"&#39;", "'"}, {"&lt;", "<"}, {"&gt;", ">"}, {"&amp;", "&"}}) {
    for (size_t at; (at = text.find(entity)) != std::string::npos;) {
      text.replace(at, entity.size(), c);
    }
  }
  return text;
}

// The value of attribute `name` in one HTML tag (double-quoted, as the provider writes them).
std::string attribute(std::string_view tag, const std::string& name) {
  const std::string key = " " + name + "=\"";
  const size_t at = tag.find(key);
  if (at == std::string_view::npos) return "";
  const size_t start = at + key.size();
  const size_t end = tag.find('"', start);
  if (end == std::string_view::npos) return "";
  return html_unescape(std::string(tag.substr(start, end - start)));
}

// The tags `<name ...>` of `html` from `from` on.
std::vector<std::string_view> tags(std::string_view html, const std::string& name, size_t from) {
  std::vector<std::string_view> out;
  const std::string open = "<" + name + " ";
  for (size_t at = html.find(open, from); at != std::string_view::npos;
       at = html.find(open, at + 1)) {
    const size_t end = html.find('>', at);
    if (end == std::string_view::npos) break;
    out.push_back(html.substr(at, end - at + 1));
  }
  return out;
}

std::string escape(CURL* curl, const std::string& text) {
  char* e = curl_easy_escape(curl, text.data(), static_cast<int>(text.size()));
  std::string out(e ? e : "");
  curl_free(e);
  return out;
}

// The first form of the page: its action and its fields filled in (url-encoded body).
Result<std::pair<std::string, std::string>> fill_form(CURL* curl, const std::string& html,
                                                      const std::string& login,
                                                      const std::string& password) {
  const size_t form = html.find("<form ");
  const auto form_tags = tags(html, "form", form == std::string::npos ? html.size() : form);
  if (form_tags.empty()) return fail("no form on the page: " + html.substr(0, 400));
  const std::string action = attribute(form_tags.front(), "action");
  std::string body;
  for (std::string_view tag : tags(html, "input", form)) {
    const std::string name = attribute(tag, "name");
    if (name.empty()) continue;
    std::string value = attribute(tag, "value");
    if (name == "login") value = login;
    if (name == "password") value = password;
    body += (body.empty() ? "" : "&") + escape(curl, name) + "=" + escape(curl, value);
  }
  return std::make_pair(action, body);
}

}  // namespace

Result<std::string> sign_in_through_forms(const std::string& authorization_url,
                                          const std::string& redirect_uri, const std::string& login,
                                          const std::string& password) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) return fail("no curl handle");
  curl_easy_setopt(curl.get(), CURLOPT_COOKIEFILE, "");  // cookies kept in memory
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT, 20L);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, append);
  std::string url = authorization_url;
  std::string post;  // empty: GET
  for (int step = 0; step < kMaxSteps; ++step) {
    std::string page;
    curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &page);
    if (post.empty()) {
      curl_easy_setopt(curl.get(), CURLOPT_HTTPGET, 1L);
    } else {
      curl_easy_setopt(curl.get(), CURLOPT_POSTFIELDS, post.c_str());
    }
    if (CURLcode code = curl_easy_perform(curl.get()); code != CURLE_OK) {
      return fail(url + ": " + curl_easy_strerror(code));
    }
    long status = 0;
    char* location = nullptr;
    curl_easy_getinfo(curl.get(), CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(curl.get(), CURLINFO_REDIRECT_URL, &location);
    if (status >= 300 && status < 400 && location != nullptr) {
      url = location;
      post.clear();
      if (url.starts_with(redirect_uri)) return url;
      continue;
    }
    if (status != 200) return fail(url + ": HTTP " + std::to_string(status) + ": " + page);
    auto form = fill_form(curl.get(), page, login, password);
    if (!form.ok()) return form.error();
    url = form->first;
    post = form->second;
  }
  return fail("no redirect to " + redirect_uri + " after " + std::to_string(kMaxSteps) + " pages");
}

}  // namespace fmn::test
