#include "tests/web/oidc/test_keys.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <stdexcept>

#include "web/oidc/base64url.h"

namespace fmn::test {
namespace {

using oidc::base64url_encode;

std::string bn_param(EVP_PKEY* key, const char* name, size_t width = 0) {
  BIGNUM* bn = nullptr;
  if (EVP_PKEY_get_bn_param(key, name, &bn) != 1) throw std::runtime_error("no key parameter");
  std::string bytes(width ? width : static_cast<size_t>(BN_num_bytes(bn)), '\0');
  if (width) {
    BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(bytes.data()), static_cast<int>(width));
  } else {
    BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
  }
  BN_free(bn);
  return base64url_encode(bytes);
}

std::string signing_input(const std::string& header_json, const std::string& payload_json) {
  return base64url_encode(header_json) + "." + base64url_encode(payload_json);
}

}  // namespace

TestKey TestKey::rsa(std::string kid) {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048});
  if (key == nullptr) throw std::runtime_error("RSA key generation failed");
  return TestKey(std::move(kid), std::shared_ptr<evp_pkey_st>(key, EVP_PKEY_free), true);
}

TestKey TestKey::ec_p256(std::string kid) {
  EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  if (key == nullptr) throw std::runtime_error("EC key generation failed");
  return TestKey(std::move(kid), std::shared_ptr<evp_pkey_st>(key, EVP_PKEY_free), false);
}

std::string TestKey::public_jwk() const {
  const std::string common = R"("kid":")" + kid_ + R"(","use":"sig",)";
  if (rsa_) {
    return "{" + common + R"("kty":"RSA","alg":"RS256","n":")" +
           bn_param(key_.get(), OSSL_PKEY_PARAM_RSA_N) + R"(","e":")" +
           bn_param(key_.get(), OSSL_PKEY_PARAM_RSA_E) + R"("})";
  }
  return "{" + common + R"("kty":"EC","alg":"ES256","crv":"P-256","x":")" +
         bn_param(key_.get(), OSSL_PKEY_PARAM_EC_PUB_X, 32) + R"(","y":")" +
         bn_param(key_.get(), OSSL_PKEY_PARAM_EC_PUB_Y, 32) + R"("})";
}

std::string TestKey::header() const {
  return std::string(R"({"alg":")") + (rsa_ ? "RS256" : "ES256") + R"(","kid":")" + kid_ +
         R"(","typ":"JWT"})";
}

std::string TestKey::sign(const std::string& header_json, const std::string& payload_json) const {
  const std::string input = signing_input(header_json, payload_json);
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  size_t len = 0;
  if (EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(input.data()),
                     input.size()) != 1) {
    throw std::runtime_error("signing failed");
  }
  std::string sig(len, '\0');
  EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                 reinterpret_cast<const unsigned char*>(input.data()), input.size());
  sig.resize(len);
  if (!rsa_) {  // DER ECDSA-Sig-Value -> r || s, as JOSE carries it
    const auto* der = reinterpret_cast<const unsigned char*>(sig.data());
    ECDSA_SIG* ecdsa = d2i_ECDSA_SIG(nullptr, &der, static_cast<long>(sig.size()));
    std::string raw(64, '\0');
    BN_bn2binpad(ECDSA_SIG_get0_r(ecdsa), reinterpret_cast<unsigned char*>(raw.data()), 32);
    BN_bn2binpad(ECDSA_SIG_get0_s(ecdsa), reinterpret_cast<unsigned char*>(raw.data()) + 32, 32);
    ECDSA_SIG_free(ecdsa);
    sig = raw;
  }
  return input + "." + base64url_encode(sig);
}

std::string jwk_set(std::initializer_list<std::string> jwks) {
  std::string out = R"({"keys":[)";
  bool first = true;
  for (const std::string& jwk : jwks) {
    out += (first ? "" : ",") + jwk;
    first = false;
  }
  return out + "]}";
}

std::string sign_hs256(const std::string& header_json, const std::string& payload_json,
                       const std::string& secret) {
  const std::string input = signing_input(header_json, payload_json);
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, &len);
  return input + "." + base64url_encode(std::string(reinterpret_cast<char*>(mac), len));
}

std::string unsigned_token(const std::string& header_json, const std::string& payload_json) {
  return signing_input(header_json, payload_json) + ".";
}

}  // namespace fmn::test
