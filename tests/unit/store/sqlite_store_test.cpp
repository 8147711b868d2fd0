// What only the SQLite store promises: derived tables, schema versions, append-only log, FIX journal.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <random>
#include <thread>

#include "store_fixture.hpp"

namespace oms::store {
namespace {

using namespace oms::store::testing;

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = open_sqlite(path_);
    ASSERT_NE(store_, nullptr);
  }
  TempDir dir_;
  std::string path_ = dir_.file("oms.db");
  std::unique_ptr<SqliteStore> store_;
};

// A second, raw connection to the same file, as an operator with the sqlite3 shell would have.
class RawDb {
 public:
  explicit RawDb(const std::string& path) { sqlite3_open(path.c_str(), &db_); }
  ~RawDb() { sqlite3_close(db_); }
  int exec(const std::string& sql) { return sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, nullptr); }
  std::int64_t scalar(const std::string& sql) {
    sqlite3_stmt* s = nullptr;
    sqlite3_prepare_v2(db_, sql.c_str(), -1, &s, nullptr);
    std::int64_t v = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;
    sqlite3_finalize(s);
    return v;
  }

 private:
  sqlite3* db_{nullptr};
};

TEST_F(SqliteStoreTest, OrderLifecycleIsReflectedInDerivedTables) {
  OrderSpec spec = single_spec();
  spec.ord_type = OrdType::Limit;
  spec.limit_price = px("10.5");
  auto t = [](int n) { return 1'790'000'000'000'000'000 + n; };
  ASSERT_TRUE(append_sync(*store_, {record(OrderId(7), OrderAccepted{ClOrdID("c-7-1"), spec}, t(1))}).ok());
  auto row = store_->order_row(OrderId(7));
  ASSERT_TRUE(row.ok() && row->has_value());
  EXPECT_EQ((*row)->status, OrdStatus::PendingNew);
  EXPECT_EQ((*row)->workflow, Workflow::PendingCompliance);
  EXPECT_EQ((*row)->leaves_qty, qty("100"));

  auto fill = report(ExecType::Trade, "F-1");
  fill.cl_ord_id = ClOrdID("c-7-1");
  ASSERT_TRUE(append_sync(*store_, {record(OrderId(7), WorkflowChanged{Workflow::Routed, ""}, t(2)),
                                    record(OrderId(7), ExecutionApplied{fill, book::PartialFill{ExecID("F-1"), qty("40"), px("10.5"), std::nullopt}}, t(3)),
                                    record(OrderId(7), PositionChanged{AccountId("FUND-A"), Symbol("AAPL"), qty("40"), money("420"), money("-421.2345")}, t(3))})
                  .ok());
  ReplaceSpec more{qty("150"), px("10.75"), std::nullopt, std::nullopt};
  ASSERT_TRUE(append_sync(*store_, {record(OrderId(7), OrderRequest{book::ReplaceRequest{ClOrdID("c-7-2"), more}}, t(4))}).ok());
  EXPECT_EQ((*store_->order_row(OrderId(7)))->pending_cl_ord_id, ClOrdID("c-7-2"));

  auto replaced = report(ExecType::Replaced, "R-1");
  replaced.cl_ord_id = ClOrdID("c-7-2");
  replaced.ord_status = OrdStatus::PartiallyFilled;
  replaced.leaves_qty = qty("110");
  ASSERT_TRUE(append_sync(*store_, {record(OrderId(7), ExecutionApplied{replaced, book::ReplaceAck{}}, t(5))}).ok());

  auto last = report(ExecType::Trade, "F-2");
  last.ord_status = OrdStatus::Filled;
  last.last_qty = qty("110");
  last.last_px = px("10.25");
  last.cum_qty = qty("150");
  last.leaves_qty = qty("0");
  last.avg_px = px("10.316667");
  ASSERT_TRUE(append_sync(*store_, {record(OrderId(7), ExecutionApplied{last, book::Fill{ExecID("F-2"), qty("110"), px("10.25"), std::nullopt}}, t(6)),
                                    record(OrderId(7), PositionChanged{AccountId("FUND-A"), Symbol("AAPL"), qty("110"), money("1127.5"), money("-1127.5")}, t(6)),
                                    record(OrderId(7), Alert{"break", "AvgPx disagrees"}, t(6))})
                  .ok());

  row = store_->order_row(OrderId(7));
  ASSERT_TRUE(row.ok() && row->has_value());
  const OrderRow& o = **row;
  EXPECT_EQ(o.cl_ord_id, ClOrdID("c-7-2"));
  EXPECT_FALSE(o.pending_cl_ord_id.has_value());
  EXPECT_EQ(o.quantity, qty("150"));         // the requested quantity, confirmed by ReplaceAck
  EXPECT_EQ(o.limit_price, px("10.75"));
  EXPECT_EQ(o.status, OrdStatus::Filled);
  EXPECT_EQ(o.workflow, Workflow::Routed);
  EXPECT_EQ(o.cum_qty, qty("150"));
  EXPECT_EQ(o.leaves_qty, qty("0"));
  EXPECT_EQ(o.avg_px, px("10.316667"));
  EXPECT_TRUE(o.broken);
  EXPECT_EQ(o.break_reason, "AvgPx disagrees");
  EXPECT_EQ(o.created, from_nanos(t(1)));
  EXPECT_EQ(o.updated, from_nanos(t(6)));
  EXPECT_EQ(o.last_seq, 9u);

  auto execs = store_->executions_for(OrderId(7));
  ASSERT_TRUE(execs.ok());
  ASSERT_EQ(execs->size(), 3u);
  EXPECT_EQ((*execs)[0].exec_id, ExecID("F-1"));
  EXPECT_TRUE((*execs)[0].is_trade);
  EXPECT_EQ((*execs)[0].seq, 3u);
  EXPECT_EQ((*execs)[1].exec_type, ExecType::Replaced);
  EXPECT_FALSE((*execs)[1].is_trade);
  EXPECT_EQ((*execs)[2].last_qty, qty("110"));
  EXPECT_EQ((*execs)[2].commission, money("1.2345"));

  auto positions = store_->positions();
  ASSERT_TRUE(positions.ok());
  ASSERT_EQ(positions->size(), 1u);
  EXPECT_EQ((*positions)[0], (Position{AccountId("FUND-A"), Symbol("AAPL"), qty("150"), money("1547.5")}));
  auto cash = store_->cash();
  ASSERT_TRUE(cash.ok());
  EXPECT_EQ(*cash, (std::vector<CashRow>{{AccountId("FUND-A"), money("-1548.7345")}}));
  EXPECT_FALSE(store_->order_row(OrderId(8))->has_value());
}

