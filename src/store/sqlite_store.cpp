#include "oms/store/sqlite_store.hpp"

#include "oms/core/crash_point.hpp"

#include <condition_variable>
#include <cstdio>
#include <deque>
#include <future>
#include <mutex>
#include <random>
#include <thread>

#include <nlohmann/json.hpp>

#include "oms/store/event_codec.hpp"
#include "sqlite_read.hpp"
#include "sqlite_schema.hpp"
#include "sqlite_util.hpp"
#include "sqlite_writer.hpp"

namespace oms::store {

using namespace oms::engine;

std::string_view to_string(Durability d) { return d == Durability::power ? "power" : "process"; }

std::optional<Durability> parse_durability(std::string_view text) {
  if (text == "process") return Durability::process;
  if (text == "power") return Durability::power;
  return std::nullopt;
}

namespace {

// One entry of the writer's ordered queue: an event batch, or a journal change whose caller waits.
struct Item {
  AppendBatch batch;
  std::vector<std::string> payloads;  // JSON of each event's payload, encoded by the caller
  DurableCallback done;
  std::function<void(SqliteWriter&)> journal;  // set for journal changes
  std::promise<Status> waiter;                 // blocking journal changes only
  bool journal_async{false};                   // a journal change reported through `done` instead
  Status result;
};

std::string random_hex(std::size_t bytes) {
  std::random_device rd;  // reads the OS entropy source
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (std::size_t i = 0; i < bytes; ++i) {
    const auto b = static_cast<unsigned>(rd()) & 0xffU;
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0xfU]);
  }
  return out;
}

template <class F>
auto guarded(F&& f) -> Result<decltype(f())> {
  try {
    return f();
  } catch (const sql::Failure& e) {
    return e.error;
  }
}

}  // namespace

struct SqliteStore::Impl {
  std::string path;
  SqliteStoreOptions options;
  std::string instance_id;

  sql::Connection write_db;
  std::unique_ptr<SqliteWriter> writer;
  std::uint64_t next_seq{1};  // writer thread only (after open)

  mutable std::mutex read_mutex;
  sql::Connection read_db;

  std::mutex queue_mutex;
  std::condition_variable queue_cv;
  std::condition_variable done_cv;
  std::deque<Item> queue;
  std::uint64_t enqueued{0};
  std::uint64_t completed{0};
  bool stopping{false};
  std::thread thread;

  // WAL checkpoints run on their own thread and connection. On the writer (SQLite's automatic checkpoint)
  // every commit queued behind one would wait for its two fsyncs (WAL, then database: even at
  // synchronous=NORMAL), each time the WAL reaches kCheckpointPages. A PASSIVE checkpoint takes no lock the
  // writer needs, so commits go on meanwhile; durability is unchanged (it only copies committed pages).
  static constexpr int kCheckpointPages = 1000;  // SQLite's default automatic checkpoint threshold
  sql::Connection checkpoint_db;
  std::mutex checkpoint_mutex;
  std::condition_variable checkpoint_cv;
  bool checkpoint_wanted{false};
  bool checkpoint_stopping{false};
  std::thread checkpointer;

  // The WAL only starts over when a checkpoint has caught up before the writer's next transaction; under a
  // steady stream of commits the background one may never catch up, so past this size the writer checkpoints
  // itself, as SQLite's automatic checkpoint would have.
  static constexpr int kWriterCheckpointPages = 10 * kCheckpointPages;

  // sqlite3_wal_hook: runs on the writer thread after each commit.
  static int on_wal_commit(void* self, sqlite3* db, const char*, int wal_pages) {
    if (wal_pages >= kWriterCheckpointPages) {
      sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    } else if (wal_pages >= kCheckpointPages) {
      auto* impl = static_cast<Impl*>(self);
      {
        std::lock_guard lock(impl->checkpoint_mutex);
        impl->checkpoint_wanted = true;
      }
      impl->checkpoint_cv.notify_one();
    }
    return SQLITE_OK;
  }

