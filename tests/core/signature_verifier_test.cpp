// fedmsg signatures: the real signed messages of the corpus match the certificates they carry
// (Fedora's CA is not here, so only the signature step is checked on them), and messages signed
// with a CA made by the openssl tool at test time verify, while unsigned, tampered, foreign,
// revoked and malformed ones are rejected with the right outcome.
#include "core/signature_verifier.h"

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

#include "core/canonical_json.h"
#include "core/envelope_parser.h"
#include "tests/support/test_ca.h"

namespace fmn {
namespace {

using test::TestCa;

std::vector<std::string> signed_corpus_lines() {
  std::ifstream in(std::string(FMN_CORPUS_DIR) + "/fedmsg-real.jsonl");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (line.find("\"signature\"") != std::string::npos) lines.push_back(line);
  }
  return lines;
}

SignatureOutcome signature_step(const std::string& json) {
  auto envelope = signed_envelope(json);
  EXPECT_TRUE(envelope.ok()) << envelope.error().message;
  return envelope ? check_signature(*envelope).outcome : SignatureOutcome::kMalformed;
}

// `json` with the first letter of the first string of its body replaced by another letter.
std::string change_one_byte_of_the_body(std::string json) {
  for (size_t i = json.find("\"msg\":") + 7; i < json.size(); ++i) {
    if (json[i - 1] == '"' && json[i] >= 'a' && json[i] <= 'z') {
      json[i] = json[i] == 'a' ? 'b' : 'a';
      return json;
    }
  }
  ADD_FAILURE() << "no string in the body of " << json;
  return json;
}

std::string envelope(int n, std::string_view timestamp = "1700000000") {
  return R"({"topic":"org.fedoraproject.prod.fmn.test","msg":{"n":)" + std::to_string(n) +
         R"(,"text":"caf\u00e9 \u2603 \ud83d\ude00 \"quoted\"","ratio":0.1,"big":12345678901234567890123},)"
         R"("msg_id":"2024-)" +
         std::to_string(n) + R"(","timestamp":)" + std::string(timestamp) + R"(,"i":)" +
         std::to_string(n) + R"(,"username":"fmn"})";
}

// `json` with its top-level `key` set to the JSON value `value`.
std::string with_field(std::string_view json, const std::string& key, std::string_view value) {
  auto tree = parse_py_json(json);
  auto v = parse_py_json(value);
  EXPECT_TRUE(tree.ok() && v.ok());
  tree->erase(key);
  tree->members.push_back({key, std::move(v).value()});
  return canonical_json(*tree);
}

std::string without_field(std::string_view json, const std::string& key) {
  auto tree = parse_py_json(json);
  EXPECT_TRUE(tree.ok());
  tree->erase(key);
  return canonical_json(*tree);
}

TEST(SignatureVerifier, EveryRealSignedMessageMatchesItsCertificate) {
  std::vector<std::string> lines = signed_corpus_lines();
  ASSERT_EQ(lines.size(), 21u);
  for (const std::string& line : lines) {
    EXPECT_EQ(signature_step(line), SignatureOutcome::kOk) << line.substr(0, 200);
  }
}

TEST(SignatureVerifier, AOneByteChangeInARealBodyBreaksItsSignature) {
  for (const std::string& line : signed_corpus_lines()) {
    std::string changed = change_one_byte_of_the_body(line);
    ASSERT_NE(changed, line);
    EXPECT_EQ(signature_step(changed), SignatureOutcome::kBadSignature) << changed.substr(0, 200);
  }
}

TEST(SignatureVerifier, RealMessagesVerifyOnlyWithTheIntegerTimestampTheyWereSignedWith) {
  // The corpus has 1504643038.0 where the publisher signed 1504643038 (signed_envelope.h).
  const std::string line = signed_corpus_lines().front();
  auto envelope = signed_envelope(line);
  ASSERT_TRUE(envelope.ok()) << envelope.error().message;
  EXPECT_NE(envelope->canonical.find("\"timestamp\":1504643038,"), std::string::npos);
  std::string as_float = envelope->canonical;
  as_float.replace(as_float.find("1504643038,"), 11, "1504643038.0,");
  envelope->canonical = as_float;
  EXPECT_EQ(check_signature(*envelope).outcome, SignatureOutcome::kBadSignature);
}

