// Block orders end to end: omsd and oms-broker-sim over FIX. A block for three funds is filled in slices, the
// AllocationInstruction the broker journaled is checked, its ack is in the record, each fund's position and cash
// match figures worked by hand, and a restart of omsd restores them exactly.
#include "oms/core/fixed.hpp"
#include "oms_harness.hpp"

namespace oms::test {
namespace {

class AllocationFlow : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    oms_ = new OmsHarness("allocation");
    ASSERT_TRUE(oms_->wait_logged_on()) << oms_->omsd().output();
  }
  static void TearDownTestSuite() {
    delete oms_;
    oms_ = nullptr;
  }
  static json block(const std::string& symbol, int qty, const std::string& px, const std::vector<std::pair<std::string, int>>& split,
                    const std::string& broker = "") {
    json allocs = json::array();
    for (const auto& [account, q] : split) allocs.push_back({{"account", account}, {"quantity", q}});
    json o{{"allocations", allocs}, {"symbol", symbol},   {"side", "buy"}, {"ord_type", "limit"},
           {"quantity", qty},       {"limit_price", px}, {"tif", "DAY"}};
    if (!broker.empty()) o["broker"] = broker;
    return o;
  }
  // The allocations (J) the broker received for these ClOrdIDs, in order.
  static std::vector<json> broker_allocations(const std::string& cl_ord_id) {
    std::vector<json> out;
    for (const auto& j : oms_->journal())
      if (j["event"] == "allocation" && j.contains("ClOrdIDs") && !j["ClOrdIDs"].empty() && j["ClOrdIDs"][0] == cl_ord_id)
        out.push_back(j);
    return out;
  }
  static std::string cash(const json& positions, const std::string& account) {
    for (const auto& c : positions["cash"])
      if (c["account"] == account) return c["cash"];
    return "?";
  }
  static json position(const json& positions, const std::string& account, const std::string& symbol) {
    for (const auto& p : positions["positions"])
      if (p["account"] == account && p["symbol"] == symbol) return p;
    return nullptr;
  }
  // A fund's cash through the API, as Money.
  static Money cash_of(const std::string& account) {
    auto m = Money::parse(cash(oms_->call("GET", "/api/v1/positions"), account));
    return m ? *m : Money::from_int(-1);
  }
  static bool wait_allocation_status(const std::string& order, const std::string& status) {
    return wait_until([&] {
      const auto rows = oms_->query("SELECT status FROM allocations WHERE order_id = " + order + " ORDER BY version DESC LIMIT 1");
      return !rows.empty() && rows[0][0] == status;
    });
  }
  static bool journal_has(const std::string& event, const std::string& alloc_id) {
    for (const auto& j : oms_->journal())
      if (j["event"] == event && j["AllocID"] == alloc_id) return true;
    return false;
  }
  static OmsHarness* oms_;
};
OmsHarness* AllocationFlow::oms_ = nullptr;

