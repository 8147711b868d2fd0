// The compliance routes (include/oms/api/compliance_routes.hpp) over a real engine with a rule book: every route x
// role cell of src/api/ROUTES.md (a 403 changes nothing), malformed input, and what each route answers.
#include "compliance_fixture.hpp"

namespace oms::api::test {
namespace {

constexpr int OK = 200, NO = 403;
using ComplianceRoutes = ComplianceFixture;

TEST_F(ComplianceRoutes, WhatIfIsForTradersOfTheFund) {
  row("POST /compliance/what-if", {OK, NO, OK, NO, OK, NO},
      [&](const std::string& u, std::uint64_t) {
        return as(u, "POST", "/api/v1/compliance/what-if", limit_order("GROWTH", "300", "190"));
      },
      false);
}

TEST_F(ComplianceRoutes, ApprovalsListIsForCompliance) {
  row("GET /approvals", {NO, NO, NO, OK, OK, NO},
      [&](const std::string& u, std::uint64_t) { return as(u, "GET", "/api/v1/approvals"); }, false);
}

TEST_F(ComplianceRoutes, ApproveIsForCompliance) {
  row("POST /orders/{id}/approve", {NO, NO, NO, OK, OK, NO},
      [&](const std::string& u, std::uint64_t id) { return as(u, "POST", path(id, "/approve"), json::object()); }, true);
}

TEST_F(ComplianceRoutes, RejectIsForCompliance) {
  row("POST /orders/{id}/reject", {NO, NO, NO, OK, OK, NO},
      [&](const std::string& u, std::uint64_t id) {
        return as(u, "POST", path(id, "/reject"), {{"reason", "no"}});
      },
      true);
}

TEST_F(ComplianceRoutes, ReloadIsForCompliance) {
  row("POST /rules/reload", {NO, NO, NO, OK, OK, NO},
      [&](const std::string& u, std::uint64_t) { return as(u, "POST", "/api/v1/rules/reload", json::object()); }, true);
}

TEST_F(ComplianceRoutes, RulesListIsOpenToEveryRole) {
  row("GET /rules", {OK, OK, OK, OK, OK, OK},
      [&](const std::string& u, std::uint64_t) { return as(u, "GET", "/api/v1/rules"); }, false);
}

TEST_F(ComplianceRoutes, RuleVersionsAreOpenToEveryRole) {
  row("GET /rules/versions", {OK, OK, OK, OK, OK, OK},
      [&](const std::string& u, std::uint64_t) { return as(u, "GET", "/api/v1/rules/versions"); }, false);
}

TEST_F(ComplianceRoutes, EndOfDayIsForCompliance) {
  row("GET /compliance/eod", {NO, NO, NO, OK, OK, NO},
      [&](const std::string& u, std::uint64_t) { return as(u, "GET", "/api/v1/compliance/eod"); }, false);
  row("GET /compliance/eod?format=csv", {NO, NO, NO, OK, OK, NO},
      [&](const std::string& u, std::uint64_t) { return as(u, "GET", "/api/v1/compliance/eod?format=csv"); }, false);
}

TEST_F(ComplianceRoutes, WhatIfPlacesNothing) {
  const auto before = snapshot();
  auto r = post("/api/v1/compliance/what-if", "alice", limit_order("GROWTH", "300", "190"));
  ASSERT_EQ(r.status, OK) << r.text;
  EXPECT_EQ(r.body["decision"], "held");
  EXPECT_EQ(r.body["rule_book_version"], holder.current()->version());
  ASSERT_EQ(r.body["slices"].size(), 1u);
  EXPECT_EQ(r.body["slices"][0]["results"][1]["rule"], "big-ticket");
  EXPECT_EQ(r.body["slices"][0]["results"][1]["measured"], "57000.0000");
  EXPECT_EQ(r.body["slices"][0]["results"][1]["max_quantity"], "263");  // 263 x 190 = 49,970
  r = post("/api/v1/compliance/what-if", "alice", limit_order("GROWTH", "1001", "190"));
  EXPECT_EQ(r.body["decision"], "rejected");
  // A block: one slice per fund.
  r = post("/api/v1/compliance/what-if", "alice",
           {{"allocations", {{{"account", "GROWTH"}, {"quantity", "10"}}, {{"account", "BALANCED"}, {"quantity", "20"}}}},
            {"symbol", "AAPL"}, {"side", "buy"}, {"limit_price", "190"}});
  ASSERT_EQ(r.status, OK) << r.text;
  EXPECT_EQ(r.body["decision"], "accepted");
  EXPECT_EQ(r.body["slices"].size(), 2u);
  EXPECT_EQ(snapshot(), before);
}

TEST_F(ComplianceRoutes, WhatIfMalformedInput) {
  const auto before = snapshot();
  auto r = call("POST", "/api/v1/compliance/what-if", "tok-alice", "{not json");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.code(), "malformed_json");
  r = call("POST", "/api/v1/compliance/what-if", "tok-alice", "[1]");
  EXPECT_EQ(r.code(), "wrong_type");
  json o = limit_order("GROWTH");
  o.erase("symbol");
  r = post("/api/v1/compliance/what-if", "alice", o);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.code(), "missing_field");
  EXPECT_EQ(r.field(), "symbol");
  o = limit_order("GROWTH");
  o["side"] = "sideways";
  r = post("/api/v1/compliance/what-if", "alice", o);
  EXPECT_EQ(r.code(), "invalid_value");
  EXPECT_EQ(r.field(), "side");
  o = limit_order("GROWTH");
  o["limit_price"] = 190.5;  // a JSON number: refused, prices are strings
  r = post("/api/v1/compliance/what-if", "alice", o);
  EXPECT_EQ(r.code(), "wrong_type");
  EXPECT_EQ(r.field(), "limit_price");
  o = limit_order("GROWTH", "1.5e3");
  r = post("/api/v1/compliance/what-if", "alice", o);
  EXPECT_EQ(r.code(), "invalid_number");
  o = limit_order("GROWTH");
  o["symbol"] = "NOPE";
  r = post("/api/v1/compliance/what-if", "alice", o);
  EXPECT_EQ(r.status, 422) << r.text;
  o = limit_order("GROWTH");
  o["allocations"] = "GROWTH";
  r = post("/api/v1/compliance/what-if", "alice", o);
  EXPECT_EQ(r.code(), "wrong_type");
  EXPECT_EQ(r.field(), "allocations");
  EXPECT_EQ(snapshot(), before);
}

