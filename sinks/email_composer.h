// Builds the RFC 5322 bytes and SMTP envelope of a notification or digest email from rendered
// text and the notification's fields.
//
// Headers are written from structured fields, never by pasting text: every value is made one
// line (CR, LF, NUL, controls, U+2028/2029 neutralised) and encoded; addresses are validated
// (core/destination_address.h) and a notification to an invalid one is refused, not sent. Headers:
// From, To, Subject, Date, Message-ID, MIME-Version, Precedence: bulk, Auto-Submitted, List-Id,
// List-Unsubscribe + List-Unsubscribe-Post (RFC 8058), and FMN's X-Fedmsg-Topic, -Category,
// -Id, -Username (one per username), -Package (one per package), -Num-Packages; digests carry
// X-Fedmsg-Digest-Count instead of per-message ones. Bodies are quoted-printable, with an HTML
// alternative when one was rendered. Message-IDs are derived from the content, so a resent
// email keeps its id and mail clients fold duplicates.
// Thread-compatible: compose() only reads the composer.
#pragma once

#include <ctime>
#include <string>

#include "core/result.h"
#include "sinks/digest.h"
#include "sinks/renderer.h"

namespace fmn::sinks {

struct EmailConfig {
  std::string from_address = "notifications@fedoraproject.org";
  std::string from_name = "Fedora Notifications";
  std::string list_id = "notifications.fedoraproject.org";  // List-Id and Message-ID domain
  size_t max_subject_bytes = 250;
  size_t max_listed_values = 20;  // X-Fedmsg-Username / -Package headers at most
};

// What an SMTP transport needs: envelope sender and recipient, and the message's bytes (CRLF).
struct OutgoingEmail {
  std::string from;
  std::string to;
  std::string data;
  std::string message_id;  // without angle brackets
};

class EmailComposer {
 public:
  // REQUIRES: config.from_address is valid (checked by validate()).
  explicit EmailComposer(EmailConfig config) : config_(std::move(config)) {}
  Result<bool> validate() const;

  // `unsubscribe_url`: the signed link for List-Unsubscribe. `now`: for the Date header.
  // Fails (kBadEnvelope) when the notification's address is not a valid email address.
  Result<OutgoingEmail> compose(const Notification& n, const RenderedEmail& text,
                                std::string_view unsubscribe_url, std::time_t now) const;
  // REQUIRES: !digest.items.empty().
  Result<OutgoingEmail> compose_digest(const Digest& digest, const RenderedEmail& text,
                                       std::string_view unsubscribe_url, std::time_t now) const;

  // A confirmation request: no List-Unsubscribe (there is no subscription yet).
  Result<OutgoingEmail> compose_confirmation(const ConfirmationRequest& request,
                                             const RenderedEmail& text, std::time_t now) const;

  const EmailConfig& config() const { return config_; }

 private:
  Result<OutgoingEmail> compose_common(std::string_view to, const RenderedEmail& text,
                                       std::string_view unsubscribe_url, std::time_t now,
                                       uint64_t id_hash, const std::string& extra_headers) const;
  EmailConfig config_;
};

}  // namespace fmn::sinks