// 1,000 PARTIAL at 25.013 for GROWTH 500 / INCOME 300 / BALANCED 200, filled by the broker in four slices of 250.
// Each slice is allocated 125 / 75 / 50 and booked at its price: 250 x 25.013 = 6,253.25, split in cents
// 625,325 x (125, 75, 50) / 250 = 312,662.5 / 187,597.5 / 125,065 -> the cent of the .5 tie to the lower id,
// GROWTH: 3,126.63 / 1,875.97 / 1,250.65 per slice. At completion every fund is rebooked at AvgPx 25.013:
// gross 25,013.00 x 5:3:2 = 12,506.50 / 7,503.90 / 5,002.60 (GROWTH -0.02 and INCOME +0.02 against the slices).
// Cash (start of day 20,000,000 / 10,000,000 / 12,000,000; the simulator charges no commission):
//   GROWTH 19,987,493.50   INCOME 9,992,496.10   BALANCED 11,994,997.40
TEST_F(AllocationFlow, BlockFilledInSlicesIsAllocatedAtAveragePriceAndAcknowledged) {
  const auto id = oms_->place(block("PARTIAL", 1000, "25.013", {{"GROWTH", 500}, {"INCOME", 300}, {"BALANCED", 200}}));
  ASSERT_TRUE(oms_->wait_order(id, "status", "Filled")) << oms_->order(id).dump();
  const std::string cl_ord_id = oms_->order(id)["cl_ord_id"];
  const std::string order = std::to_string(id);
  ASSERT_TRUE(wait_until([&] {
    return oms_->query("SELECT status FROM allocations WHERE order_id = " + order) ==
           std::vector<std::vector<std::string>>{{"accepted"}};
  })) << oms_->omsd().output();
  EXPECT_EQ(oms_->query("SELECT COUNT(*) FROM executions WHERE is_trade = 1 AND order_id = " + order)[0][0], "4");

  // What the broker received.
  const auto sent = broker_allocations(cl_ord_id);
  ASSERT_EQ(sent.size(), 1u);
  const json& j = sent[0];
  EXPECT_EQ(j["session"], "FIX.4.4:BROKER->OMS");
  EXPECT_EQ(j["AllocTransType"], "0");
  EXPECT_EQ(j["AllocType"], "1");
  EXPECT_EQ(j["RefAllocID"], "");
  EXPECT_EQ(j["Side"], "1");
  EXPECT_EQ(j["Symbol"], "PARTIAL");
  EXPECT_EQ(j["Quantity"], "1000");
  EXPECT_EQ(j["AvgPx"], "25.013");
  EXPECT_EQ(j["GrossTradeAmt"], "25013.00");
  const json want_allocs = json::array({{{"AllocAccount", "GROWTH"}, {"AllocQty", "500"}, {"Commission", "0.00"}},
                                        {{"AllocAccount", "INCOME"}, {"AllocQty", "300"}, {"Commission", "0.00"}},
                                        {{"AllocAccount", "BALANCED"}, {"AllocQty", "200"}, {"Commission", "0.00"}}});
  EXPECT_EQ(j["NoAllocs"], want_allocs);
  // Its ack is in the record, and the allocation's lines match what was sent.
  const std::string alloc_id = j["AllocID"];
  bool acked = false;
  for (const auto& a : oms_->journal())
    if (a["event"] == "alloc_ack" && a["AllocID"] == alloc_id && a["AllocStatus"] == "0") acked = true;
  EXPECT_TRUE(acked);
  EXPECT_EQ(oms_->query("SELECT alloc_id, quantity, avg_px, gross FROM allocations WHERE order_id = " + order),
            (std::vector<std::vector<std::string>>{{alloc_id, "10000000", "25013000", "250130000"}}));
  EXPECT_EQ(oms_->query("SELECT account, quantity, gross FROM allocation_accounts WHERE alloc_id = '" + alloc_id +
                        "' ORDER BY account"),
            (std::vector<std::vector<std::string>>{{"BALANCED", "2000000", "50026000"},
                                                   {"GROWTH", "5000000", "125065000"},
                                                   {"INCOME", "3000000", "75039000"}}));
  const json view = oms_->call("GET", "/api/v1/orders/" + order + "/allocation")["allocation"];
  EXPECT_EQ(view["allocation"]["status"], "accepted");
  EXPECT_EQ(view["state"], "Accepted");

  // Positions and cash of each fund, through the API and in the record (whose cash table holds the changes
  // since the start of day).
  const json positions = oms_->call("GET", "/api/v1/positions");
  EXPECT_EQ(cash(positions, "GROWTH"), "19987493.5");
  EXPECT_EQ(cash(positions, "INCOME"), "9992496.1");
  EXPECT_EQ(cash(positions, "BALANCED"), "11994997.4");
  EXPECT_EQ(position(positions, "GROWTH", "PARTIAL"),
            (json{{"account", "GROWTH"}, {"symbol", "PARTIAL"}, {"quantity", "500"}, {"cost", "12506.5"}}));
  EXPECT_EQ(position(positions, "INCOME", "PARTIAL")["cost"], "7503.9");
  EXPECT_EQ(position(positions, "BALANCED", "PARTIAL")["quantity"], "200");
  EXPECT_EQ(oms_->query("SELECT account, quantity, cost FROM positions WHERE symbol = 'PARTIAL' ORDER BY account"),
            (std::vector<std::vector<std::string>>{{"BALANCED", "2000000", "50026000"},
                                                   {"GROWTH", "5000000", "125065000"},
                                                   {"INCOME", "3000000", "75039000"}}));
  EXPECT_EQ(oms_->query("SELECT account, cash FROM cash ORDER BY account"),
            (std::vector<std::vector<std::string>>{{"BALANCED", "-50026000"},
                                                   {"GROWTH", "-125065000"},
                                                   {"INCOME", "-75039000"}}));
  // The amendment of an accepted allocation is refused.
  int status = 0;
  oms_->call("POST", "/api/v1/orders/" + order + "/allocation",
             {{"allocations", {{{"account", "GROWTH"}, {"quantity", "1000"}}}}}, &status);
  EXPECT_EQ(status, 409);
}

