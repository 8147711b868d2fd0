// Money of block orders: each fund's cash on every fill (gross at the fill price plus its share of the
// commission), reversal on a bust, rebooking to the average-price allocation, the AllocationInstruction and
// its acks, PM amendments. Every figure below is worked by hand in the comments.
#include "engine_fixture.hpp"
#include "oms/compliance/rule_book.hpp"

namespace oms::engine::test {
namespace {

class BlockMoneyTest : public EngineFixture {
 protected:
  // 1,000 AAPL for GROWTH 500 / INCOME 300 / BALANCED 200; each fund starts with 1,000,000 cash.
  OrderId place_block() {
    OrderSpec s = limit_buy("1000", "11");
    s.account = AccountId{};
    s.allocations = {{AccountId{"GROWTH"}, qty("500")}, {AccountId{"INCOME"}, qty("300")},
                     {AccountId{"BALANCED"}, qty("200")}};
    return place(s);
  }
  ExecutionReport fill(OrderId id, const char* exec_id, const char* last_qty, const char* last_px, const char* cum,
                       const char* leaves, const char* commission) {
    auto r = trade(id, exec_id, last_qty, last_px, cum, leaves, last_px);
    r.commission = money(commission);
    return r;
  }
  void bust(OrderId id, const char* exec_id, const char* ref, const char* cum, const char* leaves) {
    auto r = report(id, ExecType::TradeCancel, exec_id);
    r.ref_exec_id = ExecID{ref};
    r.cum_qty = qty(cum);
    r.leaves_qty = qty(leaves);
    r.ord_status = qty(cum).is_zero() ? OrdStatus::New : OrdStatus::PartiallyFilled;
    deliver(r);
  }
  // The three fills of the completed block used below: 333 @ 10.00 (commission 3.33), 333 @ 10.03 (3.33),
  // 334 @ 10.02 (3.34). Block gross 3,330.00 + 3,339.99 + 3,346.68 = 10,016.67; commission 10.00.
  void fill_three(OrderId id) {
    deliver(fill(id, "e1", "333", "10.00", "333", "667", "3.33"));
    deliver(fill(id, "e2", "333", "10.03", "666", "334", "3.33"));
    deliver(fill(id, "e3", "334", "10.02", "1000", "0", "3.34"));
  }
  Money cash(const char* account) {
    const AccountId id{account};
    return read([id](const EngineState& s) { return s.cash().at(id); });
  }
  Position position(const char* account) {
    const AccountId id{account};
    return read([id](const EngineState& s) {
      auto it = s.positions().find(PositionKey{id, Symbol{"AAPL"}});
      return it == s.positions().end() ? Position{} : it->second;
    });
  }
  std::optional<AllocationRecord> allocation(OrderId id) {
    return read([id](const EngineState& s) {
      const auto* r = s.allocation(id);
      return r ? std::optional<AllocationRecord>(*r) : std::nullopt;
    });
  }
  void ack(const std::string& alloc_id, char status, const std::string& code = "", const std::string& text = "") {
    engine->on_allocation_ack(AllocationAck{BrokerId{"BROKER"}, alloc_id, status, code, text});
    engine->sync();
  }
};

// 333 @ 10.01 with commission 5.00, pieces 166 / 100 / 67 (the running allocation).
//   gross 3,333.33 = 1001 cents x 333 shares -> 1,661.66 / 1,001.00 / 670.67 (exact)
//   commission 500 cents x (166, 100, 67) / 333 = 249.249 / 150.150 / 100.600: floors 249 / 150 / 100 leave one
//   cent for the largest remainder (BALANCED, .600) -> 2.49 / 1.50 / 1.01
TEST_F(BlockMoneyTest, EachFillMovesEachFundsCashByItsGrossAndCommission) {
  const OrderId id = place_block();
  deliver(fill(id, "e1", "333", "10.01", "333", "667", "5.00"));
  EXPECT_EQ(cash("GROWTH"), money("998335.85"));    // 1,000,000 - 1,661.66 - 2.49
  EXPECT_EQ(cash("INCOME"), money("998997.50"));    // 1,000,000 - 1,001.00 - 1.50
  EXPECT_EQ(cash("BALANCED"), money("999328.32"));  // 1,000,000 - 670.67 - 1.01
  EXPECT_EQ(position("GROWTH").cost, money("20661.66"));  // 19,000 at start of day + 1,661.66
  EXPECT_EQ(position("INCOME").quantity, qty("100"));
  // Nothing is final yet: no allocation goes to the broker.
  EXPECT_FALSE(allocation(id).has_value());
  EXPECT_EQ(gateway.count('J'), 0u);
}

TEST_F(BlockMoneyTest, BustGivesBackTheFillsGrossAndCommissionExactly) {
  const OrderId id = place_block();
  deliver(fill(id, "e1", "333", "10.01", "333", "667", "5.00"));
  deliver(fill(id, "e2", "100", "10.02", "433", "567", "1.00"));
  bust(id, "e3", "e1", "100", "900");
  // Left: e2's 100 shares at 10.02 = 1,002.00, commission 1.00. Its pieces (cum 433: exact shares 216.5 /
  // 129.9 / 86.6 less 166 / 100 / 67 allocated -> shortfalls 50.5 / 29.9 / 19.6 -> 50 / 30 / 20).
  //   gross 1,002.00 -> 501.00 / 300.60 / 200.40; commission 1.00 -> 0.50 / 0.30 / 0.20
  EXPECT_EQ(cash("GROWTH"), money("999498.50"));
  EXPECT_EQ(cash("INCOME"), money("999699.10"));
  EXPECT_EQ(cash("BALANCED"), money("999799.40"));
  EXPECT_EQ(position("GROWTH").quantity, qty("150"));
  bust(id, "e4", "e2", "0", "1000");
  for (const char* fund : {"GROWTH", "INCOME", "BALANCED"}) EXPECT_EQ(cash(fund), money("1000000")) << fund;
  EXPECT_EQ(position("GROWTH"), (Position{AccountId{"GROWTH"}, Symbol{"AAPL"}, qty("100"), money("19000")}));
}

// Completed block, average-price allocation:
//   AvgPx = 10,016.67 / 1,000 = 10.01667
//   gross 1,001,667 cents x 5:3:2 = 500,833.5 / 300,500.1 / 200,333.4 -> floors leave one cent for GROWTH (.5)
//         -> 5,008.34 / 3,005.00 / 2,003.33;  commission 10.00 -> 5.00 / 3.00 / 2.00
TEST_F(BlockMoneyTest, CompletionRebooksEveryFundAtTheAveragePriceAndSendsTheAllocation) {
  const OrderId id = place_block();
  deliver(fill(id, "e1", "333", "10.00", "333", "667", "3.33"));
  deliver(fill(id, "e2", "333", "10.03", "666", "334", "3.33"));
  // Running, at fill prices: GROWTH 166 @ 10.00 + 167 @ 10.03 = 1,660.00 + 1,675.01, commission 1.66 + 1.67.
  EXPECT_EQ(cash("GROWTH"), money("996661.66"));
  EXPECT_EQ(cash("INCOME"), money("997995.00"));   // 1,000.00 + 1,003.00 + 1.00 + 1.00
  EXPECT_EQ(cash("BALANCED"), money("998666.69"));  // 670.00 + 661.98 + 0.67 + 0.66
  deliver(fill(id, "e3", "334", "10.02", "1000", "0", "3.34"));
  EXPECT_EQ(cash("GROWTH"), money("994986.66"));    // 1,000,000 - 5,008.34 - 5.00
  EXPECT_EQ(cash("INCOME"), money("996992.00"));    // 1,000,000 - 3,005.00 - 3.00
  EXPECT_EQ(cash("BALANCED"), money("997994.67"));  // 1,000,000 - 2,003.33 - 2.00
  EXPECT_EQ(position("GROWTH"), (Position{AccountId{"GROWTH"}, Symbol{"AAPL"}, qty("600"), money("24008.34")}));
  EXPECT_EQ(position("INCOME"), (Position{AccountId{"INCOME"}, Symbol{"AAPL"}, qty("300"), money("3005.00")}));
  EXPECT_EQ(position("BALANCED"), (Position{AccountId{"BALANCED"}, Symbol{"AAPL"}, qty("200"), money("2003.33")}));

  ASSERT_EQ(gateway.count('J'), 1u);
  const AllocationFixed sent = gateway.allocations_sent().front();
  EXPECT_EQ(sent.alloc_id, "T-1-A1");
  EXPECT_EQ(sent.ref_alloc_id, "");
  EXPECT_EQ(sent.allocation.quantity, qty("1000"));
  EXPECT_EQ(sent.allocation.avg_px, px("10.01667"));
  EXPECT_EQ(sent.allocation.gross, money("10016.67"));
  EXPECT_EQ(sent.allocation.commission, money("10.00"));
  const Price avg = px("10.01667");
  const std::vector<allocation::AccountAllocation> lines{{AccountId{"GROWTH"}, qty("500"), avg, money("5008.34"), money("5.00"), Money{}},
                                          {AccountId{"INCOME"}, qty("300"), avg, money("3005.00"), money("3.00"), Money{}},
                                          {AccountId{"BALANCED"}, qty("200"), avg, money("2003.33"), money("2.00"), Money{}}};
  EXPECT_EQ(sent.allocation.accounts, lines);
  auto rec = allocation(id);
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->status, "sent");
  ack("T-1-A1", '3');
  EXPECT_EQ(allocation(id)->status, "received");
  ack("T-1-A1", '0');
  EXPECT_EQ(allocation(id)->status, "accepted");
  EXPECT_EQ(read([id](const EngineState& s) { return s.block(id)->status(); }), allocation::AllocationStatus::Accepted);
  // Accepted: no more amendments.
  auto refused = engine->amend_allocation({id, {{AccountId{"GROWTH"}, qty("1000")}}, UserId{"alice"}}).get();
  EXPECT_EQ(refused.error().code, Errc::conflict);
}

// Amended to 400 / 400 / 200 before acceptance:
//   gross 1,001,667 cents x 4:4:2 = 400,666.8 / 400,666.8 / 200,333.4 -> two cents to the .8s (GROWTH, INCOME)
//         -> 4,006.67 / 4,006.67 / 2,003.33; commission 4.00 / 4.00 / 2.00
TEST_F(BlockMoneyTest, AmendmentRebooksTheFundsAndSendsAReplacement) {
  const OrderId id = place_block();
  fill_three(id);
  auto st = engine->amend_allocation({id,
                                      {{AccountId{"GROWTH"}, qty("400")}, {AccountId{"INCOME"}, qty("400")},
                                       {AccountId{"BALANCED"}, qty("200")}},
                                      UserId{"alice"}})
                .get();
  ASSERT_TRUE(st.ok()) << st.error().message;
  EXPECT_EQ(cash("GROWTH"), money("995989.33"));
  EXPECT_EQ(cash("INCOME"), money("995989.33"));
  EXPECT_EQ(cash("BALANCED"), money("997994.67"));
  EXPECT_EQ(position("GROWTH").quantity, qty("500"));
  EXPECT_EQ(position("INCOME").quantity, qty("400"));
  ASSERT_EQ(gateway.count('J'), 2u);
  const AllocationFixed replacement = gateway.allocations_sent().back();
  EXPECT_EQ(replacement.alloc_id, "T-1-A2");
  EXPECT_EQ(replacement.ref_alloc_id, "T-1-A1");
  EXPECT_TRUE(replacement.allocation.amended);
  EXPECT_EQ(replacement.allocation.accounts[1],
            (allocation::AccountAllocation{AccountId{"INCOME"}, qty("400"), px("10.01667"), money("4006.67"), money("4.00"), Money{}}));
  // The audit trail names who amended it.
  const auto rec = allocation(id);
  EXPECT_EQ(rec->fixed_by, UserId{"alice"});
  EXPECT_NE(rec->fixed.reason.find("amended by alice"), std::string::npos);
  // A late ack of the replaced allocation changes nothing; the replacement's counts.
  ack("T-1-A1", '0');
  EXPECT_EQ(allocation(id)->status, "sent");
  ack("T-1-A2", '0');
  EXPECT_EQ(allocation(id)->status, "accepted");

  // Replay reproduces the amended allocation, the funds' money and the status.
  const auto before = read([id](const EngineState& s) { return std::make_tuple(*s.block(id), s.cash(), s.positions()); });
  restart();
  const auto after = read([id](const EngineState& s) { return std::make_tuple(*s.block(id), s.cash(), s.positions()); });
  EXPECT_EQ(before, after);
  EXPECT_EQ(allocation(id)->status, "accepted");
}

TEST_F(BlockMoneyTest, AmendmentsThatDoNotAddUpAreRefused) {
  const OrderId id = place_block();
  EXPECT_EQ(engine->amend_allocation({id, {{AccountId{"GROWTH"}, qty("1")}}, UserId{"alice"}}).get().error().code,
            Errc::conflict);  // nothing final yet
  fill_three(id);
  EXPECT_EQ(engine->amend_allocation({id, {{AccountId{"GROWTH"}, qty("999")}}, UserId{"alice"}}).get().error().code,
            Errc::invalid_argument);
  EXPECT_EQ(engine->amend_allocation({id, {{AccountId{"NOPE"}, qty("1000")}}, UserId{"alice"}}).get().error().code,
            Errc::not_found);
  EXPECT_EQ(gateway.count('J'), 1u);
}

TEST_F(BlockMoneyTest, RejectedAllocationRaisesAnAlertAndCanBeAmended) {
  const OrderId id = place_block();
  fill_three(id);
  ack("T-1-A1", '1', "1", "unknown account INCOME");
  const auto rec = allocation(id);
  EXPECT_EQ(rec->status, "rejected");
  EXPECT_EQ(rec->rej_code, "1");
  const auto alerts = read([](const EngineState& s) { return s.alerts(); });
  ASSERT_FALSE(alerts.empty());
  EXPECT_EQ(std::get<Alert>(alerts.back().payload).kind, "allocation_rejected");
  ASSERT_TRUE(engine->amend_allocation({id, {{AccountId{"GROWTH"}, qty("700")}, {AccountId{"BALANCED"}, qty("300")}},
                                        UserId{"alice"}})
                  .get()
                  .ok());
  EXPECT_EQ(position("INCOME").quantity, qty("0"));
  EXPECT_EQ(cash("INCOME"), money("1000000"));
  EXPECT_EQ(gateway.allocations_sent().back().ref_alloc_id, "T-1-A1");
}

// Partial fill, then canceled: the 333 filled are allocated 166 / 100 / 67 at 10.01 (as they ran), the
// allocation goes out for 333 and no money moves at rebooking (the split is the same).
TEST_F(BlockMoneyTest, PartialFillThenCancelFixesTheAllocationOfWhatWasFilled) {
  const OrderId id = place_block();
  deliver(fill(id, "e1", "333", "10.01", "333", "667", "5.00"));
  auto done = report(id, ExecType::Canceled, "e2");
  done.ord_status = OrdStatus::Canceled;
  done.cum_qty = qty("333");
  done.leaves_qty = qty("0");
  deliver(done);
  ASSERT_EQ(gateway.count('J'), 1u);
  const auto sent = gateway.allocations_sent().front();
  EXPECT_EQ(sent.allocation.quantity, qty("333"));
  EXPECT_EQ(sent.allocation.accounts[0], (allocation::AccountAllocation{AccountId{"GROWTH"}, qty("166"), px("10.01"), money("1661.66"), money("2.49"), Money{}}));
  EXPECT_EQ(cash("GROWTH"), money("998335.85"));
}

// 333 @ 10.01 (commission 5.00), then DoneForDay: the allocation of 333 goes out and is accepted. The broker then
// fills the other 667 @ 10.01 late: the allocation is fixed again for 1,000 (reason "late fill", version 2,
// RefAllocID the accepted one) and sent. 1,000 @ 10.01 = 10,010.00 -> 5,005.00 / 3,003.00 / 2,002.00, commission
// 5.00 -> 2.50 / 1.50 / 1.00: GROWTH 1,000,000 - 5,005.00 - 2.50 = 994,992.50.
TEST_F(BlockMoneyTest, LateFillAfterDoneForDayFixesAndSendsAReplacement) {
  const OrderId id = place_block();
  deliver(fill(id, "e1", "333", "10.01", "333", "667", "5.00"));
  auto done = report(id, ExecType::DoneForDay, "e2");
  done.ord_status = OrdStatus::DoneForDay;
  done.cum_qty = qty("333");
  done.leaves_qty = qty("0");
  deliver(done);
  ASSERT_EQ(gateway.count('J'), 1u);
  ack("T-1-A1", '0');
  ASSERT_EQ(allocation(id)->status, "accepted");
  auto late = trade(id, "e3", "667", "10.01", "1000", "0", "10.01");
  deliver(late);
  ASSERT_EQ(gateway.count('J'), 2u);
  const auto sent = gateway.allocations_sent().back();
  EXPECT_EQ(sent.alloc_id, "T-1-A2");
  EXPECT_EQ(sent.ref_alloc_id, "T-1-A1");
  EXPECT_EQ(sent.reason, "late fill");
  EXPECT_EQ(sent.allocation.version, 2u);
  EXPECT_EQ(sent.allocation.quantity, qty("1000"));
  EXPECT_EQ(sent.allocation.accounts[0], (allocation::AccountAllocation{AccountId{"GROWTH"}, qty("500"), px("10.01"), money("5005.00"), money("2.50"), Money{}}));
  EXPECT_EQ(sent.allocation.accounts[2], (allocation::AccountAllocation{AccountId{"BALANCED"}, qty("200"), px("10.01"), money("2002.00"), money("1.00"), Money{}}));
  EXPECT_EQ(allocation(id)->status, "sent");
  EXPECT_EQ(cash("GROWTH"), money("994992.50"));
  EXPECT_EQ(cash("INCOME"), money("996995.50"));
  EXPECT_EQ(position("BALANCED").quantity, qty("200"));
}

TEST_F(BlockMoneyTest, BustAfterCompletionSendsARecomputedReplacement) {
  const OrderId id = place_block();
  fill_three(id);
  bust(id, "e4", "e3", "666", "334");
  // What is left: e1 + e2 = 666 shares, gross 6,669.99, commission 6.66, AvgPx 10.015 (exact).
  // Final quantities 333 / 200 / 133 (exact shares 333 / 199.8 / 133.2, capped by the targets).
  //   gross 666,999 cents x (333, 200, 133) / 666 = 333,499.5 / 200,300.3 / 133,199.5 -> the last cent goes to
  //   the tie of .5 with the lower id, BALANCED -> 3,334.99 / 2,003.00 / 1,332.00; commission 666 cents ->
  //   3.33 / 2.00 / 1.33
  ASSERT_EQ(gateway.count('J'), 2u);
  const auto sent = gateway.allocations_sent().back();
  EXPECT_EQ(sent.ref_alloc_id, "T-1-A1");
  EXPECT_EQ(sent.allocation.quantity, qty("666"));
  EXPECT_EQ(sent.allocation.avg_px, px("10.015"));
  EXPECT_EQ(sent.allocation.accounts[2], (allocation::AccountAllocation{AccountId{"BALANCED"}, qty("133"), px("10.015"), money("1332.00"), money("1.33"), Money{}}));
  EXPECT_EQ(cash("GROWTH"), money("996661.68"));   // 1,000,000 - 3,334.99 - 3.33
  EXPECT_EQ(cash("BALANCED"), money("998666.67"));  // 1,000,000 - 1,332.00 - 1.33
  EXPECT_EQ(position("BALANCED").quantity, qty("133"));
}

// Every fill busted after completion: the allocation is withdrawn (AllocTransType 2) and the funds are back where
// they started; when the block fills again a new allocation goes out, replacing nothing.
TEST_F(BlockMoneyTest, AllocationIsCanceledWhenEveryFillIsBusted) {
  const OrderId id = place_block();
  deliver(fill(id, "e1", "1000", "10", "1000", "0", "1.00"));
  ASSERT_EQ(allocation(id)->fixed.alloc_id, "T-1-A1");
  bust(id, "e2", "e1", "0", "1000");
  EXPECT_EQ(allocation(id)->status, "canceled");
  const auto sent = gateway.sent();
  ASSERT_EQ(gateway.count('J'), 2u);
  EXPECT_EQ(sent.back().text, "T-1-A1 cancel");
  for (const char* fund : {"GROWTH", "INCOME", "BALANCED"}) EXPECT_EQ(cash(fund), money("1000000")) << fund;
  EXPECT_EQ(position("INCOME").quantity, qty("0"));
  ack("T-1-A1-C", '0');  // the broker's ack of the cancel is recorded and changes nothing
  EXPECT_EQ(allocation(id)->status, "canceled");

  deliver(fill(id, "e3", "1000", "10.5", "1000", "0", "0"));
  const auto again = gateway.allocations_sent().back();
  EXPECT_EQ(again.alloc_id, "T-1-A2");
  EXPECT_EQ(again.ref_alloc_id, "");
  EXPECT_EQ(again.allocation.avg_px, px("10.5"));
  EXPECT_EQ(allocation(id)->status, "sent");
  EXPECT_EQ(cash("INCOME"), money("996850"));  // 300 x 10.5
}

TEST_F(BlockMoneyTest, AllocationNotSentWhileTheBrokerIsDownGoesOutAtLogon) {
  const OrderId id = place_block();
  gateway.set_down(BrokerId{"BROKER"}, true);
  fill_three(id);
  EXPECT_EQ(allocation(id)->status, "not_sent");
  gateway.set_down(BrokerId{"BROKER"}, false);
  engine->on_session_logon(BrokerId{"BROKER"});
  engine->sync();
  EXPECT_EQ(gateway.count('J'), 1u);
  EXPECT_EQ(allocation(id)->status, "sent");
}

// Amendments are re-checked by compliance for the shares each account would receive beyond its current line.
// Rule: at most 500 shares of one instrument. GROWTH holds 100 AAPL at the start of day; a 600 block is filled
// 300 / 300, so GROWTH holds 400. Moving 150 more to GROWTH would make 550 (refused); 50 more makes 450.
TEST_F(BlockMoneyTest, AmendmentIsRecheckedByCompliancePerAccount) {
  compliance::RuleBookHolder holder;
  auto loaded = compliance::load_rule_text(R"yaml(rules:
  - id: pos-500
    description: At most 500 shares of one instrument
    type: position_limit
    max_shares: 500
    severity: block
)yaml",
                                           "rules.yaml");
  ASSERT_TRUE(loaded.ok());
  holder.install(loaded.book, "test", clock.now());
  rules = &holder;
  restart();
  OrderSpec s = limit_buy("600", "11");
  s.account = AccountId{};
  s.allocations = {{AccountId{"GROWTH"}, qty("300")}, {AccountId{"INCOME"}, qty("300")}};
  const OrderId id = place(s);
  deliver(fill(id, "e1", "600", "10", "600", "0", "0"));
  ASSERT_EQ(position("GROWTH").quantity, qty("400"));
  auto refused = engine->amend_allocation({id, {{AccountId{"GROWTH"}, qty("450")}, {AccountId{"INCOME"}, qty("150")}},
                                           UserId{"alice"}})
                     .get();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::rejected);
  EXPECT_NE(refused.error().message.find("pos-500 (GROWTH)"), std::string::npos) << refused.error().message;
  EXPECT_EQ(gateway.count('J'), 1u);
  EXPECT_EQ(position("GROWTH").quantity, qty("400"));
  ASSERT_TRUE(engine->amend_allocation({id, {{AccountId{"GROWTH"}, qty("350")}, {AccountId{"INCOME"}, qty("250")}},
                                        UserId{"alice"}})
                  .get()
                  .ok());
  EXPECT_EQ(position("GROWTH").quantity, qty("450"));
  EXPECT_NE(allocation(id)->fixed.reason.find("compliance accepted"), std::string::npos) << allocation(id)->fixed.reason;
  engine->stop();
  engine.reset();  // before the rule book holder goes out of scope
}

