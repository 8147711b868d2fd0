// Bad input over real FIX: the real omsd against oms-broker-sim's faulty-message actions (see misbehave.cpp and
// the harness's sim behaviour). Each faulty message comes right after the New of an order of its symbol:
//   GARBLE     a fill with a wrong CheckSum      -> dropped (FIX), logged, the order unchanged;
//   BADREPORT  a fill without ExecID             -> session Reject (3), logged, the order unchanged;
//   WRONGCOMP  a fill from SenderCompID WRONG    -> Reject (3) + Logout, logged, the order unchanged; logon again;
//   GHOST      a fill for an unknown ClOrdID     -> DK (Q), an alert, no order changed;
//   OVERFILL   a fill of OrderQty + 5            -> recorded, the order flagged as a break, alerted.
//   SESSREJ    the D answered by a session Reject (3) instead of a report -> the order ends Rejected with the
//              Reject's text, alerted; it stays Rejected after a restart (the Reject is not applied twice);
//   SESSREJCXL its F and G answered by a session Reject -> each withdrawn, the order unchanged, alerted.
// Each test has its own omsd and simulator (a Logout in one must not disturb another), and runs on the FIX 4.4
// session (BROKER) and on the FIX 4.2 one (BROKER42).
#include <algorithm>

#include "oms_harness.hpp"

namespace oms::test {
namespace {

class FixBadInput : public ::testing::TestWithParam<std::string> {
 protected:
  // The omsd session the orders go to, and the simulator's name for it (its journal's "session").
  static std::string broker() { return GetParam(); }
  static std::string sim_session() {
    return broker() == "BROKER42" ? "FIX.4.2:BROKER42->OMS42" : "FIX.4.4:BROKER->OMS";
  }
  static json order_of(const std::string& symbol) { return limit_order(symbol, "buy", 10, "10", "GROWTH", broker()); }
  void SetUp() override {
    oms_ = std::make_unique<OmsHarness>("fix-bad-input");
    ASSERT_TRUE(oms_->wait_logged_on()) << oms_->omsd().output();
  }

  // Places an order of `symbol` and waits for the broker's New.
  std::uint64_t place_acked(const std::string& symbol) {
    const auto id = oms_->place(order_of(symbol));
    EXPECT_TRUE(oms_->wait_order(id, "status", "New")) << oms_->order(id).dump();
    return id;
  }
  // The simulator's journal lines of `event` (and, if given, `kind`) on this test's session.
  std::vector<json> journal_events(const std::string& event, const std::string& kind = {}) const {
    std::vector<json> out;
    for (const auto& j : oms_->journal())
      if (j["event"] == event && j.value("session", "") == sim_session() && (kind.empty() || j.value("kind", "") == kind))
        out.push_back(j);
    return out;
  }
  // Every QuickFIX log omsd wrote (messages and events), SOH shown as '|'.
  std::string fix_logs() const {
    std::string all;
    for (const auto& f : fs::directory_iterator(oms_->dir() / "fix-log")) all += read_file(f.path());
    std::replace(all.begin(), all.end(), '\x01', '|');
    return all;
  }
  std::size_t trades(std::uint64_t id) const {
    return oms_->query("SELECT exec_id FROM executions WHERE is_trade = 1 AND order_id = " + std::to_string(id)).size();
  }
  std::vector<json> alerts(const std::string& kind) {
    std::vector<json> out;
    const json response = oms_->call("GET", "/api/v1/alerts");
    for (const auto& a : response["alerts"])
      if (a.dump().find("\"" + kind + "\"") != std::string::npos) out.push_back(a);
    return out;
  }
  // No fill, nothing broken, still working at the broker.
  void expect_unchanged(std::uint64_t id) {
    const auto o = oms_->order(id);
    EXPECT_EQ(o["status"], "New") << o.dump();
    EXPECT_EQ(o["cum_qty"], "0") << o.dump();
    EXPECT_FALSE(o["broken"].get<bool>()) << o.dump();
    EXPECT_EQ(trades(id), 0u);
  }
  // An ordinary order filled afterwards: the session still works and everything before it was handled.
  void expect_session_still_fills() {
    const auto id = oms_->place(limit_order("AAPL", "buy", 1, "190", "GROWTH", broker()));
    EXPECT_TRUE(oms_->wait_order(id, "status", "Filled")) << oms_->order(id).dump() << oms_->omsd().output();
  }

