// Pre-trade compliance end to end: the real omsd with a rule book written here, the real broker simulator, orders
// and approvals through the HTTP API. What reached the broker is read from the simulator's journal; what was
// decided is read back from the record (the order's events and the audit trail).
#include "oms_harness.hpp"

namespace oms::test {
namespace {

// AAPL's reference price is 190 (config/instruments.csv); the simulator fills AAPL at the limit.
const char* kRules = R"(
rules:
  - id: fat-finger
    description: No order above 1,000 shares
    type: max_order_quantity
    max_quantity: 1000
    severity: block
  - id: big-ticket
    description: Orders above 50,000 need a compliance officer's approval
    type: max_order_notional
    max_notional: 50000
    severity: approval
  - id: collar-5pct
    description: Limit price within 5% of the reference price
    type: price_tolerance
    max_deviation_pct: 5
    severity: warn
)";

const std::string kCarol = "demo-carol";  // compliance
const std::string kAlice = "demo-alice";  // PM of GROWTH

fs::path write_rules(const std::string& text) {
  auto dir = temp_dir("compliance-rules");
  std::ofstream(dir / "rules.yaml") << text;
  return dir;
}

// The order's events in the record, by type.
std::vector<json> events_of(OmsHarness& h, std::uint64_t id, const std::string& type) {
  std::vector<json> out;
  const json order = h.call("GET", "/api/v1/orders/" + std::to_string(id));  // kept: the loop reads into it
  for (const auto& e : order["order"]["events"])
    if (e["type"] == type) out.push_back(e);
  return out;
}

// The order's events in the audit trail (compliance role), oldest first.
std::vector<std::string> audit_types(OmsHarness& h, std::uint64_t id) {
  std::vector<std::string> out;
  const auto events = h.call("GET", "/api/v1/audit?order_id=" + std::to_string(id), nullptr, nullptr, kCarol)["events"];
  for (auto it = events.rbegin(); it != events.rend(); ++it) out.push_back((*it)["type"]);
  return out;
}

// One rule's result in a ComplianceChecked event.
json rule_result(const json& checked, const std::string& rule_id) {
  const json results = json::parse(checked["payload"]["results_json"].get<std::string>());
  for (const auto& slice : results["slices"])
    for (const auto& r : slice["results"])
      if (r["rule"] == rule_id) return r;
  return nullptr;
}

class ComplianceFlow : public ::testing::Test {
 protected:
  void SetUp() override {
    rules_ = write_rules(kRules);
    h_ = std::make_unique<OmsHarness>("compliance-flow", std::map<std::string, std::string>{}, rules_);
    ASSERT_TRUE(h_->wait_logged_on()) << h_->omsd().output();
  }
  void TearDown() override {
    h_.reset();
    if (!HasFailure()) fs::remove_all(rules_);
  }
  std::string cl_ord_id(std::uint64_t id) { return h_->order(id)["cl_ord_id"]; }