TEST_F(BlockMoneyTest, AmendmentOfAnAllocationNeverHandedOverIsANewOne) {
  const OrderId id = place_block();
  gateway.set_down(BrokerId{"BROKER"}, true);
  fill_three(id);
  gateway.set_down(BrokerId{"BROKER"}, false);
  ASSERT_TRUE(engine->amend_allocation({id,
                                        {{AccountId{"GROWTH"}, qty("400")}, {AccountId{"INCOME"}, qty("400")},
                                         {AccountId{"BALANCED"}, qty("200")}},
                                        UserId{"alice"}})
                  .get()
                  .ok());
  ASSERT_EQ(gateway.count('J'), 1u);
  EXPECT_EQ(gateway.allocations_sent().back().alloc_id, "T-1-A2");
  EXPECT_EQ(gateway.allocations_sent().back().ref_alloc_id, "");  // the broker never had T-1-A1
}

TEST_F(EngineFixture, SingleFundBustGivesBackTheCommission) {
  const OrderId id = place(limit_buy("100", "191"));
  auto r = trade(id, "e1", "100", "190", "100", "0", "190");
  r.commission = money("1.25");
  deliver(r);
  EXPECT_EQ(read([](const EngineState& s) { return s.cash().at(AccountId{"GROWTH"}); }), money("980998.75"));
  auto bust = report(id, ExecType::TradeCancel, "e2");
  bust.ref_exec_id = ExecID{"e1"};
  bust.cum_qty = qty("0");
  bust.leaves_qty = qty("100");
  deliver(bust);
  EXPECT_EQ(read([](const EngineState& s) { return s.cash().at(AccountId{"GROWTH"}); }), money("1000000"));
}

}  // namespace
}  // namespace oms::engine::test