  void run_checkpoints() {
    for (;;) {
      {
        std::unique_lock lock(checkpoint_mutex);
        checkpoint_cv.wait(lock, [&] { return checkpoint_stopping || checkpoint_wanted; });
        if (checkpoint_stopping) return;
        checkpoint_wanted = false;
      }
      // A failure (e.g. I/O) leaves the WAL longer; the next commit asks again, and closing checkpoints.
      sqlite3_wal_checkpoint_v2(checkpoint_db.get(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    }
  }

  void stop_checkpoints() {
    {
      std::lock_guard lock(checkpoint_mutex);
      checkpoint_stopping = true;
    }
    checkpoint_cv.notify_all();
    if (checkpointer.joinable()) checkpointer.join();
  }

  void enqueue(Item item) {
    {
      std::lock_guard lock(queue_mutex);
      queue.push_back(std::move(item));
      ++enqueued;
    }
    queue_cv.notify_one();
  }

  Status run_journal(std::function<void(SqliteWriter&)> op) {
    Item item;
    item.journal = std::move(op);
    auto future = item.waiter.get_future();
    enqueue(std::move(item));
    return future.get();
  }

  void queue_journal(std::function<void(SqliteWriter&)> op, DurableCallback done) {
    Item item;
    item.journal = std::move(op);
    item.journal_async = true;
    item.done = std::move(done);
    enqueue(std::move(item));
  }

  void run() {
    for (;;) {
      std::vector<Item> group;
      {
        std::unique_lock lock(queue_mutex);
        queue_cv.wait(lock, [&] { return stopping || !queue.empty(); });
        if (queue.empty()) return;  // stopping, and everything is committed
        const std::size_t n = std::min(queue.size(), std::max<std::size_t>(options.max_batches_per_commit, 1));
        group.reserve(n);
        for (std::size_t i = 0; i < n; ++i) {
          group.push_back(std::move(queue.front()));
          queue.pop_front();
        }
      }
      commit(group);
      // Test-only: dies between a commit of order events and the acknowledgement of their durability.
      for (const auto& item : group)
        if (!item.journal) {
          crash_point(kCrashBatchCommittedBeforeAck);
          break;
        }
      for (auto& item : group) deliver(item);
      {
        std::lock_guard lock(queue_mutex);
        completed += group.size();
      }
      done_cv.notify_all();
    }
  }

  static void deliver(Item& item) {
    if (item.journal && !item.journal_async) {
      item.waiter.set_value(std::move(item.result));
      return;
    }
    if (!item.done) return;
    try {
      item.done(std::move(item.result));
    } catch (const std::exception& e) {  // a callback must not throw; keep the writer alive
      std::fprintf(stderr, "oms store: DurableCallback threw: %s\n", e.what());
    } catch (...) {
      std::fprintf(stderr, "oms store: DurableCallback threw\n");
    }
  }

  // Applies one item inside its own savepoint; a failure undoes exactly that item.
  void apply(Item& item) {
    const std::uint64_t seq_before = next_seq;
    writer->savepoint();
    try {
      if (item.journal) {
        item.journal(*writer);
      } else {
        for (std::size_t i = 0; i < item.batch.events.size(); ++i) {
          auto& e = item.batch.events[i];
          e.seq = next_seq++;
          writer->append_event(e, item.payloads[i]);
        }
        if (item.batch.inbound) writer->set_next_target_seq(item.batch.inbound->session, item.batch.inbound->next_target_seq);
      }
      writer->release();
      item.result = Status{};
      return;
    } catch (const sql::Failure& f) {
      item.result = f.error;
    } catch (const std::exception& e) {
      item.result = make_error(Errc::internal, e.what());
    }
    next_seq = seq_before;
    if (write_db.autocommit()) throw sql::Failure{item.result.error()};  // SQLite dropped the transaction
    writer->rollback_to();
    writer->release();
    // A duplicate's effects are already recorded, so the message that carried it counts as applied.
    if (item.result.error().code == Errc::duplicate && item.batch.inbound)
      writer->set_next_target_seq(item.batch.inbound->session, item.batch.inbound->next_target_seq);
  }

  void commit(std::vector<Item>& group) {
    const std::uint64_t seq_at_start = next_seq;
    try {
      write_db.exec("BEGIN IMMEDIATE");
      for (auto& item : group) apply(item);
      write_db.exec("COMMIT");
    } catch (const sql::Failure& f) {
      // The whole transaction is lost: nothing in the group is durable.
      if (!write_db.autocommit()) {
        try {
          write_db.exec("ROLLBACK");
        } catch (const sql::Failure&) {
        }
      }
      next_seq = seq_at_start;
      Error err = f.error;
      err.code = err.code == Errc::conflict ? Errc::conflict : Errc::io_error;
      err.message = "transaction not committed: " + err.message;
      for (auto& item : group) item.result = err;
    }
  }

  // Reads see committed data through the read connection.
  template <class F>
  auto read(F&& f) const -> Result<decltype(f(std::declval<sql::Connection&>()))> {
    std::lock_guard lock(read_mutex);
    return guarded([&] { return f(const_cast<sql::Connection&>(read_db)); });
  }
};

SqliteStore::SqliteStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Result<std::unique_ptr<SqliteStore>> SqliteStore::open(const std::string& path, SqliteStoreOptions options) {
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->options = options;
  auto opened = guarded([&] {
    auto& db = impl->write_db;
    db.open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX);
    sqlite3_busy_timeout(db.get(), options.busy_timeout_ms);
    {
      sql::Stmt wal(db.get(), "PRAGMA journal_mode=WAL");
      if (!wal.step() || wal.text(0) != "wal")
        throw sql::Failure{make_error(Errc::io_error, "cannot switch " + path + " to WAL journal mode")};
    }
    db.exec(options.durability == Durability::power ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
    schema::migrate(db);
    {
      sql::Stmt put(db.get(), "INSERT OR IGNORE INTO meta(key, value) VALUES ('instance_id', ?1)");
      put.start().bind(1, random_hex(8)).run();
      sql::Stmt get(db.get(), "SELECT value FROM meta WHERE key = 'instance_id'");
      if (!get.step()) throw sql::Failure{make_error(Errc::io_error, "instance_id missing")};
      impl->instance_id = get.text(0);
    }
    {
      sql::Stmt last(db.get(), "SELECT COALESCE(MAX(seq), 0) FROM events");
      last.step();
      impl->next_seq = static_cast<std::uint64_t>(last.i64(0)) + 1;
    }
    impl->writer = std::make_unique<SqliteWriter>(db);
    impl->read_db.open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX);
    sqlite3_busy_timeout(impl->read_db.get(), options.busy_timeout_ms);
    impl->read_db.exec("PRAGMA query_only=1");
    impl->checkpoint_db.open(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX);
    impl->checkpoint_db.exec("SELECT count(*) FROM sqlite_master");  // a first read puts it in WAL mode
    return true;
  });
  if (!opened) return opened.error();
  Impl* raw = impl.get();
  // Replaces SQLite's automatic checkpoint on the writer connection (see Impl::checkpointer).
  sqlite3_wal_hook(impl->write_db.get(), &Impl::on_wal_commit, raw);
  impl->checkpointer = std::thread([raw] { raw->run_checkpoints(); });
  impl->thread = std::thread([raw] { raw->run(); });
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(impl)));
}

