#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fixture.hpp"
#include "oms/compliance/tools.hpp"

namespace oms::compliance {
namespace {
using namespace testing;

TEST(Batch, ReportsBreachesAndHeadroomOverCurrentPositionsOnly) {
  ComplianceState st;
  st.upsert_instrument(instrument("AAA", "A Corp", "100", "equity", "Tech"));
  st.upsert_instrument(instrument("BBB", "B Corp", "100", "equity", "Energy"));
  st.upsert_account(account("F1", "800000", {"ucits"}));
  // NAV 1,000,000: AAA 150,000 (15%), BBB 50,000 (5%).
  ASSERT_TRUE(st.set_position(AccountId("F1"), Symbol("AAA"), Q("1500")));
  ASSERT_TRUE(st.set_position(AccountId("F1"), Symbol("BBB"), Q("500")));
  // A pending buy is not a holding: it must not appear in the end-of-day report.
  ASSERT_TRUE(st.add_pending(AccountId("F1"), Symbol("BBB"), Side::Buy, Q("5000"), P("100")));
  auto b = book(R"(rules:
  - { id: issuer-10, description: d, type: issuer_concentration, limit_pct_nav: 10, severity: block }
  - { id: ucits, description: d, type: ucits_5_10_40, severity: block }
  - { id: qty, description: d, type: max_order_quantity, max_quantity: 1, severity: block }
)");
  const auto rows = run_batch(*b, st, at(2026, 3, 2));
  // issuer-10: A Corp breach (15%), B Corp pass (5%); ucits: A Corp leg (15% > 10%), B Corp leg, bucket 15%.
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_EQ(rows[0].rule_id, "issuer-10");
  EXPECT_EQ(rows[0].subject, "A Corp");
  EXPECT_EQ(rows[0].outcome, "breach");
  EXPECT_EQ(rows[0].measured, "15.0000");
  EXPECT_EQ(rows[0].headroom, "-5.0000");
  EXPECT_EQ(rows[1].subject, "B Corp");
  EXPECT_EQ(rows[1].outcome, "pass");
  EXPECT_EQ(rows[1].headroom, "5.0000");
  EXPECT_EQ(rows[2].rule_id, "ucits");
  EXPECT_EQ(rows[2].outcome, "breach");
  const auto csv = batch_to_csv(rows);
  EXPECT_EQ(csv.substr(0, csv.find('\n')), "account,rule_id,rule_type,severity,subject,outcome,unit,measured,limit,headroom");
  EXPECT_NE(csv.find("F1,issuer-10,issuer_concentration,block,A Corp,breach,percent,15.0000,10.0000,-5.0000"), std::string::npos);
  const auto j = batch_to_json(*b, rows);
  EXPECT_EQ(j["breaches"], 2);
  EXPECT_EQ(j["rule_book_version"], b->version());
}

TEST(RuleTools, CheckAndTestTheShippedRuleBook) {
  const auto check = check_rule_book(OMS_SOURCE_DIR "/compliance_rules");
  EXPECT_TRUE(check.ok) << check.text();
  const auto test = run_rule_tests(OMS_SOURCE_DIR "/compliance_rules");
  EXPECT_TRUE(test.ok) << test.text();
}

}  // namespace
}  // namespace oms::compliance
