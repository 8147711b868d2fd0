// The audit text the engine records (to_json_text) must be byte for byte what to_json(...).dump() gives, for every
// rule type and reason, block orders, errors and awkward text; Exact's fast formatting must match the exact one.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <nlohmann/json.hpp>

#include "fixture.hpp"

namespace oms::compliance {
namespace {
using namespace testing;

// Every rule type, with severities and scopes, and the reasons that need state (passive breaches, duplicates,
// expression errors, missing attributes, sides that do not apply).
const char* kBook = R"(rules:
  - { id: rl-sym, description: d, type: restricted_list, symbols: [BBB], severity: block }
  - { id: rl-iss, description: d, type: restricted_list, issuers: [C Corp], severity: approval, source: "Policy 4.2" }
  - { id: rl-par, description: d, type: restricted_list, issuers: [PB Group], severity: warn }
  - { id: moq, description: d, type: max_order_quantity, max_quantity: 500, severity: block }
  - { id: mon, description: d, type: max_order_notional, max_notional: 20000, severity: approval }
  - { id: tol, description: d, type: price_tolerance, max_deviation_pct: 2, severity: warn }
  - { id: pos-sh, description: d, type: position_limit, max_shares: 300, severity: block }
  - { id: pos-not, description: d, type: position_limit, max_notional: 15000, severity: warn }
  - { id: pos-pct, description: d, type: position_limit, max_pct_nav: 3, severity: block }
  - { id: iss, description: d, type: issuer_concentration, limit_pct_nav: 2.5, severity: block }
  - { id: par, description: d, type: issuer_concentration, limit_pct_nav: 4, aggregate_by: parent_issuer, severity: warn }
  - { id: sector, description: d, type: group_concentration, attribute: sector, limit_pct_nav: 6, severity: block }
  - { id: rating, description: d, type: group_concentration, attribute: rating, limit_pct_nav: 1, severity: warn }
  - { id: ucits, description: d, type: ucits_5_10_40, severity: block, scope: { account_groups: [ucits] } }
  - { id: act40, description: d, type: act40_75_5_10, severity: block, scope: { account_groups: [40act] } }
  - { id: short, description: d, type: no_short_sale, severity: block }
  - { id: cash, description: d, type: cash_sufficiency, severity: block }
  - { id: adv, description: d, type: pct_adv, max_pct_adv: 0.05, severity: warn }
  - { id: dup, description: d, type: duplicate_order, window_seconds: 60, severity: warn }
  - { id: ex-ok, description: d, type: expression, require: 'order.quantity < 400 or order.is_sell', severity: approval }
  - { id: ex-err, description: d, type: expression, require: 'order.quantity / (order.price - 100) > 1', severity: warn }
  - { id: ex-str, description: d, type: expression, require: 'instrument.attr.rating != "BB"', severity: warn }
)";

class Report : public ::testing::Test {
 protected:
  void SetUp() override {
    add_common_instruments(st);
    st.upsert_instrument(instrument("NOADV", "N Corp", "10", "equity", "Tech", "", "0"));
    auto rated = instrument("RTD", "Rated Co", "100", "bond", "Credit");
    rated.attributes["rating"] = "BB";
    st.upsert_instrument(rated);
    st.upsert_account(account("F1", "100000", {"ucits"}));
    st.upsert_account(account("F2", "100000", {"40act"}));
    st.upsert_account(account("F3", "5000"));
    // Positions over some limits before any order, so that passive-breach notes appear.
    EXPECT_TRUE(st.set_position(AccountId("F1"), Symbol("AAA"), Q("150")).ok());
    EXPECT_TRUE(st.set_position(AccountId("F2"), Symbol("CCC"), Q("2000")).ok());
    EXPECT_TRUE(st.set_position(AccountId("F3"), Symbol("RTD"), Q("10")).ok());
    EXPECT_TRUE(st.record_order(AccountId("F3"), Symbol("AAA"), Side::Buy, Q("10"), at(2026, 3, 2)).ok());
  }
  void expect_same(const RuleBook& b, const OrderSpec& o, Timestamp now) {
    const Evaluation e = evaluate(b, st, o, now);
    const std::string tree = to_json(b, st, e).dump();
    EXPECT_EQ(to_json_text(b, st, e), tree) << o.account.value << " " << o.symbol.value << " " << o.quantity.to_string();
    std::string appended = "prefix";
    to_json_text(b, st, e, appended);
    EXPECT_EQ(appended, "prefix" + tree);
  }
  ComplianceState st;
};

TEST_F(Report, TextIsExactlyTheDumpOfTheTree) {
  auto b = book(kBook);
  std::size_t orders = 0;
  for (const char* acct : {"F1", "F2", "F3", "NOPE"})
    for (const char* sym : {"AAA", "BBB", "CCC", "GOV", "NOADV", "RTD", "NOPE"})
      for (Side side : {Side::Buy, Side::Sell})
        for (const char* qty : {"10", "250", "1000"})
          for (const char* px : {static_cast<const char*>(nullptr), "100", "10.5"}) {
            expect_same(*b, order(acct, sym, side, qty, px), at(2026, 3, 2));
            ++orders;
          }
  EXPECT_EQ(orders, 4u * 7 * 2 * 3 * 3);
  // Block order: one slice per account, one of them unknown.
  OrderSpec block = order("", "AAA", Side::Buy, "30", "100");
  block.allocations = {{AccountId("F1"), Q("10")}, {AccountId("F3"), Q("10")}, {AccountId("F9"), Q("10")}};
  expect_same(*b, block, at(2026, 3, 2));
}

TEST_F(Report, EscapesTextAsTheDumpDoes) {
  // Quotes, backslashes, control characters and UTF-8 in names that reach the reasons.
  st.upsert_instrument(instrument("Q\"\\\t\x01\x1f\x7f", "Soci\xc3\xa9t\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "10"));
  auto b = book(kBook);
  const auto o = order("F1", "Q\"\\\t\x01\x1f\x7f", Side::Buy, "10", "10");
  expect_same(*b, o, at(2026, 3, 2));
  const auto text = to_json_text(*b, st, evaluate(*b, st, o, at(2026, 3, 2)));
  EXPECT_NE(text.find("\"symbol\":\"Q\\\"\\\\\\t\\u0001\\u001f\x7f\""), std::string::npos) << text;
}

TEST_F(Report, InvalidUtf8ThrowsLikeTheDump) {
  for (const char* bad : {"\xff", "\xc0\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xe2\x82"}) {
    const std::string issuer = std::string("Bad ") + bad;
    st.upsert_instrument(instrument("BAD", issuer, "10"));
    auto b = book(std::string("rules:\n  - { id: r, description: d, type: issuer_concentration, limit_pct_nav: 1, severity: block }\n"));
    const Evaluation e = evaluate(*b, st, order("F1", "BAD", Side::Buy, "1", "10"), at(2026, 3, 2));
    EXPECT_THROW((void)to_json(*b, st, e).dump(), nlohmann::json::type_error);
    EXPECT_THROW((void)to_json_text(*b, st, e), nlohmann::json::type_error);
  }
}

// The previous formatting, digit by digit in 128 bits: the reference for the fast one.
std::string reference_format(const Exact& e, int decimals) {
  __int128 scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  const bool negative = e.num < 0;
  const __int128 mag = negative ? -e.num : e.num;
  __int128 r = mag % e.den, frac = 0;
  for (int i = 0; i < decimals; ++i) {
    r *= 10;
    frac = frac * 10 + r / e.den;
    r %= e.den;
  }
  __int128 units = mag / e.den * scale + frac;
  if (r * 2 >= e.den) ++units;
  std::string digits;
  for (__int128 u = units; u > 0; u /= 10) digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(u % 10)));
  while (static_cast<int>(digits.size()) <= decimals) digits.insert(digits.begin(), '0');
  std::string out = (negative && units != 0) ? "-" : "";
  out += digits.substr(0, digits.size() - static_cast<std::size_t>(decimals));
  if (decimals > 0) out += "." + digits.substr(digits.size() - static_cast<std::size_t>(decimals));
  return out;
}

RC_GTEST_PROP(ExactFormat, MatchesTheDigitByDigitReference, (std::int64_t a, std::int64_t b, std::uint8_t shift, std::uint8_t dec)) {
  // Numerators and denominators from small to beyond 64 bits, where the 128-bit path takes over.
  const __int128 num = static_cast<__int128>(a) * (static_cast<__int128>(1) << (shift % 40));
  const __int128 den = (b == 0 ? 1 : (static_cast<__int128>(b < 0 ? -(b + 1) : b) + 1)) << (shift % 7);
  const int decimals = dec % 7;
  const Exact e{num, den};
  RC_ASSERT(e.to_string(decimals) == reference_format(e, decimals));
}

TEST(ExactFormat, EdgeCases) {
  EXPECT_EQ((Exact{0, 1}).to_string(4), "0.0000");
  EXPECT_EQ((Exact{5, 1}).to_string(0), "5");
  EXPECT_EQ((Exact{-5, 10}).to_string(0), "-1");  // half away from zero
  EXPECT_EQ((Exact{-4, 10}).to_string(0), "0");   // no "-0"
  const __int128 big = static_cast<__int128>(1) << 100;
  EXPECT_EQ((Exact{big, 1}).to_string(2), reference_format(Exact{big, 1}, 2));
  EXPECT_EQ((Exact{1, big}).to_string(4), "0.0000");
  std::string s = "x=";
  (Exact{12345, 100}).append_to(s, 1);
  EXPECT_EQ(s, "x=123.5");
}

}  // namespace
}  // namespace oms::compliance
