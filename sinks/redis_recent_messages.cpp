#include "sinks/redis_recent_messages.h"

#include <charconv>

#include "core/bounded_id.h"
#include "core/envelope_writer.h"

namespace fmn::sinks {
namespace {

// KEYS[1]: the stream; ARGV: the msg_id key prefix, MAXLEN, max age in ms, then (msg_id,
// envelope) per message, the msg_id bounded (core/bounded_id.h): it names a key. The age trim
// reads Redis's clock, the one the stream ids come from.
constexpr std::string_view kWriteScript = R"lua(
for i = 4, #ARGV, 2 do
  local sid = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[2], '*', 'id', ARGV[i], 'e', ARGV[i + 1])
  if ARGV[i] ~= '' then redis.call('SET', ARGV[1] .. ARGV[i], sid, 'PX', ARGV[3]) end
end
local t = redis.call('TIME')
local cutoff = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) - tonumber(ARGV[3])
if cutoff > 0 then redis.call('XTRIM', KEYS[1], 'MINID', '~', cutoff) end
return 0
)lua";

// KEYS[1]: the stream; ARGV[1]: how many. The newest first, flat: stream id, envelope, ...
constexpr std::string_view kNewestScript = R"lua(
local out = {}
for _, e in ipairs(redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', ARGV[1])) do
  out[#out + 1] = e[1]
  out[#out + 1] = e[2][4]
end
return out
)lua";

// KEYS[1]: the msg_id's key, KEYS[2]: the stream. Flat: stream id, envelope; or nothing.
constexpr std::string_view kFindScript = R"lua(
local sid = redis.call('GET', KEYS[1])
if not sid then return {} end
local e = redis.call('XRANGE', KEYS[2], sid, sid)
if #e == 0 then return {} end
return {e[1][1], e[1][2][4]}
)lua";

// The time a stream id ("<ms>-<seq>") was made.
std::chrono::system_clock::time_point stream_time(std::string_view id) {
  int64_t ms = 0;
  std::from_chars(id.data(), id.data() + id.size(), ms);
  return std::chrono::system_clock::time_point(std::chrono::milliseconds(ms));
}

}  // namespace

Result<bool> RedisRecentMessages::write(const std::vector<MessagePtr>& messages) {
  if (messages.empty()) return true;
  const std::string stream = prefix() + "recent";
  const std::string id_prefix = prefix() + "recent:id:";
  const std::string maxlen = std::to_string(limits_.max_messages);
  const std::string age_ms = std::to_string(
      std::chrono::duration_cast<std::chrono::milliseconds>(limits_.max_age).count());
  std::vector<std::string> ids, envelopes;
  ids.reserve(messages.size());
  envelopes.reserve(messages.size());
  for (const MessagePtr& m : messages) {
    ids.push_back(bounded_id(m->msg_id));
    envelopes.push_back(write_envelope(*m));
  }
  std::vector<std::string_view> argv = {"EVAL",    kWriteScript, "1",   stream,
                                        id_prefix, maxlen,       age_ms};
  for (size_t i = 0; i < messages.size(); ++i) argv.insert(argv.end(), {ids[i], envelopes[i]});
  auto reply = redis_.command(argv);
  if (!reply) return reply.error();
  return true;
}

Result<std::vector<StoredRecentMessage>> RedisRecentMessages::newest(size_t limit) {
  const std::string stream = prefix() + "recent";
  const std::string count = std::to_string(limit);
  auto reply = redis_.command({"EVAL", kNewestScript, "1", stream, count});
  if (!reply) return reply.error();
  std::vector<StoredRecentMessage> out;
  auto& e = reply->elements;
  out.reserve(e.size() / 2);
  for (size_t i = e.size() & ~size_t{1}; i >= 2; i -= 2) {
    out.push_back({std::move(e[i - 1]), stream_time(e[i - 2])});
  }
  return out;
}

Result<std::optional<StoredRecentMessage>> RedisRecentMessages::find(std::string_view msg_id) {
  const std::string key = prefix() + "recent:id:" + bounded_id(msg_id);
  const std::string stream = prefix() + "recent";
  auto reply = redis_.command({"EVAL", kFindScript, "2", key, stream});
  if (!reply) return reply.error();
  if (reply->elements.size() != 2) return std::optional<StoredRecentMessage>();
  return std::optional<StoredRecentMessage>(
      StoredRecentMessage{reply->elements[1], stream_time(reply->elements[0])});
}

}  // namespace fmn::sinks