  fs::path rules_;
  std::unique_ptr<OmsHarness> h_;
};

TEST_F(ComplianceFlow, BlockBreachIsRejectedAndNeverReachesTheBroker) {
  // A control order first: it reaches the broker, so the journal is being written.
  const auto ok = h_->place(limit_order("AAPL", "buy", 100, "190"));
  ASSERT_TRUE(h_->wait_order(ok, "status", "Filled"));

  const auto id = h_->place(limit_order("AAPL", "buy", 1001, "190"));
  EXPECT_EQ(h_->order(id)["workflow"], "compliance_rejected");
  EXPECT_NE(h_->order(id)["workflow_reason"].get<std::string>().find("fat-finger"), std::string::npos);

  const auto checked = events_of(*h_, id, "ComplianceChecked");
  ASSERT_EQ(checked.size(), 1u);
  EXPECT_EQ(checked[0]["payload"]["decision"], "rejected");
  EXPECT_EQ(checked[0]["payload"]["rule_book_version"], h_->call("GET", "/api/v1/rules")["version"]);
  const json r = rule_result(checked[0], "fat-finger");
  ASSERT_TRUE(r.is_object()) << checked[0].dump();
  EXPECT_EQ(r["outcome"], "breach");
  EXPECT_EQ(r["measured"], "1001.0000");
  EXPECT_EQ(r["limit"], "1000.0000");
  EXPECT_EQ(rule_result(checked[0], "collar-5pct")["outcome"], "pass");

  EXPECT_EQ(h_->broker_orders(cl_ord_id(ok)), 1);
  EXPECT_EQ(h_->broker_orders(cl_ord_id(id)), 0);
  EXPECT_EQ(h_->broker_order_counts().size(), 1u);
  EXPECT_EQ(audit_types(*h_, id), (std::vector<std::string>{"OrderAccepted", "ComplianceChecked", "WorkflowChanged"}));
}

TEST_F(ComplianceFlow, HeldOrderReachesTheBrokerOnlyAfterApproval) {
  const auto held = h_->place(limit_order("AAPL", "buy", 300, "190"));  // 57,000 > 50,000
  EXPECT_EQ(h_->order(held)["workflow"], "held_for_approval");
  const auto approvals = h_->call("GET", "/api/v1/approvals", nullptr, nullptr, kCarol)["approvals"];
  ASSERT_EQ(approvals.size(), 1u);
  EXPECT_EQ(approvals[0]["order_id"], held);
  EXPECT_NE(approvals[0]["reason"].get<std::string>().find("big-ticket"), std::string::npos);

  // A later order that the broker does see proves the held one was not merely slow.
  const auto probe = h_->place(limit_order("AAPL", "buy", 10, "190"));
  ASSERT_TRUE(h_->wait_order(probe, "status", "Filled"));
  EXPECT_EQ(h_->broker_orders(cl_ord_id(held)), 0);

  // The PM may not release their own order.
  int status = 0;
  h_->call("POST", "/api/v1/orders/" + std::to_string(held) + "/approve", json::object(), &status, kAlice);
  EXPECT_EQ(status, 403);
  EXPECT_EQ(h_->order(held)["workflow"], "held_for_approval");

  auto r = h_->call("POST", "/api/v1/orders/" + std::to_string(held) + "/approve", {{"reason", "within mandate"}},
                    &status, kCarol);
  ASSERT_EQ(status, 200) << r.dump();
  ASSERT_TRUE(h_->wait_order(held, "status", "Filled"));
  EXPECT_EQ(h_->broker_orders(cl_ord_id(held)), 1);
  EXPECT_EQ(h_->order(held)["cum_qty"], "300");

  const auto decided = events_of(*h_, held, "ApprovalDecided");
  ASSERT_EQ(decided.size(), 1u);
  EXPECT_EQ(decided[0]["actor"], "carol");
  EXPECT_EQ(decided[0]["payload"]["approved"], true);
  EXPECT_EQ(decided[0]["payload"]["reason"], "within mandate");
  EXPECT_EQ(events_of(*h_, held, "ComplianceChecked").at(0)["payload"]["decision"], "held");
  const auto types = audit_types(*h_, held);
  ASSERT_GE(types.size(), 5u);
  EXPECT_EQ(std::vector<std::string>(types.begin(), types.begin() + 5),
            (std::vector<std::string>{"OrderAccepted", "ComplianceChecked", "WorkflowChanged", "ApprovalDecided",
                                      "WorkflowChanged"}));
  EXPECT_TRUE(h_->call("GET", "/api/v1/approvals", nullptr, nullptr, kCarol)["approvals"].empty());
}

TEST_F(ComplianceFlow, RejectedHeldOrderNeverReachesTheBroker) {
  const auto held = h_->place(limit_order("AAPL", "buy", 400, "190"));
  ASSERT_EQ(h_->order(held)["workflow"], "held_for_approval");
  int status = 0;
  // A rejection needs a reason.
  h_->call("POST", "/api/v1/orders/" + std::to_string(held) + "/reject", json::object(), &status, kCarol);
  EXPECT_EQ(status, 400);
  auto r = h_->call("POST", "/api/v1/orders/" + std::to_string(held) + "/reject", {{"reason", "over the desk limit"}},
                    &status, kCarol);
  ASSERT_EQ(status, 200) << r.dump();
  EXPECT_EQ(h_->order(held)["workflow"], "compliance_rejected");
  EXPECT_EQ(h_->order(held)["live"], false);
  // Approving it afterwards is refused.
  h_->call("POST", "/api/v1/orders/" + std::to_string(held) + "/approve", json::object(), &status, kCarol);
  EXPECT_EQ(status, 409);

  const auto probe = h_->place(limit_order("AAPL", "buy", 10, "190"));
  ASSERT_TRUE(h_->wait_order(probe, "status", "Filled"));
  EXPECT_EQ(h_->broker_orders(cl_ord_id(held)), 0);
  const auto decided = events_of(*h_, held, "ApprovalDecided");
  ASSERT_EQ(decided.size(), 1u);
  EXPECT_EQ(decided[0]["actor"], "carol");
  EXPECT_EQ(decided[0]["payload"]["approved"], false);
  EXPECT_EQ(decided[0]["payload"]["reason"], "over the desk limit");
}

TEST_F(ComplianceFlow, WarningsNeedAcknowledgement) {
  // 200 is 5.26% above the 190 reference: a warn breach only.
  const json order = limit_order("AAPL", "buy", 10, "200");
  const auto before = h_->call("GET", "/api/v1/orders")["orders"].size();
  int status = 0;
  auto r = h_->call("POST", "/api/v1/orders", order, &status);
  EXPECT_EQ(status, 409);
  EXPECT_EQ(r["error"]["code"], "conflict");
  EXPECT_EQ(r["error"]["field"], "acknowledge_warnings");
  EXPECT_NE(r["error"]["message"].get<std::string>().find("collar-5pct"), std::string::npos) << r.dump();
  EXPECT_EQ(h_->call("GET", "/api/v1/orders")["orders"].size(), before);
  EXPECT_TRUE(h_->broker_order_counts().empty());

  json acked = order;
  acked["acknowledge_warnings"] = true;
  const auto id = h_->place(acked);
  ASSERT_TRUE(h_->wait_order(id, "status", "Filled"));
  EXPECT_EQ(h_->broker_orders(cl_ord_id(id)), 1);
  const auto checked = events_of(*h_, id, "ComplianceChecked");
  ASSERT_EQ(checked.size(), 1u);
  EXPECT_EQ(checked[0]["payload"]["decision"], "warn");
  EXPECT_EQ(checked[0]["payload"]["warnings_acknowledged"], true);
  EXPECT_EQ(rule_result(checked[0], "collar-5pct")["outcome"], "breach");
  EXPECT_EQ(checked[0]["actor"], "root");
  const auto changed = events_of(*h_, id, "WorkflowChanged");
  ASSERT_FALSE(changed.empty());
  EXPECT_NE(changed[0]["payload"]["reason"].get<std::string>().find("acknowledged warnings"), std::string::npos);
}

// Editing a rule file while omsd runs: a valid edit is loaded as a new version by "file change"; a broken one
// leaves the book in force, raises an alert naming file:line:col, and is reported by GET /api/v1/rules.
TEST_F(ComplianceFlow, RuleFileEditsAreLoadedWhileRunning) {
  const auto before = h_->call("GET", "/api/v1/rules");
  const std::string v1 = before["version"];
  // 600 <= 1000 passes fat-finger (114,000 needs approval).
  EXPECT_EQ(h_->order(h_->place(limit_order("AAPL", "buy", 600, "190")))["workflow"], "held_for_approval");

  std::string tightened = kRules;
  tightened.replace(tightened.find("max_quantity: 1000"), 18, "max_quantity: 500");
  std::ofstream(rules_ / "rules.yaml") << tightened;
  json now;
  ASSERT_TRUE(wait_until([&] { return (now = h_->call("GET", "/api/v1/rules"))["version"] != v1; }))
      << h_->omsd().output();
  const std::string v2 = now["version"];
  ASSERT_EQ(now["history"].size(), before["history"].size() + 1);
  EXPECT_EQ(now["history"].back()["loaded_by"], "file change");
  EXPECT_EQ(now["history"].back()["version"], v2);
  EXPECT_GT(now["history"].back()["loaded_ns"].get<std::int64_t>(), 0);
  EXPECT_TRUE(now["last_errors"].empty());
  const auto id = h_->place(limit_order("AAPL", "buy", 600, "190"));
  EXPECT_EQ(h_->order(id)["workflow"], "compliance_rejected");
  EXPECT_EQ(events_of(*h_, id, "ComplianceChecked").at(0)["payload"]["rule_book_version"], v2);

  // A typo in the severity (line 7, column 15 of the file): nothing changes but the errors and an alert.
  std::string broken = tightened;
  broken.replace(broken.find("severity: block"), 15, "severity: blocker");
  std::ofstream(rules_ / "rules.yaml") << broken;
  ASSERT_TRUE(wait_until([&] { return !(now = h_->call("GET", "/api/v1/rules"))["last_errors"].empty(); }))
      << h_->omsd().output();
  EXPECT_EQ(now["version"], v2);
  EXPECT_EQ(now["history"].size(), before["history"].size() + 1);
  const std::string error = now["last_errors"][0];
  EXPECT_EQ(error.rfind("rules.yaml:7:15:", 0), 0u) << error;
  json alert;
  const json alerts = h_->call("GET", "/api/v1/alerts");
  for (const auto& a : alerts["alerts"])
    if (a["payload"]["kind"] == "rule_book") alert = a;
  ASSERT_TRUE(alert.is_object());
  EXPECT_EQ(alert["actor"], "file change");
  EXPECT_NE(alert["payload"]["message"].get<std::string>().find("rules.yaml:7:15:"), std::string::npos) << alert;
  EXPECT_EQ(h_->order(h_->place(limit_order("AAPL", "buy", 600, "190")))["workflow"], "compliance_rejected");

  // Fixed again: loaded, errors cleared.
  std::ofstream(rules_ / "rules.yaml") << kRules;
  ASSERT_TRUE(wait_until([&] { return (now = h_->call("GET", "/api/v1/rules"))["last_errors"].empty(); }));
  EXPECT_EQ(now["version"], v1);
  EXPECT_EQ(now["history"].back()["loaded_by"], "file change");
}

// Rule book versions are recorded in the order book record: at startup, after each file change that alters the
// content hash (a rewrite with the same bytes records nothing), and they are still listed after a restart.
TEST_F(ComplianceFlow, RuleBookVersionsAreRecordedAndSurviveRestart) {
  EXPECT_TRUE(h_->omsd().wait_for_output("(inotify)")) << h_->omsd().output();  // Linux: no polling
  json versions = h_->call("GET", "/api/v1/rules/versions")["versions"];
  ASSERT_EQ(versions.size(), 1u) << versions;
  const std::string v1 = h_->call("GET", "/api/v1/rules")["version"];
  EXPECT_EQ(versions[0]["version"], v1);
  EXPECT_EQ(versions[0]["loaded_by"], "startup");

  std::string tightened = kRules;
  tightened.replace(tightened.find("max_quantity: 1000"), 18, "max_quantity: 500");
  std::ofstream(rules_ / "rules.yaml") << tightened;
  ASSERT_TRUE(wait_until([&] { return (versions = h_->call("GET", "/api/v1/rules/versions")["versions"]).size() == 2; }))
      << h_->omsd().output();
  const json rules = h_->call("GET", "/api/v1/rules");
  const std::string v2 = rules["version"];
  EXPECT_NE(v2, v1);
  EXPECT_EQ(versions[0]["version"], v2);
  EXPECT_EQ(versions[0]["loaded_by"], "file change");
  EXPECT_EQ(versions[0]["previous"], v1);
  EXPECT_EQ(versions[0]["files"][0]["name"], "rules.yaml");
  EXPECT_NE(versions[0]["files"][0]["hash"], versions[1]["files"][0]["hash"]);
  EXPECT_EQ(rules["loaded_by"], "file change");
  EXPECT_EQ(rules["loaded_ns"], versions[0]["loaded_ns"]);

  // The same bytes written again: seen, reloaded, nothing new recorded.
  std::ofstream(rules_ / "rules.yaml") << tightened;
  ASSERT_TRUE(h_->omsd().wait_for_output("unchanged after a file change")) << h_->omsd().output();
  EXPECT_EQ(h_->call("GET", "/api/v1/rules/versions")["versions"], versions);

  // A restart on the same files records nothing; the versions are read back from the record.
  h_->stop_omsd(SIGTERM);
  h_->start_omsd();
  EXPECT_EQ(h_->call("GET", "/api/v1/rules/versions")["versions"], versions);
  EXPECT_EQ(h_->call("GET", "/api/v1/rules")["loaded_by"], "file change");

  // Files edited while omsd was down: the next start records the new version as loaded at startup.
  h_->stop_omsd(SIGTERM);
  std::ofstream(rules_ / "rules.yaml") << kRules;
  h_->start_omsd();
  const json after = h_->call("GET", "/api/v1/rules/versions")["versions"];
  ASSERT_EQ(after.size(), 3u) << after;
  EXPECT_EQ(after[0]["version"], v1);
  EXPECT_EQ(after[0]["loaded_by"], "startup");
  EXPECT_EQ(after[0]["previous"], v2);
}

}  // namespace
}  // namespace oms::test
