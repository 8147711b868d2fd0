#pragma once
// Shared between the evaluator, describe() and the batch report. Not a public header.
#include <optional>

#include "oms/compliance/evaluation.hpp"

namespace oms::compliance::detail {

// Reason codes in RuleResult::detail.
enum Detail : std::uint8_t {
  kNone = 0,
  kSymbolListed, kIssuerListed, kParentListed,  // restricted_list
  kNavNotPositive,                               // % of NAV cannot be measured
  kNoAttribute, kNotSelectedGroup,               // group_concentration: not applicable
  kIssuerLeg, kBucketLeg,                        // ucits_5_10_40: which leg is reported
  kNotApplicableSide,                            // no_short_sale for buys, cash_sufficiency for sells
  kNoLimitPrice, kNoReferencePrice,              // price_tolerance
  kNoAdv,                                        // pct_adv
  kNoPrevious, kDuplicate,                       // duplicate_order
  kExprFalse, kExprError,                        // expression
};

struct Ctx {
  const ComplianceState& st;
  const AccountBook& ab;
  const InstrumentSlot& ins;
  std::uint32_t idx;
  int dir;  // +1 buy, -1 sell
  Side side;
  OrdType type;
  bool has_limit;
  std::int64_t q;        // slice quantity raw
  std::int64_t block_q;  // whole order quantity raw
  Price P, R;            // order price, reference price
  Value nav0;            // projected NAV before this order
  Value dnav;            // NAV change per quantity raw unit: dir * (R - P)
  std::int64_t lot;      // lot size raw, > 0
  Timestamp now;
  Value nav(std::int64_t qq) const { return nav0 + dnav * qq; }
};

void evaluate_rule(const Rule& rule, const Ctx& c, RuleResult& r);
bool in_scope(const Rule& rule, const AccountBook& ab, const InstrumentSlot& ins, Side side);
// Expression environment over a context (also used by describe() to recover an evaluation error).
bool evaluate_expression(const Rule& rule, const Ctx& c, bool& out, std::string& error);

}  // namespace oms::compliance::detail