// The same over the FIX 4.2 session: Allocation (J) with Shares and AllocShares, acked with AllocationAck (P).
// 300 AMZN at 180.07 in two slices of 150 for 100 each: each fund 18,007.00.
TEST_F(AllocationFlow, Fix42SessionGetsTheFix42Allocation) {
  const auto id = oms_->place(block("AMZN", 300, "180.07", {{"GROWTH", 100}, {"INCOME", 100}, {"BALANCED", 100}}, "BROKER42"));
  ASSERT_TRUE(oms_->wait_order(id, "status", "Filled")) << oms_->order(id).dump();
  const std::string order = std::to_string(id);
  ASSERT_TRUE(wait_until([&] {
    return oms_->query("SELECT status FROM allocations WHERE order_id = " + order) ==
           std::vector<std::vector<std::string>>{{"accepted"}};
  })) << oms_->omsd().output();
  const auto sent = broker_allocations(oms_->order(id)["cl_ord_id"]);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0]["session"], "FIX.4.2:BROKER42->OMS42");
  EXPECT_EQ(sent[0]["Quantity"], "300");
  EXPECT_EQ(sent[0]["AvgPx"], "180.07");
  EXPECT_EQ(sent[0]["NoAllocs"].size(), 3u);
  EXPECT_EQ(oms_->query("SELECT SUM(a.gross) FROM allocation_accounts a JOIN allocations b USING(alloc_id) WHERE b.order_id = " +
                        order),
            (std::vector<std::vector<std::string>>{{"540210000"}}));
}

// The broker busts the only fill after the allocation went out (JPM in the simulator): the allocation is withdrawn
// with AllocTransType 2 naming it, and the funds hold what they held at the start of day.
TEST_F(AllocationFlow, BustOfEveryFillCancelsTheAllocation) {
  const auto id = oms_->place(block("JPM", 100, "200.5", {{"GROWTH", 50}, {"INCOME", 50}}));
  const std::string order = std::to_string(id);
  ASSERT_TRUE(wait_until([&] {
    return oms_->query("SELECT status FROM allocations WHERE order_id = " + order) ==
           std::vector<std::vector<std::string>>{{"canceled"}};
  })) << oms_->omsd().output();
  const std::string cl_ord_id = oms_->order(id)["cl_ord_id"];
  std::vector<json> sent;
  ASSERT_TRUE(wait_until([&] {
    sent = broker_allocations(cl_ord_id);
    return sent.size() == 2;
  }));
  EXPECT_EQ(sent[0]["AllocTransType"], "0");
  EXPECT_EQ(sent[1]["AllocTransType"], "2");
  EXPECT_EQ(sent[1]["RefAllocID"], sent[0]["AllocID"]);
  const json positions = oms_->call("GET", "/api/v1/positions");
  EXPECT_EQ(position(positions, "INCOME", "JPM"),
            (json{{"account", "INCOME"}, {"symbol", "JPM"}, {"quantity", "8000"}, {"cost", "1400000"}}));
  EXPECT_EQ(position(positions, "GROWTH", "JPM")["quantity"], "0");
}