SqliteStore::~SqliteStore() {
  {
    std::lock_guard lock(impl_->queue_mutex);
    impl_->stopping = true;
  }
  impl_->queue_cv.notify_all();
  if (impl_->thread.joinable()) impl_->thread.join();
  impl_->stop_checkpoints();
}

void SqliteStore::append(AppendBatch batch, DurableCallback done) {
  Item item;
  item.payloads.reserve(batch.events.size());
  for (const auto& e : batch.events) item.payloads.push_back(payload_to_json(e.payload).dump());
  item.batch = std::move(batch);
  item.done = std::move(done);
  impl_->enqueue(std::move(item));
}

void SqliteStore::flush() {
  std::unique_lock lock(impl_->queue_mutex);
  const std::uint64_t target = impl_->enqueued;
  impl_->done_cv.wait(lock, [&] { return impl_->completed >= target; });
}

std::string SqliteStore::instance_id() const { return impl_->instance_id; }
Durability SqliteStore::durability() const { return impl_->options.durability; }
const std::string& SqliteStore::path() const { return impl_->path; }
int SqliteStore::latest_schema_version() { return schema::latest_version(); }

Result<int> SqliteStore::schema_version() const {
  return impl_->read([](sql::Connection& db) {
    sql::Stmt q(db.get(), "SELECT MAX(version) FROM schema_version");
    return q.step() && !q.is_null(0) ? static_cast<int>(q.i64(0)) : 0;
  });
}

