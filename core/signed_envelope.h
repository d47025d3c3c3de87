// What the publisher of a fedmsg message signed, recovered from the envelope received, as
// fedmsg.crypto did before checking a signature:
//
// - "signature" and "certificate" are taken out (fedmsg.crypto.strip_credentials);
// - a message carrying both "source_name" and "source_version" was handed back by datanommer /
//   datagrepper, which add those fields, an empty "headers" and a float timestamp: the two
//   fields go, "headers" goes when empty (falsy), and the timestamp is made an integer with
//   Python's int() (fedmsg.crypto.utils.fix_datagrepper_message);
// - any other message whose timestamp is a float with an integral value has it written as an
//   integer. fedmsg publishers signed int(time.time()); a message copied from an archive with
//   the archive's own fields removed (as those of corpus/fedmsg-real.jsonl were) keeps the
//   float. The 21 signed messages of that corpus verify this way and not with the float.
//
// The rest is written as fedmsg.encoding.dumps wrote it (canonical_json()). Pure function;
// thread-safe; never throws.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace fmn {

struct SignedEnvelope {
  std::string crypto;       // the signing scheme ("x509"); empty when absent
  std::string signature;    // base64, as carried; empty when absent
  std::string certificate;  // base64 of the signer's PEM certificate, as carried; empty when absent
  std::string canonical;    // the bytes that were signed
};

// Errors: kMalformedJson (not JSON), kBadEnvelope (not an object; crypto, signature or
// certificate not a string; a datanommer timestamp that is not a finite number).
Result<SignedEnvelope> signed_envelope(std::string_view json);

}  // namespace fmn
