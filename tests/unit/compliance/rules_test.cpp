// Each rule type with hand-computed values exactly at its limit and one unit over, per severity and scope.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "fixture.hpp"

namespace oms::compliance {
namespace {
using namespace testing;

class Rules : public ::testing::Test {
 protected:
  void SetUp() override {
    add_common_instruments(st);
    st.upsert_instrument(instrument("FND", "Fund Trust", "10", "fund", "Funds"));
    st.upsert_instrument(instrument("SML", "Small Co", "10", "equity", "Tech", "", "1000", "10000"));
    auto rated = instrument("RTD", "Rated Co", "100", "bond", "Credit");
    rated.attributes["rating"] = "BB";
    rated.lot_size = Q("100");
    st.upsert_instrument(rated);
    for (int i = 1; i <= 9; ++i) st.upsert_instrument(instrument("E" + std::to_string(i), "Issuer E" + std::to_string(i), "100", "equity", "S" + std::to_string(i)));
    st.upsert_account(account("F1", "1000000", {"ucits"}));
    st.upsert_account(account("F2", "1000000", {"40act"}));
    st.upsert_account(account("F3", "1000000"));
  }
  std::string rule(const std::string& type_and_params, const std::string& severity = "block",
                   const std::string& extra = "") {
    return "rules:\n  - id: r\n    description: test rule\n    type: " + type_and_params + "\n    severity: " + severity +
           "\n" + extra;
  }
  ComplianceState st;
};

// ---- order-level rules ----

TEST_F(Rules, MaxOrderQuantityAtAndOverTheLimit) {
  auto b = book(rule("max_order_quantity\n    max_quantity: 1000"));
  auto r = one(*b, st, order("F3", "AAA", Side::Buy, "1000", "100"));
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.measured.to_string(), "1000.0000");
  EXPECT_EQ(r.headroom().to_string(), "0.0000");
  EXPECT_EQ(r.max_quantity, Q("1000"));
  r = one(*b, st, order("F3", "AAA", Side::Buy, "1000.0001", "100"));  // one quantity unit over
  EXPECT_EQ(r.outcome, Outcome::breach);
  EXPECT_EQ(r.headroom().to_string(), "-0.0001");
}

TEST_F(Rules, SeverityDecidesTheDecision) {
  const auto ord = order("F3", "AAA", Side::Buy, "1001", "100");
  EXPECT_EQ(evaluate(*book(rule("max_order_quantity\n    max_quantity: 1000", "warn")), st, ord, at(2026, 3, 2)).decision, Decision::warn);
  EXPECT_EQ(evaluate(*book(rule("max_order_quantity\n    max_quantity: 1000", "approval")), st, ord, at(2026, 3, 2)).decision, Decision::held);
  EXPECT_EQ(evaluate(*book(rule("max_order_quantity\n    max_quantity: 1000", "block")), st, ord, at(2026, 3, 2)).decision, Decision::rejected);
  EXPECT_EQ(evaluate(*book(rule("max_order_quantity\n    max_quantity: 1001", "block")), st, ord, at(2026, 3, 2)).decision, Decision::accepted);
  // Gravest wins: block > approval > warn.
  const std::string three = "rules:\n"
      "  - { id: w, description: d, type: max_order_quantity, max_quantity: 1, severity: warn }\n"
      "  - { id: a, description: d, type: max_order_quantity, max_quantity: 1, severity: approval }\n"
      "  - { id: b, description: d, type: max_order_quantity, max_quantity: 2000, severity: block }\n";
  EXPECT_EQ(evaluate(*book(three), st, ord, at(2026, 3, 2)).decision, Decision::held);
}

TEST_F(Rules, ScopeSelectsAccountsGroupsAssetClassesAndSides) {
  auto count = [&](const std::string& scope, const OrderSpec& o) {
    auto b = book(rule("max_order_quantity\n    max_quantity: 1", "warn", "    scope: " + scope + "\n"));
    return evaluate(*b, st, o, at(2026, 3, 2)).slices[0].results.size();
  };
  const auto buy_f1 = order("F1", "AAA", Side::Buy, "5", "100");
  EXPECT_EQ(count("{ accounts: [F1] }", buy_f1), 1u);
  EXPECT_EQ(count("{ accounts: [F2, F3] }", buy_f1), 0u);
  EXPECT_EQ(count("{ account_groups: [ucits] }", buy_f1), 1u);
  EXPECT_EQ(count("{ account_groups: [40act] }", buy_f1), 0u);
  EXPECT_EQ(count("{ asset_classes: [equity] }", buy_f1), 1u);
  EXPECT_EQ(count("{ asset_classes: [bond] }", buy_f1), 0u);
  EXPECT_EQ(count("{ sides: [buy] }", buy_f1), 1u);
  EXPECT_EQ(count("{ sides: [any_sell] }", buy_f1), 0u);
  EXPECT_EQ(count("{ sides: [any_sell] }", order("F1", "AAA", Side::SellShort, "5", "100")), 1u);
  EXPECT_EQ(count("{ sides: [sell] }", order("F1", "AAA", Side::SellShort, "5", "100")), 0u);
  EXPECT_EQ(count("{ account_groups: [ucits], asset_classes: [bond] }", buy_f1), 0u);  // every condition must hold
}

TEST_F(Rules, EffectiveDatesAreInclusive) {
  auto b = book(rule("max_order_quantity\n    max_quantity: 1", "warn", "    effective: { from: 2026-03-02, until: 2026-03-31 }\n"));
  const auto o = order("F3", "AAA", Side::Buy, "5", "100");
  EXPECT_EQ(evaluate(*b, st, o, at(2026, 3, 1) + std::chrono::hours(23)).slices[0].results.size(), 0u);
  EXPECT_EQ(evaluate(*b, st, o, at(2026, 3, 2)).slices[0].results.size(), 1u);
  EXPECT_EQ(evaluate(*b, st, o, at(2026, 3, 31) + std::chrono::hours(23)).slices[0].results.size(), 1u);
  EXPECT_EQ(evaluate(*b, st, o, at(2026, 4, 1)).slices[0].results.size(), 0u);
}

TEST_F(Rules, MaxOrderNotional) {
  auto b = book(rule("max_order_notional\n    max_notional: 100000"));
  auto r = one(*b, st, order("F3", "AAA", Side::Buy, "1000", "100"));  // 1000 x 100 = 100,000
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.max_quantity, Q("1000"));
  r = one(*b, st, order("F3", "AAA", Side::Buy, "1000", "100.000001"));  // 100,000.001
  EXPECT_EQ(r.outcome, Outcome::breach);
  EXPECT_EQ(r.measured.to_string(), "100000.0010");
  EXPECT_EQ(r.max_quantity, Q("999"));
}