// Acceptance 4: after omsd stops and starts again, positions and cash are exactly what they were, both through
// the API (rebuilt from the event log) and in the record's derived tables.
TEST_F(AllocationFlow, PositionsAreRestoredExactlyAfterARestart) {
  const auto id = oms_->place(block("PARTIAL", 200, "25.017", {{"GROWTH", 100}, {"INCOME", 60}, {"BALANCED", 40}}));
  ASSERT_TRUE(oms_->wait_order(id, "status", "Filled"));
  ASSERT_TRUE(wait_until([&] {
    return oms_->query("SELECT status FROM allocations WHERE order_id = " + std::to_string(id)) ==
           std::vector<std::vector<std::string>>{{"accepted"}};
  }));
  const json before = oms_->call("GET", "/api/v1/positions");
  const json allocation_before = oms_->call("GET", "/api/v1/orders/" + std::to_string(id) + "/allocation");
  const auto sql_positions = oms_->query("SELECT account, symbol, quantity, cost FROM positions ORDER BY account, symbol");
  const auto sql_cash = oms_->query("SELECT account, cash FROM cash ORDER BY account");
  ASSERT_EQ(oms_->stop_omsd(SIGTERM), 0);
  oms_->start_omsd();
  ASSERT_TRUE(oms_->wait_logged_on());
  EXPECT_EQ(oms_->call("GET", "/api/v1/positions"), before);
  EXPECT_EQ(oms_->call("GET", "/api/v1/orders/" + std::to_string(id) + "/allocation"), allocation_before);
  EXPECT_EQ(oms_->query("SELECT account, symbol, quantity, cost FROM positions ORDER BY account, symbol"), sql_positions);
  EXPECT_EQ(oms_->query("SELECT account, cash FROM cash ORDER BY account"), sql_cash);
  // Nothing was sent twice: the accepted allocation is not resent at logon.
  EXPECT_EQ(broker_allocations(oms_->order(id)["cl_ord_id"]).size(), 1u);
}

// What the broker answers to an allocation (sim behaviours alloc: reject | hold | received), each on a fresh pair of
// processes so the funds' cash is known at the start.
class AllocationAtBroker : public AllocationFlow {
 protected:
  static void SetUpTestSuite() {
    oms_ = new OmsHarness("allocation-broker");
    ASSERT_TRUE(oms_->wait_logged_on()) << oms_->omsd().output();
  }
};

// GOOG: the broker rejects the J (AllocStatus 1, AllocRejCode 0 unknown account). 100 at 171 for GROWTH 60 /
// INCOME 40: the fill moved 10,260.00 / 6,840.00; the reject moves nothing, raises an alert, and the record holds
// the status, the code and the text.
TEST_F(AllocationAtBroker, RejectedAllocationIsRecordedAndAlertedAndMovesNoMoney) {
  const Money growth0 = cash_of("GROWTH"), income0 = cash_of("INCOME");
  const auto id = oms_->place(block("GOOG", 100, "171", {{"GROWTH", 60}, {"INCOME", 40}}));
  const std::string order = std::to_string(id);
  ASSERT_TRUE(wait_allocation_status(order, "rejected")) << oms_->omsd().output();
  const auto sent = broker_allocations(oms_->order(id)["cl_ord_id"]);
  ASSERT_EQ(sent.size(), 1u);
  const std::string alloc_id = sent[0]["AllocID"];
  bool journaled = false;
  for (const auto& j : oms_->journal())
    if (j["event"] == "alloc_ack" && j["AllocID"] == alloc_id)
      journaled = j["AllocStatus"] == "1" && j["AllocRejCode"] == "0" && j["Text"] == "unknown account INCOME";
  EXPECT_TRUE(journaled);
  EXPECT_EQ(oms_->query("SELECT alloc_id, status, rej_code, status_text FROM allocations WHERE order_id = " + order),
            (std::vector<std::vector<std::string>>{{alloc_id, "rejected", "0", "unknown account INCOME"}}));
  const json view = oms_->call("GET", "/api/v1/orders/" + order + "/allocation")["allocation"];
  EXPECT_EQ(view["allocation"]["status"], "rejected") << view.dump();
  // The record is written before the engine's state moves on: wait for the alert there.
  json alerts;
  EXPECT_TRUE(wait_until([&] {
    alerts = oms_->call("GET", "/api/v1/alerts")["alerts"];
    for (const auto& a : alerts)
      if (a.dump().find("allocation_rejected") != std::string::npos && a.dump().find(alloc_id) != std::string::npos) return true;
    return false;
  })) << alerts.dump();
  EXPECT_EQ(oms_->query("SELECT account, quantity, cost FROM positions WHERE symbol = 'GOOG' ORDER BY account"),
            (std::vector<std::vector<std::string>>{{"GROWTH", "600000", "102600000"}, {"INCOME", "400000", "68400000"}}));
  EXPECT_EQ((cash_of("GROWTH") - growth0).to_string(), "-10260");
  EXPECT_EQ((cash_of("INCOME") - income0).to_string(), "-6840");
}