// Requests settled without an ExecutionReport: a withdrawn cancel, a D refused by a session Reject, a cancel of an
// order never routed.
TEST_F(SqliteStoreTest, RequestsSettledWithoutAReportAreReflectedInTheOrderRow) {
  auto t = [](int n) { return 1'790'000'000'000'000'000 + n; };
  ASSERT_TRUE(append_sync(*store_, {record(OrderId(7), OrderAccepted{ClOrdID("c-7-1"), single_spec()}, t(1)),
                                    record(OrderId(8), OrderAccepted{ClOrdID("c-8-1"), single_spec()}, t(1)),
                                    record(OrderId(7), OrderRequest{book::CancelRequest{ClOrdID("c-7-2")}}, t(2))})
                  .ok());
  EXPECT_EQ((*store_->order_row(OrderId(7)))->pending_cl_ord_id, ClOrdID("c-7-2"));
  ASSERT_TRUE(append_sync(*store_, {record(OrderId(7), OrderRequest{book::CancelReject{"unsupported"}}, t(3))}).ok());
  EXPECT_FALSE((*store_->order_row(OrderId(7)))->pending_cl_ord_id.has_value());
  EXPECT_EQ((*store_->order_row(OrderId(7)))->status, OrdStatus::PendingNew);

  ASSERT_TRUE(append_sync(*store_, {record(OrderId(7), OrderRequest{book::Reject{"session Reject"}}, t(4)),
                                    record(OrderId(8), OrderRequest{book::CancelAck{}}, t(4))})
                  .ok());
  const OrderRow rejected = **store_->order_row(OrderId(7));
  EXPECT_EQ(rejected.status, OrdStatus::Rejected);
  EXPECT_EQ(rejected.leaves_qty, qty("0"));
  EXPECT_EQ((*store_->order_row(OrderId(8)))->status, OrdStatus::Canceled);
}