TEST_F(Rules, PriceToleranceBothDirections) {
  auto b = book(rule("price_tolerance\n    max_deviation_pct: 5", "warn"));
  EXPECT_EQ(one(*b, st, order("F3", "AAA", Side::Buy, "1", "105")).outcome, Outcome::pass);
  EXPECT_EQ(one(*b, st, order("F3", "AAA", Side::Buy, "1", "105.000001")).outcome, Outcome::breach);
  EXPECT_EQ(one(*b, st, order("F3", "AAA", Side::Sell, "1", "95")).outcome, Outcome::pass);
  EXPECT_EQ(one(*b, st, order("F3", "AAA", Side::Sell, "1", "94.999999")).outcome, Outcome::breach);
  auto r = one(*b, st, order("F3", "AAA", Side::Buy, "1"));  // market: the reference price
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_FALSE(r.has_measure);
}

TEST_F(Rules, PctOfAdvMeasuresTheWholeBlock) {
  // SML: ADV 1,000 shares. 10% = 100 shares for the whole block of two slices.
  auto b = book(rule("pct_adv\n    max_pct_adv: 10", "warn"));
  OrderSpec block = order("", "SML", Side::Buy, "100", "10");
  block.account = AccountId{};
  block.allocations = {{AccountId("F1"), Q("60")}, {AccountId("F3"), Q("40")}};
  auto e = evaluate(*b, st, block, at(2026, 3, 2));
  EXPECT_EQ(e.decision, Decision::accepted);
  ASSERT_EQ(e.slices.size(), 2u);
  EXPECT_EQ(e.slices[0].results[0].measured.to_string(), "10.0000");
  EXPECT_EQ(e.slices[0].results[0].max_quantity, Q("60"));  // 100 - the other slice's 40
  block.quantity = Q("101");
  block.allocations[1].quantity = Q("41");
  e = evaluate(*b, st, block, at(2026, 3, 2));
  EXPECT_EQ(e.decision, Decision::warn);
  EXPECT_EQ(e.slices[1].results[0].measured.to_string(), "10.1000");
}

