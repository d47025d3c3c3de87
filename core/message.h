// The parsed fedmsg message every layer reads: the envelope, the body as a JSON tree, and the
// metadata derived from it (what fedmsg.meta computed for the old FMN).
//
// A Message owns its bytes and its JSON tree (one memory pool per message, freed with it).
// It is built once by parse_envelope() plus the meta extractor, then shared read-only between
// pipeline stages as MessagePtr; a const Message is safe to read from any number of threads.
// The one exception is lazy meta: the pipeline extracts the deferred meta fields (the display
// fields subtitle and link, and the lists only rules read, objects) only when needed, and whoever
// reads one from a pipeline's message calls complete_meta() for it first.
#pragma once

#include <rapidjson/document.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/message_fields.h"

namespace fmn {

class MetaExtractor;

// What fedmsg.meta derived from a message: one member per meta row of core/message_fields.def
// (category, title, subtitle, link, agent, usernames, packages, objects, containers, modules,
// flatpaks, severity). Lists are sorted and free of duplicates.
struct Meta {
#define FMN_META_TEXT(Id, member, doc) std::string member;
#define FMN_META_SCALAR(Id, member, doc) std::optional<std::string> member;
#define FMN_META_LIST(Id, member, header, doc) std::vector<std::string> member;
#define FMN_META_NUMBER(Id, member, doc) std::optional<int> member;
#include "core/message_fields.def"
};

using JsonAllocator = rapidjson::MemoryPoolAllocator<rapidjson::CrtAllocator>;
using JsonDocument = rapidjson::GenericDocument<rapidjson::UTF8<>, JsonAllocator>;
using JsonValue = JsonDocument::ValueType;

struct Message {
  // `pool_chunk_bytes`: the size of the pool's first chunk (and of any further one); best a
  // little above what the tree will take (pool_chunk_for()), so that a message held for long
  // (the recent-message store) holds no more than it uses.
  explicit Message(size_t pool_chunk_bytes = 4096) : pool(pool_chunk_bytes), doc(&pool) {}
  Message(const Message&) = delete;
  Message& operator=(const Message&) = delete;

  // Envelope. Views point into `buffer` (in-situ parse) and live as long as the Message.
  std::string_view topic;
  std::string_view msg_id;    // empty when absent
  std::string_view username;  // the publishing process's user; empty when absent
  std::optional<double> timestamp;
  std::optional<int64_t> seq;  // fedmsg "i": per-publisher sequence number
  bool is_signed = false;      // carries "signature" and "certificate"
  // It may have reached its destinations before: the broker redelivered it, or it was read back
  // from storage (an outbox entry a previous run left). A sink with no delivery marks of its own
  // (SSE) checks such a message against what it kept before delivering it again.
  bool redelivered = false;
  std::string_view crypto, signature, certificate;
  const JsonValue* body = nullptr;     // "msg": any JSON value; never null after parsing
  const JsonValue* headers = nullptr;  // "headers": fedora-messaging's AMQP headers, if any

  // Topic anatomy, derived (no prefix is assumed): for
  // "org.fedoraproject.prod.bodhi.update.comment": env "prod", suffix "bodhi.update.comment".
  std::string_view topic_env;
  std::string_view topic_suffix;

  Meta meta;
  // Fills those of `fields` among meta's deferred fields (kDeferredMetaFields of
  // core/message_fields.h) that the extractor left for later (MetaParts::kIndex) and are not in
  // yet; does nothing otherwise. Thread-safe: the first caller extracts them, callers at the same
  // time wait for it, later ones return at once.
  void complete_meta(MessageFieldSet fields = kDeferredMetaFields) const;
  // The extractor that left the deferred fields for later; null when there is nothing left.
  // Set before the message is shared, never changed after.
  const MetaExtractor* deferred_meta = nullptr;
  // The deferred fields not extracted yet; the mutex makes callers at the same time wait for
  // the first. (Not std::call_once: glibc's makes a futex syscall each time it runs.)
  mutable std::atomic<MessageFieldSet> deferred_meta_left{0};
  mutable std::mutex deferred_meta_mu;

  size_t size_bytes = 0;  // length of the wire JSON

  // Internals: the in-situ buffer and the per-message pool the tree lives in.
  std::unique_ptr<char[]> buffer;
  JsonAllocator pool;
  JsonDocument doc;
};

// The pool chunk for the tree of `json_bytes` of JSON: on the recorded corpora the tree (and the
// reader's stack) takes 1.3 times the JSON at the median and 1.6 times at the 90th percentile,
// so one chunk holds nearly every message.
constexpr size_t pool_chunk_for(size_t json_bytes) { return json_bytes + json_bytes / 2 + 512; }

using MessagePtr = std::shared_ptr<const Message>;

}  // namespace fmn
