#include "sqlite_schema.hpp"

#include <array>
#include <string>

namespace oms::store::schema {

namespace {

// Quantities, prices and money are INTEGER raw units of their fixed-point type (Quantity and Money: 1e-4,
// Price: 1e-6): exact, and sums stay exact. Enums are stored by name (oms/domain/enums.hpp).
constexpr const char* kV1 = R"sql(
CREATE TABLE events(
  seq      INTEGER PRIMARY KEY,
  time_ns  INTEGER NOT NULL,
  actor    TEXT NOT NULL,
  order_id INTEGER NOT NULL,
  type     TEXT NOT NULL,
  payload  TEXT NOT NULL
);
CREATE INDEX events_order ON events(order_id) WHERE order_id <> 0;
-- The record is append-only: nothing may rewrite or remove an event.
CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;

CREATE TABLE orders(
  order_id          INTEGER PRIMARY KEY,
  cl_ord_id         TEXT NOT NULL,
  pending_cl_ord_id TEXT,
  pending_qty       INTEGER,
  pending_limit_px  INTEGER,
  account           TEXT NOT NULL,
  is_block          INTEGER NOT NULL,
  symbol            TEXT NOT NULL,
  side              TEXT NOT NULL,
  ord_type          TEXT NOT NULL,
  qty               INTEGER NOT NULL,
  limit_px          INTEGER,
  broker            TEXT NOT NULL,
  status            TEXT NOT NULL,
  workflow          TEXT NOT NULL,
  cum_qty           INTEGER NOT NULL,
  leaves_qty        INTEGER NOT NULL,
  avg_px            INTEGER NOT NULL,
  broken            INTEGER NOT NULL DEFAULT 0,
  break_reason      TEXT NOT NULL DEFAULT '',
  created_ns        INTEGER NOT NULL,
  updated_ns        INTEGER NOT NULL,
  last_seq          INTEGER NOT NULL
);
CREATE INDEX orders_cl_ord_id ON orders(cl_ord_id);

CREATE TABLE executions(
  seq              INTEGER PRIMARY KEY,
  session          TEXT NOT NULL,
  trading_day      TEXT NOT NULL,
  exec_id          TEXT NOT NULL,
  order_id         INTEGER NOT NULL,
  cl_ord_id        TEXT NOT NULL,
  exec_type        TEXT NOT NULL,
  ord_status       TEXT NOT NULL,
  last_qty         INTEGER NOT NULL,
  last_px          INTEGER NOT NULL,
  cum_qty          INTEGER NOT NULL,
  leaves_qty       INTEGER NOT NULL,
  avg_px           INTEGER NOT NULL,
  commission       INTEGER NOT NULL,
  is_trade         INTEGER NOT NULL,
  transact_time_ns INTEGER NOT NULL
);
-- A trade is applied once per (session, trading day, ExecID); status reports (ExecID "0") are exempt.
CREATE UNIQUE INDEX executions_trade_id ON executions(session, trading_day, exec_id) WHERE is_trade = 1;
CREATE INDEX executions_order ON executions(order_id);

CREATE TABLE positions(
  account  TEXT NOT NULL,
  symbol   TEXT NOT NULL,
  quantity INTEGER NOT NULL,
  cost     INTEGER NOT NULL,
  PRIMARY KEY(account, symbol)
) WITHOUT ROWID;
CREATE TABLE cash(account TEXT PRIMARY KEY, cash INTEGER NOT NULL) WITHOUT ROWID;

CREATE TABLE fix_sessions(
  session          TEXT PRIMARY KEY,
  next_sender_seq  INTEGER NOT NULL,
  next_target_seq  INTEGER NOT NULL,
  creation_time_ns INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE fix_outgoing(
  session TEXT NOT NULL,
  seq_num INTEGER NOT NULL,
  raw     BLOB NOT NULL,
  PRIMARY KEY(session, seq_num)
) WITHOUT ROWID;

CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
)sql";

// Block allocations: one row per allocation sent to the broker (a replacement is a new row naming the one it
// replaces), its lines per account, and its status from the broker's AllocationInstructionAck.
constexpr const char* kV2 = R"sql(
CREATE TABLE allocations(
  alloc_id     TEXT PRIMARY KEY,
  order_id     INTEGER NOT NULL,
  ref_alloc_id TEXT NOT NULL,
  version      INTEGER NOT NULL,
  amended      INTEGER NOT NULL,
  reason       TEXT NOT NULL,
  quantity     INTEGER NOT NULL,
  avg_px       INTEGER NOT NULL,
  gross        INTEGER NOT NULL,
  commission   INTEGER NOT NULL,
  fees         INTEGER NOT NULL,
  status       TEXT NOT NULL,
  rej_code     TEXT NOT NULL DEFAULT '',
  status_text  TEXT NOT NULL DEFAULT '',
  created_by   TEXT NOT NULL,
  created_ns   INTEGER NOT NULL,
  updated_ns   INTEGER NOT NULL,
  last_seq     INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX allocations_order ON allocations(order_id);
CREATE TABLE allocation_accounts(
  alloc_id   TEXT NOT NULL,
  account    TEXT NOT NULL,
  quantity   INTEGER NOT NULL,
  gross      INTEGER NOT NULL,
  commission INTEGER NOT NULL,
  fees       INTEGER NOT NULL,
  PRIMARY KEY(alloc_id, account)
) WITHOUT ROWID;
)sql";

constexpr std::array<Migration, 2> kMigrations{{{1, kV1}, {2, kV2}}};

}  // namespace

std::span<const Migration> migrations() { return kMigrations; }
int latest_version() { return kMigrations.back().version; }

int current_version(sql::Connection& db) {
  db.exec("CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL)");
  sql::Stmt q(db.get(), "SELECT MAX(version) FROM schema_version");
  return q.step() && !q.is_null(0) ? static_cast<int>(q.i64(0)) : 0;
}

void migrate(sql::Connection& db) {
  const int current = current_version(db);
  if (current > latest_version())
    throw sql::Failure{make_error(Errc::conflict, "database schema version " + std::to_string(current) +
                                                      " is newer than this build (" +
                                                      std::to_string(latest_version()) + ")")};
  for (const auto& m : kMigrations) {
    if (m.version <= current) continue;
    db.exec("BEGIN IMMEDIATE");
    try {
      db.exec(m.sql);
      sql::Stmt set(db.get(), "INSERT INTO schema_version(version) VALUES (?)");
      set.start().bind(1, std::int64_t{m.version}).run();
      db.exec("COMMIT");
    } catch (...) {
      if (!db.autocommit()) db.exec("ROLLBACK");
      throw;
    }
  }
}

}  // namespace oms::store::schema