TEST_F(Rules, RestrictedBySymbolIssuerAndParent) {
  auto b = book(rule("restricted_list\n    symbols: [AAA]\n    issuers: [PB Group]"));
  EXPECT_EQ(one(*b, st, order("F3", "AAA", Side::Buy, "1", "100")).outcome, Outcome::breach);
  EXPECT_EQ(one(*b, st, order("F3", "CCC", Side::Sell, "1", "10")).outcome, Outcome::breach);  // parent listed
  auto r = one(*b, st, order("F3", "GOV", Side::Buy, "1", "100"));
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.max_quantity, std::nullopt);
}

TEST_F(Rules, DuplicateWindowIsExact) {
  auto b = book(rule("duplicate_order\n    window_seconds: 60", "warn"));
  const Timestamp t0 = at(2026, 3, 2);
  ASSERT_TRUE(st.record_order(AccountId("F3"), Symbol("AAA"), Side::Buy, Q("10"), t0));
  const auto o = order("F3", "AAA", Side::Buy, "10", "100");
  EXPECT_EQ(one(*b, st, o, t0 + std::chrono::seconds(60) - std::chrono::nanoseconds(1)).outcome, Outcome::breach);
  EXPECT_EQ(one(*b, st, o, t0 + std::chrono::seconds(60)).outcome, Outcome::pass);
  EXPECT_EQ(one(*b, st, order("F3", "AAA", Side::Sell, "10", "100"), t0).outcome, Outcome::pass);
  EXPECT_EQ(one(*b, st, order("F3", "AAA", Side::Buy, "11", "100"), t0).outcome, Outcome::pass);
}

// ---- holdings rules ----

TEST_F(Rules, PositionLimitSharesIncludesPendingOrders) {
  auto b = book(rule("position_limit\n    max_shares: 1000"));
  ASSERT_TRUE(st.set_position(AccountId("F3"), Symbol("AAA"), Q("900")));
  ASSERT_TRUE(st.add_pending(AccountId("F3"), Symbol("AAA"), Side::Buy, Q("60"), P("100")));
  ASSERT_TRUE(st.add_pending(AccountId("F3"), Symbol("AAA"), Side::Sell, Q("10"), P("100")));
  // 900 + 60 - 10 = 950 projected; +50 = 1000.
  auto r = one(*b, st, order("F3", "AAA", Side::Buy, "50", "100"));
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.pre_trade.to_string(), "950.0000");
  EXPECT_EQ(r.max_quantity, Q("50"));
  EXPECT_EQ(one(*b, st, order("F3", "AAA", Side::Buy, "51", "100")).outcome, Outcome::breach);
}

