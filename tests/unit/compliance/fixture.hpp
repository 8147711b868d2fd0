#pragma once
// Small builders shared by the compliance tests: instruments, accounts, orders and rule books from YAML text.
#include <gtest/gtest.h>

#include <string>

#include "oms/compliance/evaluation.hpp"
#include "oms/compliance/rule_book.hpp"
#include "oms/compliance/state.hpp"

namespace oms::compliance::testing {

inline Quantity Q(const char* s) { return *Quantity::parse(s); }
inline Price P(const char* s) { return *Price::parse(s); }
inline Money M(const char* s) { return *Money::parse(s); }

inline Instrument instrument(const std::string& sym, const std::string& issuer, const char* price,
                             const std::string& asset_class = "equity", const std::string& sector = "Tech",
                             const std::string& parent = "", const char* adv = "1000000",
                             const char* outstanding = "100000000") {
  Instrument in;
  in.symbol = Symbol(sym);
  in.issuer = issuer;
  in.parent_issuer = parent.empty() ? issuer : parent;
  in.sector = sector;
  in.country = "US";
  in.asset_class = asset_class;
  in.reference_price = P(price);
  in.adv = Q(adv);
  in.shares_outstanding = Q(outstanding);
  return in;
}

// AAA and two issuers under one parent (BBB, CCC), and a government bond: shared by the rule and report tests.
inline void add_common_instruments(ComplianceState& st) {
  st.upsert_instrument(instrument("AAA", "A Corp", "100"));
  st.upsert_instrument(instrument("BBB", "B Corp", "50", "equity", "Tech", "PB Group"));
  st.upsert_instrument(instrument("CCC", "C Corp", "10", "equity", "Energy", "PB Group"));
  st.upsert_instrument(instrument("GOV", "Treasury", "100", "government", "Government"));
}

inline Account account(const std::string& id, const char* cash, std::vector<std::string> groups = {}) {
  Account a;
  a.id = AccountId(id);
  a.name = id;
  a.cash = M(cash);
  a.groups = std::move(groups);
  return a;
}

inline OrderSpec order(const std::string& acct, const std::string& sym, Side side, const char* qty,
                       const char* price = nullptr) {
  OrderSpec o;
  o.account = AccountId(acct);
  o.symbol = Symbol(sym);
  o.side = side;
  o.quantity = Q(qty);
  if (price) o.limit_price = P(price);
  else o.ord_type = OrdType::Market;
  return o;
}

inline std::shared_ptr<const RuleBook> book(const std::string& yaml) {
  auto r = load_rule_text(yaml, "test.yaml");
  std::string errs;
  for (const auto& e : r.errors) errs += e.to_string() + "\n";
  EXPECT_TRUE(r.ok()) << errs;
  return r.ok() ? r.book : std::make_shared<RuleBook>();
}

inline Timestamp at(int y, unsigned m, unsigned d) {
  return Timestamp{std::chrono::sys_days{std::chrono::year{y} / m / d}.time_since_epoch()};
}

// The single result of a one-rule book for a single-account order.
inline RuleResult one(const RuleBook& b, const ComplianceState& st, const OrderSpec& o, Timestamp now = at(2026, 3, 2)) {
  const Evaluation e = evaluate(b, st, o, now);
  EXPECT_EQ(e.slices.size(), 1u);
  EXPECT_EQ(e.slices[0].error, "");
  EXPECT_EQ(e.slices[0].results.size(), 1u);
  return e.slices[0].results.empty() ? RuleResult{} : e.slices[0].results[0];
}

}  // namespace oms::compliance::testing
