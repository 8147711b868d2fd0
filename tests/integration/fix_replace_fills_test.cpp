// A replace of quantity and price between fills, over real FIX (FIX 4.4 and 4.2): the simulator fills SLOWFILL
// in 4 slices 400 ms apart at the limit price; after the first fill the order is replaced (more quantity, a
// new price), and the fills go on against the new order. The record must equal the simulator's journal:
// every trade (ExecID, LastQty, LastPx), CumQty, AvgPx and the position.
#include "oms/core/fixed.hpp"
#include "oms_harness.hpp"

namespace oms::test {
namespace {

class FixReplaceFills : public ::testing::TestWithParam<std::string> {
 protected:
  static void SetUpTestSuite() {
    oms_ = new OmsHarness("fix-replace-fills");
    ASSERT_TRUE(oms_->wait_logged_on()) << oms_->omsd().output();
  }
  static void TearDownTestSuite() {
    delete oms_;
    oms_ = nullptr;
  }
  static OmsHarness* oms_;
};
OmsHarness* FixReplaceFills::oms_ = nullptr;

TEST_P(FixReplaceFills, FillsBeforeAndAfterAReplaceAddUpToTheBrokersFigures) {
  const std::string broker = GetParam();
  const auto before = oms_->query("SELECT quantity FROM positions WHERE account = 'INCOME' AND symbol = 'SLOWFILL'");
  const auto id = oms_->place(limit_order("SLOWFILL", "buy", 100, "50", "INCOME", broker));
  const std::string first = [&] {
    EXPECT_TRUE(oms_->wait_order(id, "status", "PartiallyFilled")) << oms_->order(id).dump();
    return oms_->order(id)["cl_ord_id"].get<std::string>();
  }();
  int status = 0;
  oms_->call("POST", "/api/v1/orders/" + std::to_string(id) + "/replace",
             json{{"quantity", 160}, {"limit_price", "50.5"}}, &status);
  ASSERT_EQ(status, 202);
  ASSERT_TRUE(wait_until([&] { return oms_->order(id)["quantity"] == "160"; })) << oms_->order(id).dump();
  ASSERT_TRUE(oms_->wait_order(id, "status", "Filled")) << oms_->order(id).dump();
  const auto o = oms_->order(id);
  const std::string second = o["cl_ord_id"];
  EXPECT_NE(second, first);
  EXPECT_EQ(o["limit_price"], "50.5");
  EXPECT_EQ(o["cum_qty"], "160");
  EXPECT_FALSE(o["broken"].get<bool>()) << o.dump();

  // The broker's side: its trades for this order (either ClOrdID of the chain), and its last figures.
  std::map<std::string, json> broker_trades;  // by ExecID
  json last;
  int before_replace = 0, after_replace = 0;
  for (const auto& j : oms_->journal()) {
    if (j["event"] != "report" || (j["ClOrdID"] != first && j["ClOrdID"] != second)) continue;
    last = j;
    if (j["ExecType"] != "F" && j["ExecType"] != "1" && j["ExecType"] != "2") continue;
    broker_trades[j["ExecID"]] = j;
    (j["ClOrdID"] == first ? before_replace : after_replace)++;
  }
  EXPECT_GE(before_replace, 1);
  EXPECT_GE(after_replace, 1);
  EXPECT_EQ(last["CumQty"], "160");
  EXPECT_EQ(o["cum_qty"], last["CumQty"]);
  EXPECT_EQ(o["avg_px"], last["AvgPx"]);
  EXPECT_NE(o["avg_px"], "50");  // fills at both prices
  EXPECT_NE(o["avg_px"], "50.5");

  // The record's trades are the broker's, one for one, quantity and price.
  const auto rows = oms_->query("SELECT exec_id, last_qty, last_px FROM executions WHERE is_trade = 1 AND order_id = " +
                                std::to_string(id));
  ASSERT_EQ(rows.size(), broker_trades.size());
  for (const auto& row : rows) {
    ASSERT_TRUE(broker_trades.count(row[0])) << row[0];
    const auto& t = broker_trades[row[0]];
    EXPECT_EQ(row[1], std::to_string(Quantity::parse(t["LastQty"].get<std::string>())->raw()));
    EXPECT_EQ(row[2], std::to_string(Price::parse(t["LastPx"].get<std::string>())->raw()));
  }
  // The position moved by exactly the broker's CumQty.
  const auto after = oms_->query("SELECT quantity FROM positions WHERE account = 'INCOME' AND symbol = 'SLOWFILL'");
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(std::stoll(after[0][0]) - (before.empty() ? 0 : std::stoll(before[0][0])),
            Quantity::parse(last["CumQty"].get<std::string>())->raw());
}

INSTANTIATE_TEST_SUITE_P(Sessions, FixReplaceFills, ::testing::Values("BROKER", "BROKER42"));

}  // namespace
}  // namespace oms::test
