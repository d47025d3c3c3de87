#include "sinks/irc_answers.h"

#include <vector>

#include "core/destination_address.h"

namespace fmn::sinks {
namespace {

constexpr size_t kMaxWords = 4;
constexpr size_t kMaxWordBytes = 128;

// `text` split on spaces; false when it has more than kMaxWords words or a longer word.
bool split_words(std::string_view text, std::vector<std::string_view>& words) {
  while (!text.empty()) {
    const size_t start = text.find_first_not_of(' ');
    if (start == std::string_view::npos) break;
    text.remove_prefix(start);
    const size_t end = std::min(text.find(' '), text.size());
    if (words.size() == kMaxWords || end > kMaxWordBytes) return false;
    words.push_back(text.substr(0, end));
    text.remove_prefix(end);
  }
  return true;
}

bool equals_lowercase(std::string_view word, std::string_view lower) {
  if (word.size() != lower.size()) return false;
  for (size_t i = 0; i < word.size(); ++i) {
    const char c =
        word[i] >= 'A' && word[i] <= 'Z' ? static_cast<char>(word[i] - 'A' + 'a') : word[i];
    if (c != lower[i]) return false;
  }
  return true;
}

bool printable(std::string_view word) {
  for (const char c : word) {
    if (static_cast<unsigned char>(c) <= ' ' || c == 0x7f) return false;
  }
  return true;
}

}  // namespace

IrcAnswerKind parse_irc_answer(std::string_view line, std::string_view bot, IrcAnswer& out) {
  if (!line.starts_with(':')) return IrcAnswerKind::kNotForBot;
  const size_t prefix_end = line.find(' ');
  if (prefix_end == std::string_view::npos) return IrcAnswerKind::kNotForBot;
  const std::string_view prefix = line.substr(1, prefix_end - 1);
  std::string_view rest = line.substr(prefix_end + 1);
  if (!rest.starts_with("PRIVMSG ")) return IrcAnswerKind::kNotForBot;
  rest.remove_prefix(8);
  const size_t target_end = rest.find(' ');
  if (target_end == std::string_view::npos) return IrcAnswerKind::kNotForBot;
  if (!same_irc_nick(rest.substr(0, target_end), bot)) return IrcAnswerKind::kNotForBot;
  rest.remove_prefix(target_end + 1);
  if (rest.starts_with(':')) rest.remove_prefix(1);
  // Only a user's own message has "nick!user@host"; a server's name has no '!'.
  const size_t bang = prefix.find('!');
  if (bang == std::string_view::npos) return IrcAnswerKind::kGarbage;
  const std::string_view nick = prefix.substr(0, bang);
  if (!is_irc_nick(nick)) return IrcAnswerKind::kGarbage;
  std::vector<std::string_view> words;
  if (!split_words(rest, words) || words.size() != 3) return IrcAnswerKind::kGarbage;
  const bool accept = equals_lowercase(words[0], "confirm");
  if (!accept && !equals_lowercase(words[0], "reject")) return IrcAnswerKind::kGarbage;
  if (!is_plain_name(words[1]) || !printable(words[2])) return IrcAnswerKind::kGarbage;
  out = {std::string(nick), std::string(words[1]), std::string(words[2]), accept};
  return IrcAnswerKind::kAnswer;
}

std::string irc_answer_notice(const IrcAnswer& answer, ConfirmationOutcome outcome) {
  std::string line = "NOTICE " + answer.nick + " :";
  switch (outcome) {
    case ConfirmationOutcome::kDone:
      line +=
          answer.accept
              ? "Confirmed: Fedora notifications for " + answer.user + " will be sent to this nick."
              : "Refused: nothing more will be sent to this nick for " + answer.user + ".";
      break;
    case ConfirmationOutcome::kUnknownOrWrongCode:
      line += "No such confirmation request for this nick, or a wrong code.";
      break;
    case ConfirmationOutcome::kExpired:
      line += "This confirmation request has expired; ask for a new one in the web app.";
      break;
    case ConfirmationOutcome::kUnavailable:
      line += "Your answer could not be recorded now; please try again later or open the link.";
      break;
  }
  return line;
}

}  // namespace fmn::sinks
