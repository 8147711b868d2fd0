// Pre-trade compliance in the engine: every order is checked against the rule book in force before it can be
// routed, and the compliance state (positions, cash, pending quantities) is rebuilt exactly by replay.
#include <nlohmann/json.hpp>

#include "engine_fixture.hpp"
#include "oms/compliance/rule_book.hpp"

namespace oms::engine::test {
namespace {

class ComplianceTest : public EngineFixture {
 protected:
  // Installs the rules of `yaml` and restarts the engine over the same store with them.
  void use_rules(const std::string& yaml) {
    auto loaded = compliance::load_rule_text(yaml, "rules.yaml");
    ASSERT_TRUE(loaded.ok()) << (loaded.errors.empty() ? "" : loaded.errors[0].to_string());
    holder.install(loaded.book, "test", clock.now());
    rules = &holder;
    restart();
  }

  Result<OrderId> submit(const OrderSpec& spec, bool acknowledge = false) {
    auto r = engine->submit(NewOrderCommand{spec, UserId{"alice"}, acknowledge}).get();
    engine->sync();
    return r;
  }

  std::vector<EventRecord> events_of(OrderId id) {
    std::vector<EventRecord> out;
    const auto all = store.load();  // kept alive: the loop must not range over a temporary's insides
    for (const auto& e : *all)
      if (e.order_id == id) out.push_back(e);
    return out;
  }

  ComplianceChecked check_of(OrderId id) {
    for (const auto& e : events_of(id))
      if (const auto* c = std::get_if<ComplianceChecked>(&e.payload)) return *c;
    ADD_FAILURE() << "no ComplianceChecked for order " << id.value;
    return {};
  }

  // (position, pending buys) of GROWTH in AAPL as compliance sees them.
  std::pair<Quantity, Quantity> growth_aapl() {
    return read([](const EngineState& s) {
      const auto& c = s.compliance();
      const auto* book = c.account(AccountId{"GROWTH"});
      const auto i = static_cast<std::size_t>(c.instrument_index(Symbol{"AAPL"}));
      return std::pair{Quantity::from_raw(book->position[i]), Quantity::from_raw(book->pending_buy[i])};
    });
  }

  compliance::RuleBookHolder holder;
};

const char* kRestrictMsft = R"yaml(rules:
  - id: no-msft
    description: MSFT is restricted
    type: restricted_list
    symbols: [MSFT]
    severity: block
)yaml";

const char* kApproveBig = R"yaml(rules:
  - id: big-needs-approval
    description: Orders above 50,000 need approval
    type: max_order_notional
    max_notional: 50000
    severity: approval
)yaml";

const char* kWarnQty = R"yaml(rules:
  - id: qty-warn
    description: Orders above 500 shares are unusual
    type: max_order_quantity
    max_quantity: 500
    severity: warn
)yaml";

const char* kMaxPosition = R"yaml(rules:
  - id: pos-500
    description: At most 500 shares of one instrument
    type: position_limit
    max_shares: 500
    severity: block
)yaml";

TEST_F(ComplianceTest, WithoutARuleBookOrdersPassAndSayNothingWasEvaluated) {
  const OrderId id = place(limit_buy("100", "190"));
  const auto check = check_of(id);
  EXPECT_EQ(check.rule_book_version, "none");
  EXPECT_EQ(check.decision, "accepted");
  EXPECT_EQ(check.order_price, px("190"));
  EXPECT_EQ(gateway.count('D'), 1u);
}

TEST_F(ComplianceTest, BlockedOrderIsRecordedRejectedAndNeverRouted) {
  use_rules(kRestrictMsft);
  OrderSpec s = limit_buy("100", "410");
  s.symbol = Symbol{"MSFT"};
  auto r = submit(s);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(gateway.count('D'), 0u);
  const auto o = order(*r);
  EXPECT_EQ(o.workflow, Workflow::ComplianceRejected);
  EXPECT_NE(o.workflow_reason.find("no-msft"), std::string::npos) << o.workflow_reason;
  const auto check = check_of(*r);
  EXPECT_EQ(check.decision, "rejected");
  EXPECT_EQ(check.rule_book_version, holder.current()->version());
  const auto results = nlohmann::json::parse(check.results_json);
  EXPECT_EQ(results.at("decision"), "rejected");
  // AAPL is not restricted and goes out.
  const OrderId aapl = place(limit_buy("100", "190"));
  EXPECT_EQ(gateway.count('D'), 1u);
  EXPECT_EQ(gateway.sent()[0].order_id, aapl);
}

