// Verification of fedmsg message signatures, as fedmsg.crypto.x509 did it (with OpenSSL):
//
// 1. the message carries a signature and the signer's certificate (crypto "x509" or none);
// 2. that certificate chains to a configured CA and, when a CRL is configured, is not revoked;
// 3. the signature is RSA PKCS#1 v1.5 over SHA-1 of the canonical bytes (signed_envelope.h),
//    made with that certificate's key.
//
// Which certificate may publish on which topic (fedmsg's routing_policy) is not checked.
// SignatureVerifier is immutable once created: verify() is safe on any number of threads.
// Nothing throws.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.h"
#include "core/signed_envelope.h"

namespace fmn {

enum class SignatureOutcome {
  kOk,
  kUnsigned,              // neither signature nor certificate
  kBadSignature,          // the signature does not match the bytes and the certificate's key
  kUntrustedCertificate,  // not issued by the CA, expired, or revoked
  kMalformed,             // not an envelope, one credential without the other, bad base64 or
                          // PEM, a scheme other than x509
};
inline constexpr size_t kSignatureOutcomes = 5;

// "ok", "unsigned", "bad_signature", "untrusted_certificate", "malformed": metric labels.
std::string_view outcome_name(SignatureOutcome outcome);

struct SignatureCheck {
  SignatureOutcome outcome = SignatureOutcome::kOk;
  std::string detail;  // what failed, for logs; empty when kOk
};

// Steps 1 and 3 only: whether the signature matches the certificate the message carries, whoever
// issued it. Proves nothing about the sender; for tests and diagnostics.
SignatureCheck check_signature(const SignedEnvelope& envelope);

class SignatureVerifier {
 public:
  // `ca_cert`: PEM file of the trusted CA certificate(s). `crl`: PEM file of revocation lists;
  // empty: none. Errors (kInvalidConfig) name the file that cannot be read or holds nothing
  // usable.
  static Result<std::unique_ptr<SignatureVerifier>> create(const std::string& ca_cert,
                                                           const std::string& crl = "");
  ~SignatureVerifier();

  // All three steps on a received envelope (its JSON text).
  SignatureCheck verify(std::string_view envelope_json) const;

 private:
  struct Impl;
  explicit SignatureVerifier(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace fmn