// The derived positions and cash equal a fold over the loaded events, whatever the history.
TEST_F(SqliteStoreTest, PositionsAndCashAgreeWithTheEvents) {
  std::mt19937_64 rng(42);
  const char* accounts[] = {"FUND-A", "FUND-B", "FUND-C"};
  const char* symbols[] = {"AAPL", "MSFT", "VOD.L", "SAP.DE"};
  for (int b = 0; b < 100; ++b) {
    std::vector<EventRecord> batch;
    for (int i = 0; i < 5; ++i) {
      const auto q = Quantity::from_raw(static_cast<std::int64_t>(rng() % 2'000'000) - 1'000'000);
      const auto c = Money::from_raw(static_cast<std::int64_t>(rng() % 200'000'000) - 100'000'000);
      batch.push_back(record(OrderId(0), PositionChanged{AccountId(accounts[rng() % 3]), Symbol(symbols[rng() % 4]), q, c,
                                                         -c - Money::from_raw(static_cast<std::int64_t>(rng() % 100))}));
    }
    store_->append({std::move(batch), std::nullopt}, [](Status s) { EXPECT_TRUE(s.ok()); });
  }
  store_->flush();
  std::map<std::pair<std::string, std::string>, std::pair<Quantity, Money>> pos;
  std::map<std::string, Money> cash;
  const auto events = store_->load();
  ASSERT_TRUE(events.ok());
  for (const auto& e : *events) {
    const auto& p = std::get<PositionChanged>(e.payload);
    auto& slot = pos[{p.account.str(), p.symbol.str()}];
    slot.first += p.quantity_delta;
    slot.second += p.cost_delta;
    cash[p.account.str()] += p.cash_delta;
  }
  std::vector<Position> want_pos;
  for (const auto& [k, v] : pos) want_pos.push_back({AccountId(k.first), Symbol(k.second), v.first, v.second});
  std::vector<CashRow> want_cash;
  for (const auto& [k, v] : cash) want_cash.push_back({AccountId(k), v});
  EXPECT_EQ(*store_->positions(), want_pos);
  EXPECT_EQ(*store_->cash(), want_cash);
}

TEST_F(SqliteStoreTest, AllocationsAndTheirAcksAreDerivedTables) {
  store_->append({{record(OrderId(7), sample_allocation()),
                   record(OrderId(7), AllocationStatusChanged{"abc-1-A1", "sent", "", ""}),
                   record(OrderId(7), sample_allocation("abc-1-A2", "abc-1-A1")),
                   record(OrderId(7), AllocationStatusChanged{"abc-1-A2", "accepted", "", "ok"})},
                  std::nullopt},
                 [](Status s) { EXPECT_TRUE(s.ok()); });
  store_->flush();
  RawDb db(path_);
  EXPECT_EQ(db.scalar("SELECT COUNT(*) FROM allocations WHERE order_id = 7"), 2);
  EXPECT_EQ(db.scalar("SELECT COUNT(*) FROM allocations WHERE alloc_id = 'abc-1-A1' AND status = 'sent'"), 1);
  EXPECT_EQ(db.scalar("SELECT COUNT(*) FROM allocations WHERE alloc_id = 'abc-1-A2' AND status = 'accepted' AND "
                      "ref_alloc_id = 'abc-1-A1' AND amended = 1 AND status_text = 'ok'"),
            1);
  // Raw units: AvgPx 10.016667 (1e-6), quantities and money 1e-4.
  EXPECT_EQ(db.scalar("SELECT avg_px FROM allocations WHERE alloc_id = 'abc-1-A2'"), 10016667);
  EXPECT_EQ(db.scalar("SELECT gross FROM allocation_accounts WHERE alloc_id = 'abc-1-A2' AND account = 'FUND-A'"),
            10016700);
  EXPECT_EQ(db.scalar("SELECT SUM(gross) FROM allocation_accounts WHERE alloc_id = 'abc-1-A2'"), 15025000);
  EXPECT_EQ(db.scalar("SELECT SUM(quantity) FROM allocation_accounts WHERE alloc_id = 'abc-1-A1'"), 1500000);
}

TEST_F(SqliteStoreTest, PositionOverflowFailsOnlyThatBatch) {
  auto big = record(OrderId(0), PositionChanged{AccountId("F"), Symbol("S"), Quantity::from_raw(INT64_MAX), Money(), Money()});
  ASSERT_TRUE(append_sync(*store_, {big}).ok());
  Status s = append_sync(*store_, {alert_like(), big});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, Errc::overflow);
  ASSERT_TRUE(append_sync(*store_, {alert_like()}).ok());
  const auto events = *store_->load();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].seq, 2u);
  EXPECT_EQ((*store_->positions())[0].quantity, Quantity::from_raw(INT64_MAX));
}

