// The SSE backlog's copy in Redis, so Last-Event-ID resumes reach further back than the memory
// store's budget and survive a restart: one stream a feed, "<prefix>sse:<feed>", entries
// "<event id>-0" with the event's data in field "d", capped with XADD MAXLEN ~ `per_feed` and
// expiring `ttl` after the feed's last event (nobody listening for a day costs nothing).
// Beside it, "<prefix>sse-keys:<feed>" lists the delivery keys of its newest `per_feed` events
// (newest first, written in the same script as the events, same expiry): the record of what the
// feed was delivered, which holds() looks up.
//
// Neither call blocks the caller (the SSE server's network threads), however slow Redis is:
// append() queues events for a writer thread that sends them in batches (one EVAL a batch); past
// `max_pending_bytes` waiting, an event is dropped from the Redis copy (counted; the memory
// store still has it). Each event comes with its place (SseServer::publish()); once the writer
// is done with a batch (written, or the write failed: counted), it tells `written` the place of
// the batch's last event, so places are reported in order, a dropped event's with the batch
// after it. read_since() queues the read for a reader thread with its own
// connection, which hands the events to the callback; on error none (counted), and the memory
// store answers alone. holds() goes through the same thread and waits for its answer. All are
// thread-safe. Reads still queued when the backlog is destroyed are dropped, their callbacks
// never called (a holds() waiting then answers false).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/result.h"
#include "sinks/redis_connection.h"
#include "sinks/sse_backlog.h"

namespace fmn::sinks {

struct SseRedisConfig {
  RedisConfig redis;
  size_t per_feed = 200;
  std::chrono::seconds ttl = std::chrono::hours(24);
  size_t max_pending_bytes = size_t{16} << 20;
};

class SseRedisBacklog {
 public:
  using Events = std::function<void(std::vector<SseEvent>)>;
  using Written = std::function<void(uint64_t place)>;

  // Connects twice (writer, reader) and starts the writer and reader threads; kIo when Redis
  // does not answer. `written` is called on the writer thread.
  static Result<std::unique_ptr<SseRedisBacklog>> open(SseRedisConfig config, Written written = {});
  ~SseRedisBacklog();  // writes what is queued, stops the writer and the reader

  // `key`: the notification's delivery key, which holds() looks for; empty for none.
  void append(const std::string& feed, uint64_t id, std::string_view data, uint64_t place = 0,
              std::string_view key = {});
  // Calls `done`, on the reader thread, with the events of `feed` after `last_id` held in
  // Redis, oldest first.
  void read_since(std::string feed, uint64_t last_id, Events done);
  // Whether one of the newest `per_feed` events of `feed` in Redis was appended with `key`.
  // Blocks for Redis' answer; false when Redis does not answer (counted in errors()): a
  // notification is delivered again rather than lost.
  bool holds(std::string feed, std::string key);

  uint64_t written() const { return written_.load(); }
  uint64_t dropped() const { return dropped_.load(); }
  uint64_t errors() const { return errors_.load(); }

 private:
  struct Entry {
    std::string feed, id, data, key;
    uint64_t place;
    bool dropped;  // only its place: reported with the entries written after it
  };
  // What an event waiting for the writer counts against max_pending_bytes (its id ~24 bytes).
  static size_t queued_size(std::string_view feed, std::string_view data, std::string_view key) {
    return feed.size() + data.size() + key.size() + sizeof(Entry) + 24;
  }
  // A read for the reader thread, which alone uses reader_.
  using Read = std::function<void()>;
  SseRedisBacklog(SseRedisConfig config, Written written, std::unique_ptr<RedisConnection> writer,
                  std::unique_ptr<RedisConnection> reader);
  void write_loop();
  void write(const std::vector<Entry>& batch);
  void read_loop();
  std::vector<SseEvent> since(const std::string& feed, uint64_t last_id);
  void queue_read(Read read);

  SseRedisConfig config_;
  Written written_callback_;
  std::unique_ptr<RedisConnection> writer_, reader_;
  std::mutex mutex_;
  std::condition_variable wake_, wake_reader_;
  std::vector<Entry> queue_;  // guarded by mutex_
  std::deque<Read> reads_;    // guarded by mutex_
  size_t queued_bytes_ = 0;   // guarded by mutex_
  bool stopping_ = false;     // guarded by mutex_
  std::atomic<uint64_t> written_{0}, dropped_{0}, errors_{0};
  std::thread thread_, reader_thread_;
};

}  // namespace fmn::sinks
