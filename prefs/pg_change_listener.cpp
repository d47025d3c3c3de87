#include "prefs/pg_change_listener.h"

#include <pqxx/connection>
#include <pqxx/notification>
#include <pqxx/transaction>

#include <set>

#include "core/thread_name.h"
#include "prefs/pg_population_copy.h"
#include "prefs/pg_user_rows.h"

namespace fmn::prefs {
namespace {

constexpr const char* kChannel = "fmn_prefs";
constexpr const char* kEverything = "*";

// Base of Session, so that the connection is built before the receiver registers on it and
// destroyed after the receiver unregisters.
struct ConnectionHolder {
  std::unique_ptr<pqxx::connection> db;
};

}  // namespace

// One connection with its LISTEN registration. Throws libpqxx exceptions.
class PgChangeListener::Session : private ConnectionHolder, public pqxx::notification_receiver {
 public:
  static std::unique_ptr<Session> open(const std::string& conninfo) {
    auto db = std::make_unique<pqxx::connection>(conninfo);
    pg::prepare_user_statements(*db);
    return std::unique_ptr<Session>(new Session(std::move(db)));
  }

  void operator()(const std::string& payload, int) override { pending_.insert(payload); }

  // Waits up to `timeout` for notifications; returns the names collected (maybe kEverything).
  std::set<std::string> wait(std::chrono::milliseconds timeout) {
    db->await_notification(timeout.count() / 1000, (timeout.count() % 1000) * 1000);
    db->get_notifs();  // whatever else arrived meanwhile, so one batch covers a burst
    return std::exchange(pending_, {});
  }

  std::vector<UserChange> read_users(const std::set<std::string>& names) {
    pqxx::read_transaction tx(*db);
    std::vector<UserChange> changes;
    for (const auto& name : names) changes.push_back({name, pg::read_user(tx, name)});
    return changes;
  }

  Result<Population> read_everyone() {
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(*db);
    return pg::copy_population_out(tx);
  }

 private:
  explicit Session(std::unique_ptr<pqxx::connection> db)
      : ConnectionHolder{std::move(db)}, pqxx::notification_receiver(*this->db, kChannel) {}

  std::set<std::string> pending_;
};

PgChangeListener::PgChangeListener(std::string conninfo, ChangeSink& sink, ListenerOptions options)
    : conninfo_(std::move(conninfo)), sink_(sink), options_(options) {}

Result<std::unique_ptr<PgChangeListener>> PgChangeListener::start(std::string conninfo,
                                                                  ChangeSink& sink,
                                                                  ListenerOptions options) {
  std::unique_ptr<PgChangeListener> listener(
      new PgChangeListener(std::move(conninfo), sink, options));
  try {
    listener->session_ = Session::open(listener->conninfo_);
  } catch (const std::exception& e) {
    return Error{ErrorCode::kIo, std::string("listening for preference changes: ") + e.what()};
  }
  listener->thread_ = std::thread([l = listener.get()] { l->run(); });
  name_thread(listener->thread_, "prefs-listen");
  return listener;
}

PgChangeListener::~PgChangeListener() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

void PgChangeListener::run() {
  auto backoff = options_.min_backoff;
  bool resync = false;  // set when notifications may have been lost
  while (!stopping_) {
    try {
      if (!session_) {
        session_ = Session::open(conninfo_);
        sink_.store_status(true, "preferences database reconnected; reloading every user");
        backoff = options_.min_backoff;
        resync = true;
      }
      std::set<std::string> names;
      if (!resync) names = session_->wait(options_.poll);
      if (resync || names.count(kEverything)) {
        auto population = session_->read_everyone();
        if (!population) {
          sink_.store_status(false, population.error().message);
        } else {
          sink_.population_replaced(std::move(population).value());
        }
        resync = false;
      } else if (!names.empty()) {
        sink_.users_changed(session_->read_users(names));
      }
    } catch (const std::exception& e) {
      session_.reset();
      sink_.store_status(false, std::string("preferences database unreachable (retrying in ") +
                                    std::to_string(backoff.count()) + " ms): " + e.what());
      // Sleep in slices so that destruction stays prompt.
      auto until = std::chrono::steady_clock::now() + backoff;
      while (!stopping_ && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::min(options_.poll, backoff));
      }
      backoff = std::min(backoff * 2, options_.max_backoff);
    }
  }
}

}  // namespace fmn::prefs
