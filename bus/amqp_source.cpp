#include "bus/amqp_source.h"

#include <amqp.h>

#include <algorithm>
#include <random>
#include <thread>

#include "bus/amqp_connection.h"
#include "bus/amqp_envelope.h"
#include "core/log.h"

namespace fmn::bus {
namespace {

// An origin is the connection generation above the channel's delivery tag: tags restart on each
// channel, and only the current channel can ack its own.
constexpr int kTagBits = 40;
constexpr uint64_t kTagMask = (uint64_t{1} << kTagBits) - 1;
// How long a settled message may wait for its ack while the source waits for deliveries.
constexpr std::chrono::milliseconds kAckLatency{1};

std::string_view view_of(amqp_bytes_t b) {
  return std::string_view(static_cast<const char*>(b.bytes), b.len);
}

std::optional<AmqpHeaderValue> header_value(const amqp_field_value_t& v) {
  switch (v.kind) {
    case AMQP_FIELD_KIND_BOOLEAN:
      return AmqpHeaderValue{v.value.boolean != 0};
    case AMQP_FIELD_KIND_I8:
      return AmqpHeaderValue{int64_t{v.value.i8}};
    case AMQP_FIELD_KIND_U8:
      return AmqpHeaderValue{int64_t{v.value.u8}};
    case AMQP_FIELD_KIND_I16:
      return AmqpHeaderValue{int64_t{v.value.i16}};
    case AMQP_FIELD_KIND_U16:
      return AmqpHeaderValue{int64_t{v.value.u16}};
    case AMQP_FIELD_KIND_I32:
      return AmqpHeaderValue{int64_t{v.value.i32}};
    case AMQP_FIELD_KIND_U32:
      return AmqpHeaderValue{int64_t{v.value.u32}};
    case AMQP_FIELD_KIND_I64:
      return AmqpHeaderValue{int64_t{v.value.i64}};
    case AMQP_FIELD_KIND_F32:
      return AmqpHeaderValue{double{v.value.f32}};
    case AMQP_FIELD_KIND_F64:
      return AmqpHeaderValue{v.value.f64};
    case AMQP_FIELD_KIND_UTF8:
    case AMQP_FIELD_KIND_BYTES:
      return AmqpHeaderValue{view_of(v.value.bytes)};
    default:
      return std::nullopt;  // tables, arrays, decimals: fedora-messaging sends none
  }
}

// Fills `d` with views of the envelope's parts, reusing its header list.
void read_delivery(const amqp_envelope_t& e, AmqpDelivery& d) {
  d.routing_key = view_of(e.routing_key);
  const amqp_basic_properties_t& p = e.message.properties;
  d.message_id = p._flags & AMQP_BASIC_MESSAGE_ID_FLAG ? view_of(p.message_id) : "";
  d.content_encoding =
      p._flags & AMQP_BASIC_CONTENT_ENCODING_FLAG ? view_of(p.content_encoding) : "";
  d.timestamp.reset();
  if (p._flags & AMQP_BASIC_TIMESTAMP_FLAG) d.timestamp = static_cast<int64_t>(p.timestamp);
  d.headers.clear();
  if (p._flags & AMQP_BASIC_HEADERS_FLAG) {
    for (int i = 0; i < p.headers.num_entries; ++i) {
      const amqp_table_entry_t& entry = p.headers.entries[i];
      if (auto v = header_value(entry.value)) d.headers.emplace_back(view_of(entry.key), *v);
    }
  }
  d.body = view_of(e.message.body);
}

}  // namespace

struct AmqpSource::Connection {
  std::unique_ptr<AmqpConnection> amqp;
  AmqpDelivery delivery;  // the one being read; kept for its header list's capacity
};

AmqpSource::AmqpSource(AmqpSourceOptions options) : options_(std::move(options)) {}

AmqpSource::~AmqpSource() = default;

Result<std::unique_ptr<AmqpSource>> AmqpSource::create(AmqpSourceOptions options) {
  auto bad = [](std::string what) { return Error{ErrorCode::kInvalidConfig, std::move(what)}; };
  if (options.urls.empty()) return bad("amqp: no broker URL");
  for (const std::string& url : options.urls) {
    // The URL may hold a password: errors quote only its position.
    if (!valid_amqp_url(url))
      return bad("amqp: URL " + std::to_string(&url - &options.urls[0] + 1) +
                 " is not amqp://... or amqps://...");
  }
  if (options.queue.empty()) return bad("amqp: the queue name is empty");
  if (options.queue_type != "classic" && options.queue_type != "quorum") {
    return bad("amqp: the queue type is classic or quorum, not '" + options.queue_type + "'");
  }
  if (options.client_key.empty() != options.client_cert.empty()) {
    return bad("amqp: a client certificate needs its key, and a key its certificate");
  }
  if (options.bindings.empty()) options.bindings.push_back("#");
  return std::unique_ptr<AmqpSource>(new AmqpSource(std::move(options)));
}

AmqpSourceStats AmqpSource::stats() const {
  return {received_.load(),     acked_.load(),      rejected_.load(), redelivered_.load(),
          already_done_.load(), reconnects_.load(), cancelled_.load()};
}

bool AmqpSource::connect() {
  const std::string& url = options_.urls[next_url_++ % options_.urls.size()];
  auto opened =
      AmqpConnection::open(url, {options_.ca_cert, options_.client_cert, options_.client_key},
                           options_.heartbeat, std::chrono::seconds(10));
  auto fail = [&](const std::string& why) {
    ++failures_;
    auto cap = std::min<int64_t>(options_.reconnect_max.count(), options_.reconnect_min.count()
                                                                     << std::min(failures_, 16));
    // Jitter spreads the reconnects of many shards after a broker restart.
    static thread_local std::minstd_rand rng(std::random_device{}());
    auto delay = std::chrono::milliseconds(cap / 2 + static_cast<int64_t>(rng() % (cap / 2 + 1)));
    next_attempt_ = std::chrono::steady_clock::now() + delay;
    log::warn("amqp_unavailable",
              {{"error", why}, {"retry_ms", static_cast<int64_t>(delay.count())}});
    return false;
  };
  if (!opened) return fail(opened.error().message);
  AmqpConnection& c = **opened;
  amqp_connection_state_t s = c.state();
  amqp_bytes_t queue = amqp_cstring_bytes(options_.queue.c_str());
  // A quorum queue is only ever declared with its type; a classic one with no argument at all,
  // which any existing classic queue (whatever its policies) accepts.
  amqp_table_entry_t type{amqp_cstring_bytes("x-queue-type"), {}};
  type.value.kind = AMQP_FIELD_KIND_UTF8;
  type.value.value.bytes = amqp_cstring_bytes(options_.queue_type.c_str());
  amqp_table_t arguments =
      options_.queue_type == "quorum" ? amqp_table_t{1, &type} : amqp_empty_table;
  amqp_queue_declare(s, AmqpConnection::kChannel, queue, 0, 1, 0, 0, arguments);
  if (amqp_get_rpc_reply(s).reply_type != AMQP_RESPONSE_NORMAL) {
    return fail(c.last_error("queue.declare " + options_.queue));
  }
  for (const std::string& key : options_.bindings) {
    amqp_queue_bind(s, AmqpConnection::kChannel, queue,
                    amqp_cstring_bytes(options_.exchange.c_str()), amqp_cstring_bytes(key.c_str()),
                    amqp_empty_table);
    if (amqp_get_rpc_reply(s).reply_type != AMQP_RESPONSE_NORMAL) {
      return fail(c.last_error("queue.bind " + key));
    }
  }
  amqp_basic_qos(s, AmqpConnection::kChannel, 0, options_.prefetch, 0);
  if (amqp_get_rpc_reply(s).reply_type != AMQP_RESPONSE_NORMAL) {
    return fail(c.last_error("basic.qos"));
  }
  amqp_basic_consume(s, AmqpConnection::kChannel, queue, amqp_empty_bytes, 0, 0, 0,
                     amqp_empty_table);
  if (amqp_get_rpc_reply(s).reply_type != AMQP_RESPONSE_NORMAL) {
    return fail(c.last_error("basic.consume"));
  }
  if (generation_ > 0) reconnects_.fetch_add(1, std::memory_order_relaxed);
  ++generation_;
  failures_ = 0;
  conn_ = std::make_unique<Connection>(Connection{std::move(opened).value(), {}});
  connected_.store(true, std::memory_order_relaxed);
  log::info("amqp_consuming", {{"broker", c.where()}, {"queue", options_.queue}});
  return true;
}

void AmqpSource::disconnect(const std::string& why) {
  log::warn("amqp_disconnected", {{"broker", conn_->amqp->where()}, {"reason", why}});
  conn_.reset();
  connected_.store(false, std::memory_order_relaxed);
  next_attempt_ = std::chrono::steady_clock::now() + options_.reconnect_min;
}

bool AmqpSource::ack(uint64_t tag, bool multiple) {
  if (amqp_basic_ack(conn_->amqp->state(), AmqpConnection::kChannel, tag, multiple) != 0) {
    disconnect("basic.ack failed");
    return false;
  }
  return true;
}

void AmqpSource::reject(uint64_t tag) {
  if (amqp_basic_reject(conn_->amqp->state(), AmqpConnection::kChannel, tag, 0) != 0) {
    disconnect("basic.reject failed");
    return;
  }
  rejected_.fetch_add(1, std::memory_order_relaxed);
}

void AmqpSource::settle(std::span<const uint64_t> origins) {
  std::lock_guard lock(settled_mu_);
  settled_.insert(settled_.end(), origins.begin(), origins.end());
}

void AmqpSource::flush_settled() {
  {
    std::lock_guard lock(settled_mu_);
    settling_.swap(settled_);  // both keep their capacity: no allocation once warm
  }
  if (settling_.empty()) return;
  std::vector<uint64_t>& settled = settling_;
  std::sort(settled.begin(), settled.end());
  auto by_origin = [](const InFlight& f, uint64_t origin) { return f.origin < origin; };
  completed_ids_.clear();
  for (uint64_t origin : settled) {
    auto it = std::lower_bound(in_flight_.begin(), in_flight_.end(), origin, by_origin);
    if (it == in_flight_.end() || it->origin != origin || it->settled) continue;
    it->settled = true;
    if (!it->msg_id.empty()) completed_ids_.push_back(std::move(it->msg_id));
  }
  while (!in_flight_.empty() && in_flight_.front().settled) in_flight_.pop_front();
  // Recorded before the acks: a crash between the two leaves a redelivery the log recognises.
  if (options_.completed != nullptr && !completed_ids_.empty()) {
    options_.completed->record(completed_ids_);
  }
  auto done = [&] { settled.clear(); };
  if (!conn_) return done();  // the broker redelivers them; the log or the duplicate filter knows
  const uint64_t current = generation_ << kTagBits;
  // One ack with `multiple` covers every tag up to the highest settled one of this channel when
  // none below it is still in flight: the usual case, as the pipeline settles in order.
  auto first = std::lower_bound(settled.begin(), settled.end(), current);
  if (first == settled.end()) return done();
  auto oldest = std::lower_bound(in_flight_.begin(), in_flight_.end(), current, by_origin);
  while (oldest != in_flight_.end() && oldest->settled) ++oldest;
  uint64_t highest = settled.back();
  if (oldest == in_flight_.end() || oldest->origin > highest) {
    if (ack(highest & kTagMask, true))
      acked_.fetch_add(settled.end() - first, std::memory_order_relaxed);
    return done();
  }
  for (auto it = first; it != settled.end() && conn_; ++it) {
    if (ack(*it & kTagMask, false)) acked_.fetch_add(1, std::memory_order_relaxed);
  }
  done();
}

bool AmqpSource::receive_one(std::vector<RawMessage>& out, std::chrono::milliseconds wait) {
  amqp_connection_state_t s = conn_->amqp->state();
  amqp_maybe_release_buffers(s);
  amqp_envelope_t envelope;
  // rabbitmq-c rounds the time left down to whole milliseconds before it polls, so a wait of
  // 1 ms would poll for 0 and the caller's loop would spin: ask for one more.
  if (wait.count() > 0) wait += std::chrono::milliseconds(1);
  timeval tv{static_cast<time_t>(wait.count() / 1000),
             static_cast<suseconds_t>(wait.count() % 1000 * 1000)};
  amqp_rpc_reply_t r = amqp_consume_message(s, &envelope, &tv, 0);
  if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION && r.library_error == AMQP_STATUS_TIMEOUT) {
    return false;
  }
  if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
      r.library_error == AMQP_STATUS_UNEXPECTED_STATE) {
    // A frame other than a delivery: a consumer cancel, or the channel or connection closing.
    amqp_frame_t frame;
    if (amqp_simple_wait_frame_noblock(s, &frame, &tv) != AMQP_STATUS_OK) return false;
    if (frame.frame_type != AMQP_FRAME_METHOD) return false;
    switch (frame.payload.method.id) {
      case AMQP_BASIC_CANCEL_METHOD:
        cancelled_.fetch_add(1, std::memory_order_relaxed);
        disconnect("the broker cancelled the consumer");
        return false;
      case AMQP_CHANNEL_CLOSE_METHOD:
      case AMQP_CONNECTION_CLOSE_METHOD:
        disconnect("the broker closed the channel or connection");
        return false;
      default:
        return false;  // e.g. basic.ack from a publisher confirm: not ours
    }
  }
  if (r.reply_type != AMQP_RESPONSE_NORMAL) {
    disconnect(r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION ? amqp_error_string2(r.library_error)
                                                               : "server exception");
    return false;
  }
  const uint64_t tag = envelope.delivery_tag;
  const uint64_t origin = (generation_ << kTagBits) | (tag & kTagMask);
  AmqpDelivery& d = conn_->delivery;
  read_delivery(envelope, d);
  if (envelope.redelivered) {
    redelivered_.fetch_add(1, std::memory_order_relaxed);
    if (options_.completed != nullptr && !d.message_id.empty() &&
        options_.completed->contains(d.message_id)) {
      already_done_.fetch_add(1, std::memory_order_relaxed);
      if (ack(tag, false)) acked_.fetch_add(1, std::memory_order_relaxed);
      amqp_destroy_envelope(&envelope);
      return true;
    }
  }
  // Parsed here, once: the parse stage only extracts the meta.
  auto message = fedora_message(d);
  if (!message) {
    // Rejected without requeue, so the broker never hands it out again: logged once.
    log::warn("amqp_poison_rejected", {{"msg_id", std::string(d.message_id)},
                                       {"topic", std::string(d.routing_key)},
                                       {"error", message.error().message}});
    amqp_destroy_envelope(&envelope);
    reject(tag);
    return true;
  }
  // The id is kept only for the completion log.
  in_flight_.push_back(
      {origin, false, options_.completed != nullptr ? std::string(d.message_id) : std::string()});
  (*message)->redelivered = envelope.redelivered != 0;
  RawMessage& raw = out.emplace_back();
  raw.origin = origin;
  raw.parsed = std::move(message).value();
  received_.fetch_add(1, std::memory_order_relaxed);
  amqp_destroy_envelope(&envelope);
  return true;
}

bool AmqpSource::next_batch(std::vector<RawMessage>& out, size_t max) {
  const size_t before = out.size();
  while (!stopping_.load(std::memory_order_relaxed)) {
    if (!conn_) {
      auto now = std::chrono::steady_clock::now();
      if (now < next_attempt_) {
        flush_settled();  // records completions even while the broker is away
        std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
            next_attempt_ - now, options_.poll_interval));
        continue;
      }
      if (!connect()) continue;
    }
    if (waiting_hook_) waiting_hook_();
    flush_settled();
    if (!conn_) continue;
    // Waits for the first delivery, then takes what has already arrived. While deliveries are
    // in the pipeline their settlement, not the broker, is what comes next: the wait is short,
    // so acks leave soon after they are due and the broker can send beyond the prefetch window.
    bool got = receive_one(out, in_flight_.empty() ? options_.poll_interval : kAckLatency);
    while (got && conn_ && out.size() - before < max) {
      got = receive_one(out, std::chrono::milliseconds(0));
    }
    if (out.size() > before) return true;
  }
  return false;
}

void AmqpSource::finish() {
  flush_settled();
  conn_.reset();
  connected_.store(false, std::memory_order_relaxed);
}

}  // namespace fmn::bus