TEST_F(ComplianceTest, HeldOrderIsSentOnceWhenApprovedAndNeverWhenRejected) {
  use_rules(kApproveBig);
  auto held = submit(limit_buy("1000", "190"));  // 190,000 > 50,000
  ASSERT_TRUE(held.ok());
  EXPECT_EQ(order(*held).workflow, Workflow::HeldForApproval);
  EXPECT_EQ(gateway.count('D'), 0u);

  ASSERT_TRUE(engine->approve(*held, UserId{"cco"}, "").get().ok());
  engine->sync();
  EXPECT_EQ(gateway.count('D'), 1u);
  EXPECT_EQ(order(*held).workflow, Workflow::Routed);
  // A second decision on the same order is refused and sends nothing.
  auto again = engine->approve(*held, UserId{"cco"}, "").get();
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.error().code, Errc::illegal_transition);
  engine->sync();
  EXPECT_EQ(gateway.count('D'), 1u);

  auto other = submit(limit_buy("2000", "190"));
  ASSERT_TRUE(other.ok());
  auto no_reason = engine->reject(*other, UserId{"cco"}, "").get();
  ASSERT_FALSE(no_reason.ok());
  EXPECT_EQ(no_reason.error().code, Errc::invalid_argument);
  ASSERT_TRUE(engine->reject(*other, UserId{"cco"}, "too big today").get().ok());
  engine->sync();
  EXPECT_EQ(order(*other).workflow, Workflow::ComplianceRejected);
  EXPECT_EQ(gateway.count('D'), 1u);
  bool decided = false;
  for (const auto& e : events_of(*other))
    if (const auto* d = std::get_if<ApprovalDecided>(&e.payload)) {
      decided = true;
      EXPECT_FALSE(d->approved);
      EXPECT_EQ(d->reason, "too big today");
      EXPECT_EQ(e.actor.value, "cco");
    }
  EXPECT_TRUE(decided);
  // Small orders pass without approval.
  place(limit_buy("10", "190"));
  EXPECT_EQ(gateway.count('D'), 2u);
}

TEST_F(ComplianceTest, AHeldOrderCanceledBeforeTheDecisionIsNeverSent) {
  use_rules(kApproveBig);
  auto held = submit(limit_buy("1000", "190"));
  ASSERT_TRUE(held.ok());
  ASSERT_TRUE(engine->cancel(CancelCommand{*held, UserId{"alice"}}).get().ok());
  engine->sync();
  EXPECT_EQ(order(*held).book.status, OrdStatus::Canceled);
  auto late = engine->approve(*held, UserId{"cco"}, "").get();
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.error().code, Errc::illegal_transition);
  engine->sync();
  EXPECT_EQ(gateway.count('D'), 0u);
}

TEST_F(ComplianceTest, WarningsPlaceNothingUntilAcknowledged) {
  use_rules(kWarnQty);
  const auto before = store.size();
  auto r = submit(limit_buy("600", "190"));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::conflict);
  EXPECT_NE(r.error().message.find("qty-warn"), std::string::npos) << r.error().message;
  EXPECT_EQ(store.size(), before);
  EXPECT_EQ(gateway.count('D'), 0u);

  auto acked = submit(limit_buy("600", "190"), true);
  ASSERT_TRUE(acked.ok()) << acked.error().message;
  EXPECT_EQ(gateway.count('D'), 1u);
  EXPECT_EQ(order(*acked).workflow, Workflow::Routed);
  const auto check = check_of(*acked);
  EXPECT_EQ(check.decision, "warn");
  EXPECT_TRUE(check.warnings_acknowledged);
}

TEST_F(ComplianceTest, WhatIfEvaluatesWithoutPlacing) {
  use_rules(kWarnQty);
  const auto before = store.size();
  auto r = engine->what_if(limit_buy("600", "190")).get();
  ASSERT_TRUE(r.ok()) << r.error().message;
  const auto j = nlohmann::json::parse(*r);
  EXPECT_EQ(j.at("decision"), "warn");
  EXPECT_EQ(j.at("slices").at(0).at("results").at(0).at("rule"), "qty-warn");
  engine->sync();
  EXPECT_EQ(store.size(), before);
  EXPECT_EQ(gateway.count('D'), 0u);
  auto bad = engine->what_if(limit_buy("600", "190", "NOFUND")).get();
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, Errc::not_found);
}