// TM: the broker only says it received the J (AllocStatus 3): the allocation is received, not accepted.
TEST_F(AllocationAtBroker, ReceivedAllocationStaysReceived) {
  const auto id = oms_->place(block("TM", 200, "2800", {{"GROWTH", 100}, {"INCOME", 100}}));
  const std::string order = std::to_string(id);
  ASSERT_TRUE(wait_allocation_status(order, "received")) << oms_->omsd().output();
  const json view = oms_->call("GET", "/api/v1/orders/" + order + "/allocation")["allocation"];
  EXPECT_EQ(view["allocation"]["status"], "received") << view.dump();
}

// NESN: the broker holds the J (no P). 200 at 95 in two fills of 100 for GROWTH 100 / INCOME 60 / BALANCED 40; the
// PM amends to 50 / 100 / 50 before any answer. The broker gets a replacement J (AllocTransType 1, RefAllocID the
// first AllocID) with the new quantities, and the funds hold exactly: GROWTH 50 x 95 = 4,750.00, INCOME 9,500.00,
// BALANCED 4,750.00, their cash down by the same.
TEST_F(AllocationAtBroker, HeldAllocationAmendedBeforeAcceptReplacesItAtTheBroker) {
  const Money growth0 = cash_of("GROWTH"), income0 = cash_of("INCOME"), balanced0 = cash_of("BALANCED");
  const auto id = oms_->place(block("NESN", 200, "95", {{"GROWTH", 100}, {"INCOME", 60}, {"BALANCED", 40}}));
  const std::string order = std::to_string(id);
  ASSERT_TRUE(wait_allocation_status(order, "sent")) << oms_->omsd().output();
  const std::string cl_ord_id = oms_->order(id)["cl_ord_id"];
  std::vector<json> sent;
  ASSERT_TRUE(wait_until([&] {
    sent = broker_allocations(cl_ord_id);
    return sent.size() == 1 && journal_has("alloc_held", sent[0]["AllocID"]);
  }));
  const std::string first = sent[0]["AllocID"];

  int status = 0;
  const json r = oms_->call("POST", "/api/v1/orders/" + order + "/allocation",
                            {{"allocations", {{{"account", "GROWTH"}, {"quantity", "50"}},
                                              {{"account", "INCOME"}, {"quantity", "100"}},
                                              {{"account", "BALANCED"}, {"quantity", "50"}}}}},
                            &status);
  ASSERT_EQ(status, 202) << r.dump();
  ASSERT_TRUE(wait_until([&] {
    sent = broker_allocations(cl_ord_id);
    return sent.size() == 2;
  }));
  EXPECT_EQ(sent[1]["AllocTransType"], "1");
  EXPECT_EQ(sent[1]["RefAllocID"], first);
  EXPECT_NE(sent[1]["AllocID"], first);
  EXPECT_EQ(sent[1]["Quantity"], "200");
  EXPECT_EQ(sent[1]["AvgPx"], "95");
  const json want = json::array({{{"AllocAccount", "GROWTH"}, {"AllocQty", "50"}, {"Commission", "0.00"}},
                                 {{"AllocAccount", "INCOME"}, {"AllocQty", "100"}, {"Commission", "0.00"}},
                                 {{"AllocAccount", "BALANCED"}, {"AllocQty", "50"}, {"Commission", "0.00"}}});
  EXPECT_EQ(sent[1]["NoAllocs"], want);
  ASSERT_TRUE(wait_allocation_status(order, "sent"));
  EXPECT_EQ(oms_->query("SELECT alloc_id, ref_alloc_id, version, amended, status FROM allocations WHERE order_id = " +
                        order + " ORDER BY version"),
            (std::vector<std::vector<std::string>>{{first, "", "1", "0", "sent"},
                                                   {sent[1]["AllocID"], first, "2", "1", "sent"}}));
  EXPECT_EQ(oms_->query("SELECT account, quantity, cost FROM positions WHERE symbol = 'NESN' ORDER BY account"),
            (std::vector<std::vector<std::string>>{{"BALANCED", "500000", "47500000"},
                                                   {"GROWTH", "500000", "47500000"},
                                                   {"INCOME", "1000000", "95000000"}}));
  EXPECT_EQ((cash_of("GROWTH") - growth0).to_string(), "-4750");
  EXPECT_EQ((cash_of("INCOME") - income0).to_string(), "-9500");
  EXPECT_EQ((cash_of("BALANCED") - balanced0).to_string(), "-4750");
}