  std::unique_ptr<OmsHarness> oms_;
};

TEST_P(FixBadInput, GarbledMessageIsDroppedAndLogged) {
  const auto id = place_acked("GARBLE");
  ASSERT_TRUE(wait_until([&] { return journal_events("bad_report", "garble").size() == 1; }));
  expect_session_still_fills();
  expect_unchanged(id);
  // Dropped, not answered: no Reject went back, the session never logged out; QuickFIX logged the bad CheckSum.
  EXPECT_TRUE(journal_events("session_reject").empty());
  EXPECT_EQ(oms_->omsd().output().find(broker() + " logged out"), std::string::npos);
  EXPECT_NE(fix_logs().find("CheckSum"), std::string::npos) << fix_logs();
}

TEST_P(FixBadInput, ReportMissingARequiredFieldGetsASessionReject) {
  const auto id = place_acked("BADREPORT");
  ASSERT_TRUE(wait_until([&] { return journal_events("session_reject").size() == 1; })) << fix_logs();
  const auto reject = journal_events("session_reject").front();
  EXPECT_EQ(reject["RefTagID"], "17");            // ExecID
  EXPECT_EQ(reject["SessionRejectReason"], "1");  // required tag missing
  EXPECT_EQ(reject["RefMsgType"], "8");
  expect_session_still_fills();
  expect_unchanged(id);
  EXPECT_NE(fix_logs().find("|35=3|"), std::string::npos);  // the Reject, in omsd's message log
}

TEST_P(FixBadInput, WrongCompIdGetsRejectAndLogoutThenTheSessionComesBack) {
  const auto id = place_acked("WRONGCOMP");
  ASSERT_TRUE(wait_until([&] { return journal_events("session_reject").size() == 1; })) << fix_logs();
  EXPECT_EQ(journal_events("session_reject").front()["SessionRejectReason"], "9");  // CompID problem
  ASSERT_TRUE(wait_until([&] { return !journal_events("logout").empty(); })) << fix_logs();
  ASSERT_TRUE(oms_->omsd().wait_for_output(broker() + " logged out")) << oms_->omsd().output();
  // omsd reconnects by itself and the sequence numbers still agree.
  ASSERT_TRUE(wait_until([&] {
    const auto out = oms_->omsd().output();
    std::size_t n = 0;
    const std::string logged_on = broker() + " logged on";
    for (auto pos = out.find(logged_on); pos != std::string::npos; pos = out.find(logged_on, pos + 1))
      ++n;
    return n >= 2;
  })) << oms_->omsd().output();
  expect_session_still_fills();
  expect_unchanged(id);
  EXPECT_NE(fix_logs().find("|49=WRONG|"), std::string::npos);  // the offending message, in omsd's message log
}

TEST_P(FixBadInput, ReportForAnUnknownOrderIsAnsweredWithDontKnow) {
  const auto id = place_acked("GHOST");
  ASSERT_TRUE(wait_until([&] { return journal_events("dont_know").size() == 1; })) << fix_logs();
  const auto bad = journal_events("bad_report", "unknown_order").front();
  EXPECT_EQ(journal_events("dont_know").front()["ExecID"], bad["ExecID"]);
  expect_unchanged(id);
  EXPECT_TRUE(oms_->query("SELECT seq FROM executions WHERE exec_id = '" + bad["ExecID"].get<std::string>() + "'").empty());
  EXPECT_TRUE(wait_until([&] { return alerts("dk").size() == 1; }));
  EXPECT_NE(fix_logs().find("|35=Q|"), std::string::npos);  // the DK, in omsd's message log
}

TEST_P(FixBadInput, OverfillIsRecordedFlaggedAsABreakAndAlerted) {
  const auto id = oms_->place(order_of("OVERFILL"));
  ASSERT_TRUE(wait_until([&] { return oms_->order(id)["cum_qty"] == "15"; })) << oms_->order(id).dump();
  const auto o = oms_->order(id);
  EXPECT_TRUE(o["broken"].get<bool>()) << o.dump();
  EXPECT_EQ(trades(id), 1u);
  EXPECT_EQ(oms_->recorded_trade_ids(), oms_->broker_trade_ids());  // recorded exactly as the broker sent it
  ASSERT_TRUE(wait_until([&] { return !alerts("break").empty(); }));
  EXPECT_NE(alerts("break").front().dump().find("overfill"), std::string::npos) << alerts("break").front().dump();
}

TEST_P(FixBadInput, SessionRejectOfTheNewOrderEndsItRejected) {
  const auto id = oms_->place(order_of("SESSREJ"));
  ASSERT_TRUE(oms_->wait_order(id, "status", "Rejected")) << oms_->order(id).dump() << fix_logs();
  // The broker refused it below the application: it journaled the D as not accepted and sent no report.
  const auto refused = journal_events("order");
  ASSERT_EQ(refused.size(), 1u);
  EXPECT_FALSE(refused.front()["accepted"].get<bool>());
  EXPECT_TRUE(journal_events("report").empty());
  EXPECT_NE(fix_logs().find("|35=3|"), std::string::npos);
  // Alerted with the Reject's text and reason; the order's trail (its audit) holds the rejection by the broker.
  ASSERT_TRUE(wait_until([&] { return alerts("session_reject").size() == 1; }));
  const std::string alert = alerts("session_reject").front().dump();
  EXPECT_NE(alert.find("OrdType not supported"), std::string::npos) << alert;
  EXPECT_NE(alert.find("SessionRejectReason 5"), std::string::npos) << alert;
  const auto trail = oms_->query("SELECT actor, payload FROM events WHERE order_id = " + std::to_string(id) +
                                 " AND payload LIKE '%Reject%OrdType not supported%' ORDER BY seq");
  ASSERT_EQ(trail.size(), 2u);  // the rejection and its alert
  EXPECT_EQ(trail[0][0], "broker:" + broker());
  EXPECT_EQ(oms_->query("SELECT status FROM orders WHERE order_id = " + std::to_string(id)).at(0).at(0), "Rejected");
  expect_session_still_fills();
  // After a restart the order is still Rejected, once: nothing replayed doubles it.
  const auto events = oms_->query("SELECT seq FROM events WHERE order_id = " + std::to_string(id)).size();
  oms_->stop_omsd(SIGTERM);
  oms_->start_omsd();
  ASSERT_TRUE(oms_->wait_logged_on()) << oms_->omsd().output();
  expect_session_still_fills();
  EXPECT_EQ(oms_->order(id)["status"], "Rejected");
  EXPECT_EQ(oms_->query("SELECT seq FROM events WHERE order_id = " + std::to_string(id)).size(), events);
  EXPECT_EQ(alerts("session_reject").size(), 1u);
}

TEST_P(FixBadInput, CancelAndReplaceRefusedBySessionRejectAreWithdrawn) {
  const auto id = place_acked("SESSREJCXL");
  const auto settled = [&] { return wait_until([&] { return !oms_->order(id).contains("pending_cl_ord_id"); }); };
  int status = 0;
  oms_->call("POST", "/api/v1/orders/" + std::to_string(id) + "/cancel", json::object(), &status);
  ASSERT_EQ(status, 202);
  ASSERT_TRUE(settled()) << oms_->order(id).dump() << fix_logs();
  oms_->call("POST", "/api/v1/orders/" + std::to_string(id) + "/replace", json{{"quantity", 20}}, &status);
  ASSERT_EQ(status, 202);
  ASSERT_TRUE(settled()) << oms_->order(id).dump() << fix_logs();
  expect_unchanged(id);
  EXPECT_EQ(oms_->order(id)["quantity"], "10");
  EXPECT_EQ(oms_->query("SELECT pending_cl_ord_id FROM orders WHERE order_id = " + std::to_string(id)).at(0).at(0), "");
  ASSERT_TRUE(wait_until([&] { return alerts("session_reject").size() == 2; }));
  const auto history = oms_->call("GET", "/api/v1/audit?order_id=" + std::to_string(id)).dump();
  EXPECT_NE(history.find("CancelReject"), std::string::npos) << history;
  EXPECT_NE(history.find("ReplaceReject"), std::string::npos) << history;
  // The order can still be cancelled (nothing is left in flight): the broker's Reject arrives again, once more.
  oms_->call("POST", "/api/v1/orders/" + std::to_string(id) + "/cancel", json::object(), &status);
  EXPECT_EQ(status, 202);
  ASSERT_TRUE(settled());
  expect_session_still_fills();
}

INSTANTIATE_TEST_SUITE_P(Sessions, FixBadInput, ::testing::Values("BROKER", "BROKER42"),
                         [](const ::testing::TestParamInfo<std::string>& i) { return i.param == "BROKER42" ? "Fix42" : "Fix44"; });

}  // namespace
}  // namespace oms::test
