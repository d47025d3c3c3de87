#include "sinks/renderer.h"

#include <algorithm>
#include <ctime>

#include "core/bounded_id.h"

#include "sinks/text_escape.h"
#include "sinks/unsubscribe_link.h"

namespace fmn::sinks {
namespace {

// mIRC colour codes by category, as FMN's IRC bot coloured them when markup was on.
std::string_view irc_color(std::string_view category) {
  struct Entry {
    std::string_view category, code;
  };
  static constexpr Entry kColors[] = {
      {"bodhi",
       "\x03"
       "03"},
      {"buildsys",
       "\x03"
       "06"},
      {"git",
       "\x03"
       "10"},
      {"pagure",
       "\x03"
       "10"},
      {"copr",
       "\x03"
       "07"},
      {"anitya",
       "\x03"
       "12"},
      {"fas",
       "\x03"
       "13"},
      {"wiki",
       "\x03"
       "11"},
      {"ci",
       "\x03"
       "04"},
      {"pkgdb",
       "\x03"
       "09"},
      {"meetbot",
       "\x03"
       "05"},
      {"fedbadges",
       "\x03"
       "08"},
  };
  for (const Entry& e : kColors) {
    if (e.category == category) return e.code;
  }
  return "\x03"
         "14";  // grey for the rest
}
constexpr std::string_view kIrcReset = "\x0f";
// The recipient's links, made (an HMAC for unsubscribing) only for templates that show them.
constexpr FieldSet kLinkFields = field_bit(Field::kSettingsUrl) | field_bit(Field::kUnsubscribeUrl);

// Cuts `value` to `max` bytes into `scratch` when needed; returns what to render.
std::string_view bounded(std::string_view value, size_t max, std::string& scratch) {
  if (value.size() <= max) return value;
  scratch.clear();
  append_truncated(scratch, value, max);
  return scratch;
}

void join(const std::vector<std::string>& items, size_t max, std::string& out) {
  out.clear();
  for (const std::string& item : items) {
    if (!out.empty()) out += ", ";
    if (out.size() + item.size() > max) {
      out += "…";
      break;
    }
    out += item;
  }
}

void format_date(const std::optional<double>& timestamp, std::string& out) {
  out.clear();
  if (!timestamp) return;
  const auto t = static_cast<std::time_t>(*timestamp);
  std::tm tm{};
  if (gmtime_r(&t, &tm) == nullptr) return;
  char buf[32];
  const size_t n = std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S UTC", &tm);
  out.assign(buf, n);
}

}  // namespace

Renderer::Renderer(std::shared_ptr<const TemplateSet> templates, RenderConfig config)
    : templates_(std::move(templates)), config_(std::move(config)) {
  config_.max_field_bytes = std::clamp<size_t>(config_.max_field_bytes, 3, kMaxFieldBytes);
}

void Renderer::append_settings_url(std::string& out, std::string_view user,
                                   std::string_view rule) const {
  out += config_.base_url;
  out += "/settings/";
  append_url_encoded(out, user);
  if (rule.empty()) return;
  out += "#rule=";
  append_url_encoded(out, rule);
}

void Renderer::append_unsubscribe_url(std::string& out, const Notification& n,
                                      bool every_rule) const {
  sinks::append_unsubscribe_url(
      out, config_.base_url, config_.unsubscribe_secret,
      {std::string(n.user()), every_rule ? std::string() : std::string(n.rule_name()),
       std::string(destination_kind_name(n.destination)), std::string(n.address())});
}

void Renderer::fill_recipient(const Notification& n, bool links, bool every_rule) {
  fields_[Field::kUser] = n.user();
  fields_[Field::kRule] = n.rule_name();
  settings_url_.clear();
  unsubscribe_url_.clear();
  if (links || every_rule) {
    append_settings_url(settings_url_, n.user(), every_rule ? std::string_view() : n.rule_name());
    append_unsubscribe_url(unsubscribe_url_, n, every_rule);
  }
  fields_[Field::kSettingsUrl] = settings_url_;
  fields_[Field::kUnsubscribeUrl] = unsubscribe_url_;
}

void Renderer::fill(const Notification& n) {
  fill_message(n.message);
  fields_[Field::kRule] = n.rule_name();
}

void Renderer::fill_message(const MessagePtr& message) {
  if (filled_ == message) return;
  filled_ = message;
  const Message& m = *message;
  const Meta& meta = m.meta;
  const size_t max = config_.max_field_bytes;
  fields_[Field::kTopic] = bounded(m.topic, max, topic_);
  fields_[Field::kTitle] = meta.title;
  fields_[Field::kCategory] = meta.category;
  fields_[Field::kSubtitle] = bounded(
      meta.subtitle && !meta.subtitle->empty() ? *meta.subtitle : meta.title, max, subtitle_);
  fields_[Field::kLink] = meta.link ? bounded(*meta.link, max, link_) : std::string_view();
  fields_[Field::kAgent] = meta.agent ? bounded(*meta.agent, max, agent_) : std::string_view();
  join(meta.usernames, max, usernames_);
  fields_[Field::kUsernames] = usernames_;
  join(meta.packages, max, packages_);
  fields_[Field::kPackages] = packages_;
  fields_[Field::kMsgId] = m.msg_id;
  format_date(m.timestamp, date_);
  fields_[Field::kDate] = date_;
  fields_[Field::kColor] = config_.irc_colors ? irc_color(meta.category) : std::string_view();
  fields_[Field::kReset] = config_.irc_colors ? kIrcReset : std::string_view();
}

void Renderer::render(const Template& t, Slot slot, const Notification& n, std::string& out) {
  static constexpr FieldSet kRecipient = field_bit(Field::kUser) | field_bit(Field::kRule) |
                                         field_bit(Field::kSettingsUrl) |
                                         field_bit(Field::kUnsubscribeUrl);
  if (!t.can_share(kRecipient)) {
    fill_message(n.message);
    t.render(fields_, out);
    return;
  }
  Shared& shared = shared_[slot];
  if (shared.message != n.message) {
    fill_message(n.message);
    t.render_shared(fields_, kRecipient, shared.rendering);
    shared.message = n.message;
  }
  shared.rendering.complete(fields_, out);
}

void Renderer::email(const Notification& n, RenderedEmail& out) {
  fill_recipient(n, true);
  out.subject.clear();
  out.text.clear();
  out.html.clear();
  render(templates_->email_subject, kEmailSubject, n, out.subject);
  render(templates_->email_text, kEmailText, n, out.text);
  render(templates_->email_html, kEmailHtml, n, out.html);
}

void Renderer::digest_email(const Digest& digest, RenderedEmail& out) {
  out.subject.clear();
  out.text.clear();
  out.html.clear();
  const auto render_items = [&](const Template& item_template, std::string& items) {
    items.clear();
    for (size_t i = 0; i < digest.items.size(); ++i) {
      fill(digest.items[i]);
      index_ = std::to_string(i + 1);
      fields_[Field::kIndex] = index_;
      item_template.render(fields_, items);
    }
    fields_[Field::kIndex] = {};
  };
  fill_recipient(digest.items.front(), false, true);
  count_ = std::to_string(digest.items.size());
  omitted_ = digest.omitted == 0 ? std::string() : std::to_string(digest.omitted);
  const auto set_digest_fields = [&] {
    fields_[Field::kCount] = count_;
    fields_[Field::kOmitted] = omitted_;
    fields_[Field::kItems] = items_;
  };
  render_items(templates_->digest_text_item, items_);
  set_digest_fields();
  templates_->digest_subject.render(fields_, out.subject);
  templates_->digest_text.render(fields_, out.text);
  render_items(templates_->digest_html_item, items_);
  set_digest_fields();
  templates_->digest_html.render(fields_, out.html);
  fields_[Field::kCount] = fields_[Field::kOmitted] = fields_[Field::kItems] = {};
}

void Renderer::fill_confirmation(const ConfirmationRequest& request) {
  fields_ = Fields();
  filled_.reset();
  fields_[Field::kUser] = request.user;
  fields_[Field::kKind] = destination_kind_name(request.kind);
  fields_[Field::kAddress] = request.address;
  fields_[Field::kCode] = request.code;
  confirm_url_ = confirmation_url(config_.base_url, request, true);
  reject_url_ = confirmation_url(config_.base_url, request, false);
  fields_[Field::kConfirmUrl] = confirm_url_;
  fields_[Field::kRejectUrl] = reject_url_;
  format_date(static_cast<double>(request.expires_unix), expires_);
  fields_[Field::kExpires] = expires_;
}

void Renderer::confirmation_email(const ConfirmationRequest& request, RenderedEmail& out) {
  fill_confirmation(request);
  out.subject.clear();
  out.text.clear();
  out.html.clear();
  templates_->confirmation_subject.render(fields_, out.subject);
  templates_->confirmation_text.render(fields_, out.text);
}

void Renderer::confirmation_irc(const ConfirmationRequest& request, std::string_view bot,
                                std::string& out) {
  fill_confirmation(request);
  fields_[Field::kBot] = bot;
  templates_->confirmation_irc.render(fields_, out);
}

void Renderer::irc_line(const Notification& n, std::string& out) {
  fill_recipient(n, templates_->irc_line.uses(kLinkFields));
  render(templates_->irc_line, kIrcLine, n, out);
}

bool Renderer::sse_json(const Notification& n, std::string& out, size_t max_bytes) {
  fill_recipient(n, templates_->sse_text.uses(kLinkFields));
  const size_t start = out.size();
  const auto member_to = [](std::string& to, std::string_view key, std::string_view value) {
    to += '"';
    to += key;
    to += "\":\"";
    append_json(to, value);
    to += "\",";
  };
  const auto string_member = [&](std::string_view key, std::string_view value) {
    member_to(out, key, value);
  };
  const auto list_member = [](std::string& to, std::string_view key,
                              const std::vector<std::string>& values) {
    to += '"';
    to += key;
    to += "\":[";
    for (size_t i = 0; i < values.size(); ++i) {
      if (i > 0) to += ',';
      to += '"';
      append_json(to, values[i]);
      to += '"';
    }
    to += "],";
  };
  const auto timestamp_member = [&](const Message& m) {
    if (!m.timestamp) return;
    out += "\"timestamp\":";
    out += std::to_string(static_cast<int64_t>(*m.timestamp));
    out += ',';
  };
  const Message& m = *n.message;
  scratch_.clear();
  render(templates_->sse_text, kSseText, n, scratch_);
  fill_message(n.message);
  if (sse_head_for_ != n.message) {  // the members before the rule: the message's alone
    sse_head_for_ = n.message;
    sse_head_ = "{";
    member_to(sse_head_, "msg_id", m.msg_id);
    member_to(sse_head_, "topic", fields_[Field::kTopic]);
    member_to(sse_head_, "category", fields_[Field::kCategory]);
    member_to(sse_head_, "subtitle", fields_[Field::kSubtitle]);
    member_to(sse_head_, "link", fields_[Field::kLink]);
    member_to(sse_head_, "agent", fields_[Field::kAgent]);
    list_member(sse_head_, "usernames", m.meta.usernames);
    list_member(sse_head_, "packages", m.meta.packages);
  }
  out += sse_head_;
  string_member("rule", n.rule_name());
  timestamp_member(m);
  out += "\"text\":\"";
  append_json(out, scratch_);
  out += "\"}";
  const size_t full = out.size() - start;
  if (full <= max_bytes) return false;

  // Too large: the same event with every field cut to a share of the limit (escaping makes a
  // byte at most 6), no lists, and a link to the whole message.
  out.resize(start);
  const size_t share = std::max<size_t>(16, max_bytes / 64);
  const auto cut = [&](std::string_view key, std::string_view value) {
    string_member(key, utf8_prefix(value, share));
  };
  out += '{';
  std::string bounded;
  cut("msg_id", bounded_id(m.msg_id, bounded));
  cut("topic", fields_[Field::kTopic]);
  cut("category", fields_[Field::kCategory]);
  cut("subtitle", fields_[Field::kSubtitle]);
  cut("link", fields_[Field::kLink]);
  cut("agent", fields_[Field::kAgent]);
  cut("rule", n.rule_name());
  timestamp_member(m);
  std::string url;
  append_message_url(url, n);
  cut("full_message", url);
  out += "\"truncated\":true,\"bytes\":";
  out += std::to_string(full);
  out += ",\"text\":\"";
  append_json(out, utf8_prefix(scratch_, share));
  out += "\"}";
  return true;
}

void Renderer::append_message_url(std::string& out, const Notification& n) const {
  const Message& m = *n.message;
  if (m.msg_id.empty() || m.msg_id.size() > kMaxPlainId) {
    if (m.meta.link) out += *m.meta.link;
    return;
  }
  out += config_.message_url;
  append_url_encoded(out, m.msg_id);
}

}  // namespace fmn::sinks
