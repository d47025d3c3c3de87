#include "sinks/curl_smtp_transport.h"

#include <curl/curl.h>

#include <algorithm>
#include <cstring>

namespace fmn::sinks {
namespace {

struct Upload {
  std::string_view data;
  size_t offset = 0;
};

size_t read_upload(char* buffer, size_t size, size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  const size_t n = std::min(size * count, upload->data.size() - upload->offset);
  std::memcpy(buffer, upload->data.data() + upload->offset, n);
  upload->offset += n;
  return n;
}

SendStatus classify(CURLcode code, long reply) {
  if (code == CURLE_OK) return SendStatus::kSent;
  if (reply >= 500 && reply < 600) return SendStatus::kPermanent;
  return SendStatus::kTemporary;  // 4xx, no reply, network trouble, authentication trouble
}

}  // namespace

Result<std::unique_ptr<CurlSmtpTransport>> CurlSmtpTransport::create(SmtpConfig config) {
  if (!config.url.starts_with("smtp://") && !config.url.starts_with("smtps://")) {
    return Error{ErrorCode::kInvalidConfig,
                 "smtp: url must start with smtp:// or smtps://: '" + config.url + "'"};
  }
  static const CURLcode global = curl_global_init(CURL_GLOBAL_DEFAULT);
  if (global != CURLE_OK) return Error{ErrorCode::kIo, "smtp: libcurl failed to initialise"};
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return Error{ErrorCode::kIo, "smtp: libcurl failed to initialise"};
  return std::unique_ptr<CurlSmtpTransport>(new CurlSmtpTransport(std::move(config), curl));
}

CurlSmtpTransport::CurlSmtpTransport(SmtpConfig config, void* curl)
    : config_(std::move(config)), curl_(curl) {
  // libcurl takes the EHLO name from the URL's path.
  url_with_helo_ = config_.url;
  if (url_with_helo_.back() != '/') url_with_helo_ += '/';
  url_with_helo_ += config_.helo_name;
}

CurlSmtpTransport::~CurlSmtpTransport() { curl_easy_cleanup(static_cast<CURL*>(curl_)); }

SendResult CurlSmtpTransport::send(const OutgoingEmail& email) {
  CURL* curl = static_cast<CURL*>(curl_);
  Upload upload{email.data};
  curl_slist* recipients = curl_slist_append(nullptr, ("<" + email.to + ">").c_str());
  const std::string from = "<" + email.from + ">";
  char error[CURL_ERROR_SIZE] = "";
  curl_easy_setopt(curl, CURLOPT_URL, url_with_helo_.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, recipients);
  curl_easy_setopt(curl, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(curl, CURLOPT_READFUNCTION, read_upload);
  curl_easy_setopt(curl, CURLOPT_READDATA, &upload);
  curl_easy_setopt(curl, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(email.data.size()));
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(config_.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(std::min<int64_t>(config_.timeout.count(), 10'000)));
  const long use_ssl = config_.starttls == SmtpConfig::Tls::kRequired ? CURLUSESSL_ALL
                       : config_.starttls == SmtpConfig::Tls::kTry    ? CURLUSESSL_TRY
                                                                      : CURLUSESSL_NONE;
  curl_easy_setopt(curl, CURLOPT_USE_SSL, use_ssl);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, config_.verify_peer ? 1L : 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, config_.verify_peer ? 2L : 0L);
  if (!config_.username.empty()) {
    curl_easy_setopt(curl, CURLOPT_USERNAME, config_.username.c_str());
    curl_easy_setopt(curl, CURLOPT_PASSWORD, config_.password.c_str());
  }
  const CURLcode code = curl_easy_perform(curl);
  curl_slist_free_all(recipients);
  curl_easy_setopt(curl, CURLOPT_MAIL_RCPT, nullptr);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, nullptr);
  long reply = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &reply);
  SendResult result;
  result.status = classify(code, reply);
  result.smtp_code = static_cast<int>(reply);
  if (code != CURLE_OK) {
    result.detail = std::string(curl_easy_strerror(code)) + (error[0] ? ": " : "") + error;
  }
  return result;
}

}  // namespace fmn::sinks
