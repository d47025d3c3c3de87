#include "web/oidc/jws.h"

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>

#include <memory>

#include "web/oidc/base64url.h"
#include "web/oidc/json_object.h"

namespace fmn::oidc {
namespace {

constexpr size_t kEs256SignatureBytes = 64;  // r || s, 32 bytes each (RFC 7518 §3.4)

Error malformed(const std::string& what) {
  return Error{ErrorCode::kBadEnvelope, "malformed token: " + what};
}

// JOSE carries an ECDSA signature as r || s; OpenSSL verifies the DER SEQUENCE of RFC 3279.
std::string ecdsa_raw_to_der(const std::string& raw) {
  std::string der;
  if (raw.size() != kEs256SignatureBytes) return der;
  const auto* bytes = reinterpret_cast<const unsigned char*>(raw.data());
  ECDSA_SIG* sig = ECDSA_SIG_new();
  BIGNUM* r = BN_bin2bn(bytes, 32, nullptr);
  BIGNUM* s = BN_bin2bn(bytes + 32, 32, nullptr);
  if (sig == nullptr || r == nullptr || s == nullptr || ECDSA_SIG_set0(sig, r, s) != 1) {
    BN_free(r);
    BN_free(s);
    ECDSA_SIG_free(sig);
    return der;
  }
  unsigned char* out = nullptr;
  const int len = i2d_ECDSA_SIG(sig, &out);
  if (len > 0) der.assign(reinterpret_cast<char*>(out), static_cast<size_t>(len));
  OPENSSL_free(out);
  ECDSA_SIG_free(sig);
  return der;
}

}  // namespace

Result<CompactJws> parse_compact_jws(std::string_view token) {
  const size_t first = token.find('.');
  const size_t second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    return malformed("not three dot-separated segments");
  }
  auto header = base64url_decode(token.substr(0, first));
  auto payload = base64url_decode(token.substr(first + 1, second - first - 1));
  auto signature = base64url_decode(token.substr(second + 1));
  if (!header || !payload || !signature) return malformed("a segment is not base64url");
  auto doc = parse_json_object(*header, "the header");
  if (!doc) return malformed(doc.error().message);
  CompactJws jws;
  jws.alg = string_member(*doc, "alg").value_or("");
  if (jws.alg.empty()) return malformed("the header has no \"alg\"");
  if (doc->HasMember("crit")) return malformed("the header has a \"crit\" extension");
  jws.kid = string_member(*doc, "kid").value_or("");
  jws.header_json = std::move(*header);
  jws.payload_json = std::move(*payload);
  jws.signing_input = std::string(token.substr(0, second));
  jws.signature = std::move(*signature);
  return jws;
}

bool is_supported_alg(std::string_view alg) { return alg == "RS256" || alg == "ES256"; }

bool verify_signature(const CompactJws& jws, const Jwk& key) {
  const KeyType wanted = jws.alg == "RS256" ? KeyType::kRsa : KeyType::kEcP256;
  if (!is_supported_alg(jws.alg) || key.type != wanted || !key.key) return false;
  if (!key.alg.empty() && key.alg != jws.alg) return false;
  const std::string signature =
      key.type == KeyType::kEcP256 ? ecdsa_raw_to_der(jws.signature) : jws.signature;
  if (signature.empty()) return false;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  // RSA keys default to PKCS#1 v1.5 padding in EVP_DigestVerify, which RS256 is.
  return ctx &&
         EVP_DigestVerifyInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.key.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                          signature.size(),
                          reinterpret_cast<const unsigned char*>(jws.signing_input.data()),
                          jws.signing_input.size()) == 1;
}

}  // namespace fmn::oidc
