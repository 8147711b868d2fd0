// omsctl's compliance commands: `rules check|test DIR` offline, `rules list|reload|versions`, `approvals list|approve|reject`
// and `compliance eod` against the in-process server with a rule book; output, error messages and exit codes
// (0 ok, 1 refused or a failing rule book, 2 usage, 3 cannot connect).
#include "compliance_fixture.hpp"
#include "omsctl_runner.hpp"

namespace oms::api::test {
namespace {

const std::string kDemoRules = std::string(OMS_SOURCE_DIR) + "/compliance_rules";
const std::string kNowhere = "http://127.0.0.1:1";  // offline commands must not need a server

class OmsctlCompliance : public ComplianceFixture {
 protected:
  CliRun omsctl(const std::string& args, const std::string& token) {
    return run_omsctl(args, token, "http://127.0.0.1:" + std::to_string(server->port()));
  }
};

TEST_F(OmsctlCompliance, RulesCheckOffline) {
  auto r = run_omsctl("rules check " + kDemoRules, "", kNowhere);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("OK: ", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("issuer_concentration: "), std::string::npos) << r.out;

  r = run_omsctl("rules check " + dir.string(), "", kNowhere);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("OK: 3 rules in 1 files, version " + holder.current()->version(), 0), 0u) << r.out;

  std::ofstream(dir / "more.yaml") << "rules:\n  - id: y\n    description: d\n    type: max_order_quantity\n"
                                      "    max_quantity: -5\n    severity: block\n";
  r = run_omsctl("rules check " + dir.string(), "", kNowhere);
  EXPECT_EQ(r.code, 1);
  EXPECT_TRUE(r.out.empty()) << r.out;
  EXPECT_EQ(r.err.rfind("more.yaml:5:19: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find("FAILED: 1 error(s)"), std::string::npos) << r.err;

  r = run_omsctl("--json rules check " + dir.string(), "", kNowhere);
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.body()["ok"], false);
  EXPECT_EQ(r.body()["lines"].size(), 2u) << r.out;

  EXPECT_EQ(run_omsctl("rules check", "", kNowhere).code, 2);  // DIR is required
  r = run_omsctl("rules check /no/such/dir", "", kNowhere);
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("/no/such/dir"), std::string::npos) << r.err;
}

TEST_F(OmsctlCompliance, RulesTestOffline) {
  auto r = run_omsctl("rules test " + kDemoRules, "", kNowhere);
  EXPECT_EQ(r.code, 0) << r.err << r.out;

  // A case whose expectation is wrong fails, named, with exit code 1.
  std::filesystem::create_directories(dir / "tests");
  std::ofstream(dir / "tests/reference.yaml")
      << "instruments:\n  - {symbol: AAA, issuer: A Co, asset_class: equity, reference_price: 10}\n"
         "accounts:\n  - {id: F1, cash: 1000000}\n";
  std::ofstream(dir / "tests/cases.yaml")
      << "cases:\n"
         "  - name: 1000 is exactly the maximum\n"
         "    account: F1\n"
         "    order: { symbol: AAA, side: buy, quantity: 1000, price: 10 }\n"
         "    expect: { decision: accepted, rules: { fat-finger: pass } }\n"
         "  - name: 1001 said to pass (wrong on purpose)\n"
         "    account: F1\n"
         "    order: { symbol: AAA, side: buy, quantity: 1001, price: 10 }\n"
         "    expect: { decision: accepted }\n";
  r = run_omsctl("rules test " + dir.string(), "", kNowhere);
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("PASS tests/cases.yaml: 1000 is exactly the maximum\n"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("FAIL tests/cases.yaml:6:5: 1001 said to pass (wrong on purpose): decision expected accepted, "
                       "got rejected\n"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("FAILED: 1 passed, 1 failed"), std::string::npos) << r.err;
}

TEST_F(OmsctlCompliance, RulesListAndReload) {
  auto r = omsctl("rules list", "tok-erin");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("rule book " + holder.current()->version() + ": 3 rules\nID ", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("big-ticket   max_order_notional"), std::string::npos) << r.out;

  std::ofstream(dir / "rules.yaml") << std::string(kComplianceRules).replace(std::string(kComplianceRules).find("1000"), 4, "500");
  r = omsctl("rules reload", "tok-carol");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "rule book " + holder.current()->version() + " loaded: 3 rules\n");
  EXPECT_EQ(holder.history().back().loaded_by, "carol");

  const auto version = holder.current()->version();
  std::ofstream(dir / "rules.yaml") << "rules:\n  - id: x\n    type: nonsense\n    severity: block\n";
  r = omsctl("rules reload", "tok-carol");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("omsctl: refused (HTTP 422 invalid_argument): rule book not loaded"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("  rules.yaml:3:11: "), std::string::npos) << r.err;
  EXPECT_EQ(holder.current()->version(), version);
  r = omsctl("rules list", "tok-erin");
  EXPECT_NE(r.out.find("last reload failed"), std::string::npos) << r.out;

  r = omsctl("rules reload", "tok-alice");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("HTTP 403 forbidden"), std::string::npos) << r.err;
  EXPECT_EQ(run_omsctl("rules reload", "tok-carol", kNowhere).code, 3);
  EXPECT_EQ(omsctl("rules", "tok-carol").code, 2);
}