TEST_F(ComplianceRoutes, ApprovalsListAndDecisions) {
  const auto held = place_held();
  const auto other = place_held();
  auto r = get("/api/v1/approvals", "carol");
  ASSERT_EQ(r.status, OK);
  ASSERT_EQ(r.body["approvals"].size(), 2u);
  EXPECT_EQ(r.body["approvals"][0]["order_id"], held);
  EXPECT_EQ(r.body["approvals"][0]["created_by"], "dave");
  EXPECT_NE(r.body["approvals"][0]["reason"].get<std::string>().find("big-ticket"), std::string::npos);

  r = post(path(held, "/approve"), "carol", {{"reason", "fine"}});
  ASSERT_EQ(r.status, OK) << r.text;
  EXPECT_EQ(r.body, (json{{"order_id", held}, {"approved", true}}));
  EXPECT_EQ(gateway.sent().size(), 1u);  // routed once approved
  r = post(path(other, "/reject"), "carol", {{"reason", "too big"}});
  ASSERT_EQ(r.status, OK) << r.text;
  EXPECT_EQ(order(other).workflow, Workflow::ComplianceRejected);
  EXPECT_EQ(gateway.sent().size(), 1u);
  EXPECT_TRUE(get("/api/v1/approvals", "carol").body["approvals"].empty());
  // Never sent, so no broker report: the API shows it Rejected (not PendingNew), and filters by that.
  EXPECT_EQ(get(path(other, ""), "carol").body["order"]["status"], "Rejected");
  const auto rejected = get("/api/v1/orders?status=Rejected", "carol").body["orders"];
  ASSERT_EQ(rejected.size(), 1u);
  EXPECT_EQ(rejected[0]["order_id"], other);
  EXPECT_EQ(get(path(held, ""), "carol").body["order"]["status"], "PendingNew");  // routed, no report yet
}