TEST_F(Rules, PositionLimitPctNavAccountsForTheLimitPrice) {
  // F3: cash 1,000,000. Buy 1,000 AAA (reference 100) at a limit of 90: cash 910,000, holdings 100,000,
  // NAV 1,010,000: 100,000 / 1,010,000 = 9.9010%. Largest q with 100q <= 10% x (1,000,000 + 10q): q <= 1010.10.
  auto b = book(rule("position_limit\n    max_pct_nav: 10"));
  auto r = one(*b, st, order("F3", "AAA", Side::Buy, "1000", "90"));
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.measured.to_string(), "9.9010");
  EXPECT_EQ(r.max_quantity, Q("1010"));
  EXPECT_EQ(one(*b, st, order("F3", "AAA", Side::Buy, "1010", "90")).outcome, Outcome::pass);   // 9.9990%
  EXPECT_EQ(one(*b, st, order("F3", "AAA", Side::Buy, "1011", "90")).outcome, Outcome::breach); // 10.0088%
}

TEST_F(Rules, PassiveBreachNotes) {
  auto b = book(rule("position_limit\n    max_notional: 100000"));
  ASSERT_TRUE(st.set_position(AccountId("F3"), Symbol("AAA"), Q("1500")));  // 150,000: already over
  auto r = one(*b, st, order("F3", "AAA", Side::Sell, "100", "100"));
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.note, PassiveNote::improving);
  r = one(*b, st, order("F3", "AAA", Side::Buy, "0.0001", "100"));
  EXPECT_EQ(r.outcome, Outcome::breach);
  EXPECT_EQ(r.note, PassiveNote::worsening);
  EXPECT_EQ(r.max_quantity, Q("0"));
  EXPECT_EQ(r.headroom().to_string(), "-50000.0100");
}

TEST_F(Rules, IssuerConcentrationByIssuerAndByParent) {
  // F3: cash 1,000,000 + BBB 1,000 x 50 + CCC 5,000 x 10 = NAV 1,100,000. B Corp 50,000; PB Group 100,000.
  ASSERT_TRUE(st.set_position(AccountId("F3"), Symbol("BBB"), Q("1000")));
  ASSERT_TRUE(st.set_position(AccountId("F3"), Symbol("CCC"), Q("5000")));
  // +100 BBB at market: B Corp 55,000 / 1,100,000 = 5.0000% exactly.
  auto by_issuer = book(rule("issuer_concentration\n    limit_pct_nav: 5"));
  auto r = one(*by_issuer, st, order("F3", "BBB", Side::Buy, "100"));
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.measured.to_string(), "5.0000");
  EXPECT_EQ(r.max_quantity, Q("100"));
  EXPECT_EQ(one(*by_issuer, st, order("F3", "BBB", Side::Buy, "100.0001")).outcome, Outcome::breach);
  // Parent: PB Group 105,000 / 1,100,000 = 9.54545...% -> 9.5455 (half-up).
  auto by_parent = book(rule("issuer_concentration\n    limit_pct_nav: 9.5\n    aggregate_by: parent_issuer"));
  r = one(*by_parent, st, order("F3", "BBB", Side::Buy, "100"));
  EXPECT_EQ(r.outcome, Outcome::breach);
  EXPECT_EQ(r.measured.to_string(), "9.5455");
  EXPECT_EQ(r.headroom().to_string(), "-0.0455");
  EXPECT_EQ(r.max_quantity, Q("90"));  // 9.0909% now: 104,500 / 1,100,000 = 9.5% exactly at +90 shares
  EXPECT_EQ(one(*by_parent, st, order("F3", "BBB", Side::Buy, "90")).outcome, Outcome::pass);
  EXPECT_EQ(one(*by_parent, st, order("F3", "BBB", Side::Buy, "90.0001")).outcome, Outcome::breach);
}

