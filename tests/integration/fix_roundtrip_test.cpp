// The real omsd and the real oms-broker-sim over FIX on 127.0.0.1: orders entered through the HTTP API,
// checked in the order book record (SQLite) and against the broker's journal.
#include "oms_harness.hpp"

namespace oms::test {
namespace {

class FixRoundTrip : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    oms_ = new OmsHarness("fix-roundtrip");
    ASSERT_TRUE(oms_->wait_logged_on()) << oms_->omsd().output();
  }
  static void TearDownTestSuite() {
    delete oms_;
    oms_ = nullptr;
  }
  // Trades recorded for an order: (exec_id, last_qty raw) in the executions table.
  static std::size_t trades(std::uint64_t id) {
    return oms_->query("SELECT exec_id FROM executions WHERE is_trade = 1 AND order_id = " + std::to_string(id)).size();
  }
  static OmsHarness* oms_;
};
OmsHarness* FixRoundTrip::oms_ = nullptr;

TEST_F(FixRoundTrip, NewOrderIsFilledAndRecorded) {
  const auto id = oms_->place(limit_order("AAPL", "buy", 100, "190.25"));
  ASSERT_TRUE(oms_->wait_order(id, "status", "Filled")) << oms_->order(id).dump();
  const auto o = oms_->order(id);
  EXPECT_EQ(o["cum_qty"], "100");
  EXPECT_EQ(o["avg_px"], "190.25");
  EXPECT_EQ(o["workflow"], "routed");
  EXPECT_EQ(trades(id), 1u);
  // The broker saw exactly one NewOrderSingle for it.
  int orders_seen = 0;
  for (const auto& j : oms_->journal())
    if (j["event"] == "order" && j["ClOrdID"] == o["cl_ord_id"]) ++orders_seen;
  EXPECT_EQ(orders_seen, 1);
}

TEST_F(FixRoundTrip, PartialFillsAddUpExactly) {
  const auto id = oms_->place(limit_order("PARTIAL", "buy", 1001, "25.01", "INCOME"));
  ASSERT_TRUE(oms_->wait_order(id, "status", "Filled")) << oms_->order(id).dump();
  EXPECT_EQ(oms_->order(id)["cum_qty"], "1001");
  EXPECT_EQ(trades(id), 4u);
  EXPECT_FALSE(oms_->order(id)["broken"].get<bool>());
}

TEST_F(FixRoundTrip, BrokerRejectIsRecorded) {
  const auto id = oms_->place(limit_order("REJECTME", "buy", 10, "10"));
  ASSERT_TRUE(oms_->wait_order(id, "status", "Rejected")) << oms_->order(id).dump();
  EXPECT_EQ(oms_->order(id)["cum_qty"], "0");
}

TEST_F(FixRoundTrip, CancelOfARestingOrder) {
  const auto id = oms_->place(limit_order("MSFT", "sell", 50, "420"));
  ASSERT_TRUE(oms_->wait_order(id, "status", "New"));
  int status = 0;
  oms_->call("POST", "/api/v1/orders/" + std::to_string(id) + "/cancel", json::object(), &status);
  EXPECT_EQ(status, 202);
  ASSERT_TRUE(oms_->wait_order(id, "status", "Canceled")) << oms_->order(id).dump();
}

TEST_F(FixRoundTrip, CancelRejectLeavesTheOrderWorking) {
  const auto id = oms_->place(limit_order("GOOGL", "buy", 50, "160"));
  ASSERT_TRUE(oms_->wait_order(id, "status", "New"));
  oms_->call("POST", "/api/v1/orders/" + std::to_string(id) + "/cancel", json::object());
  ASSERT_TRUE(wait_until([&] { return !oms_->order(id).contains("pending_cl_ord_id"); })) << oms_->order(id).dump();
  EXPECT_EQ(oms_->order(id)["status"], "New");
}

