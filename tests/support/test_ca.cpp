#include "tests/support/test_ca.h"

#include <fstream>
#include <sstream>

#include "core/canonical_json.h"
#include "core/signed_envelope.h"
#include "tests/support/child_process.h"

namespace fmn::test {
namespace {

constexpr Duration kTimeout = std::chrono::seconds(60);

// Extensions of both certificates, and what `openssl ca` needs to issue CRLs.
constexpr const char* kConfig = R"([ req ]
distinguished_name = dn
prompt = no
[ dn ]
CN = fmn test
[ ca_ext ]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash
[ publisher_ext ]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
authorityKeyIdentifier = keyid
[ ca ]
default_ca = test_ca
[ test_ca ]
database = index.txt
certificate = ca.crt
private_key = ca.key
crlnumber = crlnumber
default_md = sha256
default_crl_days = 2
)";

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void set_string(PyJson& object, const std::string& key, std::string value) {
  object.erase(key);
  object.members.push_back({key, PyJson{PyJson::Kind::kString, std::move(value)}});
}

}  // namespace

Result<TestCa> TestCa::create(const std::string& name) {
  auto dir = TempDir::create("ca-" + name);
  if (!dir) return dir.error();
  TestCa ca(std::move(dir).value());
  for (const auto& [file, text] : {std::pair{"openssl.cnf", kConfig}, std::pair{"index.txt", ""},
                                   std::pair{"crlnumber", "01\n"}}) {
    if (auto ok = write_file(ca.dir_ / file, text); !ok) return ok.error();
  }
  for (std::vector<std::string> args : {
           std::vector<std::string>{"req", "-x509", "-config", "openssl.cnf", "-extensions",
                                    "ca_ext", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key",
                                    "-out", "ca.crt", "-days", "2", "-subj", "/CN=" + name + " CA"},
           {"req", "-new", "-config", "openssl.cnf", "-newkey", "rsa:2048", "-nodes", "-keyout",
            "publisher.key", "-out", "publisher.csr", "-subj", "/CN=" + name + " publisher"},
           {"x509", "-req", "-in", "publisher.csr", "-CA", "ca.crt", "-CAkey", "ca.key",
            "-set_serial", "2", "-days", "2", "-extfile", "openssl.cnf", "-extensions",
            "publisher_ext", "-out", "publisher.crt"},
       }) {
    if (auto ok = ca.openssl(std::move(args)); !ok) return ok.error();
  }
  auto certificate = ca.base64_of("publisher.crt");
  if (!certificate) return certificate.error();
  ca.certificate_base64_ = std::move(certificate).value();
  return ca;
}

Result<std::string> TestCa::sign(std::string_view envelope) {
  auto tree = parse_py_json(envelope);
  if (!tree) return tree.error();
  set_string(*tree, "crypto", "x509");
  auto form = signed_envelope(canonical_json(*tree));
  if (!form) return form.error();
  const std::string n = std::to_string(++files_);
  if (auto ok = write_file(dir_ / ("signed-" + n), form->canonical); !ok) return ok.error();
  if (auto ok = openssl(
          {"dgst", "-sha1", "-sign", "publisher.key", "-out", "signature-" + n, "signed-" + n});
      !ok) {
    return ok.error();
  }
  auto signature = base64_of("signature-" + n);
  if (!signature) return signature.error();
  set_string(*tree, "signature", std::move(signature).value());
  set_string(*tree, "certificate", certificate_base64_);
  return canonical_json(*tree);
}

Result<TestCa::Issued> TestCa::issue_tls(const std::string& name,
                                         const std::string& server_dns_name) {
  const std::string ext = name + ".ext";
  std::string extensions = "basicConstraints = CA:FALSE\nauthorityKeyIdentifier = keyid\n";
  extensions +=
      server_dns_name.empty()
          ? "extendedKeyUsage = clientAuth\n"
          : "extendedKeyUsage = serverAuth\nsubjectAltName = DNS:" + server_dns_name + "\n";
  if (auto ok = write_file(dir_ / ext, extensions); !ok) return ok.error();
  const std::string serial = std::to_string(100 + ++files_);
  for (std::vector<std::string> args : {
           std::vector<std::string>{"req", "-new", "-config", "openssl.cnf", "-newkey", "rsa:2048",
                                    "-nodes", "-keyout", name + ".key", "-out", name + ".csr",
                                    "-subj", "/CN=" + name},
           {"x509", "-req", "-in", name + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key",
            "-set_serial", serial, "-days", "2", "-extfile", ext, "-out", name + ".crt"},
       }) {
    if (auto ok = openssl(std::move(args)); !ok) return ok.error();
  }
  return Issued{dir_ / (name + ".crt"), dir_ / (name + ".key")};
}

Result<std::filesystem::path> TestCa::crl(bool revoking_publisher) {
  if (revoking_publisher) {
    if (auto ok = openssl({"ca", "-config", "openssl.cnf", "-revoke", "publisher.crt"}); !ok) {
      return ok.error();
    }
  }
  const std::string file = "crl-" + std::to_string(++files_) + ".pem";
  if (auto ok = openssl({"ca", "-config", "openssl.cnf", "-gencrl", "-out", file}); !ok) {
    return ok.error();
  }
  return dir_ / file;
}

Status TestCa::openssl(std::vector<std::string> args) {
  SpawnOptions options;
  options.argv = {"openssl"};
  options.argv.insert(options.argv.end(), args.begin(), args.end());
  options.log = dir_ / "openssl.log";
  options.cwd = dir_.path();
  return ChildProcess::run(options, kTimeout);
}

Result<std::string> TestCa::base64_of(const std::string& file) {
  const std::string out = file + ".b64";
  if (auto ok = openssl({"base64", "-in", file, "-out", out}); !ok) return ok.error();
  return read_file(dir_ / out);
}

}  // namespace fmn::test
