#include "core/signed_envelope.h"

#include <charconv>
#include <cmath>
#include <utility>

#include "core/canonical_json.h"

namespace fmn {
namespace {

Error envelope_error(std::string what) { return {ErrorCode::kBadEnvelope, std::move(what)}; }

// Python's `not value`.
bool falsy(const PyJson& v) {
  switch (v.kind) {
    case PyJson::Kind::kNull:
    case PyJson::Kind::kFalse:
      return true;
    case PyJson::Kind::kTrue:
      return false;
    case PyJson::Kind::kInt:
    case PyJson::Kind::kFloat:
      return v.number() == 0;
    case PyJson::Kind::kString:
      return v.text.empty();
    case PyJson::Kind::kArray:
      return v.items.empty();
    case PyJson::Kind::kObject:
      return v.members.empty();
  }
  return false;
}

// Makes a float `timestamp` the integer Python's int() gives: truncated, every digit exact.
void make_int(PyJson& timestamp) {
  double whole = std::trunc(timestamp.number());
  char buf[320];  // the largest double has 309 digits
  auto end = std::to_chars(buf, buf + sizeof buf, whole, std::chars_format::fixed, 0).ptr;
  timestamp.kind = PyJson::Kind::kInt;
  timestamp.text = whole == 0 ? "0" : std::string(buf, end);  // int(-0.5) is 0, not -0
}

}  // namespace

Result<SignedEnvelope> signed_envelope(std::string_view json) {
  auto parsed = parse_py_json(json);
  if (!parsed) return parsed.error();
  PyJson& envelope = *parsed;
  if (envelope.kind != PyJson::Kind::kObject) return envelope_error("envelope is not an object");

  SignedEnvelope out;
  for (auto [key, field] :
       {std::pair{"crypto", &out.crypto}, std::pair{"signature", &out.signature},
        std::pair{"certificate", &out.certificate}}) {
    const PyJson* v = envelope.find(key);
    if (v == nullptr || v->kind == PyJson::Kind::kNull) continue;
    if (v->kind != PyJson::Kind::kString)
      return envelope_error(std::string(key) + ": expected a string");
    *field = v->text;
  }
  envelope.erase("signature");
  envelope.erase("certificate");

  const bool datanommer =
      envelope.find("source_name") != nullptr && envelope.find("source_version") != nullptr;
  if (datanommer) {
    envelope.erase("source_name");
    envelope.erase("source_version");
    if (const PyJson* headers = envelope.find("headers"); headers != nullptr && falsy(*headers)) {
      envelope.erase("headers");
    }
  }
  PyJson* timestamp = envelope.find("timestamp");
  if (timestamp != nullptr && timestamp->kind != PyJson::Kind::kInt) {
    const bool finite_float =
        timestamp->kind == PyJson::Kind::kFloat && std::isfinite(timestamp->number());
    if (datanommer && !finite_float) return envelope_error("timestamp: expected a finite number");
    if (datanommer || (finite_float && timestamp->number() == std::trunc(timestamp->number()))) {
      make_int(*timestamp);
    }
  }
  out.canonical = canonical_json(envelope);
  return out;
}

}  // namespace fmn