// ---- SessionJournal ---------------------------------------------------------------------------------

Status SqliteStore::record_outgoing(const std::string& session, int seq_num, const std::string& raw) {
  return impl_->run_journal([=](SqliteWriter& w) { w.record_outgoing(session, seq_num, raw); });
}

void SqliteStore::record_outgoing_async(const std::string& session, int seq_num, const std::string& raw,
                                        DurableCallback done) {
  impl_->queue_journal([=](SqliteWriter& w) { w.record_outgoing(session, seq_num, raw); }, std::move(done));
}

Status SqliteStore::set_next_sender_seq(const std::string& session, int next) {
  return impl_->run_journal([=](SqliteWriter& w) { w.set_next_sender_seq(session, next); });
}

Status SqliteStore::set_next_target_seq(const std::string& session, int next) {
  return impl_->run_journal([=](SqliteWriter& w) { w.set_next_target_seq(session, next); });
}

Status SqliteStore::reset_session(const std::string& session, std::int64_t creation_time_ns) {
  return impl_->run_journal([=](SqliteWriter& w) { w.reset_session(session, creation_time_ns); });
}

Result<SessionRecord> SqliteStore::load_session(const std::string& session) {
  flush();  // what was queued before this call is visible
  auto row = impl_->read([&](sql::Connection& db) -> std::optional<SessionRecord> {
    sql::Stmt q(db.get(),
                "SELECT next_sender_seq, next_target_seq, creation_time_ns FROM fix_sessions WHERE session = ?1");
    q.start().bind(1, session);
    if (!q.step()) return std::nullopt;
    return SessionRecord{static_cast<int>(q.i64(0)), static_cast<int>(q.i64(1)), q.i64(2)};
  });
  if (!row) return row.error();
  if (!*row) return make_error(Errc::not_found, "no FIX session '" + session + "' recorded", "session");
  return **row;
}

Result<std::vector<std::string>> SqliteStore::outgoing(const std::string& session, int begin, int end) {
  flush();
  return impl_->read([&](sql::Connection& db) {
    sql::Stmt q(db.get(),
                "SELECT raw FROM fix_outgoing WHERE session = ?1 AND seq_num BETWEEN ?2 AND ?3 ORDER BY seq_num");
    q.start().bind(1, session).bind(2, std::int64_t{begin}).bind(3, std::int64_t{end});
    std::vector<std::string> out;
    while (q.step()) out.push_back(q.text(0));
    return out;
  });
}

// ---- reads --------------------------------------------------------------------------------------------

Result<std::vector<EventRecord>> SqliteStore::load() {
  flush();
  auto events = impl_->read([](sql::Connection& db) { return read::events(db); });
  if (!events) return events.error();
  return std::move(*events);
}

Result<std::vector<Position>> SqliteStore::positions() const {
  return impl_->read([](sql::Connection& db) { return read::positions(db); });
}

Result<std::vector<CashRow>> SqliteStore::cash() const {
  return impl_->read([](sql::Connection& db) { return read::cash(db); });
}

Result<std::vector<ExecutionRow>> SqliteStore::executions_for(OrderId order_id) const {
  return impl_->read([&](sql::Connection& db) { return read::executions(db, order_id); });
}

Result<std::optional<OrderRow>> SqliteStore::order_row(OrderId order_id) const {
  return impl_->read([&](sql::Connection& db) {
    auto rows = read::orders(db, order_id);
    return rows.empty() ? std::optional<OrderRow>() : std::optional<OrderRow>(std::move(rows.front()));
  });
}

Result<std::vector<OrderRow>> SqliteStore::orders() const {
  return impl_->read([](sql::Connection& db) { return read::orders(db, std::nullopt); });
}

}  // namespace oms::store