// Approval re-checks the order against the rule book in force: one that now breaches a block rule stays held.
TEST_F(ComplianceRoutes, ApprovalRechecksAgainstTheCurrentBook) {
  const auto held = place_held();  // 300 shares
  std::string tighter = kComplianceRules;
  tighter.replace(tighter.find("max_quantity: 1000"), 18, "max_quantity: 200");
  std::ofstream(dir / "rules.yaml") << tighter;
  ASSERT_EQ(post("/api/v1/rules/reload", "carol", json::object()).status, OK);
  const auto before = snapshot();
  auto r = post(path(held, "/approve"), "carol", json::object());
  EXPECT_EQ(r.status, 422) << r.text;
  EXPECT_EQ(r.code(), "rejected");
  EXPECT_NE(r.body["error"]["message"].get<std::string>().find("fat-finger"), std::string::npos) << r.text;
  EXPECT_EQ(snapshot(), before);
  EXPECT_EQ(order(held).workflow, Workflow::HeldForApproval);
  EXPECT_EQ(post(path(held, "/reject"), "carol", {{"reason", "over the new limit"}}).status, OK);

  // Still within every block rule: released, and the re-check is in the record.
  std::ofstream(dir / "rules.yaml") << kComplianceRules;
  ASSERT_EQ(post("/api/v1/rules/reload", "carol", json::object()).status, OK);
  const auto ok = place_held();
  ASSERT_EQ(post(path(ok, "/approve"), "carol", json::object()).status, OK);
  std::string reason;
  const json detail = get(path(ok, ""), "carol").body;
  for (const auto& e : detail["order"]["events"])
    if (e["type"] == "WorkflowChanged" && e["actor"] == "carol") reason = e["payload"]["reason"];
  EXPECT_EQ(reason, "approved by carol (re-checked against " + holder.current()->version() + ": held)")
      << get(path(ok, ""), "carol").text;
}

TEST_F(ComplianceRoutes, DecisionMalformedInput) {
  const auto held = place_held();
  const auto before = snapshot();
  auto r = post(path(held, "/reject"), "carol", json::object());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.code(), "missing_field");
  EXPECT_EQ(r.field(), "reason");
  r = post(path(held, "/reject"), "carol", {{"reason", 7}});
  EXPECT_EQ(r.code(), "wrong_type");
  r = post(path(held, "/reject"), "carol", {{"reason", ""}});
  EXPECT_EQ(r.status, 422) << r.text;  // an empty reason is no reason
  r = call("POST", path(held, "/approve"), "tok-carol", "{oops");
  EXPECT_EQ(r.code(), "malformed_json");
  r = post("/api/v1/orders/abc/approve", "carol", json::object());
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.field(), "order_id");
  r = post("/api/v1/orders/999/approve", "carol", json::object());
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(snapshot(), before);
  // An order that is not held cannot be approved.
  const auto working = place(limit_order("GROWTH", "10", "190"), "dave");
  r = post(path(working, "/approve"), "carol", json::object());
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(r.code(), "illegal_transition");
}