TEST_F(SqliteStoreTest, SchemaIsVersionedAndMigratedOnce) {
  EXPECT_EQ(*store_->schema_version(), SqliteStore::latest_schema_version());
  EXPECT_GE(SqliteStore::latest_schema_version(), 1);
  ASSERT_TRUE(append_sync(*store_, {alert_like()}).ok());
  store_.reset();
  store_ = open_sqlite(path_);  // a second open must not re-run migration 1
  ASSERT_NE(store_, nullptr);
  EXPECT_EQ(store_->load()->size(), 1u);
  EXPECT_EQ(RawDb(path_).scalar("SELECT COUNT(*) FROM schema_version"), SqliteStore::latest_schema_version());
}

TEST_F(SqliteStoreTest, RefusesADatabaseFromANewerBuild) {
  store_.reset();
  RawDb(path_).exec("INSERT INTO schema_version(version) VALUES (" +
                    std::to_string(SqliteStore::latest_schema_version() + 1) + ")");
  auto r = SqliteStore::open(path_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("newer"), std::string::npos) << r.error().message;
}

TEST_F(SqliteStoreTest, DatabaseIsInWalModeWithTheChosenSynchronousLevel) {
  EXPECT_EQ(store_->durability(), Durability::process);
  RawDb raw(path_);
  sqlite3* probe = nullptr;
  sqlite3_open(path_.c_str(), &probe);
  sqlite3_stmt* s = nullptr;
  sqlite3_prepare_v2(probe, "PRAGMA journal_mode", -1, &s, nullptr);
  ASSERT_EQ(sqlite3_step(s), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)), "wal");
  sqlite3_finalize(s);
  sqlite3_close(probe);
  EXPECT_EQ(parse_durability("power"), Durability::power);
  EXPECT_EQ(parse_durability(to_string(Durability::process)), Durability::process);
  EXPECT_FALSE(parse_durability("fast").has_value());
}

// Checkpoints run on a thread of their own (not on the writer), and they must still run while the store is
// open: in WAL mode the main file only grows when a checkpoint copies committed pages into it.
TEST_F(SqliteStoreTest, WalIsCheckpointedIntoTheDatabaseWhileOpen) {
  const auto initial = std::filesystem::file_size(path_);
  const std::string text(2000, 'x');
  for (int batch = 0; batch < 30; ++batch) {  // ~6 MB of events: well past the 1000-page (4 MB) threshold
    std::vector<EventRecord> events;
    for (int i = 0; i < 100; ++i) events.push_back(record(OrderId(0), Alert{"test", text + std::to_string(i)}));
    ASSERT_TRUE(append_sync(*store_, std::move(events)).ok());
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::filesystem::file_size(path_) < initial + 2'000'000 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_GE(std::filesystem::file_size(path_), initial + 2'000'000);
  EXPECT_EQ(store_->load()->size(), 3000U);
}

TEST_F(SqliteStoreTest, EventsCannotBeUpdatedOrDeleted) {
  ASSERT_TRUE(append_sync(*store_, {alert_like()}).ok());
  RawDb raw(path_);
  EXPECT_NE(raw.exec("UPDATE events SET actor = 'mallory'"), SQLITE_OK);
  EXPECT_NE(raw.exec("DELETE FROM events"), SQLITE_OK);
  EXPECT_EQ(*store_->load(), (std::vector<EventRecord>{[] { auto e = alert_like(); e.seq = 1; return e; }()}));
}

TEST_F(SqliteStoreTest, SessionJournalRoundTrips) {
  auto missing = store_->load_session("GS");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, Errc::not_found);

  ASSERT_TRUE(store_->reset_session("GS", 123).ok());
  auto s = store_->load_session("GS");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->next_sender_seq, 1);
  EXPECT_EQ(s->next_target_seq, 1);
  EXPECT_EQ(s->creation_time_ns, 123);

  const std::string soh(1, '\x01');
  std::vector<std::string> sent;
  for (int i = 1; i <= 3; ++i) {
    sent.push_back("8=FIX.4.4" + soh + "34=" + std::to_string(i) + soh + "10=000" + soh);
    ASSERT_TRUE(store_->record_outgoing("GS", i, sent.back()).ok());
  }
  ASSERT_TRUE(store_->record_outgoing("MS", 1, "other").ok());
  EXPECT_EQ(store_->load_session("GS")->next_sender_seq, 4);  // raised with the stored message
  EXPECT_EQ(*store_->outgoing("GS", 2, 3), (std::vector<std::string>{sent[1], sent[2]}));
  EXPECT_EQ(*store_->outgoing("GS", 1, 100), sent);
  EXPECT_TRUE(store_->outgoing("GS", 4, 9)->empty());

  ASSERT_TRUE(store_->set_next_target_seq("GS", 7).ok());
  ASSERT_TRUE(store_->set_next_sender_seq("GS", 10).ok());
  store_.reset();
  store_ = open_sqlite(path_);
  s = store_->load_session("GS");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->next_sender_seq, 10);
  EXPECT_EQ(s->next_target_seq, 7);
  EXPECT_EQ(*store_->outgoing("GS", 1, 3), sent);

  ASSERT_TRUE(store_->reset_session("GS", 456).ok());
  s = store_->load_session("GS");
  EXPECT_EQ(s->next_sender_seq, 1);
  EXPECT_EQ(s->next_target_seq, 1);
  EXPECT_EQ(s->creation_time_ns, 456);
  EXPECT_TRUE(store_->outgoing("GS", 1, 100)->empty());
  EXPECT_EQ(*store_->outgoing("MS", 1, 1), std::vector<std::string>{"other"});  // other sessions untouched
}