TEST_F(OmsctlCompliance, RulesVersions) {
  auto r = omsctl("rules versions", "tok-erin");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "no rule book version recorded\n");
  const std::string v1 = holder.current()->version();
  ASSERT_TRUE(engine->record_rules_in_force(dir.string(), "startup").get().recorded);
  std::ofstream(dir / "rules.yaml") << std::string(kComplianceRules).replace(std::string(kComplianceRules).find("1000"), 4, "500");
  ASSERT_EQ(omsctl("rules reload", "tok-carol").code, 0);
  const std::string v2 = holder.current()->version();
  r = omsctl("rules reload", "tok-carol");  // same files again
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "rule book " + v2 + " unchanged (same content hash): nothing new recorded\n");

  r = omsctl("rules versions", "tok-erin");
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string at = to_iso8601(clock.now());
  EXPECT_EQ(r.out.rfind("VERSION ", 0), 0u) << r.out;
  const auto first = r.out.find('\n') + 1, second = r.out.find('\n', first) + 1;
  const std::string row1 = r.out.substr(first, second - first), row2 = r.out.substr(second);
  EXPECT_EQ(row1.rfind(v2 + "  " + at + "  carol ", 0), 0u) << r.out;
  EXPECT_NE(row1.find(v1), std::string::npos) << r.out;  // the previous version
  EXPECT_NE(row1.find("rules.yaml"), std::string::npos) << r.out;
  EXPECT_EQ(row2.rfind(v1 + "  " + at + "  startup ", 0), 0u) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 3) << r.out;

  r = omsctl("--json rules versions", "tok-erin");
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_EQ(r.body()["versions"].size(), 2u) << r.out;
  EXPECT_EQ(r.body()["versions"][0]["version"], v2);
  EXPECT_EQ(r.body()["versions"][0]["previous"], v1);
  EXPECT_EQ(r.body()["versions"][1]["loaded_by"], "startup");

  r = omsctl("rules list", "tok-erin");
  EXPECT_EQ(r.out.rfind("rule book " + v2 + ": 3 rules\nloaded " + at + " by carol\n", 0), 0u) << r.out;
}

TEST_F(OmsctlCompliance, Approvals) {
  auto r = omsctl("approvals list", "tok-carol");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "no orders held for approval\n");
  const auto a = place_held(), b = place_held();
  r = omsctl("approvals list", "tok-carol");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("ID  ACCOUNT  SYMBOL  SIDE  QTY  LIMIT  BY    REASON\n" + std::to_string(a) +
                            "   GROWTH   AAPL    buy   300  190    dave  big-ticket (GROWTH): ",
                        0),
            0u)
      << r.out;
  r = omsctl("--json approvals list", "tok-carol");
  EXPECT_EQ(r.body()["approvals"].size(), 2u);

  r = omsctl("approvals approve " + std::to_string(a), "tok-alice");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("HTTP 403 forbidden"), std::string::npos) << r.err;
  r = omsctl("approvals approve " + std::to_string(a) + " --reason 'within mandate'", "tok-carol");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "order " + std::to_string(a) + " approved\n");
  EXPECT_EQ(order(a).workflow, Workflow::Routed);
  EXPECT_EQ(omsctl("approvals approve " + std::to_string(a), "tok-carol").code, 1);  // no longer held: 409

  EXPECT_EQ(omsctl("approvals reject " + std::to_string(b), "tok-carol").code, 2);  // --reason is required
  EXPECT_EQ(omsctl("approvals reject x12 --reason no", "tok-carol").code, 2);
  EXPECT_EQ(order(b).workflow, Workflow::HeldForApproval);
  r = omsctl("approvals reject " + std::to_string(b) + " --reason 'too large'", "tok-carol");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "order " + std::to_string(b) + " rejected\n");
  EXPECT_EQ(order(b).workflow, Workflow::ComplianceRejected);
  r = omsctl("approvals reject 999 --reason no", "tok-carol");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("HTTP 404 not_found"), std::string::npos) << r.err;
}

TEST_F(OmsctlCompliance, EndOfDay) {
  auto r = omsctl("compliance eod", "tok-carol");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "end-of-day compliance, rule book " + holder.current()->version() +
                       ": 1 breach(es) in 1 checks\n"
                       "ACCOUNT  RULE         SEVERITY  SUBJECT    OUTCOME  UNIT     MEASURED  LIMIT   HEADROOM\n"
                       "GROWTH   issuer-1pct  warn      Apple Inc  breach   percent  1.8646    1.0000  -0.8646\n");
  r = omsctl("compliance eod --csv", "tok-carol");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "account,rule_id,rule_type,severity,subject,outcome,unit,measured,limit,headroom\n"
                   "GROWTH,issuer-1pct,issuer_concentration,warn,Apple Inc,breach,percent,1.8646,1.0000,-0.8646\n");
  r = omsctl("--json compliance eod", "tok-root");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.body()["breaches"], 1);
  r = omsctl("compliance eod", "tok-erin");
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.err.find("HTTP 403 forbidden"), std::string::npos) << r.err;
  EXPECT_EQ(run_omsctl("compliance eod", "", "http://127.0.0.1:" + std::to_string(server->port())).code, 2);  // no token
}

// `orders new` says what compliance decided (201 means recorded, not sent) and passes --acknowledge-warnings.
TEST_F(OmsctlCompliance, OrdersNewSaysWhatComplianceDecided) {
  const std::string buy = "orders new --account GROWTH --symbol AAPL --side buy --limit 190 --qty ";
  auto r = omsctl(buy + "300", "tok-dave");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("order 1 held for a compliance officer's approval\n", 0), 0u) << r.out;
  r = omsctl(buy + "2000", "tok-dave");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("order 2 rejected by compliance\n", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("fat-finger"), std::string::npos) << r.out;
  // The flag reaches the API as acknowledge_warnings (an unknown field would be a 400).
  r = omsctl(buy + "10 --acknowledge-warnings", "tok-dave");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("order 3 accepted\n", 0), 0u) << r.out;
}

}  // namespace
}  // namespace oms::api::test