// SAP: 200 at 180 for GROWTH 100 / INCOME 60 / BALANCED 40; the broker fills 100, sends DoneForDay, and once it
// has the allocation of those 100 (50 / 30 / 20, accepted) it fills the other 100 late. The OMS fixes a replacement
// (reason "late fill", RefAllocID the first) for 200: 100 / 60 / 40 at 180 = 18,000.00 / 10,800.00 / 7,200.00.
TEST_F(AllocationAtBroker, LateFillAfterDoneForDaySendsAReplacementAllocation) {
  const Money growth0 = cash_of("GROWTH"), income0 = cash_of("INCOME"), balanced0 = cash_of("BALANCED");
  const auto id = oms_->place(block("SAP", 200, "180", {{"GROWTH", 100}, {"INCOME", 60}, {"BALANCED", 40}}));
  const std::string order = std::to_string(id);
  const std::string cl_ord_id = oms_->order(id)["cl_ord_id"];
  std::vector<json> sent;
  ASSERT_TRUE(wait_until([&] {
    sent = broker_allocations(cl_ord_id);
    return sent.size() == 2;
  })) << oms_->omsd().output();
  EXPECT_EQ(sent[0]["AllocTransType"], "0");
  EXPECT_EQ(sent[0]["Quantity"], "100");
  EXPECT_EQ(sent[0]["NoAllocs"], json::array({{{"AllocAccount", "GROWTH"}, {"AllocQty", "50"}, {"Commission", "0.00"}},
                                              {{"AllocAccount", "INCOME"}, {"AllocQty", "30"}, {"Commission", "0.00"}},
                                              {{"AllocAccount", "BALANCED"}, {"AllocQty", "20"}, {"Commission", "0.00"}}}));
  EXPECT_EQ(sent[1]["AllocTransType"], "1");
  EXPECT_EQ(sent[1]["RefAllocID"], sent[0]["AllocID"]);
  EXPECT_EQ(sent[1]["Quantity"], "200");
  EXPECT_EQ(sent[1]["AvgPx"], "180");
  EXPECT_EQ(sent[1]["GrossTradeAmt"], "36000.00");
  EXPECT_EQ(sent[1]["NoAllocs"], json::array({{{"AllocAccount", "GROWTH"}, {"AllocQty", "100"}, {"Commission", "0.00"}},
                                              {{"AllocAccount", "INCOME"}, {"AllocQty", "60"}, {"Commission", "0.00"}},
                                              {{"AllocAccount", "BALANCED"}, {"AllocQty", "40"}, {"Commission", "0.00"}}}));
  // The late fill is the broker's second trade, after the DoneForDay.
  std::vector<std::string> exec_types;
  for (const auto& j : oms_->journal())
    if (j["event"] == "report" && j["ClOrdID"] == cl_ord_id) exec_types.push_back(j["ExecType"]);
  EXPECT_EQ(exec_types, (std::vector<std::string>{"0", "F", "3", "F"}));
  ASSERT_TRUE(wait_allocation_status(order, "accepted")) << oms_->omsd().output();
  EXPECT_EQ(oms_->query("SELECT alloc_id, ref_alloc_id, version, reason, quantity, status FROM allocations WHERE order_id = " +
                        order + " ORDER BY version"),
            (std::vector<std::vector<std::string>>{
                {sent[0]["AllocID"], "", "1", "order DoneForDay", "1000000", "accepted"},
                {sent[1]["AllocID"], sent[0]["AllocID"], "2", "late fill", "2000000", "accepted"}}));
  EXPECT_EQ(oms_->order(id)["cum_qty"], "200");
  EXPECT_EQ(oms_->query("SELECT account, quantity, cost FROM positions WHERE symbol = 'SAP' ORDER BY account"),
            (std::vector<std::vector<std::string>>{{"BALANCED", "400000", "72000000"},
                                                   {"GROWTH", "1000000", "180000000"},
                                                   {"INCOME", "600000", "108000000"}}));
  EXPECT_EQ((cash_of("GROWTH") - growth0).to_string(), "-18000");
  EXPECT_EQ((cash_of("INCOME") - income0).to_string(), "-10800");
  EXPECT_EQ((cash_of("BALANCED") - balanced0).to_string(), "-7200");
}

}  // namespace
}  // namespace oms::test
