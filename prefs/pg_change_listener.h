// PgChangeListener: the live change feed from PostgreSQL to a running service.
//
// Triggers (migration 0002) NOTIFY fmn_prefs with the name of each user whose preferences a
// transaction changed. The listener's thread waits for these, re-reads just those users (in
// one snapshot, prepared statements) and reports their new records to the ChangeSink, usually
// within milliseconds of the commit. A '*' notification (bulk import) is answered with a full
// reload. When the connection drops, the sink hears it (store_status), the listener retries
// with exponential backoff, and once back it reloads everything, since notifications sent
// meanwhile are lost; the service keeps matching on what it had.
//
// Start the listener before the cold load (PgStore::load_all): a change committed during the
// load is then reported afterwards, and re-applying a user's current record is harmless.
// The sink is called from the listener's thread only. Destruction stops the thread.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "core/result.h"
#include "prefs/change_sink.h"

namespace fmn::prefs {

struct ListenerOptions {
  std::chrono::milliseconds min_backoff{100};
  std::chrono::milliseconds max_backoff{5000};
  std::chrono::milliseconds poll{100};  // how often the thread looks at the stop flag
};

class PgChangeListener {
 public:
  // Connects and LISTENs before returning (so no later change is missed); the first
  // connection's failure is returned. REQUIRES: `sink` outlives the listener.
  static Result<std::unique_ptr<PgChangeListener>> start(std::string conninfo, ChangeSink& sink,
                                                         ListenerOptions options = {});
  ~PgChangeListener();
  PgChangeListener(const PgChangeListener&) = delete;
  PgChangeListener& operator=(const PgChangeListener&) = delete;

 private:
  class Session;
  PgChangeListener(std::string conninfo, ChangeSink& sink, ListenerOptions options);
  void run();

  std::string conninfo_;
  ChangeSink& sink_;
  ListenerOptions options_;
  std::unique_ptr<Session> session_;  // null while disconnected
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace fmn::prefs
