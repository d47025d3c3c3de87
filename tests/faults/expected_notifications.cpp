#include "tests/faults/expected_notifications.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cctype>
#include <regex>

#include "core/envelope_parser.h"
#include "core/meta_extractor.h"
#include "dsl/compile.h"
#include "dsl/interpreter.h"

namespace fmn::faults {
namespace {

std::string with_seq(const std::string& json, int64_t seq) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  doc.RemoveMember("i");
  doc.AddMember("i", seq, doc.GetAllocator());
  rapidjson::StringBuffer out;
  rapidjson::Writer<rapidjson::StringBuffer> writer(out);
  doc.Accept(writer);
  return out.GetString();
}

}  // namespace

std::vector<test::BusMessage> corpus_slice(size_t count) {
  auto all = test::read_bus_messages(std::string(FMN_CORPUS_DIR) + "/fedmsg-real.jsonl");
  std::vector<test::BusMessage> out;
  if (!all) return out;
  for (test::BusMessage& m : all.value()) {
    if (out.size() == count) break;
    if (m.json.find("\"msg_id\"") == std::string::npos) continue;
    m.json = with_seq(m.json, static_cast<int64_t>(out.size()) + 1);
    out.push_back(std::move(m));
  }
  return out;
}

std::set<std::string> matched_ids(const std::vector<test::BusMessage>& slice,
                                  const std::string& rule_source, const std::string& me) {
  std::set<std::string> out;
  auto extractor = MetaExtractor::builtin(builtin_aliases());
  dsl::Diagnostics diags;
  auto rules = dsl::compile(dsl::SourceFile("rule.fmn", "rule \"r\" = " + rule_source), diags);
  if (!extractor || !rules) return out;
  dsl::UserParams user;
  user.me = me;
  user.normalize();
  for (const test::BusMessage& b : slice) {
    auto m = parse_envelope(b.json, b.topic);
    if (!m) continue;
    extractor.value()->extract(*m.value());
    if (dsl::evaluate(rules->rules[0], *m.value(), user)) out.emplace(m.value()->msg_id);
  }
  return out;
}

std::map<std::string, int> once_each(const std::set<std::string>& ids) {
  std::map<std::string, int> out;
  for (const std::string& id : ids) out[id] = 1;
  return out;
}

std::map<std::string, int> received_ids(const std::vector<test::ReceivedMail>& mails) {
  static const std::regex kId(R"(\r\nX-Fedmsg-Id: ([^\r\n]*)\r\n)", std::regex::icase);
  std::map<std::string, int> out;
  for (const test::ReceivedMail& mail : mails) {
    std::smatch m;
    std::string headers = "\r\n" + mail.data.substr(0, mail.data.find("\r\n\r\n") + 2);
    out[std::regex_search(headers, m, kId) ? m[1].str() : std::string("(no X-Fedmsg-Id)")]++;
  }
  return out;
}

std::map<std::string, std::string> ids_by_link(const std::vector<test::BusMessage>& slice,
                                               const std::set<std::string>& ids) {
  std::map<std::string, std::string> out;
  auto extractor = MetaExtractor::builtin(builtin_aliases());
  if (!extractor) return out;
  for (const test::BusMessage& b : slice) {
    auto m = parse_envelope(b.json, b.topic);
    if (!m || !ids.contains(std::string(m.value()->msg_id))) continue;
    extractor.value()->extract(*m.value());
    const std::string link = m.value()->meta.link.value_or("");
    auto [it, added] = out.emplace(link, m.value()->msg_id);
    if (!added || link.empty()) it->second = "(ambiguous)";
  }
  return out;
}

std::vector<std::string> linked_ids(const std::string& text,
                                    const std::map<std::string, std::string>& ids_by_link) {
  static const std::regex kUrl(R"(https?://[^\s]+)");
  std::vector<std::string> out;
  for (std::sregex_iterator it(text.begin(), text.end(), kUrl), end; it != end; ++it) {
    auto found = ids_by_link.find(it->str());
    if (found != ids_by_link.end()) out.push_back(found->second);
  }
  return out;
}

std::string plain_text(const test::ReceivedMail& mail) {
  // The plain-text part only (the HTML alternative repeats every item).
  const std::string part = mail.data.substr(0, mail.data.find("text/html"));
  std::string out;
  for (size_t i = 0; i < part.size(); ++i) {
    if (part[i] != '=' || i + 2 >= part.size()) {
      out += part[i];
    } else if (part.compare(i + 1, 2, "\r\n") == 0) {
      i += 2;  // a soft line break
    } else if (std::isxdigit(static_cast<unsigned char>(part[i + 1])) &&
               std::isxdigit(static_cast<unsigned char>(part[i + 2]))) {
      out += static_cast<char>(std::stoi(part.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += part[i];
    }
  }
  return out;
}

std::vector<test::BusMessage> numbered_items(const std::string& run, size_t first, size_t count) {
  std::vector<test::BusMessage> out;
  for (size_t n = first; n < first + count; ++n) {
    std::string topic = "org.fedoraproject.prod.faults.item." + std::to_string(n);
    out.push_back({topic, R"({"topic":")" + topic + R"(","msg_id":"2024-faults-)" + run + "-" +
                              std::to_string(n) + R"(","i":)" + std::to_string(n) +
                              R"(,"timestamp":1714564800.0,"username":"faults","msg":{}})"});
  }
  return out;
}

std::map<std::string, int> items_once(const std::string& run, size_t first, size_t count) {
  std::map<std::string, int> out;
  for (const test::BusMessage& m : numbered_items(run, first, count)) out[m.topic] = 1;
  return out;
}

std::map<std::string, int> digest_topics(const std::vector<test::ReceivedMail>& mails) {
  static const std::regex kTopic(R"(org\.fedoraproject\.prod\.faults\.item\.[0-9]+)");
  std::map<std::string, int> out;
  for (const test::ReceivedMail& mail : mails) {
    const std::string text = plain_text(mail);
    for (std::sregex_iterator it(text.begin(), text.end(), kTopic), end; it != end; ++it) {
      out[it->str()]++;
    }
  }
  return out;
}

std::string describe(const std::map<std::string, int>& counts) {
  std::string out;
  for (const auto& [id, n] : counts) {
    out += (out.empty() ? "" : ", ") + id + (n > 1 ? " (x" + std::to_string(n) + ")" : "");
  }
  return out.empty() ? "(none)" : out;
}

}  // namespace fmn::faults
