#include "engine_fixture.hpp"

namespace oms::engine::test {
namespace {

class BlockOrderTest : public EngineFixture {
 protected:
  OrderSpec block_buy() {
    OrderSpec s = limit_buy("1000", "191");
    s.account = AccountId{};
    s.allocations = {{AccountId{"GROWTH"}, qty("500")}, {AccountId{"INCOME"}, qty("300")},
                     {AccountId{"BALANCED"}, qty("200")}};
    return s;
  }
  Quantity pos(const char* account) {
    const AccountId id{account};
    return read([id](const EngineState& s) { return s.position(id, Symbol{"AAPL"}); });
  }
  Money cash(const char* account) {
    const AccountId id{account};
    return read([id](const EngineState& s) { return s.cash().at(id); });
  }
};

// 1,000 shares for three funds 50/30/20, filled 333 + 333 + 334. After each fill the funds hold their
// running allocation (largest remainder of the shortfall, ties to the lower id) and nothing else:
//   333  -> exact 166.5 / 99.9 / 66.6; floors 166 / 99 / 66 leave 2 shares for the largest remainders
//           (.9 INCOME, .6 BALANCED)  -> 166 / 100 / 67
//   666  -> 333 / 199.8 / 133.2   -> 333 / 200 / 133
//   1000 -> 500 / 300 / 200
TEST_F(BlockOrderTest, FillsAreAllocatedAcrossFundsAndNeverCreateOrLoseShares) {
  const OrderId id = place(block_buy());
  ASSERT_EQ(gateway.count('D'), 1u);
  deliver(trade(id, "e1", "333", "10", "333", "667", "10"));
  EXPECT_EQ(pos("GROWTH"), qty("266"));  // 100 held at start of day + 166
  EXPECT_EQ(pos("INCOME"), qty("100"));
  EXPECT_EQ(pos("BALANCED"), qty("67"));
  deliver(trade(id, "e2", "333", "10", "666", "334", "10"));
  EXPECT_EQ(pos("GROWTH"), qty("433"));
  EXPECT_EQ(pos("INCOME"), qty("200"));
  EXPECT_EQ(pos("BALANCED"), qty("133"));
  deliver(trade(id, "e3", "334", "10", "1000", "0", "10"));
  EXPECT_EQ(pos("GROWTH"), qty("600"));
  EXPECT_EQ(pos("INCOME"), qty("300"));
  EXPECT_EQ(pos("BALANCED"), qty("200"));
  EXPECT_EQ(cash("GROWTH"), money("995000"));
  EXPECT_EQ(cash("INCOME"), money("997000"));
  EXPECT_EQ(cash("BALANCED"), money("998000"));
  const auto final_alloc = read([id](const EngineState& s) { return s.block(id)->final_allocation(); });
  ASSERT_TRUE(final_alloc.has_value());
  EXPECT_EQ(final_alloc->quantity, qty("1000"));
}

TEST_F(BlockOrderTest, BustAfterAllocationReversesEachFundsPiece) {
  const OrderId id = place(block_buy());
  deliver(trade(id, "e1", "333", "10", "333", "667", "10"));
  auto bust = report(id, ExecType::TradeCancel, "e2");
  bust.ref_exec_id = ExecID{"e1"};
  bust.cum_qty = qty("0");
  bust.leaves_qty = qty("1000");
  deliver(bust);
  EXPECT_EQ(pos("GROWTH"), qty("100"));
  EXPECT_EQ(pos("INCOME"), qty("0"));
  EXPECT_EQ(pos("BALANCED"), qty("0"));
  EXPECT_EQ(cash("INCOME"), money("1000000"));
}

TEST_F(BlockOrderTest, RestartRebuildsTheAllocation) {
  const OrderId id = place(block_buy());
  deliver(trade(id, "e1", "333", "10.01", "333", "667", "10.01"));
  const auto before = read([id](const EngineState& s) { return *s.block(id); });
  restart();
  const auto after = read([id](const EngineState& s) { return *s.block(id); });
  EXPECT_EQ(before, after);
  EXPECT_EQ(pos("INCOME"), qty("100"));
}

}  // namespace
}  // namespace oms::engine::test
