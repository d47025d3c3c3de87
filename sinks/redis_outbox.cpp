#include "sinks/redis_outbox.h"

#include <algorithm>
#include <charconv>
#include <deque>

#include "sinks/notification_codec.h"

namespace fmn::sinks {
namespace {

constexpr std::string_view kGroup = "fmn";

// KEYS: stream, dead stream. ARGV: group, consumer, claim idle ms, max deliveries, the newest id
// when this instance opened the outbox.
// Claims this consumer's pending entries up to that id (a previous run's: not the ones this run
// added, which its worker holds) and others' idle ones (XCLAIM counts a delivery),
// moves those handed out more than max deliveries times to the dead stream, and returns
// {dead count n, n dead items, then id, item, id, item... for the rest}. Entries deleted
// meanwhile are acknowledged.
constexpr std::string_view kRecoverScript = R"(
local function before(a, b)  -- decimal strings, compared as numbers of any size
  return #a < #b or (#a == #b and a < b)
end
local function not_after(a, b)
  local am, as = a:match('(%d+)-(%d+)')
  local bm, bs = b:match('(%d+)-(%d+)')
  return before(am, bm) or (am == bm and not before(bs, as))
end
local dead, live = {}, {}
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 100000)
for _, p in ipairs(pending) do
  local id, owner, idle, count = p[1], p[2], p[3], p[4]
  local mine = owner == ARGV[2]
  if (mine and not_after(id, ARGV[5])) or (not mine and idle >= tonumber(ARGV[3])) then
    local claimed = redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, id)
    local e = claimed[1]
    if not e or not e[2] then
      redis.call('XACK', KEYS[1], ARGV[1], id)
    else
      local item = e[2][2]
      if count + 1 > tonumber(ARGV[4]) then
        redis.call('XADD', KEYS[2], '*', 'n', item, 'id', id, 'deliveries', count,
                   'reason', 'handed out ' .. count .. ' times unconfirmed')
        redis.call('XACK', KEYS[1], ARGV[1], id)
        redis.call('XDEL', KEYS[1], id)
        dead[#dead + 1] = item
      else
        live[#live + 1] = id
        live[#live + 1] = item
      end
    end
  end
end
local out = {tostring(#dead)}
for _, item in ipairs(dead) do out[#out + 1] = item end
for _, v in ipairs(live) do out[#out + 1] = v end
return out)";

// KEYS: dead stream. ARGV: user (empty: everyone's), cursor (empty: from the start), payload
// ('1': with field n), order ('1': oldest first). Reads one page of kDeadPage dead letters and
// returns {the next page's cursor (empty: none), then id, user, address, reason[, n] of each
// matching one}.
constexpr std::string_view kScanDeadScript = R"(
local forward = ARGV[4] == '1'
local from = ARGV[2]
if from == '' then from = forward and '-' or '+' end
local page
if forward then
  page = redis.call('XRANGE', KEYS[1], from, '+', 'COUNT', 1000)
else
  page = redis.call('XREVRANGE', KEYS[1], from, '-', 'COUNT', 1000)
end
local out = {#page == 1000 and '(' .. page[#page][1] or ''}
for _, e in ipairs(page) do
  local f = {}
  for i = 1, #e[2], 2 do f[e[2][i]] = e[2][i + 1] end
  local user = f['user'] or ''
  if ARGV[1] == '' or user == ARGV[1] then
    out[#out + 1] = e[1]
    out[#out + 1] = user
    out[#out + 1] = f['address'] or ''
    out[#out + 1] = f['reason'] or ''
    if ARGV[3] == '1' then out[#out + 1] = f['n'] or '' end
  end
end
return out)";

// KEYS: stream. ARGV: group, first id, last id, count, consumer. How many of the entries from
// the first to the last id are in the consumer's pending list.
constexpr std::string_view kCountPendingScript = R"(
return #redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[2], ARGV[3], tonumber(ARGV[4]), ARGV[5]))";

// KEYS: stream, dead stream, then the mark set of each dead letter's entry, then of each entry
// removed. ARGV: group, dead letters kept at most, oldest kept (ms), mark lifetime (s), number
// of dead letters, then entry id, index, n, user, address, reason of each, then the ids to
// remove. Writes each dead letter whose entry is still pending (XPENDING: not its payload, which
// holds the whole batch) and whose index its
// entry's mark set does not hold yet (so a resend writes none twice), applies the retention,
// acknowledges and deletes the entries and their marks; returns the dead letters written.
constexpr std::string_view kRemoveScript = R"(
local n = tonumber(ARGV[5])
local written = 0
for i = 0, n - 1 do
  local a = 6 + i * 6
  local entry = ARGV[a]
  if #redis.call('XPENDING', KEYS[1], ARGV[1], entry, entry, 1) > 0
     and redis.call('SADD', KEYS[3 + i], ARGV[a + 1]) == 1 then
    redis.call('EXPIRE', KEYS[3 + i], ARGV[4])
    redis.call('XADD', KEYS[2], '*', 'n', ARGV[a + 2], 'entry', entry, 'user', ARGV[a + 3],
               'address', ARGV[a + 4], 'reason', ARGV[a + 5])
    written = written + 1
  end
end
if written > 0 then
  redis.call('XTRIM', KEYS[2], 'MAXLEN', '=', ARGV[2])
  redis.call('XTRIM', KEYS[2], 'MINID', '=', ARGV[3])
end
local first = 6 + n * 6
for i = first, #ARGV do
  redis.call('XACK', KEYS[1], ARGV[1], ARGV[i])
  redis.call('XDEL', KEYS[1], ARGV[i])
  redis.call('DEL', KEYS[3 + n + i - first])
end
return written)";

constexpr uint64_t kSeqPerInstance = uint64_t{1} << 32;

std::string format_id(uint64_t ms, uint64_t seq) {
  std::string id = std::to_string(ms);
  id += '-';
  id += std::to_string(seq);
  return id;
}

// A stream id "<ms>-<seq>" as its two numbers; false when it is not one.
bool parse_id(std::string_view text, uint64_t& ms, uint64_t& seq) {
  const size_t dash = text.find('-');
  if (dash == std::string_view::npos) return false;
  const auto number = [](std::string_view digits, uint64_t& value) {
    auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    return ec == std::errc() && end == digits.data() + digits.size();
  };
  return number(text.substr(0, dash), ms) && number(text.substr(dash + 1), seq);
}

// The stream's newest id (what XADD must exceed), from XINFO STREAM.
Result<std::string> newest_id(RedisConnection& redis, const std::string& stream) {
  auto info = redis.command({"XINFO", "STREAM", stream});
  if (!info) return info.error();
  auto last = std::find(info->elements.begin(), info->elements.end(), "last-generated-id");
  if (last == info->elements.end() || last + 1 == info->elements.end()) {
    return Error{ErrorCode::kIo, "redis outbox: " + stream + " has no last-generated-id"};
  }
  return *(last + 1);
}

}  // namespace

Result<std::unique_ptr<RedisOutbox>> RedisOutbox::open(const RedisConfig& redis,
                                                       std::string_view kind, OutboxConfig config) {
  auto connection = RedisConnection::open(redis);
  if (!connection) return connection.error();
  std::string stream = redis.prefix + "outbox:" + std::string(kind);
  auto group = (*connection)->command({"XGROUP", "CREATE", stream, kGroup, "0", "MKSTREAM"});
  if (!group && group.error().message.find("BUSYGROUP") == std::string::npos) {
    return group.error();
  }
  auto instance = (*connection)->command({"INCR", stream + ":instances"});
  if (!instance) return instance.error();
  // Entries this instance adds come after the stream's newest now; the ones it recovers do not.
  auto newest = newest_id(**connection, stream);
  if (!newest) return newest.error();
  std::unique_ptr<RedisOutbox> outbox(new RedisOutbox(
      std::move(connection).value(), std::string(kind), std::move(stream), std::move(config)));
  outbox->opened_last_ = std::move(newest).value();
  if (!parse_id(outbox->opened_last_, outbox->last_.ms, outbox->last_.seq)) {
    return Error{ErrorCode::kIo, "redis outbox: bad stream id " + outbox->opened_last_};
  }
  outbox->instance_ = static_cast<uint64_t>(instance->integer) % kSeqPerInstance;
  return outbox;
}

// Ids in this instance's own range of sequence numbers, so no other instance ever chooses the
// same one: the first after the last id chosen or seen, at the current millisecond or later.
RedisOutbox::EntryId RedisOutbox::next_id() {
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::system_clock::now().time_since_epoch());
  const uint64_t ms = static_cast<uint64_t>(std::max<int64_t>(0, now.count()));
  const uint64_t first = instance_ * kSeqPerInstance, last = first + (kSeqPerInstance - 1);
  if (ms > last_.ms) {
    last_ = {ms, first};
  } else if (last_.seq < first) {
    last_.seq = first;
  } else if (last_.seq < last) {
    ++last_.seq;
  } else {
    last_ = {last_.ms + 1, first};
  }
  return last_;
}

Result<bool> RedisOutbox::skip_past_newest() {
  auto newest = newest_id(*redis_, stream_);
  if (!newest) return newest.error();
  EntryId id;
  if (!parse_id(*newest, id.ms, id.seq)) {
    return Error{ErrorCode::kIo, "redis outbox: bad stream id " + *newest};
  }
  if (id.ms > last_.ms || (id.ms == last_.ms && id.seq > last_.seq)) last_ = id;
  return true;
}

Result<size_t> RedisOutbox::pending_of_mine(std::span<const std::string> ids) {
  const std::string count = std::to_string(ids.size());
  auto r = redis_->command({"EVAL", kCountPendingScript, "1", stream_, kGroup, ids.front(),
                            ids.back(), count, config_.consumer});
  if (!r) return r.error();
  return static_cast<size_t>(r->integer);
}

// One transaction per append, no script: XADD each entry with an id of this instance's, then
// XCLAIM ... FORCE JUSTID puts them in this consumer's pending list, so no entry is ever unowned
// and Redis answers with ids only, not the batches back (XREADGROUP would send them). A script
// would do the same but copies the batches into Lua, which costs Redis several times the XADD
// itself at a large fan-out.
//
// The transaction is never sent twice blindly: when its reply is lost, Redis may have run it
// (the reconnect has closed the old connection, so it ran by then or never will). The append
// then counts its entries in this consumer's pending list: all there, it is done; otherwise it
// deletes any that are (an id below the stream's newest, another instance having added a later
// one, fails alone) and writes again once with ids after the stream's newest.
Result<std::vector<std::string>> RedisOutbox::append_all(
    std::span<const std::span<const Notification>> batches) {
  if (batches.empty()) return std::vector<std::string>{};
  std::lock_guard lock(mu_);
  if (encoded_.size() < batches.size()) encoded_.resize(batches.size());
  for (size_t i = 0; i < batches.size(); ++i) {
    encoded_[i].clear();
    encode_notifications(batches[i], encoded_[i]);
  }
  std::vector<std::string> ids(batches.size());
  for (int attempt = 0;; ++attempt) {
    for (std::string& id : ids) {
      const EntryId next = next_id();
      id = format_id(next.ms, next.seq);
    }
    std::vector<std::vector<std::string_view>> commands;
    commands.reserve(batches.size() + 1);
    for (size_t i = 0; i < batches.size(); ++i) {
      commands.push_back({"XADD", stream_, ids[i], "n", encoded_[i]});
    }
    std::vector<std::string_view> claim{"XCLAIM", stream_, kGroup, config_.consumer, "0"};
    claim.insert(claim.end(), ids.begin(), ids.end());
    claim.insert(claim.end(), {"FORCE", "JUSTID", "LASTID", ids.back()});
    commands.push_back(std::move(claim));
    auto r = redis_->transaction(commands, RedisConnection::Resend::kNever);
    if (r && r->elements.size() == ids.size()) return ids;
    auto mine = pending_of_mine(ids);
    if (!mine) return mine.error();
    if (*mine == ids.size()) return ids;
    if (*mine > 0) {
      auto removed = remove_locked(ids, {});
      if (!removed) return removed.error();
    }
    if (attempt > 0) {
      return r ? Error{ErrorCode::kIo, "redis outbox: entries not added"} : r.error();
    }
    auto skipped = skip_past_newest();
    if (!skipped) return skipped.error();
  }
}

Result<std::string> RedisOutbox::append(std::span<const Notification> batch) {
  const std::span<const Notification> one[] = {batch};
  auto ids = append_all(one);
  if (!ids) return ids.error();
  return std::move(ids->front());
}

Result<bool> RedisOutbox::remove(std::span<const std::string> ids,
                                 std::span<const DeadLetter> dead) {
  std::lock_guard lock(mu_);
  return remove_locked(ids, dead);
}

// Without dead letters (the common case) a plain transaction: acknowledging and deleting are
// idempotent, so a resend is harmless. Dead letters go through kRemoveScript, which writes each
// once.
Result<bool> RedisOutbox::remove_locked(std::span<const std::string> ids,
                                        std::span<const DeadLetter> dead) {
  if (ids.empty() && dead.empty()) return true;
  if (dead.empty()) {
    std::vector<std::string_view> ack{"XACK", stream_, kGroup}, del{"XDEL", stream_};
    ack.insert(ack.end(), ids.begin(), ids.end());
    del.insert(del.end(), ids.begin(), ids.end());
    auto r = redis_->transaction({std::move(ack), std::move(del)});
    if (!r) return r.error();
    return true;
  }
  std::deque<std::string> owned;  // marks keys, indexes, encodings: argv holds views of them
  std::string max, cutoff;
  trim_commands(std::chrono::system_clock::now(), max, cutoff);
  const std::string lifetime = std::to_string(config_.dead_letters_max_age.count());
  const std::string count = std::to_string(dead.size());
  std::vector<std::string_view> keys{stream_, dead_}, args{kGroup, max, cutoff, lifetime, count};
  for (const DeadLetter& d : dead) keys.push_back(owned.emplace_back(marks_key(d.entry_id)));
  for (const std::string& id : ids) keys.push_back(owned.emplace_back(marks_key(id)));
  for (const DeadLetter& d : dead) {
    const std::string& index = owned.emplace_back(std::to_string(d.index));
    std::string& encoded = owned.emplace_back();
    encode_notifications({&d.notification, 1}, encoded);
    args.insert(args.end(), {d.entry_id, index, encoded, d.notification.user(),
                             d.notification.address(), d.reason});
  }
  args.insert(args.end(), ids.begin(), ids.end());
  const std::string key_count = std::to_string(keys.size());
  std::vector<std::string_view> argv{"EVAL", kRemoveScript, key_count};
  argv.insert(argv.end(), keys.begin(), keys.end());
  argv.insert(argv.end(), args.begin(), args.end());
  auto r = redis_->command(argv);
  if (!r) return r.error();
  dead_lettered_.fetch_add(dead.size(), std::memory_order_relaxed);
  return true;
}

Result<OutboxRecovery> RedisOutbox::recover() {
  std::lock_guard lock(mu_);
  const std::string idle = std::to_string(config_.claim_idle.count());
  const std::string max = std::to_string(config_.max_deliveries);
  auto r = redis_->command({"EVAL", kRecoverScript, "2", stream_, dead_, kGroup, config_.consumer,
                            idle, max, opened_last_});
  if (!r) return r.error();
  OutboxRecovery recovery;
  if (!r->elements.empty()) recovery.dead_lettered = std::stoul(r->elements[0]);
  const size_t live = std::min(1 + recovery.dead_lettered, r->elements.size());
  for (size_t i = 1; i < live; ++i) {
    auto notifications = decode_notifications(r->elements[i]);
    if (!notifications) continue;  // in the dead letters all the same, for an operator
    for (Notification& n : *notifications) recovery.dead.push_back(std::move(n));
  }
  std::vector<std::string> bad;
  for (size_t i = live; i + 1 < r->elements.size(); i += 2) {
    auto notifications = decode_notifications(r->elements[i + 1]);
    if (notifications) {
      recovery.entries.push_back({r->elements[i], std::move(notifications).value()});
      continue;
    }
    const std::string& id = r->elements[i];
    bad.push_back(id);
    auto moved = redis_->command(
        {"XADD", dead_, "*", "n", r->elements[i + 1], "id", id, "reason", "undecodable"});
    if (!moved) return moved.error();
  }
  auto removed = remove_locked(bad, {});
  if (!removed) return removed.error();
  recovery.undecodable = bad.size();
  dead_lettered_.fetch_add(recovery.dead_lettered + bad.size(), std::memory_order_relaxed);
  return recovery;
}

Result<size_t> RedisOutbox::size() {
  std::lock_guard lock(mu_);
  auto r = redis_->command({"XLEN", stream_});
  if (!r) return r.error();
  return static_cast<size_t>(r->integer);
}

Result<bool> RedisOutbox::scan_dead_letters(
    std::string_view user, bool oldest_first, bool payload,
    const std::function<bool(std::span<const std::string>)>& row) {
  const size_t width = payload ? 5 : 4;
  std::string cursor;
  do {
    auto r = redis_->command({"EVAL", kScanDeadScript, "1", dead_, user, cursor,
                              payload ? "1" : "0", oldest_first ? "1" : "0"});
    if (!r) return r.error();
    if (r->elements.empty()) return Error{ErrorCode::kIo, "redis outbox: no dead letter page"};
    for (size_t i = 1; i + width <= r->elements.size(); i += width) {
      if (!row(std::span(r->elements).subspan(i, width))) return true;
    }
    cursor = std::move(r->elements[0]);
  } while (!cursor.empty());
  return true;
}

Result<std::vector<DeadLetterRecord>> RedisOutbox::list_dead_letters(std::string_view user,
                                                                     size_t limit) {
  std::lock_guard lock(mu_);
  std::vector<DeadLetterRecord> out;
  if (limit == 0) return out;
  auto scanned = scan_dead_letters(user, false, false, [&](std::span<const std::string> f) {
    out.push_back({f[0], f[1], f[2], f[3]});
    return out.size() < limit;
  });
  if (!scanned) return scanned.error();
  return out;
}

Result<std::vector<ReplayableDeadLetter>> RedisOutbox::read_dead_letters(std::string_view user,
                                                                         size_t limit,
                                                                         size_t& undecodable) {
  std::lock_guard lock(mu_);
  std::vector<ReplayableDeadLetter> out;
  undecodable = 0;
  if (limit == 0) return out;
  auto scanned = scan_dead_letters(user, true, true, [&](std::span<const std::string> f) {
    auto notifications = decode_notifications(f[4]);
    if (notifications && !notifications->empty()) {
      out.push_back({f[0], std::move(notifications).value()});
    } else {
      ++undecodable;
    }
    return out.size() < limit;
  });
  if (!scanned) return scanned.error();
  return out;
}

Result<bool> RedisOutbox::delete_dead_letters(std::span<const std::string> ids) {
  if (ids.empty()) return true;
  std::lock_guard lock(mu_);
  std::vector<std::string_view> del{"XDEL", dead_};
  del.insert(del.end(), ids.begin(), ids.end());
  auto r = redis_->command(del);
  if (!r) return r.error();
  return true;
}

std::vector<std::vector<std::string_view>> RedisOutbox::trim_commands(
    std::chrono::system_clock::time_point now, std::string& max, std::string& cutoff) const {
  const auto age = std::chrono::duration_cast<std::chrono::milliseconds>(
      now.time_since_epoch() - config_.dead_letters_max_age);
  max = std::to_string(config_.dead_letters_max);
  cutoff = std::to_string(std::max<int64_t>(0, age.count()));
  return {{"XTRIM", dead_, "MAXLEN", "=", max}, {"XTRIM", dead_, "MINID", "=", cutoff}};
}

Result<bool> RedisOutbox::trim_dead_letters(std::chrono::system_clock::time_point now) {
  std::lock_guard lock(mu_);
  std::string max, cutoff;
  auto r = redis_->transaction(trim_commands(now, max, cutoff));
  if (!r) return r.error();
  return true;
}

Result<size_t> RedisOutbox::dead_letters() {
  std::lock_guard lock(mu_);
  auto r = redis_->command({"XLEN", dead_});
  if (!r) return r.error();
  return static_cast<size_t>(r->integer);
}

}  // namespace fmn::sinks
