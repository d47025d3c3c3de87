#include "web/http_message.h"

#include "core/json_writer.h"

namespace fmn::web {

std::string_view HttpRequest::header(std::string_view name) const {
  for (const auto& [key, value] : headers) {
    if (key == name) return value;
  }
  return {};
}

std::string_view HttpRequest::cookie(std::string_view name) const {
  std::string_view cookies = header("cookie");
  while (!cookies.empty()) {
    const size_t semi = cookies.find(';');
    std::string_view pair = cookies.substr(0, semi);
    while (pair.starts_with(' ')) pair.remove_prefix(1);
    const size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return pair.substr(eq + 1);
    if (semi == std::string_view::npos) break;
    cookies.remove_prefix(semi + 1);
  }
  return {};
}

HttpResponse json_error(int status, std::string_view message) {
  JsonBuffer buffer;
  JsonWriter w(buffer);
  w.StartObject();
  w.Key("error");
  w.String(message.data(), static_cast<rapidjson::SizeType>(message.size()));
  w.EndObject();
  return {status, "application/json", buffer.GetString(), {}};
}

HttpResponse html_page(int status, std::string body) {
  return {status, "text/html; charset=utf-8", std::move(body), {}};
}

HttpResponse text_page(int status, std::string_view text) {
  std::string page =
      "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Fedora "
      "notifications</title></head><body><p>";
  page += text;
  page += "</p></body></html>\n";
  return html_page(status, std::move(page));
}

}  // namespace fmn::web
