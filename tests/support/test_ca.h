// TestCa: a certificate authority for signature and TLS tests, made with the openssl command-line
// tool in a temporary directory: a self-signed CA certificate and a publisher certificate it
// issued (RSA 2048, valid for two days); on request, TLS server and client certificates. It signs
// fedmsg envelopes as fedmsg.crypto.x509 did: crypto "x509", `signature` the base64 of RSA PKCS#1
// v1.5 over SHA-1 (`openssl dgst -sha1 -sign`) of the canonical bytes (core/signed_envelope.h),
// `certificate` the base64 of the PEM certificate. Move-only; not thread-safe.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"
#include "tests/support/status.h"
#include "tests/support/temp_dir.h"

namespace fmn::test {

class TestCa {
 public:
  // `name` names the temporary directory and goes into the certificates' common names.
  static Result<TestCa> create(const std::string& name);

  // PEM file of the CA certificate: what a verifier is configured to trust.
  std::filesystem::path ca_certificate() const { return dir_ / "ca.crt"; }

  // A TLS certificate and its unencrypted key, issued by this CA: for a server known by the DNS
  // name `server_dns_name` (its subjectAltName), or for a client when that is empty. `name`
  // names the files and goes into the common name.
  struct Issued {
    std::filesystem::path certificate, key;
  };
  Result<Issued> issue_tls(const std::string& name, const std::string& server_dns_name);

  // `envelope` (JSON, unsigned) with crypto, signature and certificate set, as JSON.
  Result<std::string> sign(std::string_view envelope);

  // A PEM CRL issued by the CA: empty, or revoking the publisher certificate.
  Result<std::filesystem::path> crl(bool revoking_publisher);

 private:
  explicit TestCa(TempDir dir) : dir_(std::move(dir)) {}
  // Runs `openssl args...` in the directory.
  Status openssl(std::vector<std::string> args);
  // The base64 of a file of the directory, as `openssl base64` writes it (lines of 64).
  Result<std::string> base64_of(const std::string& file);

  TempDir dir_;
  std::string certificate_base64_;
  int files_ = 0;  // names the files of each signature and CRL
};

}  // namespace fmn::test
