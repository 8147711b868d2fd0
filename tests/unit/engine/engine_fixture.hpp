#pragma once
// A running Engine over the in-memory store and a scripted gateway, with helpers to play the broker.
#include <gtest/gtest.h>

#include <memory>

#include "oms/engine/engine.hpp"
#include "oms/engine/testing/scripted_gateway.hpp"
#include "oms/store/memory_store.hpp"

namespace oms::engine::test {

inline Quantity qty(const char* s) { return *Quantity::parse(s); }
inline Price px(const char* s) { return *Price::parse(s); }
inline Money money(const char* s) { return *Money::parse(s); }

inline ReferenceData demo_reference() {
  ReferenceData ref;
  Instrument aapl;
  aapl.symbol = Symbol{"AAPL"};
  aapl.reference_price = px("190");
  ref.instruments[aapl.symbol] = aapl;
  Instrument msft;
  msft.symbol = Symbol{"MSFT"};
  msft.reference_price = px("410");
  ref.instruments[msft.symbol] = msft;
  for (const char* id : {"BALANCED", "GROWTH", "INCOME"}) {
    Account a;
    a.id = AccountId{id};
    a.cash = money("1000000");
    ref.accounts[a.id] = a;
  }
  ref.start_of_day.positions.push_back(Position{AccountId{"GROWTH"}, Symbol{"AAPL"}, qty("100"), money("19000")});
  return ref;
}

class EngineFixture : public ::testing::Test {
 protected:
  void SetUp() override { restart(); }
  void TearDown() override {
    if (engine) engine->stop();
  }

  // A new engine over the same store: what omsd does after a crash.
  void restart() {
    if (engine) engine->stop();
    engine = std::make_unique<Engine>(ref, store, gateway, clock, EngineOptions{"T", rules});
    ASSERT_TRUE(engine->recover().ok());
    engine->start();
  }

  OrderSpec limit_buy(const char* q, const char* limit, const char* account = "GROWTH") {
    OrderSpec s;
    s.account = AccountId{account};
    s.symbol = Symbol{"AAPL"};
    s.side = Side::Buy;
    s.ord_type = OrdType::Limit;
    s.quantity = qty(q);
    s.limit_price = px(limit);
    s.decided_by = UserId{"alice"};
    s.entered_by = UserId{"alice"};
    return s;
  }

  OrderId place(const OrderSpec& spec) {
    auto r = engine->submit(NewOrderCommand{spec, UserId{"alice"}}).get();
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    engine->sync();
    return r.ok() ? *r : OrderId{};
  }

  template <class Fn>
  auto read(Fn fn) {
    engine->sync();
    return engine->query(std::move(fn)).get();
  }

  OrderRecord order(OrderId id) {
    return read([id](const EngineState& s) { return *s.find(id); });
  }

  ClOrdID cl_ord_id(OrderId id) { return order(id).book.cl_ord_id; }

  ExecutionReport report(OrderId id, ExecType type, const char* exec_id) {
    ExecutionReport r;
    r.session = BrokerId{"BROKER"};
    r.exec_id = ExecID{exec_id};
    r.cl_ord_id = cl_ord_id(id);
    r.exec_type = type;
    r.trading_day = "20261123";
    const auto o = order(id);
    r.cum_qty = o.book.cum_qty;
    r.leaves_qty = o.book.leaves_qty;
    r.avg_px = o.book.avg_px();
    return r;
  }

  ExecutionReport trade(OrderId id, const char* exec_id, const char* last_qty, const char* last_px,
                        const char* cum, const char* leaves, const char* avg) {
    auto r = report(id, ExecType::Trade, exec_id);
    r.last_qty = qty(last_qty);
    r.last_px = px(last_px);
    r.cum_qty = qty(cum);
    r.leaves_qty = qty(leaves);
    r.avg_px = px(avg);
    r.ord_status = r.leaves_qty.is_zero() ? OrdStatus::Filled : OrdStatus::PartiallyFilled;
    return r;
  }

  void deliver(const ExecutionReport& r, std::optional<InboundMark> mark = std::nullopt) {
    engine->on_execution_report(r, mark);
    engine->sync();
  }

  ReferenceData ref = demo_reference();
  compliance::RuleBookHolder* rules{nullptr};  // set before restart() to check orders against a rule book
  store::InMemoryEventStore store{"test"};
  testing::ScriptedGateway gateway;
  ManualClock clock{from_nanos(1'795'440'309'000'000'000)};
  std::unique_ptr<Engine> engine;
};

}  // namespace oms::engine::test