TEST_F(SqliteStoreTest, InboundMarkIsCommittedWithItsBatch) {
  ASSERT_TRUE(store_->reset_session("GS", 1).ok());
  ASSERT_TRUE(append_sync(*store_, {trade_like("T-1")}, engine::InboundMark{"GS", 5}).ok());
  EXPECT_EQ(store_->load_session("GS")->next_target_seq, 5);
  // A batch that fails for another reason leaves the mark where it was.
  auto big = record(OrderId(0), PositionChanged{AccountId("F"), Symbol("S"), Quantity::from_raw(INT64_MAX), Money(), Money()});
  ASSERT_TRUE(append_sync(*store_, {big}).ok());
  EXPECT_FALSE(append_sync(*store_, {big}, engine::InboundMark{"GS", 6}).ok());
  EXPECT_EQ(store_->load_session("GS")->next_target_seq, 5);
  // A resent trade is a duplicate: its events are skipped, but the message counts as handled.
  Status dup = append_sync(*store_, {trade_like("T-1")}, engine::InboundMark{"GS", 7});
  EXPECT_EQ(dup.error().code, Errc::duplicate);
  EXPECT_EQ(store_->load_session("GS")->next_target_seq, 7);
}

TEST_F(SqliteStoreTest, JournalWritesAndBatchesCompleteInCallOrder) {
  for (int round = 0; round < 20; ++round) {
    std::atomic<bool> batch_done{false};
    store_->append({{alert_like()}, std::nullopt}, [&](Status s) {
      EXPECT_TRUE(s.ok());
      batch_done = true;
    });
    ASSERT_TRUE(store_->record_outgoing("GS", round + 1, "msg").ok());
    EXPECT_TRUE(batch_done.load()) << "the batch appended first was not complete when the journal write returned";
  }
}

TEST_F(SqliteStoreTest, StorageFailuresReachTheCallbackAsIoErrorWithoutLosingSeq) {
  store_.reset();
  store_ = open_sqlite(path_, {.durability = Durability::process, .busy_timeout_ms = 20});
  ASSERT_TRUE(append_sync(*store_, {alert_like()}).ok());
  {
    RawDb other(path_);
    ASSERT_EQ(other.exec("BEGIN IMMEDIATE"), SQLITE_OK);  // another process holds the write lock
    Status s = append_sync(*store_, {alert_like()});
    ASSERT_FALSE(s.ok());
    EXPECT_EQ(s.error().code, Errc::io_error);
    EXPECT_EQ(store_->record_outgoing("GS", 1, "x").error().code, Errc::io_error);
    other.exec("ROLLBACK");
  }
  ASSERT_TRUE(append_sync(*store_, {alert_like()}).ok());
  const auto events = *store_->load();
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[1].seq, 2u);
}

TEST_F(SqliteStoreTest, GroupCommitHonoursTheBatchCap) {
  store_.reset();
  store_ = open_sqlite(path_, {.durability = Durability::process, .max_batches_per_commit = 3});
  std::atomic<int> ok{0};
  for (int i = 0; i < 50; ++i) store_->append({{alert_like()}, std::nullopt}, [&](Status s) { ok += s.ok() ? 1 : 0; });
  store_->flush();
  EXPECT_EQ(ok.load(), 50);
  EXPECT_EQ(store_->load()->size(), 50u);
}

TEST_F(SqliteStoreTest, OpenFailsCleanlyOnAnUnusablePath) {
  auto r = SqliteStore::open(dir_.file("no/such/dir/oms.db"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::io_error);
}

}  // namespace
}  // namespace oms::store
