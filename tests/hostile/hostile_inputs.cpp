#include "tests/hostile/hostile_inputs.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace fmn::hostile {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string huge_envelope(size_t bytes) {
  std::string out =
      R"({"topic":"org.fedoraproject.prod.bodhi.update.comment","msg_id":"2024-huge-)" +
      std::to_string(bytes) +
      R"(","timestamp":1714564900.0,"msg":{"comment":{"author":"ralph","karma":0,)"
      R"("update_title":"kernel-6.1-1.fc40","text":")";
  out.append(bytes, 'a');
  out += R"("}}})";
  return out;
}

std::string deep_envelope(size_t depth, bool truncated) {
  std::string out = R"({"topic":"org.fedoraproject.prod.git.receive","msg":)";
  out.append(depth, '[');
  if (!truncated) out.append(depth, ']') += "}";
  return out;
}

std::vector<HostileEnvelope> hostile_envelopes() {
  std::vector<HostileEnvelope> out;
  std::filesystem::path dir = std::string(FMN_SOURCE_DIR) + "/tests/hostile/envelopes";
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::string name = entry.path().filename().string();
    HostileEnvelope e{name, read_file(entry.path()), std::nullopt};
    if (name.starts_with("malformed-")) e.expected_error = ErrorCode::kMalformedJson;
    if (name.starts_with("bad-envelope-")) e.expected_error = ErrorCode::kBadEnvelope;
    out.push_back(std::move(e));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  out.push_back({"generated: 12 MB message", huge_envelope(12 << 20), std::nullopt});
  out.push_back({"generated: 20 MB message", huge_envelope(20 << 20), ErrorCode::kTooLarge});
  out.push_back(
      {"generated: 100000 nested arrays", deep_envelope(100000, false), ErrorCode::kMalformedJson});
  out.push_back({"generated: 100000 unclosed arrays", deep_envelope(100000, true),
                 ErrorCode::kMalformedJson});
  return out;
}

}  // namespace fmn::hostile
