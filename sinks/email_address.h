// Validation of email addresses before they reach an SMTP envelope or a header.
//
// Accepts the common, unquoted form local@domain: a dot-atom local part (RFC 5322 atext, at
// most 64 bytes) and a domain of LDH labels (or an IPv4 literal in brackets), 254 bytes in all.
// Quoted local parts, comments and non-ASCII addresses (SMTPUTF8) are refused: a confirmation
// flow can tell the user. Nothing refused can carry CR, LF, NUL, spaces, '<' or '>'.
#pragma once

#include <string_view>

namespace fmn::sinks {

bool is_valid_email_address(std::string_view address);

}  // namespace fmn::sinks