TEST_F(ComplianceTest, PendingQuantityOfLiveOrdersCountsAndFillsMoveItToThePosition) {
  use_rules(kMaxPosition);
  // GROWTH holds 100 AAPL at start of day.
  EXPECT_EQ(growth_aapl(), std::pair(qty("100"), qty("0")));
  const OrderId first = place(limit_buy("300", "190"));
  EXPECT_EQ(order(first).workflow, Workflow::Routed);
  EXPECT_EQ(growth_aapl(), std::pair(qty("100"), qty("300")));
  // 100 + 300 pending + 200 = 600 > 500: rejected only because of the first order's pending quantity.
  auto second = submit(limit_buy("200", "190"));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(order(*second).workflow, Workflow::ComplianceRejected);
  EXPECT_EQ(growth_aapl(), std::pair(qty("100"), qty("300")));  // a rejected order holds nothing

  deliver(report(first, ExecType::New, "e0"));
  deliver(trade(first, "e1", "120", "190", "120", "180", "190"));
  EXPECT_EQ(growth_aapl(), std::pair(qty("220"), qty("180")));
  deliver(trade(first, "e2", "180", "190", "300", "0", "190"));
  EXPECT_EQ(growth_aapl(), std::pair(qty("400"), qty("0")));
  // Exactly at the limit passes; one share more does not.
  auto over = submit(limit_buy("101", "190"));
  ASSERT_TRUE(over.ok());
  EXPECT_EQ(order(*over).workflow, Workflow::ComplianceRejected);
  const OrderId at_limit = place(limit_buy("100", "190"));
  EXPECT_EQ(order(at_limit).workflow, Workflow::Routed);
  // Cancelling a live order releases its pending quantity.
  EXPECT_EQ(growth_aapl(), std::pair(qty("400"), qty("100")));
  ASSERT_TRUE(engine->cancel(CancelCommand{at_limit, UserId{"alice"}}).get().ok());
  engine->sync();
  const auto f = gateway.sent().back();
  ASSERT_EQ(f.msg_type, 'F');
  auto ack = report(at_limit, ExecType::Canceled, "c1");
  ack.cl_ord_id = f.cl_ord_id;
  ack.orig_cl_ord_id = f.orig_cl_ord_id;
  deliver(ack);
  EXPECT_EQ(order(at_limit).book.status, OrdStatus::Canceled);
  EXPECT_EQ(growth_aapl(), std::pair(qty("400"), qty("0")));
}

TEST_F(ComplianceTest, BlockOrderHoldsPendingPerAccountUntilFilled) {
  use_rules(kMaxPosition);
  OrderSpec s = limit_buy("300", "190");
  s.account = AccountId{};
  s.allocations = {{AccountId{"GROWTH"}, qty("200")}, {AccountId{"INCOME"}, qty("100")}};
  const OrderId id = place(s);
  EXPECT_EQ(order(id).workflow, Workflow::Routed);
  auto pending = [&](const char* account) {
    const AccountId a{account};
    return read([a](const EngineState& st) {
      const auto& c = st.compliance();
      return Quantity::from_raw(c.account(a)->pending_buy[static_cast<std::size_t>(c.instrument_index(Symbol{"AAPL"}))]);
    });
  };
  EXPECT_EQ(pending("GROWTH"), qty("200"));
  EXPECT_EQ(pending("INCOME"), qty("100"));
  deliver(trade(id, "e1", "300", "190", "300", "0", "190"));
  EXPECT_EQ(pending("GROWTH"), qty("0"));
  EXPECT_EQ(pending("INCOME"), qty("0"));
  EXPECT_EQ(growth_aapl(), std::pair(qty("300"), qty("0")));
}

TEST_F(ComplianceTest, HeldOrdersHoldNothingUntilApproved) {
  use_rules(std::string(kApproveBig) + R"yaml(
  - id: pos-500
    description: At most 500 shares of one instrument
    type: position_limit
    max_shares: 500
    severity: block
)yaml");
  auto held = submit(limit_buy("300", "190"));  // 57,000: held
  ASSERT_TRUE(held.ok());
  EXPECT_EQ(order(*held).workflow, Workflow::HeldForApproval);
  EXPECT_EQ(growth_aapl(), std::pair(qty("100"), qty("0")));
  ASSERT_TRUE(engine->approve(*held, UserId{"cco"}, "ok").get().ok());
  engine->sync();
  EXPECT_EQ(growth_aapl(), std::pair(qty("100"), qty("300")));
}

