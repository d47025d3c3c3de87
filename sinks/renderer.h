// Renders notifications for each destination from the templates: an email (subject, plain
// text, HTML), a digest email, an IRC line and an SSE event's JSON. Every text says which rule
// matched and where to change it.
//
// Fields come from the message meta (subtitle or else title, link, agent, category, topic,
// usernames, packages) and the notification (user, rule, address); each is cut to
// `max_field_bytes` and made safe for its medium by the templates (see template.h).
// A Renderer keeps scratch buffers: one thread at a time (each sink owns one). The shared
// TemplateSet is immutable.
//
// What depends only on the message is rendered once per message: each template the Renderer
// applies per notification keeps its last message's rendering (MessageRendering), and the next
// notification of that message only adds its recipient's fields (user, rule, links). Sinks
// receive a message's notifications together, so one rendering per template suffices.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>

#include "core/notification.h"
#include "sinks/confirmation.h"
#include "sinks/digest.h"
#include "sinks/template_set.h"

namespace fmn::sinks {

// The most of a message field any rendering shows (RenderConfig::max_field_bytes is at most
// this): stored notifications keep no more of a field than a rendering needs
// (notification_codec.h).
inline constexpr size_t kMaxFieldBytes = 1000;

struct RenderConfig {
  // The web app's public URL (web.public_url), where settings, unsubscribe and confirmation
  // links point. No default: whoever renders links sets it.
  std::string base_url;
  std::string unsubscribe_secret;  // HMAC key signing unsubscribe links
  bool irc_colors = true;          // FMN's markup_messages
  // Longer message fields are cut with "…". At least 3 and at most kMaxFieldBytes (the
  // renderer takes the nearer bound).
  size_t max_field_bytes = kMaxFieldBytes;
  // Where the whole of a message is shown, by msg_id (Fedora's datagrepper), for events cut short.
  std::string message_url = "https://apps.fedoraproject.org/datagrepper/v2/id?id=";
};

struct RenderedEmail {
  std::string subject;  // one line, UTF-8, not yet header-encoded
  std::string text;
  std::string html;  // empty when the templates have none
};

class Renderer {
 public:
  explicit Renderer(std::shared_ptr<const TemplateSet> templates = TemplateSet::builtin(),
                    RenderConfig config = {});

  void email(const Notification& n, RenderedEmail& out);
  // REQUIRES: !digest.items.empty().
  void digest_email(const Digest& digest, RenderedEmail& out);
  // Appends one IRC line (no CRLF; may exceed 512 bytes: the IRC sink splits it).
  void irc_line(const Notification& n, std::string& out);
  // A confirmation request as an email, or as one IRC line (not yet split) that also tells
  // how to answer by /msg to `bot`, the IRC sink's own nick.
  void confirmation_email(const ConfirmationRequest& request, RenderedEmail& out);
  void confirmation_irc(const ConfirmationRequest& request, std::string_view bot, std::string& out);
  // Appends one SSE event's data: a single-line JSON object with msg_id, topic, category,
  // subtitle, link, agent, usernames, packages, timestamp, rule and text. When that would
  // exceed `max_bytes` (REQUIRES: >= 4096), appends instead the event cut short (no lists,
  // fields shortened, "truncated": true, "bytes": the full size, "full_message": a link to the
  // whole message) and returns true.
  bool sse_json(const Notification& n, std::string& out, size_t max_bytes = SIZE_MAX);
  // The whole message: message_url and its msg_id, or its own link when the msg_id is too long.
  void append_message_url(std::string& out, const Notification& n) const;

  // The URLs the templates show, also used for the List-Unsubscribe header.
  // The settings page opens at `rule` when one is given ("<base>/settings/<user>#rule=<rule>").
  void append_settings_url(std::string& out, std::string_view user,
                           std::string_view rule = {}) const;
  // The link stops the delivery of n's rule to n's destination; with `every_rule`, of all the
  // user's rules to it (a digest's link: its items may come from several rules).
  void append_unsubscribe_url(std::string& out, const Notification& n,
                              bool every_rule = false) const;

  const RenderConfig& config() const { return config_; }

 private:
  // The templates rendered once per message, by slot.
  enum Slot : uint8_t { kEmailSubject, kEmailText, kEmailHtml, kIrcLine, kSseText, kSlots };
  struct Shared {
    MessagePtr message;  // what `rendering` was made for
    MessageRendering rendering;
  };

  // Fills the message's fields of fields_ (using the scratch strings below), unless they are
  // already the message's.
  void fill_message(const MessagePtr& message);
  // fill_message() and the notification's rule.
  void fill(const Notification& n);
  // Appends template `t` (kept in `slot`) for `n`, whose recipient's fields are already in
  // fields_.
  void render(const Template& t, Slot slot, const Notification& n, std::string& out);
  // The recipient's fields: user, rule and, with `links` (or for a digest, `every_rule`: links
  // that name no one rule), the settings and unsubscribe URLs, else none.
  void fill_recipient(const Notification& n, bool links, bool every_rule = false);
  void fill_confirmation(const ConfirmationRequest& request);

  std::shared_ptr<const TemplateSet> templates_;
  RenderConfig config_;
  Fields fields_;
  MessagePtr filled_;  // whose fields fields_ holds; null: none
  std::array<Shared, kSlots> shared_;
  MessagePtr sse_head_for_;  // whose SSE members before "rule" sse_head_ holds
  std::string sse_head_;
  std::string topic_, subtitle_, link_, agent_, usernames_, packages_, date_, settings_url_,
      unsubscribe_url_;
  std::string items_, count_, omitted_, index_, scratch_;
  std::string confirm_url_, reject_url_, expires_;
};

}  // namespace fmn::sinks
