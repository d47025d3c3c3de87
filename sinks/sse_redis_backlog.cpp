#include "sinks/sse_redis_backlog.h"

#include <charconv>
#include <future>

#include "core/log.h"
#include "core/thread_name.h"

namespace fmn::sinks {
namespace {

// ARGV: key prefix, MAXLEN, TTL in ms, then (feed, id, data, delivery key) for each event. One
// event with an id the stream already passed (a clock step back) fails alone, and its key is
// not kept.
constexpr std::string_view kAppendScript = R"lua(
for i = 4, #ARGV, 4 do
  local stream = ARGV[1] .. 'sse:' .. ARGV[i]
  local added = redis.pcall('XADD', stream, 'MAXLEN', '~', ARGV[2], ARGV[i + 1] .. '-0',
                            'd', ARGV[i + 2])
  redis.call('PEXPIRE', stream, ARGV[3])
  if ARGV[i + 3] ~= '' and type(added) ~= 'table' then
    local keys = ARGV[1] .. 'sse-keys:' .. ARGV[i]
    redis.call('LPUSH', keys, ARGV[i + 3])
    redis.call('LTRIM', keys, 0, ARGV[2] - 1)
    redis.call('PEXPIRE', keys, ARGV[3])
  end
end
return 0
)lua";

// KEYS[1]: the feed's stream; ARGV: the last id seen, how many at most. The newest first,
// flat: id, data, ...
constexpr std::string_view kSinceScript = R"lua(
local out = {}
for _, e in ipairs(redis.call('XREVRANGE', KEYS[1], '+', '(' .. ARGV[1] .. '-0', 'COUNT', ARGV[2])) do
  out[#out + 1] = e[1]
  out[#out + 1] = e[2][2]
end
return out
)lua";

constexpr size_t kBatch = 512;

}  // namespace

Result<std::unique_ptr<SseRedisBacklog>> SseRedisBacklog::open(SseRedisConfig config,
                                                               Written written) {
  auto writer = RedisConnection::open(config.redis);
  if (!writer) return writer.error();
  auto reader = RedisConnection::open(config.redis);
  if (!reader) return reader.error();
  return std::unique_ptr<SseRedisBacklog>(new SseRedisBacklog(
      std::move(config), std::move(written), std::move(*writer), std::move(*reader)));
}

SseRedisBacklog::SseRedisBacklog(SseRedisConfig config, Written written,
                                 std::unique_ptr<RedisConnection> writer,
                                 std::unique_ptr<RedisConnection> reader)
    : config_(std::move(config)),
      written_callback_(std::move(written)),
      writer_(std::move(writer)),
      reader_(std::move(reader)) {
  thread_ = std::thread([this] { write_loop(); });
  reader_thread_ = std::thread([this] { read_loop(); });
  name_thread(thread_, "sse-backlog-w");
  name_thread(reader_thread_, "sse-backlog-r");
}

SseRedisBacklog::~SseRedisBacklog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  wake_reader_.notify_one();
  thread_.join();
  reader_thread_.join();
}

void SseRedisBacklog::append(const std::string& feed, uint64_t id, std::string_view data,
                             uint64_t place, std::string_view key) {
  const size_t bytes = queued_size(feed, data, key);
  {
    std::lock_guard lock(mutex_);
    if (queued_bytes_ + bytes > config_.max_pending_bytes) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      queue_.push_back({{}, {}, {}, {}, place, true});
    } else {
      queued_bytes_ += bytes;
      queue_.push_back(
          {feed, std::to_string(id), std::string(data), std::string(key), place, false});
    }
  }
  wake_.notify_one();
}

void SseRedisBacklog::write_loop() {
  std::vector<Entry> batch;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, all written
      const size_t n = std::min(queue_.size(), kBatch);
      batch.assign(std::make_move_iterator(queue_.begin()),
                   std::make_move_iterator(queue_.begin() + static_cast<ptrdiff_t>(n)));
      queue_.erase(queue_.begin(), queue_.begin() + static_cast<ptrdiff_t>(n));
      for (const Entry& e : batch) {
        if (!e.dropped) queued_bytes_ -= queued_size(e.feed, e.data, e.key);
      }
    }
    write(batch);
    if (written_callback_) written_callback_(batch.back().place);
  }
}

void SseRedisBacklog::write(const std::vector<Entry>& batch) {
  const std::string& prefix = config_.redis.prefix;
  const std::string maxlen = std::to_string(config_.per_feed);
  const std::string ttl = std::to_string(config_.ttl.count() * 1000);
  std::vector<std::string_view> argv = {"EVAL", kAppendScript, "0", prefix, maxlen, ttl};
  size_t events = 0;
  for (const Entry& e : batch) {
    if (e.dropped) continue;
    argv.insert(argv.end(), {e.feed, e.id, e.data, e.key});
    ++events;
  }
  if (events == 0) return;
  if (auto ok = writer_->command(argv); !ok) {
    if (errors_.fetch_add(1, std::memory_order_relaxed) == 0) {
      log::warn("sse_redis_write_failed", {{"error", ok.error().message}});
    }
    return;
  }
  written_.fetch_add(events, std::memory_order_relaxed);
}

void SseRedisBacklog::queue_read(Read read) {
  {
    std::lock_guard lock(mutex_);
    reads_.push_back(std::move(read));
  }
  wake_reader_.notify_one();
}

void SseRedisBacklog::read_since(std::string feed, uint64_t last_id, Events done) {
  queue_read([this, feed = std::move(feed), last_id, done = std::move(done)] {
    done(since(feed, last_id));
  });
}

bool SseRedisBacklog::holds(std::string feed, std::string key) {
  auto answer = std::make_shared<std::promise<bool>>();
  std::future<bool> held = answer->get_future();
  queue_read([this, answer, feed = std::move(feed), key = std::move(key)] {
    const std::string keys = config_.redis.prefix + "sse-keys:" + feed;
    auto reply = reader_->command({"LPOS", keys, key});
    if (!reply) errors_.fetch_add(1, std::memory_order_relaxed);
    answer->set_value(reply && !reply->nil);
  });
  try {
    return held.get();
  } catch (const std::future_error&) {
    return false;  // dropped unanswered: the backlog was being destroyed
  }
}

void SseRedisBacklog::read_loop() {
  for (;;) {
    Read read;
    {
      std::unique_lock lock(mutex_);
      wake_reader_.wait(lock, [this] { return stopping_ || !reads_.empty(); });
      if (stopping_) return;
      read = std::move(reads_.front());
      reads_.pop_front();
    }
    read();
  }
}

std::vector<SseEvent> SseRedisBacklog::since(const std::string& feed, uint64_t last_id) {
  std::vector<SseEvent> events;
  const std::string key = config_.redis.prefix + "sse:" + feed;
  const std::string after = std::to_string(last_id);
  const std::string count = std::to_string(config_.per_feed);
  auto reply = reader_->command({"EVAL", kSinceScript, "1", key, after, count});
  if (!reply) {
    errors_.fetch_add(1, std::memory_order_relaxed);
    return events;
  }
  const auto& e = reply->elements;
  for (size_t i = e.size() & ~size_t{1}; i >= 2; i -= 2) {
    uint64_t id = 0;
    std::from_chars(e[i - 2].data(), e[i - 2].data() + e[i - 2].size(), id);  // "<id>-0"
    events.push_back({id, std::make_shared<const std::string>(sse_frame(id, e[i - 1]))});
  }
  return events;
}

}  // namespace fmn::sinks