class SignatureVerifierWithCa : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto ca = TestCa::create("trusted");
    ASSERT_TRUE(ca.ok()) << ca.error().message;
    ca_ = new TestCa(std::move(ca).value());
    auto other = TestCa::create("other");
    ASSERT_TRUE(other.ok()) << other.error().message;
    other_ = new TestCa(std::move(other).value());
  }
  static void TearDownTestSuite() {
    delete ca_;
    delete other_;
  }

  static SignatureCheck verify(const std::string& json, const std::string& crl = "") {
    auto verifier = SignatureVerifier::create(ca_->ca_certificate(), crl);
    EXPECT_TRUE(verifier.ok()) << verifier.error().message;
    return verifier ? (*verifier)->verify(json) : SignatureCheck{SignatureOutcome::kMalformed};
  }
  static std::string signed_by(TestCa& ca, const std::string& json) {
    auto signed_json = ca.sign(json);
    EXPECT_TRUE(signed_json.ok()) << signed_json.error().message;
    return signed_json ? *signed_json : "";
  }

  static TestCa* ca_;
  static TestCa* other_;
};
TestCa* SignatureVerifierWithCa::ca_ = nullptr;
TestCa* SignatureVerifierWithCa::other_ = nullptr;

TEST_F(SignatureVerifierWithCa, MessagesSignedWithACertificateOfTheCaVerify) {
  for (int n = 1; n <= 3; ++n) {
    std::string json = signed_by(*ca_, envelope(n));
    SignatureCheck check = verify(json);
    EXPECT_EQ(check.outcome, SignatureOutcome::kOk) << check.detail << "\n" << json;
    EXPECT_EQ(check.detail, "");
    // The envelope parser takes them as signed messages.
    auto m = parse_envelope(json);
    ASSERT_TRUE(m.ok()) << m.error().message;
    EXPECT_TRUE(m.value()->is_signed);
    EXPECT_EQ(m.value()->crypto, "x509");
  }
}

TEST_F(SignatureVerifierWithCa, ArchivedFormsOfASignedMessageVerify) {
  const std::string json = signed_by(*ca_, envelope(1));
  // A float timestamp where an integer was signed (an archive's copy).
  EXPECT_EQ(verify(with_field(json, "timestamp", "1700000000.0")).outcome, SignatureOutcome::kOk);
  // Handed back by datagrepper: its fields, empty headers, a float timestamp.
  std::string datanommer = with_field(json, "source_name", "\"datanommer\"");
  datanommer = with_field(datanommer, "source_version", "\"0.8.1\"");
  datanommer = with_field(datanommer, "headers", "{}");
  datanommer = with_field(datanommer, "timestamp", "1700000000.0");
  EXPECT_EQ(verify(datanommer).outcome, SignatureOutcome::kOk);
  // A message signed with a fractional timestamp keeps it.
  EXPECT_EQ(verify(signed_by(*ca_, envelope(2, "1700000000.25"))).outcome, SignatureOutcome::kOk);
}