TEST_F(Rules, GroupConcentrationOnAnyAttribute) {
  // RTD has rating BB, lot 100. F3 NAV 1,000,000. 5% = 50,000 = 500 RTD.
  auto b = book(rule("group_concentration\n    attribute: rating\n    limit_pct_nav: 5\n    values: [BB, B]"));
  auto r = one(*b, st, order("F3", "RTD", Side::Buy, "500"));
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.max_quantity, Q("500"));
  EXPECT_EQ(one(*b, st, order("F3", "RTD", Side::Buy, "501")).outcome, Outcome::breach);
  r = one(*b, st, order("F3", "AAA", Side::Buy, "100000"));  // no rating: not applicable
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_FALSE(r.has_measure);
  auto sector = book(rule("group_concentration\n    attribute: sector\n    limit_pct_nav: 5"));
  ASSERT_TRUE(st.set_cash(AccountId("F3"), M("960000")));
  ASSERT_TRUE(st.set_position(AccountId("F3"), Symbol("BBB"), Q("800")));  // Tech 40,000 of NAV 1,000,000
  EXPECT_EQ(one(*sector, st, order("F3", "SML", Side::Buy, "1000")).outcome, Outcome::pass);    // 50,000 = 5%
  EXPECT_EQ(one(*sector, st, order("F3", "SML", Side::Buy, "1000.0001")).outcome, Outcome::breach);
}

TEST_F(Rules, NoShortSale) {
  auto b = book(rule("no_short_sale"));
  ASSERT_TRUE(st.set_position(AccountId("F3"), Symbol("AAA"), Q("100")));
  ASSERT_TRUE(st.add_pending(AccountId("F3"), Symbol("AAA"), Side::Sell, Q("30"), P("100")));
  ASSERT_TRUE(st.add_pending(AccountId("F3"), Symbol("AAA"), Side::Buy, Q("500"), P("100")));  // never covers
  EXPECT_EQ(one(*b, st, order("F3", "AAA", Side::Sell, "70", "100")).outcome, Outcome::pass);
  auto r = one(*b, st, order("F3", "AAA", Side::SellShort, "70.0001", "100"));
  EXPECT_EQ(r.outcome, Outcome::breach);
  EXPECT_EQ(r.max_quantity, Q("70"));
  EXPECT_EQ(one(*b, st, order("F3", "AAA", Side::Buy, "1000000", "100")).outcome, Outcome::pass);
}

TEST_F(Rules, CashSufficiency) {
  auto b = book(rule("cash_sufficiency"));
  ASSERT_TRUE(st.add_pending(AccountId("F3"), Symbol("AAA"), Side::Buy, Q("1000"), P("100")));   // uses 100,000
  ASSERT_TRUE(st.add_pending(AccountId("F3"), Symbol("GOV"), Side::Sell, Q("1000"), P("100")));  // never funds
  auto r = one(*b, st, order("F3", "BBB", Side::Buy, "18000", "50"));  // 900,000 = what is left
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.limit.to_string(), "900000.0000");
  EXPECT_EQ(r.max_quantity, Q("18000"));
  EXPECT_EQ(one(*b, st, order("F3", "BBB", Side::Buy, "18000", "50.000001")).outcome, Outcome::breach);
}

