#include "core/signature_verifier.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <optional>

namespace fmn {
namespace {

template <auto Free>
struct FreeWith {
  template <typename T>
  void operator()(T* p) const {
    Free(p);
  }
};
using BioPtr = std::unique_ptr<BIO, FreeWith<BIO_free>>;
using X509Ptr = std::unique_ptr<X509, FreeWith<X509_free>>;
using StorePtr = std::unique_ptr<X509_STORE, FreeWith<X509_STORE_free>>;
using StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, FreeWith<X509_STORE_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, FreeWith<EVP_MD_CTX_free>>;
using EncodeCtxPtr = std::unique_ptr<EVP_ENCODE_CTX, FreeWith<EVP_ENCODE_CTX_free>>;
void free_infos(STACK_OF(X509_INFO) * infos) { sk_X509_INFO_pop_free(infos, X509_INFO_free); }
using InfoStackPtr = std::unique_ptr<STACK_OF(X509_INFO), FreeWith<free_infos>>;

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

// Base64 as fedmsg wrote it (lines of 76 characters); nullopt when it is not base64.
std::optional<std::string> base64_decode(std::string_view text) {
  std::string out(text.size() / 4 * 3 + 3, '\0');
  auto* dst = reinterpret_cast<unsigned char*>(out.data());
  EncodeCtxPtr ctx(EVP_ENCODE_CTX_new());
  EVP_DecodeInit(ctx.get());
  int n = 0, total = 0;
  if (EVP_DecodeUpdate(ctx.get(), dst, &n, bytes(text), static_cast<int>(text.size())) < 0) {
    return std::nullopt;
  }
  total = n;
  if (EVP_DecodeFinal(ctx.get(), dst + total, &n) != 1) return std::nullopt;
  out.resize(static_cast<size_t>(total + n));
  return out;
}

SignatureCheck fail(SignatureOutcome outcome, std::string detail) {
  ERR_clear_error();  // OpenSSL queues errors per thread; none of them is needed any more
  return {outcome, std::move(detail)};
}

// Steps 1-3; step 2 only when `store` is set.
SignatureCheck check(const SignedEnvelope& envelope, X509_STORE* store) {
  if (envelope.signature.empty() && envelope.certificate.empty()) {
    return fail(SignatureOutcome::kUnsigned, "no signature");
  }
  if (envelope.signature.empty() || envelope.certificate.empty()) {
    return fail(SignatureOutcome::kMalformed, envelope.signature.empty()
                                                  ? "certificate without signature"
                                                  : "signature without certificate");
  }
  if (!envelope.crypto.empty() && envelope.crypto != "x509") {
    return fail(SignatureOutcome::kMalformed, "crypto \"" + envelope.crypto + "\": only x509");
  }
  std::optional<std::string> signature = base64_decode(envelope.signature);
  std::optional<std::string> pem = base64_decode(envelope.certificate);
  if (!signature || !pem) return fail(SignatureOutcome::kMalformed, "credentials not in base64");
  BioPtr bio(BIO_new_mem_buf(pem->data(), static_cast<int>(pem->size())));
  X509Ptr certificate(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
  if (!certificate) return fail(SignatureOutcome::kMalformed, "certificate: not a PEM certificate");

  if (store != nullptr) {
    StoreCtxPtr ctx(X509_STORE_CTX_new());
    if (!ctx || X509_STORE_CTX_init(ctx.get(), store, certificate.get(), nullptr) != 1) {
      return fail(SignatureOutcome::kUntrustedCertificate, "cannot set up the verification");
    }
    if (X509_verify_cert(ctx.get()) != 1) {
      return fail(SignatureOutcome::kUntrustedCertificate,
                  X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx.get())));
    }
  }

  EVP_PKEY* key = X509_get0_pubkey(certificate.get());  // owned by the certificate
  if (key == nullptr || EVP_PKEY_base_id(key) != EVP_PKEY_RSA) {
    return fail(SignatureOutcome::kBadSignature, "the certificate's key is not RSA");
  }
  MdCtxPtr md(EVP_MD_CTX_new());
  if (!md || EVP_DigestVerifyInit(md.get(), nullptr, EVP_sha1(), nullptr, key) != 1 ||
      EVP_DigestVerify(md.get(), bytes(*signature), signature->size(), bytes(envelope.canonical),
                       envelope.canonical.size()) != 1) {
    return fail(SignatureOutcome::kBadSignature, "the signature does not match");
  }
  return {};
}

// Adds every certificate (or, with `want_crls`, every CRL) of the PEM file `path` to `store`.
Result<bool> load_pem(X509_STORE* store, const std::string& path, bool want_crls) {
  const char* what = want_crls ? "CRL" : "certificate";
  BioPtr bio(BIO_new_file(path.c_str(), "r"));
  if (!bio) {
    ERR_clear_error();
    return Error{ErrorCode::kInvalidConfig, "cannot read " + path};
  }
  InfoStackPtr infos(PEM_X509_INFO_read_bio(bio.get(), nullptr, nullptr, nullptr));
  int added = 0;
  for (int i = 0; infos && i < sk_X509_INFO_num(infos.get()); ++i) {
    X509_INFO* info = sk_X509_INFO_value(infos.get(), i);
    if (want_crls && info->crl != nullptr) added += X509_STORE_add_crl(store, info->crl);
    if (!want_crls && info->x509 != nullptr) added += X509_STORE_add_cert(store, info->x509);
  }
  ERR_clear_error();
  if (added == 0)
    return Error{ErrorCode::kInvalidConfig, std::string("no ") + what + " in " + path};
  return true;
}

}  // namespace

std::string_view outcome_name(SignatureOutcome outcome) {
  switch (outcome) {
    case SignatureOutcome::kOk:
      return "ok";
    case SignatureOutcome::kUnsigned:
      return "unsigned";
    case SignatureOutcome::kBadSignature:
      return "bad_signature";
    case SignatureOutcome::kUntrustedCertificate:
      return "untrusted_certificate";
    case SignatureOutcome::kMalformed:
      return "malformed";
  }
  return "malformed";
}

SignatureCheck check_signature(const SignedEnvelope& envelope) { return check(envelope, nullptr); }

struct SignatureVerifier::Impl {
  StorePtr store;
};

SignatureVerifier::SignatureVerifier(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SignatureVerifier::~SignatureVerifier() = default;

Result<std::unique_ptr<SignatureVerifier>> SignatureVerifier::create(const std::string& ca_cert,
                                                                     const std::string& crl) {
  auto impl = std::make_unique<Impl>();
  impl->store.reset(X509_STORE_new());
  if (auto ok = load_pem(impl->store.get(), ca_cert, false); !ok) return ok.error();
  if (!crl.empty()) {
    if (auto ok = load_pem(impl->store.get(), crl, true); !ok) return ok.error();
    X509_STORE_set_flags(impl->store.get(), X509_V_FLAG_CRL_CHECK | X509_V_FLAG_CRL_CHECK_ALL);
  }
  return std::unique_ptr<SignatureVerifier>(new SignatureVerifier(std::move(impl)));
}

SignatureCheck SignatureVerifier::verify(std::string_view envelope_json) const {
  auto envelope = signed_envelope(envelope_json);
  if (!envelope) return {SignatureOutcome::kMalformed, envelope.error().message};
  return check(*envelope, impl_->store.get());
}

}  // namespace fmn