TEST_F(FixRoundTrip, ReplaceQuantityAndPrice) {
  const auto id = oms_->place(limit_order("MSFT", "buy", 100, "400"));
  ASSERT_TRUE(oms_->wait_order(id, "status", "New"));
  const std::string first = oms_->order(id)["cl_ord_id"];
  int status = 0;
  oms_->call("POST", "/api/v1/orders/" + std::to_string(id) + "/replace",
             json{{"quantity", 150}, {"limit_price", "401.5"}}, &status);
  EXPECT_EQ(status, 202);
  ASSERT_TRUE(wait_until([&] { return oms_->order(id)["quantity"] == "150"; })) << oms_->order(id).dump();
  const auto o = oms_->order(id);
  EXPECT_EQ(o["limit_price"], "401.5");
  EXPECT_NE(o["cl_ord_id"], first);
  EXPECT_EQ(o["leaves_qty"], "150");
}

TEST_F(FixRoundTrip, UnsolicitedDoneForDay) {
  const auto id = oms_->place(limit_order("XOM", "buy", 100, "115"));
  ASSERT_TRUE(oms_->wait_order(id, "status", "DoneForDay")) << oms_->order(id).dump();
}

TEST_F(FixRoundTrip, TradeBustReversesThePosition) {
  const auto before = oms_->query("SELECT quantity FROM positions WHERE account='INCOME' AND symbol='JPM'");
  const auto id = oms_->place(limit_order("JPM", "buy", 100, "200", "INCOME"));
  ASSERT_TRUE(wait_until([&] { return trades(id) == 2u; })) << oms_->order(id).dump();  // the fill and its bust
  ASSERT_TRUE(wait_until([&] { return oms_->order(id)["cum_qty"] == "0"; })) << oms_->order(id).dump();
  const auto after = oms_->query("SELECT quantity FROM positions WHERE account='INCOME' AND symbol='JPM'");
  ASSERT_EQ(after.size(), 1u);
  EXPECT_EQ(after[0][0], before.empty() ? "0" : before[0][0]);
}

TEST_F(FixRoundTrip, Fix42SessionFillsToo) {
  const auto id = oms_->place(limit_order("AMZN", "sell", 30, "181", "GROWTH", "BROKER42"));
  ASSERT_TRUE(oms_->wait_order(id, "status", "Filled")) << oms_->order(id).dump();
  EXPECT_EQ(oms_->order(id)["cum_qty"], "30");
  EXPECT_EQ(trades(id), 2u);
  bool seen_on_42 = false;
  for (const auto& j : oms_->journal())
    if (j["event"] == "order" && j["ClOrdID"] == oms_->order(id)["cl_ord_id"])
      seen_on_42 = j["session"].get<std::string>().rfind("FIX.4.2", 0) == 0;
  EXPECT_TRUE(seen_on_42);
}

TEST_F(FixRoundTrip, RecordAgreesWithTheBrokersJournal) {
  // Every trade the broker reported is recorded exactly once (ExecIDs match one to one). ctest runs each
  // test in its own process, so this one makes its own trades.
  const auto a = oms_->place(limit_order("AAPL", "buy", 10, "190"));
  const auto b = oms_->place(limit_order("PARTIAL", "sell", 9, "25", "INCOME"));
  ASSERT_TRUE(oms_->wait_order(a, "status", "Filled"));
  ASSERT_TRUE(oms_->wait_order(b, "status", "Filled"));
  ASSERT_TRUE(wait_until([&] {
    std::set<std::string> sent;
    for (const auto& j : oms_->journal())
      if (j["event"] == "report" && (j["ExecType"] == "F" || j["ExecType"] == "1" || j["ExecType"] == "2" ||
                                     j["ExecType"] == "H"))
        sent.insert(j["ExecID"].get<std::string>());
    std::set<std::string> recorded;
    for (const auto& row : oms_->query("SELECT exec_id FROM executions WHERE is_trade = 1")) recorded.insert(row[0]);
    return !sent.empty() && sent == recorded;
  }));
}

}  // namespace
}  // namespace oms::test