TEST_F(ComplianceRoutes, ReloadAndList) {
  const std::string v1 = holder.current()->version();
  auto r = get("/api/v1/rules", "erin");
  EXPECT_EQ(r.body["version"], v1);
  EXPECT_EQ(r.body["rule_count"], 3);
  EXPECT_EQ(r.body["rules"][0]["id"], "fat-finger");
  EXPECT_EQ(r.body["rules"][0]["location"], "rules.yaml:2");

  std::ofstream(dir / "rules.yaml") << std::string(kComplianceRules).replace(std::string(kComplianceRules).find("1000"), 4, "500");
  r = post("/api/v1/rules/reload", "carol", json::object());
  ASSERT_EQ(r.status, OK) << r.text;
  const std::string v2 = r.body["version"];
  EXPECT_NE(v2, v1);
  EXPECT_EQ(holder.current()->version(), v2);
  r = get("/api/v1/rules", "erin");
  ASSERT_EQ(r.body["history"].size(), 2u);
  EXPECT_EQ(r.body["history"][1]["loaded_by"], "carol");
  EXPECT_EQ(r.body["history"][1]["version"], v2);

  // A broken book: 422 with every file:line:col, the current one stays, an alert is recorded.
  std::ofstream(dir / "rules.yaml") << "rules:\n  - id: x\n    type: max_order_quantity\n    severity: block\n";
  const auto events = snapshot().events;
  r = post("/api/v1/rules/reload", "root", json::object());
  EXPECT_EQ(r.status, 422) << r.text;
  EXPECT_EQ(r.code(), "invalid_argument");
  EXPECT_EQ(r.body["version"], v2);
  ASSERT_FALSE(r.body["errors"].empty());
  EXPECT_EQ(r.body["errors"][0].get<std::string>().rfind("rules.yaml:2:", 0), 0u) << r.text;
  EXPECT_EQ(holder.current()->version(), v2);
  EXPECT_EQ(snapshot().events, events + 1);
  auto alerts = get("/api/v1/alerts", "erin").body["alerts"];
  ASSERT_FALSE(alerts.empty());
  EXPECT_EQ(alerts[0]["payload"]["kind"], "rule_book");
  EXPECT_EQ(alerts[0]["actor"], "root");
  r = get("/api/v1/rules", "erin");
  EXPECT_EQ(r.body["last_errors"], post("/api/v1/rules/reload", "root", json::object()).body["errors"]);
}

// Each version taken into force is recorded once (content hash, time, who), listed newest first, shown by the
// rules list and reload replies, and in the audit trail.
TEST_F(ComplianceRoutes, RuleVersionsAreRecordedOncePerContentHash) {
  const std::string v1 = holder.current()->version();
  EXPECT_TRUE(get("/api/v1/rules/versions", "erin").body["versions"].empty());
  ASSERT_TRUE(engine->record_rules_in_force(dir.string(), "startup").get().recorded);
  auto r = get("/api/v1/rules", "erin");
  EXPECT_EQ(r.body["loaded_by"], "startup");
  EXPECT_EQ(r.body["loaded_ns"], to_nanos(clock.now()));
  EXPECT_EQ(r.body["loaded_at"], to_iso8601(clock.now()));

  std::ofstream(dir / "rules.yaml") << std::string(kComplianceRules).replace(std::string(kComplianceRules).find("1000"), 4, "500");
  r = post("/api/v1/rules/reload", "carol", json::object());
  ASSERT_EQ(r.status, OK) << r.text;
  const std::string v2 = r.body["version"];
  EXPECT_TRUE(r.body["recorded"].get<bool>());
  EXPECT_EQ(r.body["loaded_by"], "carol");

  // Rewritten with the same bytes: loaded, but nothing new recorded, and the reply says so.
  std::ofstream(dir / "rules.yaml") << std::string(kComplianceRules).replace(std::string(kComplianceRules).find("1000"), 4, "500");
  const auto events = snapshot().events;
  r = post("/api/v1/rules/reload", "root", json::object());
  ASSERT_EQ(r.status, OK) << r.text;
  EXPECT_FALSE(r.body["recorded"].get<bool>());
  EXPECT_NE(r.body["message"].get<std::string>().find("unchanged"), std::string::npos) << r.text;
  EXPECT_EQ(r.body["loaded_by"], "carol");  // the version in force was recorded by carol
  EXPECT_EQ(snapshot().events, events);

  r = get("/api/v1/rules/versions", "erin");
  ASSERT_EQ(r.status, OK) << r.text;
  const json versions = r.body["versions"];
  ASSERT_EQ(versions.size(), 2u) << r.text;
  EXPECT_EQ(versions[0]["version"], v2);
  EXPECT_EQ(versions[0]["loaded_by"], "carol");
  EXPECT_EQ(versions[0]["previous"], v1);
  EXPECT_EQ(versions[0]["rule_count"], 3);
  EXPECT_EQ(versions[0]["directory"], dir.string());
  ASSERT_EQ(versions[0]["files"].size(), 1u);
  EXPECT_EQ(versions[0]["files"][0]["name"], "rules.yaml");
  EXPECT_EQ(versions[0]["files"][0]["hash"].get<std::string>().rfind("fnv1a64:", 0), 0u);
  EXPECT_EQ(versions[1]["version"], v1);
  EXPECT_EQ(versions[1]["loaded_by"], "startup");
  EXPECT_EQ(versions[1]["previous"], "");
  EXPECT_GT(versions[0]["seq"].get<std::uint64_t>(), versions[1]["seq"].get<std::uint64_t>());

  // The audit trail renders it like any other event, with who loaded it as the actor.
  r = get("/api/v1/audit?actor=carol", "carol");
  ASSERT_EQ(r.status, OK) << r.text;
  json loaded;
  for (const auto& e : r.body["events"])
    if (e["type"] == "RuleBookLoaded") loaded = e;
  ASSERT_TRUE(loaded.is_object()) << r.text;
  EXPECT_EQ(loaded["payload"]["version"], v2);
  EXPECT_EQ(loaded["payload"]["previous_version"], v1);
}