// A replace is checked as the order it would become, against the portfolio without its own pending quantity.
TEST_F(ComplianceTest, ReplaceIsRecheckedAsTheOrderItWouldBecome) {
  use_rules(std::string(kMaxPosition) + R"yaml(
  - id: dup-60s
    description: Same order twice within a minute
    type: duplicate_order
    window_seconds: 60
    severity: block
)yaml");
  const OrderId id = place(limit_buy("300", "190"));
  deliver(report(id, ExecType::New, "e0"));
  ReplaceSpec too_big;
  too_big.quantity = qty("450");  // 100 held + 450 > 500
  auto refused = engine->replace(ReplaceCommand{id, too_big, UserId{"alice"}}).get();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::rejected);
  EXPECT_NE(refused.error().message.find("pos-500"), std::string::npos) << refused.error().message;
  engine->sync();
  EXPECT_EQ(gateway.count('G'), 0u);
  EXPECT_EQ(order(id).book.order_qty, qty("300"));

  // 100 + 400 = 500 passes: the order's own 300 pending is not counted twice, nor is it its own duplicate.
  ReplaceSpec change;
  change.quantity = qty("400");
  change.limit_price = px("191");
  auto accepted = engine->replace(ReplaceCommand{id, change, UserId{"alice"}}).get();
  ASSERT_TRUE(accepted.ok()) << accepted.error().message;
  const auto g = gateway.sent().back();
  ASSERT_EQ(g.msg_type, 'G');
  std::vector<ComplianceChecked> checks;
  for (const auto& e : events_of(id))
    if (const auto* c = std::get_if<ComplianceChecked>(&e.payload)) checks.push_back(*c);
  ASSERT_EQ(checks.size(), 2u);
  EXPECT_EQ(checks[1].decision, "accepted");
  EXPECT_EQ(checks[1].order_price, px("191"));
  auto pending_cash = [&] {
    return read([](const EngineState& s) { return s.compliance().account(AccountId{"GROWTH"})->pending_buy_cash; });
  };
  EXPECT_EQ(pending_cash(), money("57000"));  // 300 x 190 until the broker confirms the replace
  auto ack = report(id, ExecType::Replaced, "e1");
  ack.cl_ord_id = g.cl_ord_id;
  ack.orig_cl_ord_id = g.orig_cl_ord_id;
  ack.order_qty = qty("400");
  ack.limit_price = px("191");
  ack.leaves_qty = qty("400");
  deliver(ack);
  EXPECT_EQ(order(id).book.order_qty, qty("400"));
  EXPECT_EQ(growth_aapl(), std::pair(qty("100"), qty("400")));
  // Pending buy cash follows the new price: 400 x 191.
  EXPECT_EQ(pending_cash(), money("76400"));

  // A replace the broker refuses leaves the order, and its pending value, as they were.
  ReplaceSpec cheaper;
  cheaper.limit_price = px("180");
  ASSERT_TRUE(engine->replace(ReplaceCommand{id, cheaper, UserId{"alice"}}).get().ok());
  const auto g2 = gateway.sent().back();
  ASSERT_EQ(g2.msg_type, 'G');
  engine->on_cancel_reject(CancelRejectReport{BrokerId{"BROKER"}, g2.cl_ord_id, g2.orig_cl_ord_id, true, "too late"});
  engine->sync();
  EXPECT_EQ(order(id).book.limit_price, px("191"));
  EXPECT_EQ(pending_cash(), money("76400"));
  restart();
  EXPECT_EQ(pending_cash(), money("76400"));
}

TEST_F(ComplianceTest, RestartRebuildsTheSameComplianceState) {
  use_rules(kMaxPosition);
  const OrderId first = place(limit_buy("300", "190"));
  deliver(report(first, ExecType::New, "e0"));
  deliver(trade(first, "e1", "120", "190", "120", "180", "190"));
  const auto live = growth_aapl();
  EXPECT_EQ(live, std::pair(qty("220"), qty("180")));
  const auto cash_before = read([](const EngineState& s) {
    return s.compliance().account(AccountId{"GROWTH"})->projected_cash();
  });

  restart();
  EXPECT_EQ(growth_aapl(), live);
  EXPECT_EQ(read([](const EngineState& s) { return s.compliance().account(AccountId{"GROWTH"})->projected_cash(); }),
            cash_before);
  // The same decisions follow: 220 + 180 pending + 101 > 500, + 100 = 500 passes.
  auto over = submit(limit_buy("101", "190"));
  ASSERT_TRUE(over.ok());
  EXPECT_EQ(order(*over).workflow, Workflow::ComplianceRejected);
  const OrderId ok = place(limit_buy("100", "190"));
  EXPECT_EQ(order(ok).workflow, Workflow::Routed);
}

}  // namespace
}  // namespace oms::engine::test
