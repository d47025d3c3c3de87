#include "web/oidc/jwk_set.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include <optional>

#include "web/oidc/base64url.h"
#include "web/oidc/json_object.h"

namespace fmn::oidc {
namespace {

constexpr int kMinRsaBits = 2048;
constexpr size_t kP256CoordinateBytes = 32;

struct BnDeleter {
  void operator()(BIGNUM* bn) const { BN_free(bn); }
};
struct ParamBldDeleter {
  void operator()(OSSL_PARAM_BLD* b) const { OSSL_PARAM_BLD_free(b); }
};
struct ParamDeleter {
  void operator()(OSSL_PARAM* p) const { OSSL_PARAM_free(p); }
};
struct CtxDeleter {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
using Bn = std::unique_ptr<BIGNUM, BnDeleter>;

std::optional<std::string> decoded_member(const rapidjson::Value& jwk, const char* name) {
  auto text = string_member(jwk, name);
  if (!text) return std::nullopt;
  return base64url_decode(*text);
}

Bn to_bignum(const std::string& bytes) {
  return Bn(BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                      static_cast<int>(bytes.size()), nullptr));
}

std::shared_ptr<evp_pkey_st> key_from_params(const char* type, OSSL_PARAM_BLD* bld) {
  std::unique_ptr<OSSL_PARAM, ParamDeleter> params(OSSL_PARAM_BLD_to_param(bld));
  std::unique_ptr<EVP_PKEY_CTX, CtxDeleter> ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_PUBLIC_KEY, params.get()) != 1) {
    return nullptr;
  }
  return std::shared_ptr<evp_pkey_st>(key, EVP_PKEY_free);
}

std::shared_ptr<evp_pkey_st> rsa_key(const rapidjson::Value& jwk) {
  auto n = decoded_member(jwk, "n");
  auto e = decoded_member(jwk, "e");
  if (!n || !e || n->empty() || e->empty()) return nullptr;
  Bn bn_n = to_bignum(*n);
  Bn bn_e = to_bignum(*e);
  std::unique_ptr<OSSL_PARAM_BLD, ParamBldDeleter> bld(OSSL_PARAM_BLD_new());
  if (!bn_n || !bn_e || !bld || BN_num_bits(bn_n.get()) < kMinRsaBits ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, bn_n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, bn_e.get()) != 1) {
    return nullptr;
  }
  return key_from_params("RSA", bld.get());
}

std::shared_ptr<evp_pkey_st> ec_p256_key(const rapidjson::Value& jwk) {
  if (string_member(jwk, "crv") != "P-256") return nullptr;
  auto x = decoded_member(jwk, "x");
  auto y = decoded_member(jwk, "y");
  if (!x || !y || x->size() != kP256CoordinateBytes || y->size() != kP256CoordinateBytes) {
    return nullptr;
  }
  const std::string point = "\x04" + *x + *y;  // SEC 1 uncompressed form
  std::unique_ptr<OSSL_PARAM_BLD, ParamBldDeleter> bld(OSSL_PARAM_BLD_new());
  if (!bld ||
      OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) !=
          1 ||
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(),
                                       point.size()) != 1) {
    return nullptr;
  }
  // EVP_PKEY_fromdata checks that the point lies on the curve.
  return key_from_params("EC", bld.get());
}

}  // namespace

Result<std::vector<Jwk>> parse_jwk_set(std::string_view json) {
  auto doc = parse_json_object(json, "the JWKS document");
  if (!doc) return doc.error();
  auto keys = doc->FindMember("keys");
  if (keys == doc->MemberEnd() || !keys->value.IsArray()) {
    return Error{ErrorCode::kMalformedJson, "the JWKS document has no \"keys\" array"};
  }
  std::vector<Jwk> out;
  for (const auto& item : keys->value.GetArray()) {
    if (!item.IsObject()) continue;
    const auto use = string_member(item, "use");
    if (use && *use != "sig") continue;
    const std::string kty = string_member(item, "kty").value_or("");
    Jwk jwk;
    jwk.kid = string_member(item, "kid").value_or("");
    jwk.alg = string_member(item, "alg").value_or("");
    if (kty == "RSA") {
      jwk.type = KeyType::kRsa;
      jwk.key = rsa_key(item);
    } else if (kty == "EC") {
      jwk.type = KeyType::kEcP256;
      jwk.key = ec_p256_key(item);
    }
    if (jwk.key) out.push_back(std::move(jwk));
  }
  return out;
}

}  // namespace fmn::oidc