// UCITS 5/10/40 worked example. F1: cash 615,000 + E1..E7 at 550 x 100 = 55,000 each (5.5%) = NAV 1,000,000.
// The 40% bucket holds the seven issuers above 5%: 7 x 5.5% = 38.5%.
//  - Buy 500 E8 at market: E8 = 50,000 = 5.0000% -> not above 5%, outside the bucket; bucket stays 38.5%: pass.
//  - Buy 501 E8: 5.01% > 5% -> enters with its whole weight: 38.5 + 5.01 = 43.51% > 40%: breach.
//  - Buy 450 E1: E1 = 100,000 = 10% exactly, bucket = 33 + 10 = 43% > 40%: breach (bucket leg).
TEST_F(Rules, Ucits51040WorkedExample) {
  auto b = book(rule("ucits_5_10_40"));
  ASSERT_TRUE(st.set_cash(AccountId("F1"), M("615000")));
  for (int i = 1; i <= 7; ++i) ASSERT_TRUE(st.set_position(AccountId("F1"), Symbol("E" + std::to_string(i)), Q("550")));
  auto r = one(*b, st, order("F1", "E8", Side::Buy, "500"));
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.measured.to_string(), "38.5000");
  EXPECT_EQ(r.max_quantity, Q("500"));
  r = one(*b, st, order("F1", "E8", Side::Buy, "501"));
  EXPECT_EQ(r.outcome, Outcome::breach);
  EXPECT_EQ(r.measured.to_string(), "43.5100");
  r = one(*b, st, order("F1", "E1", Side::Buy, "450"));
  EXPECT_EQ(r.outcome, Outcome::breach);
  EXPECT_EQ(r.measured.to_string(), "43.0000");
  EXPECT_EQ(r.max_quantity, Q("150"));  // E1 at 7%: 33 + 7 = 40% exactly
  // Selling E1 down to exactly 5% removes it from the bucket: 33% + 0 -> pass.
  r = one(*b, st, order("F1", "E1", Side::Sell, "50"));
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.measured.to_string(), "33.0000");
}

// 10% leg: F1 cash 905,000 + E1 950 x 100 = 95,000 (9.5%) = NAV 1,000,000. +50 = 10% exactly: pass; +51: breach.
// Passive: already above 40%, a small new issuer (bucket unchanged) passes with the note "unchanged".
TEST_F(Rules, UcitsTenPercentLegAndPassiveNote) {
  auto b = book(rule("ucits_5_10_40"));
  ASSERT_TRUE(st.set_cash(AccountId("F1"), M("905000")));
  ASSERT_TRUE(st.set_position(AccountId("F1"), Symbol("E1"), Q("950")));
  EXPECT_EQ(one(*b, st, order("F1", "E1", Side::Buy, "50")).outcome, Outcome::pass);
  auto r = one(*b, st, order("F1", "E1", Side::Buy, "51"));
  EXPECT_EQ(r.outcome, Outcome::breach);
  EXPECT_EQ(r.measured.to_string(), "10.0100");
  EXPECT_EQ(r.max_quantity, Q("50"));

  // 6 issuers at 7% = 42% in the bucket, cash 580,000, NAV 1,000,000.
  ComplianceState s2 = st;
  ASSERT_TRUE(s2.set_cash(AccountId("F1"), M("580000")));
  ASSERT_TRUE(s2.set_position(AccountId("F1"), Symbol("E1"), Q("0")));
  for (int i = 1; i <= 6; ++i) ASSERT_TRUE(s2.set_position(AccountId("F1"), Symbol("E" + std::to_string(i)), Q("700")));
  r = one(*b, s2, order("F1", "E9", Side::Buy, "100"));  // 1%: outside the bucket
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.note, PassiveNote::unchanged);
  r = one(*b, s2, order("F1", "E1", Side::Sell, "100"));  // 6%: bucket 41%
  EXPECT_EQ(r.note, PassiveNote::improving);
  EXPECT_EQ(r.outcome, Outcome::pass);
  r = one(*b, s2, order("F1", "E1", Side::Buy, "1"));
  EXPECT_EQ(r.note, PassiveNote::worsening);
  EXPECT_EQ(r.outcome, Outcome::breach);
}

