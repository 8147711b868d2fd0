// The incremental aggregates must always equal a from-scratch valuation of the projected portfolio.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "fixture.hpp"

namespace oms::compliance {
namespace {
using namespace testing;

ComplianceState make_state() {
  ComplianceState st;
  st.upsert_instrument(instrument("A1", "A", "10.5", "equity", "Tech", "PA"));
  st.upsert_instrument(instrument("A2", "A", "99.25", "bond", "Tech", "PA"));
  st.upsert_instrument(instrument("B1", "B", "3.333333", "equity", "Energy", "PA"));
  st.upsert_instrument(instrument("G1", "Gov", "100", "government", "Gov"));
  st.upsert_account(account("F", "1000000"));
  return st;
}

// Recomputes what the state keeps incrementally.
void expect_consistent(const ComplianceState& st) {
  for (const auto& ab : st.accounts()) {
    Value holdings = 0;
    std::vector<Value> issuer(ab.issuer_value.size(), 0), parent(ab.parent_value.size(), 0), exempt(ab.issuer_value.size(), 0);
    for (std::uint32_t i = 0; i < st.instrument_count(); ++i) {
      const auto& s = st.slot(i);
      const Value v = static_cast<Value>(ab.projected_raw(i)) * s.instrument.reference_price.raw();
      holdings += v;
      issuer[s.issuer] += v;
      parent[s.parent] += v;
      if (s.act40_exempt) exempt[s.issuer] += v;
    }
    EXPECT_TRUE(holdings == ab.holdings);
    for (std::size_t k = 0; k < issuer.size(); ++k) {
      EXPECT_TRUE(issuer[k] == ab.issuer_value[k]) << "issuer " << k;
      EXPECT_TRUE(parent[k] == ab.parent_value[k]) << "parent " << k;
      EXPECT_TRUE(exempt[k] == ab.issuer_exempt_value[k]) << "exempt " << k;
    }
  }
}

TEST(ComplianceState, FillsMovePositionsAndCashAndReleasePending) {
  auto st = make_state();
  const AccountId f("F");
  ASSERT_TRUE(st.on_order_accepted(f, Symbol("A1"), Side::Buy, Q("100"), P("10"), at(2026, 3, 2)));
  const AccountBook* ab = st.account(f);
  EXPECT_EQ(ab->pending_buy_cash, M("1000"));
  EXPECT_EQ(ab->projected_raw(0), Q("100").raw());
  // NAV: cash 1,000,000 - pending 1,000 + 100 x 10.5 = 1,000,050.
  EXPECT_TRUE(ab->nav() == to_value(M("1000050")));
  ASSERT_TRUE(st.on_fill(f, Symbol("A1"), Side::Buy, Q("40"), P("9.5"), P("10")));
  EXPECT_EQ(ab->cash, M("999620"));
  EXPECT_EQ(ab->pending_buy_cash, M("600"));
  EXPECT_EQ(ab->position[0], Q("40").raw());
  EXPECT_EQ(ab->projected_raw(0), Q("100").raw());
  ASSERT_TRUE(st.on_order_done(f, Symbol("A1"), Side::Buy, Q("60"), P("10")));
  EXPECT_EQ(ab->pending_buy_cash, M("0"));
  EXPECT_EQ(ab->projected_raw(0), Q("40").raw());
  expect_consistent(st);
}

TEST(ComplianceState, ReferencePriceAndReclassificationRevalue) {
  auto st = make_state();
  ASSERT_TRUE(st.set_position(AccountId("F"), Symbol("A1"), Q("1000")));
  ASSERT_TRUE(st.set_reference_price(Symbol("A1"), P("11")));
  EXPECT_TRUE(st.account(AccountId("F"))->holdings == value_of(Q("1000"), P("11")));
  auto moved = st.instrument(Symbol("A1"))->instrument;
  moved.issuer = "B";  // corporate action: now issued by B
  st.upsert_instrument(moved);
  expect_consistent(st);
  EXPECT_TRUE(st.account(AccountId("F"))->issuer_value[st.instrument(Symbol("A1"))->issuer] == value_of(Q("1000"), P("11")));
}

TEST(ComplianceState, UnknownNamesAreErrorsNotCrashes) {
  auto st = make_state();
  EXPECT_EQ(st.set_position(AccountId("X"), Symbol("A1"), Q("1")).error().code, Errc::not_found);
  EXPECT_EQ(st.apply_fill(AccountId("F"), Symbol("ZZ"), Side::Buy, Q("1"), P("1")).error().code, Errc::not_found);
}

TEST(ComplianceState, WithoutPendingKeepsOnlyPositions) {
  auto st = make_state();
  ASSERT_TRUE(st.set_position(AccountId("F"), Symbol("A1"), Q("10")));
  ASSERT_TRUE(st.add_pending(AccountId("F"), Symbol("A1"), Side::Buy, Q("5"), P("10")));
  ASSERT_TRUE(st.add_pending(AccountId("F"), Symbol("B1"), Side::Sell, Q("7"), P("3")));
  const auto eod = st.without_pending();
  EXPECT_EQ(eod.account(AccountId("F"))->projected_raw(0), Q("10").raw());
  EXPECT_TRUE(eod.account(AccountId("F"))->nav() == to_value(M("1000000")) + value_of(Q("10"), P("10.5")));
  expect_consistent(eod);
}

RC_GTEST_PROP(ComplianceStateProp, AggregatesMatchRecomputation, ()) {
  auto st = make_state();
  const char* syms[] = {"A1", "A2", "B1", "G1"};
  const auto ops = *rc::gen::container<std::vector<std::tuple<int, int, int, int>>>(
      rc::gen::tuple(rc::gen::inRange(0, 5), rc::gen::inRange(0, 4), rc::gen::inRange(-50000, 50000), rc::gen::inRange(1, 2000)));
  for (const auto& [op, s, qty, px] : ops) {
    const Symbol sym(syms[s]);
    const Quantity q = Quantity::from_raw(qty < 0 ? -qty : qty);
    const Price p = Price::from_raw(static_cast<std::int64_t>(px) * 10000);
    const Side side = qty < 0 ? Side::Sell : Side::Buy;
    switch (op) {
      case 0: RC_ASSERT(st.set_position(AccountId("F"), sym, Quantity::from_raw(qty)).ok()); break;
      case 1: RC_ASSERT(st.apply_fill(AccountId("F"), sym, side, q, p).ok()); break;
      case 2: RC_ASSERT(st.add_pending(AccountId("F"), sym, side, q, p).ok()); break;
      case 3: RC_ASSERT(st.set_reference_price(sym, p).ok()); break;
      case 4: RC_ASSERT(st.remove_pending(AccountId("F"), sym, side, q, p).ok()); break;
    }
  }
  expect_consistent(st);
  RC_ASSERT(!::testing::Test::HasFailure());
}

}  // namespace
}  // namespace oms::compliance
