#include "sinks/email_composer.h"

#include <cstdio>

#include "core/destination_address.h"
#include "sinks/mime.h"
#include "sinks/text_escape.h"

namespace fmn::sinks {
namespace {

uint64_t fnv1a(uint64_t h, std::string_view s) {
  for (char c : s) {
    h ^= static_cast<uint8_t>(c);
    h *= 0x100000001b3ULL;
  }
  return (h ^ 0xff) * 0x100000001b3ULL;  // a separator, so ("ab","c") != ("a","bc")
}
constexpr uint64_t kFnvBasis = 0xcbf29ce484222325ULL;

uint64_t message_hash(uint64_t h, const Message& m) {
  h = fnv1a(h, m.msg_id);
  h = fnv1a(h, m.topic);
  if (m.timestamp) h = fnv1a(h, std::to_string(*m.timestamp));
  return h;
}

// "Name: value\r\n" with the value made one line, cut to a sane length and, when it is not
// printable ASCII, RFC 2047 encoded: the message stays 7-bit without SMTPUTF8.
void add_header(std::string& out, std::string_view name, std::string_view value) {
  out += name;
  out += ": ";
  std::string line;
  append_one_line(line, utf8_prefix(value, 500));
  append_header_text(out, line);
  out += "\r\n";
}

std::string hex64(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

void append_body_part(std::string& out, std::string_view content_type, std::string_view body) {
  out += "Content-Type: ";
  out += content_type;
  out += "; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n";
  append_quoted_printable(out, body);
  if (!out.ends_with("\r\n")) out += "\r\n";
}

}  // namespace

Result<bool> EmailComposer::validate() const {
  if (!is_email_address(config_.from_address)) {
    return Error{ErrorCode::kInvalidConfig,
                 "email: from address '" + config_.from_address + "' is not valid"};
  }
  for (char c : config_.from_name) {
    // An RFC 5322 phrase of atoms: no specials, so the name cannot change the From header.
    if (static_cast<unsigned char>(c) < 0x20 ||
        std::string_view("()<>[]:;@\\,.\"").find(c) != std::string_view::npos) {
      return Error{ErrorCode::kInvalidConfig,
                   "email: from name '" + config_.from_name +
                       "' may not contain control characters or ()<>[]:;@\\,.\""};
    }
  }
  return true;
}

Result<OutgoingEmail> EmailComposer::compose(const Notification& n, const RenderedEmail& text,
                                             std::string_view unsubscribe_url,
                                             std::time_t now) const {
  const Message& m = *n.message;
  std::string extra;
  add_header(extra, "X-Fedmsg-Topic", m.topic);
  add_header(extra, "X-Fedmsg-Category", m.meta.category);
  if (!m.msg_id.empty()) add_header(extra, "X-Fedmsg-Id", m.msg_id);
  const size_t cap = config_.max_listed_values;
  for (size_t i = 0; i < m.meta.usernames.size() && i < cap; ++i) {
    add_header(extra, "X-Fedmsg-Username", m.meta.usernames[i]);
  }
  for (size_t i = 0; i < m.meta.packages.size() && i < cap; ++i) {
    add_header(extra, "X-Fedmsg-Package", m.meta.packages[i]);
  }
  add_header(extra, "X-Fedmsg-Num-Packages", std::to_string(m.meta.packages.size()));
  const uint64_t hash = message_hash(fnv1a(kFnvBasis, n.rule_name()), m);
  return compose_common(n.address(), text, unsubscribe_url, now, hash, extra);
}

Result<OutgoingEmail> EmailComposer::compose_digest(const Digest& digest, const RenderedEmail& text,
                                                    std::string_view unsubscribe_url,
                                                    std::time_t now) const {
  uint64_t hash = fnv1a(kFnvBasis, "digest");
  for (const Notification& n : digest.items) hash = message_hash(hash, *n.message);
  std::string extra;
  add_header(extra, "X-Fedmsg-Digest-Count", std::to_string(digest.items.size()));
  return compose_common(digest.items.front().address(), text, unsubscribe_url, now, hash, extra);
}

Result<OutgoingEmail> EmailComposer::compose_confirmation(const ConfirmationRequest& request,
                                                          const RenderedEmail& text,
                                                          std::time_t now) const {
  const uint64_t hash = fnv1a(fnv1a(kFnvBasis, "confirmation"), request.code);
  return compose_common(request.address, text, {}, now, hash, {});
}

Result<OutgoingEmail> EmailComposer::compose_common(std::string_view to, const RenderedEmail& text,
                                                    std::string_view unsubscribe_url,
                                                    std::time_t now, uint64_t id_hash,
                                                    const std::string& extra_headers) const {
  if (!is_email_address(to)) {
    std::string shown;
    append_one_line(shown, utf8_prefix(to, 100));
    return Error{ErrorCode::kBadEnvelope, "email: invalid recipient address '" + shown + "'"};
  }
  OutgoingEmail mail;
  mail.from = config_.from_address;
  mail.to = std::string(to);
  mail.message_id = hex64(fnv1a(id_hash, to)) + "." + hex64(id_hash) + "@" + config_.list_id;
  std::string& d = mail.data;
  d.reserve(text.text.size() + text.html.size() + 2048);
  d += "From: ";
  append_header_text(d, config_.from_name);  // a plain phrase: no specials in the config name
  d += " <" + config_.from_address + ">\r\n";
  d += "To: <" + mail.to + ">\r\n";
  d += "Subject: ";
  std::string subject;
  append_one_line(subject, text.subject);
  std::string cut;
  append_truncated(cut, subject, config_.max_subject_bytes);
  append_header_text(d, cut);
  d += "\r\nDate: ";
  append_rfc5322_date(d, now);
  d += "\r\nMessage-ID: <" + mail.message_id + ">\r\n";
  d += "MIME-Version: 1.0\r\nPrecedence: bulk\r\nAuto-Submitted: auto-generated\r\n";
  d += "List-Id: <" + config_.list_id + ">\r\n";
  if (!unsubscribe_url.empty()) {
    d += "List-Unsubscribe: <";
    append_one_line(d, unsubscribe_url);
    d += ">\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n";
  }
  d += extra_headers;
  if (text.html.empty()) {
    append_body_part(d, "text/plain", text.text);
    return mail;
  }
  // "=_" cannot occur in quoted-printable text, so the boundary never appears in a part.
  const std::string boundary = "=_fmn_" + hex64(id_hash);
  d += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
  d += "--" + boundary + "\r\n";
  append_body_part(d, "text/plain", text.text);
  d += "--" + boundary + "\r\n";
  append_body_part(d, "text/html", text.html);
  d += "--" + boundary + "--\r\n";
  return mail;
}

}  // namespace fmn::sinks