// 1940 Act 75-5-10 worked example. F2: cash 500,000, GOV 2,000 x 100 = 200,000 (government: qualifies),
// FND 5,000 x 10 = 50,000 (fund: qualifies), E1..E5 at 500 x 100 = 50,000 each (5.0000%: qualify),
// NAV = 500,000 + 200,000 + 50,000 + 250,000 = 1,000,000. Qualifying 100%.
//  - E6 at 2,000 x 100 = 200,000 (20%): does not qualify. Cash 300,000: qualifying 80%: pass.
//  - E6 at 2,500: cash 250,000, qualifying 75.0000% exactly: pass. 2,500.0001: 74.99999%: breach.
//  - SML: 10,000 voting shares outstanding; 1,000 = 10% exactly qualifies, 1,000.0001 drops out whole.
TEST_F(Rules, Act40WorkedExample) {
  auto b = book(rule("act40_75_5_10"));
  const AccountId f2("F2");
  ASSERT_TRUE(st.set_cash(f2, M("500000")));
  ASSERT_TRUE(st.set_position(f2, Symbol("GOV"), Q("2000")));
  ASSERT_TRUE(st.set_position(f2, Symbol("FND"), Q("5000")));
  for (int i = 1; i <= 5; ++i) ASSERT_TRUE(st.set_position(f2, Symbol("E" + std::to_string(i)), Q("500")));
  auto r = one(*b, st, order("F2", "E6", Side::Buy, "2000"));
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.pre_trade.to_string(), "100.0000");
  EXPECT_EQ(r.measured.to_string(), "80.0000");
  EXPECT_TRUE(r.is_minimum);
  EXPECT_EQ(r.headroom().to_string(), "5.0000");
  EXPECT_EQ(r.max_quantity, Q("2500"));
  EXPECT_EQ(one(*b, st, order("F2", "E6", Side::Buy, "2500")).measured.to_string(), "75.0000");
  EXPECT_EQ(one(*b, st, order("F2", "E6", Side::Buy, "2500")).outcome, Outcome::pass);
  EXPECT_EQ(one(*b, st, order("F2", "E6", Side::Buy, "2500.0001")).outcome, Outcome::breach);
  // One more share of E1 (5.01%) drops E1's whole 50,100 out: 949,900 / 1,000,000 = 94.99%: still passes.
  r = one(*b, st, order("F2", "E1", Side::Buy, "1"));
  EXPECT_EQ(r.measured.to_string(), "94.9900");
  // Voting leg: SML 1,000 of 10,000 shares (10,000 = 1% of NAV).
  EXPECT_EQ(one(*b, st, order("F2", "SML", Side::Buy, "1000")).measured.to_string(), "100.0000");
  // 1,000.0001 drops SML's 10,000.001 out: 989,999.999 / 1,000,000 = 98.9999999% (reported 99.0000).
  r = one(*b, st, order("F2", "SML", Side::Buy, "1000.0001"));
  EXPECT_EQ(r.measured.to_string(), "99.0000");
  EXPECT_LT(compare(r.measured, Exact{99, 1}), 0);
}

TEST_F(Rules, Act40PassiveBelowMinimum) {
  // F2: cash 100,000, E1..E9 at 1,000 x 100 = 100,000 each (10%: none qualifies). NAV 1,000,000; qualifying 10%.
  auto b = book(rule("act40_75_5_10"));
  const AccountId f2("F2");
  ASSERT_TRUE(st.set_cash(f2, M("100000")));
  for (int i = 1; i <= 9; ++i) ASSERT_TRUE(st.set_position(f2, Symbol("E" + std::to_string(i)), Q("1000")));
  auto r = one(*b, st, order("F2", "E1", Side::Sell, "100"));  // cash up by 10,000: 11%
  EXPECT_EQ(r.outcome, Outcome::pass);
  EXPECT_EQ(r.note, PassiveNote::improving);
  r = one(*b, st, order("F2", "GOV", Side::Buy, "100"));  // cash into government: unchanged
  EXPECT_EQ(r.note, PassiveNote::unchanged);
  EXPECT_EQ(r.outcome, Outcome::pass);
  r = one(*b, st, order("F2", "E1", Side::Buy, "1"));
  EXPECT_EQ(r.note, PassiveNote::worsening);
  EXPECT_EQ(r.outcome, Outcome::breach);
}

