#pragma once
// Events for the store's tests: one of every payload alternative and of every book::OrderEvent
// alternative, with every optional field both set and empty somewhere.
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "oms/engine/events.hpp"

namespace oms::store::testing {

using namespace oms::engine;

inline Quantity qty(const char* s) { return *Quantity::parse(s); }
inline Price px(const char* s) { return *Price::parse(s); }
inline Money money(const char* s) { return *Money::parse(s); }

inline OrderSpec block_spec() {
  OrderSpec s;
  s.allocations = {{AccountId("FUND-A"), qty("600")}, {AccountId("FUND-B"), qty("400.5")}};
  s.symbol = Symbol("VOD.L");
  s.side = Side::SellShort;
  s.ord_type = OrdType::StopLimit;
  s.quantity = qty("1000.5");
  s.limit_price = px("101.123456");
  s.stop_price = px("100.5");
  s.tif = TimeInForce::GTD;
  s.expire_time = from_nanos(1'800'000'000'123'456'789);
  s.settlement_date = "20261125";
  s.broker = BrokerId("GS");
  s.decided_by = UserId("pm.alice");
  s.entered_by = UserId("trader.bob");
  s.note = "rebalance \"quoted\" \xe2\x82\xac";
  return s;
}

inline OrderSpec single_spec() {
  OrderSpec s;
  s.account = AccountId("FUND-A");
  s.symbol = Symbol("AAPL");
  s.side = Side::Buy;
  s.ord_type = OrdType::Market;
  s.quantity = qty("100");
  return s;
}

inline ExecutionReport report(ExecType type, const std::string& exec_id, const std::string& session = "GS",
                              const std::string& day = "20261123") {
  ExecutionReport r;
  r.session = BrokerId(session);
  r.exec_id = ExecID(exec_id);
  r.cl_ord_id = ClOrdID("abc-1-1");
  r.broker_order_id = "B-77";
  r.symbol = Symbol("AAPL");
  r.side = Side::Buy;
  r.exec_type = type;
  r.ord_status = OrdStatus::PartiallyFilled;
  r.last_qty = qty("40");
  r.last_px = px("10.5");
  r.cum_qty = qty("40");
  r.leaves_qty = qty("60");
  r.avg_px = px("10.5");
  r.commission = money("1.2345");
  r.transact_time = from_nanos(1'790'000'000'000'000'001);
  r.trading_day = day;
  return r;
}

// Every book::OrderEvent alternative, in variant order.
inline std::vector<book::OrderEvent> every_order_event() {
  const book::BrokerTotals totals{qty("40"), qty("60"), px("10.5")};
  ReplaceSpec full{qty("150"), px("11"), px("10.9"), TimeInForce::GTC};
  return {book::AckNew{},
          book::Reject{"unknown symbol"},
          book::PartialFill{ExecID("E1"), qty("40"), px("10.5"), totals},
          book::Fill{ExecID("E2"), qty("60"), px("10.25"), std::nullopt},
          book::CancelRequest{ClOrdID("abc-1-2")},
          book::CancelAck{},
          book::CancelReject{"too late"},
          book::ReplaceRequest{ClOrdID("abc-1-3"), full},
          book::ReplaceAck{qty("150"), std::nullopt},
          book::ReplaceReject{"unknown order"},
          book::PendingAck{OrdStatus::PendingReplace},
          book::Expire{},
          book::DoneForDay{},
          book::Restate{std::nullopt, px("9.99"), "corporate action"},
          book::TradeCancel{ExecID("E1")},
          book::TradeCorrect{ExecID("E2"), ExecID("E3"), qty("59"), px("10.26")},
          book::StatusReport{OrdStatus::PartiallyFilled, totals}};
}

inline EventRecord record(OrderId order, EventPayload payload, std::int64_t t_ns = 1'790'000'000'000'000'000) {
  return EventRecord{.seq = 0, .time = from_nanos(t_ns), .actor = UserId("pm.alice"), .order_id = order,
                     .payload = std::move(payload)};
}

inline AllocationFixed sample_allocation(const std::string& alloc_id = "abc-1-A1", const std::string& ref = "") {
  const Price avg = px("10.016667");
  return AllocationFixed{alloc_id, ref, "order Filled",
                         {1, !ref.empty(), qty("150"), avg, money("1502.50"), money("1.50"), money("0.0003"),
                          {{AccountId("FUND-A"), qty("100"), avg, money("1001.67"), money("1.00"), money("0.0002")},
                           {AccountId("FUND-B"), qty("50"), avg, money("500.83"), money("0.50"), money("0.0001")}}}};
}

// One event of every payload alternative, plus an OrderRequest and an ExecutionApplied for every
// OrderEvent alternative. Exec ids are unique so the batch is never a duplicate of itself.
inline std::vector<EventRecord> every_kind() {
  std::vector<EventRecord> out;
  out.push_back(record(OrderId(1), OrderAccepted{ClOrdID("abc-1-1"), block_spec()}));
  out.push_back(record(OrderId(2), OrderAccepted{ClOrdID("abc-2-1"), single_spec()}));
  out.push_back(record(OrderId(1), WorkflowChanged{Workflow::HeldForApproval, "restricted list"}));
  out.push_back(record(OrderId(1), PositionChanged{AccountId("FUND-A"), Symbol("VOD.L"), qty("-40"), money("-420.0001"),
                                                   money("418.7656")}));
  out.push_back(record(OrderId(0), Alert{"session_reject", "tag 44 missing"}));
  out.push_back(record(OrderId(1), ComplianceChecked{"fnv1a64:0123456789abcdef", "warn", px("101.123456"), true,
                                                     "{\"decision\":\"warn\",\"slices\":[]}"}));
  out.push_back(record(OrderId(2), ComplianceChecked{"none", "accepted", px("0"), false, ""}));
  out.push_back(record(OrderId(1), ApprovalDecided{true, "approved by \"cco\""}));
  out.push_back(record(OrderId(2), ApprovalDecided{false, ""}));
  out.push_back(record(OrderId(1), sample_allocation()));
  out.push_back(record(OrderId(1), AllocationStatusChanged{"abc-1-A1", "rejected", "7", "account \"X\" unknown"}));
  out.push_back(record(OrderId(0), RuleBookLoaded{"fnv1a64:0123456789abcdef", "/etc/oms/rules \"x\"", 42,
                                                {{"limits.yaml", "fnv1a64:00000000000000ff"}, {"sub/ucits.yml", ""}},
                                                "file change", "fnv1a64:fedcba9876543210"}));
  out.push_back(record(OrderId(0), RuleBookLoaded{"fnv1a64:0000000000000001", "", 0, {}, "startup", ""}));
  int n = 0;
  for (const auto& ev : every_order_event()) {
    out.push_back(record(OrderId(1), OrderRequest{ev}));
    auto r = report(n % 2 == 0 ? ExecType::Trade : ExecType::New, "X" + std::to_string(n));
    if (n % 3 == 0) {
      r.order_qty = qty("150");
      r.limit_price = px("11.000001");
      r.poss_dup = true;
    }
    out.push_back(record(OrderId(1), ExecutionApplied{r, ev}));
    ++n;
  }
  return out;
}

inline EventRecord alert_like(int n = 0) { return record(OrderId(0), Alert{"test", "alert " + std::to_string(n)}); }

inline EventRecord trade_like(const std::string& exec_id) {
  return record(OrderId(1), ExecutionApplied{report(ExecType::Trade, exec_id),
                                             book::PartialFill{ExecID(exec_id), qty("1"), px("10"), std::nullopt}});
}

// A scratch directory removed at the end of the test.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "oms-store-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace oms::store::testing