TEST_F(ComplianceRoutes, EndOfDayReport) {
  auto r = get("/api/v1/compliance/eod", "carol");
  ASSERT_EQ(r.status, OK) << r.text;
  EXPECT_EQ(r.body["rule_book_version"], holder.current()->version());
  EXPECT_EQ(r.body["breaches"], 1);
  ASSERT_EQ(r.body["rows"].size(), 1u);  // only GROWTH holds anything
  const auto row = r.body["rows"][0];
  EXPECT_EQ(row["account"], "GROWTH");
  EXPECT_EQ(row["rule"], "issuer-1pct");
  EXPECT_EQ(row["subject"], "Apple Inc");
  EXPECT_EQ(row["outcome"], "breach");
  EXPECT_EQ(row["limit"], "1.0000");
  // NAV = 1,000,000 cash + 100 x 190 = 1,019,000; 19,000 / 1,019,000 = 1.86457...%
  EXPECT_EQ(row["measured"], "1.8646");
  EXPECT_EQ(row["headroom"], "-0.8646");

  r = get("/api/v1/compliance/eod?format=csv", "root");
  ASSERT_EQ(r.status, OK);
  EXPECT_EQ(r.headers["content-type"], "text/csv");
  EXPECT_EQ(r.text,
            "account,rule_id,rule_type,severity,subject,outcome,unit,measured,limit,headroom\n"
            "GROWTH,issuer-1pct,issuer_concentration,warn,Apple Inc,breach,percent,1.8646,1.0000,-0.8646\n");
  EXPECT_EQ(get("/api/v1/compliance/eod?format=json", "carol").body, get("/api/v1/compliance/eod", "carol").body);

  r = get("/api/v1/compliance/eod?format=xml", "carol");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.code(), "invalid_value");
  EXPECT_EQ(r.field(), "format");
  r = get("/api/v1/compliance/eod?account=GROWTH", "carol");
  EXPECT_EQ(r.code(), "unknown_field");
}

// Pending orders are not holdings: the report is over current positions.
TEST_F(ComplianceRoutes, EndOfDayIgnoresPendingOrders) {
  const auto before = get("/api/v1/compliance/eod", "carol").body;
  place(limit_order("INCOME", "100", "190"), "dave");
  EXPECT_EQ(get("/api/v1/compliance/eod", "carol").body["rows"], before["rows"]);
}

}  // namespace
}  // namespace oms::api::test