TEST_F(Rules, ExpressionOverOrderInstrumentAccountAndMetrics) {
  auto b = book(rule("expression\n    require: 'order.is_sell or not (account.groups contains \"ucits\") or post_trade.issuer_pct_nav <= 1'"));
  // F1 NAV 1,000,000: 1% = 10,000 = 100 AAA.
  EXPECT_EQ(one(*b, st, order("F1", "AAA", Side::Buy, "100")).outcome, Outcome::pass);
  EXPECT_EQ(one(*b, st, order("F1", "AAA", Side::Buy, "100.0001")).outcome, Outcome::breach);
  EXPECT_EQ(one(*b, st, order("F3", "AAA", Side::Buy, "100000")).outcome, Outcome::pass);
  auto err = book(rule("expression\n    require: order.quantity / (order.price - 100) > 1"));
  const auto o = order("F3", "AAA", Side::Buy, "1", "100");
  const Evaluation e = evaluate(*err, st, o, at(2026, 3, 2));
  EXPECT_EQ(e.slices[0].results[0].outcome, Outcome::breach);
  EXPECT_NE(describe(*err, st, e, e.slices[0], e.slices[0].results[0]).find("division by zero"), std::string::npos);
}

TEST_F(Rules, UnknownInstrumentOrAccountRejects) {
  auto b = book(rule("no_short_sale"));
  auto e = evaluate(*b, st, order("F3", "NOPE", Side::Buy, "1"), at(2026, 3, 2));
  EXPECT_EQ(e.decision, Decision::rejected);
  EXPECT_NE(e.slices[0].error.find("unknown instrument NOPE"), std::string::npos);
  e = evaluate(*b, st, order("F9", "AAA", Side::Buy, "1"), at(2026, 3, 2));
  EXPECT_EQ(e.decision, Decision::rejected);
}

TEST_F(Rules, JsonCarriesVersionOutcomesAndReasons) {
  auto b = book(rule("position_limit\n    max_shares: 1000"));
  const Evaluation e = evaluate(*b, st, order("F3", "AAA", Side::Buy, "1001", "100"), at(2026, 3, 2));
  const auto j = to_json(*b, st, e);
  EXPECT_EQ(j["rule_book_version"], b->version());
  EXPECT_EQ(j["decision"], "rejected");
  const auto& r = j["slices"][0]["results"][0];
  EXPECT_EQ(r["rule"], "r");
  EXPECT_EQ(r["outcome"], "breach");
  EXPECT_EQ(r["measured"], "1001.0000");
  EXPECT_EQ(r["limit"], "1000.0000");
  EXPECT_EQ(r["headroom"], "-1.0000");
  EXPECT_EQ(r["max_quantity"], "1000");
  EXPECT_EQ(r["reason"], "the position in AAA would be 1001.0000 shares after the trade, above the limit of 1000.0000 shares");
}

TEST(Exact, RoundsHalfUpAwayFromZero) {
  EXPECT_EQ((Exact{2, 3}).to_string(4), "0.6667");
  EXPECT_EQ((Exact{1, 8}).to_string(2), "0.13");
  EXPECT_EQ((Exact{-1, 8}).to_string(2), "-0.13");
  EXPECT_EQ((Exact{5, 100000}).to_string(4), "0.0001");
  EXPECT_EQ((Exact{-4, 100000}).to_string(4), "0.0000");
  EXPECT_EQ((Exact{1000, 1}).to_string(0), "1000");
  EXPECT_EQ(compare(Exact{1, 3}, Exact{333333333, 1000000000}), 1);
  EXPECT_EQ(compare(Exact{-1, 3}, Exact{-1, 3}), 0);
  const __int128 big = static_cast<__int128>(1) << 120;
  EXPECT_EQ(compare(Exact{big + 1, big}, Exact{big, big - 1}), -1);  // no overflow on huge operands
}

}  // namespace
}  // namespace oms::compliance