TEST_F(SignatureVerifierWithCa, UnsignedTamperedAndForeignMessagesAreRejected) {
  const std::string good = signed_by(*ca_, envelope(1));
  EXPECT_EQ(verify(envelope(1)).outcome, SignatureOutcome::kUnsigned);
  EXPECT_EQ(verify(change_one_byte_of_the_body(good)).outcome, SignatureOutcome::kBadSignature);
  EXPECT_EQ(verify(with_field(good, "i", "2")).outcome, SignatureOutcome::kBadSignature);
  EXPECT_EQ(verify(with_field(good, "headers", "{\"x\":1}")).outcome,
            SignatureOutcome::kBadSignature);
  // Another message's signature.
  auto other_signature = parse_py_json(signed_by(*ca_, envelope(2)));
  ASSERT_TRUE(other_signature.ok());
  const PyJson* signature = other_signature->find("signature");
  ASSERT_NE(signature, nullptr);
  EXPECT_EQ(verify(with_field(good, "signature", canonical_json(*signature))).outcome,
            SignatureOutcome::kBadSignature);

  SignatureCheck foreign = verify(signed_by(*other_, envelope(1)));
  EXPECT_EQ(foreign.outcome, SignatureOutcome::kUntrustedCertificate);
  EXPECT_NE(foreign.detail, "");
  // The foreign signature itself is sound: only the trust is missing.
  auto foreign_envelope = signed_envelope(signed_by(*other_, envelope(1)));
  ASSERT_TRUE(foreign_envelope.ok());
  EXPECT_EQ(check_signature(*foreign_envelope).outcome, SignatureOutcome::kOk);
}

TEST_F(SignatureVerifierWithCa, MalformedCredentialsAreRejectedAsMalformed) {
  const std::string good = signed_by(*ca_, envelope(1));
  for (const std::string& bad : {
           without_field(good, "certificate"),
           without_field(good, "signature"),
           with_field(good, "certificate", "\"bm90IGEgY2VydGlmaWNhdGU=\""),  // "not a certificate"
           with_field(good, "signature", "\"***\""),
           with_field(good, "signature", "42"),
           with_field(good, "crypto", "\"gpg\""),
           std::string("{\"topic\":"),
           std::string("[1,2]"),
       }) {
    SignatureCheck check = verify(bad);
    EXPECT_EQ(check.outcome, SignatureOutcome::kMalformed) << bad;
    EXPECT_NE(check.detail, "") << bad;
  }
}

TEST_F(SignatureVerifierWithCa, ACrlRevokesThePublisherCertificate) {
  const std::string good = signed_by(*ca_, envelope(1));
  auto empty = ca_->crl(false);
  ASSERT_TRUE(empty.ok()) << empty.error().message;
  EXPECT_EQ(verify(good, *empty).outcome, SignatureOutcome::kOk);
  auto revoking = ca_->crl(true);
  ASSERT_TRUE(revoking.ok()) << revoking.error().message;
  SignatureCheck revoked = verify(good, *revoking);
  EXPECT_EQ(revoked.outcome, SignatureOutcome::kUntrustedCertificate);
  EXPECT_EQ(revoked.detail, "certificate revoked");
}

TEST_F(SignatureVerifierWithCa, CreationFailsOnFilesWithoutWhatTheyShouldHold) {
  auto missing = SignatureVerifier::create("/nonexistent/ca.crt");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, ErrorCode::kInvalidConfig);
  EXPECT_EQ(missing.error().message, "cannot read /nonexistent/ca.crt");
  const std::string ca = ca_->ca_certificate();
  auto no_crl = SignatureVerifier::create(ca, ca);  // a certificate is no CRL
  ASSERT_FALSE(no_crl.ok());
  EXPECT_EQ(no_crl.error().message, "no CRL in " + ca);
  auto no_ca = SignatureVerifier::create(std::string(FMN_CORPUS_DIR) + "/README.md");
  ASSERT_FALSE(no_ca.ok());
  EXPECT_EQ(no_ca.error().message,
            "no certificate in " + std::string(FMN_CORPUS_DIR) + "/README.md");
}

TEST(SignatureOutcome, NamesAreMetricLabels) {
  EXPECT_EQ(outcome_name(SignatureOutcome::kOk), "ok");
  EXPECT_EQ(outcome_name(SignatureOutcome::kUnsigned), "unsigned");
  EXPECT_EQ(outcome_name(SignatureOutcome::kBadSignature), "bad_signature");
  EXPECT_EQ(outcome_name(SignatureOutcome::kUntrustedCertificate), "untrusted_certificate");
  EXPECT_EQ(outcome_name(SignatureOutcome::kMalformed), "malformed");
}

}  // namespace
}  // namespace fmn
