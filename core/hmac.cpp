#include "core/hmac.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <algorithm>

#include "core/hex.h"
#include "core/secret_equal.h"

namespace fmn {
namespace {

// Each thread keeps one HMAC context keyed with the last key it signed with. Setting a key up,
// and fetching the algorithm as OpenSSL 3's one-shot HMAC() does on every call, costs several
// times what signing a short text does, and a process signs with one key or two.
class KeyedContext {
 public:
  KeyedContext() = default;
  KeyedContext(const KeyedContext&) = delete;
  KeyedContext& operator=(const KeyedContext&) = delete;
  ~KeyedContext() { reset(); }

  // The context, ready to sign with `key`; null when OpenSSL fails.
  EVP_MAC_CTX* ready(std::string_view key) {
    if (ctx_ != nullptr && secrets_equal(key_, key)) {
      if (EVP_MAC_init(ctx_, nullptr, 0, nullptr) == 1) return ctx_;  // the same key again
      reset();
      return nullptr;
    }
    reset();
    static EVP_MAC* const hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    if (hmac == nullptr || (ctx_ = EVP_MAC_CTX_new(hmac)) == nullptr) return nullptr;
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_END};
    // A key pointer even for the empty key: a null one would mean "the previous key".
    static const unsigned char kNoKey = 0;
    const auto* bytes = key.empty() ? &kNoKey : reinterpret_cast<const unsigned char*>(key.data());
    if (EVP_MAC_init(ctx_, bytes, key.size(), params) != 1) {
      reset();
      return nullptr;
    }
    key_.assign(key);
    return ctx_;
  }

 private:
  void reset() {
    EVP_MAC_CTX_free(ctx_);
    ctx_ = nullptr;
    OPENSSL_cleanse(key_.data(), key_.size());
    key_.clear();
  }

  EVP_MAC_CTX* ctx_ = nullptr;
  std::string key_;
};

}  // namespace

std::string hmac_sha256_hex(std::string_view key, std::string_view data, size_t bytes) {
  thread_local KeyedContext context;
  unsigned char mac[EVP_MAX_MD_SIZE];
  size_t mac_len = 0;
  EVP_MAC_CTX* ctx = context.ready(key);
  if (ctx == nullptr ||
      EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1 ||
      EVP_MAC_final(ctx, mac, &mac_len, sizeof mac) != 1) {
    return {};
  }
  return hex_lower(mac, std::min(bytes, mac_len));
}

}  // namespace fmn
