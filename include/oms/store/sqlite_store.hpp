#pragma once
// The order book record in SQLite: the append-only event log, tables derived from it in the same
// transaction (orders, executions, positions, cash), and the FIX session journal.
//
// Threading: thread-safe. One writer thread owns the write connection and one ordered queue: append(),
// record_outgoing(), set_next_*_seq() and reset_session() are committed in the order they were called,
// whatever thread called them. Group commit: the writer drains up to `max_batches_per_commit` queued
// items into ONE transaction, commits, then completes them in order (DurableCallbacks run on the writer
// thread, in append order; they must not block and must not call flush() or any journal method). Journal
// writes block their caller until durable. Reads use a separate connection (WAL allows concurrent readers)
// and see what is committed.
//
// Failures: SQLite errors (disk full, I/O) reach callbacks and callers as Errc::io_error (Errc::conflict
// for constraint violations other than the ExecID rule). A batch with an already-recorded trade
// (session, trading_day, exec_id) is rolled back whole (SAVEPOINT per batch) and its callback gets
// Errc::duplicate naming the ExecID; its InboundMark is still recorded, because the message was handled
// and its effects are already in the record.
//
// Storage: quantities, prices and money are INTEGER raw units of their fixed-point types; enums by name.
// There is no API to delete or rewrite events, and triggers refuse UPDATE/DELETE on the events table.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "oms/domain/reference.hpp"
#include "oms/engine/ports.hpp"

namespace oms::store {

// process: WAL + synchronous=NORMAL (survives a kill -9 of the process).
// power:   WAL + synchronous=FULL (survives power loss; every group commit is fsynced).
enum class Durability { process, power };
std::string_view to_string(Durability d);
std::optional<Durability> parse_durability(std::string_view text);

struct SqliteStoreOptions {
  Durability durability{Durability::process};
  std::size_t max_batches_per_commit{1024};
  int busy_timeout_ms{5000};  // how long a commit waits for another process holding the write lock
};

// A row of the derived `orders` table.
struct OrderRow {
  OrderId order_id;
  ClOrdID cl_ord_id;                         // current link of the chain
  std::optional<ClOrdID> pending_cl_ord_id;  // cancel or replace in flight
  AccountId account;                         // empty for a block
  bool is_block{false};
  Symbol symbol;
  Side side{Side::Buy};
  OrdType ord_type{OrdType::Limit};
  Quantity quantity;
  std::optional<Price> limit_price;
  BrokerId broker;
  OrdStatus status{OrdStatus::PendingNew};
  Workflow workflow{Workflow::PendingCompliance};
  Quantity cum_qty;    // as the broker last reported
  Quantity leaves_qty;
  Price avg_px;
  bool broken{false};  // an Alert of kind "break" or "overfill" was recorded for the order
  std::string break_reason;
  Timestamp created;
  Timestamp updated;
  std::uint64_t last_seq{0};
};

// A row of the derived `executions` table: one per ExecutionApplied event.
struct ExecutionRow {
  std::uint64_t seq{0};
  BrokerId session;
  std::string trading_day;
  ExecID exec_id;
  OrderId order_id;
  ClOrdID cl_ord_id;
  ExecType exec_type{ExecType::New};
  OrdStatus ord_status{OrdStatus::New};
  Quantity last_qty;
  Price last_px;
  Quantity cum_qty;
  Quantity leaves_qty;
  Price avg_px;
  Money commission;
  bool is_trade{false};
  Timestamp transact_time;
};

struct CashRow {
  AccountId account;
  Money cash;
  friend bool operator==(const CashRow&, const CashRow&) = default;
};

class SqliteStore final : public engine::EventStore, public engine::SessionJournal {
 public:
  // Opens (creating when absent) and migrates the database at `path`, then starts the writer thread.
  static Result<std::unique_ptr<SqliteStore>> open(const std::string& path, SqliteStoreOptions options = {});
  // Commits everything queued, then stops the writer and closes.
  ~SqliteStore() override;
  SqliteStore(const SqliteStore&) = delete;
  SqliteStore& operator=(const SqliteStore&) = delete;

  // EventStore
  void append(engine::AppendBatch batch, engine::DurableCallback done) override;
  Result<std::vector<engine::EventRecord>> load() override;
  void flush() override;
  std::string instance_id() const override;

  // SessionJournal. load_session() is Errc::not_found for a session never recorded (create it with
  // reset_session). record_outgoing() also raises next_sender_seq to at least seq_num + 1 in the same
  // transaction. outgoing() returns the stored messages with begin <= MsgSeqNum <= end, in order.
  Result<engine::SessionRecord> load_session(const std::string& session) override;
  Status record_outgoing(const std::string& session, int seq_num, const std::string& raw) override;
  // Queued on the writer like record_outgoing; `done` runs on the writer thread once its transaction commits.
  void record_outgoing_async(const std::string& session, int seq_num, const std::string& raw,
                             engine::DurableCallback done) override;
  Status set_next_sender_seq(const std::string& session, int next) override;
  Status set_next_target_seq(const std::string& session, int next) override;
  Result<std::vector<std::string>> outgoing(const std::string& session, int begin, int end) override;
  Status reset_session(const std::string& session, std::int64_t creation_time_ns) override;

  // Derived tables (read-only, committed state), ordered by their keys.
  Result<std::vector<Position>> positions() const;
  Result<std::vector<CashRow>> cash() const;
  Result<std::vector<ExecutionRow>> executions_for(OrderId order_id) const;
  Result<std::optional<OrderRow>> order_row(OrderId order_id) const;
  Result<std::vector<OrderRow>> orders() const;

  Result<int> schema_version() const;
  static int latest_schema_version();
  Durability durability() const;
  const std::string& path() const;

 private:
  struct Impl;
  explicit SqliteStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace oms::store
