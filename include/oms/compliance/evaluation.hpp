#pragma once
// Pre-trade evaluation: a pure function of (rule book, portfolio state, order, time) -> per-rule results and a
// decision. A block order is evaluated per account slice; its decision is the gravest slice's.
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "oms/compliance/rule_book.hpp"
#include "oms/compliance/state.hpp"
#include "oms/compliance/types.hpp"
#include "oms/domain/order.hpp"

namespace oms::compliance {

struct SliceEvaluation {
  AccountId account;
  Quantity quantity;
  Decision decision{Decision::accepted};
  std::vector<RuleResult> results;  // one per rule in effect and in scope, in rule book order
  std::string error;                // unknown account or instrument: the slice is rejected
};

struct Evaluation {
  std::string rule_book_version;
  Decision decision{Decision::accepted};
  Symbol symbol;
  Side side{Side::Buy};
  Price order_price;  // the limit price, or the reference price for a market order
  std::vector<SliceEvaluation> slices;
};

// Evaluates `order` (single-account or block). Never throws for bad input.
Evaluation evaluate(const RuleBook& book, const ComplianceState& state, const OrderSpec& order, Timestamp now);
// Same, reusing `out`'s buffers (the hot path: no allocation once warmed up).
void evaluate_into(const RuleBook& book, const ComplianceState& state, const OrderSpec& order, Timestamp now,
                   Evaluation& out);

// Decision of a list of results: any block breach rejects; else any approval breach holds; else any warn breach
// warns; else accepted.
Decision decide(const RuleBook& book, const std::vector<RuleResult>& results);

// The exact reason for one result, in words a compliance officer reads, e.g.
// "issuer Apple Inc would be 10.5000% of NAV after the trade, above the limit of 10.0000%".
std::string describe(const RuleBook& book, const ComplianceState& state, const Evaluation& eval,
                     const SliceEvaluation& slice, const RuleResult& result);
// The same, appended to `out` (no temporary strings).
void describe_into(const RuleBook& book, const ComplianceState& state, const Evaluation& eval,
                   const SliceEvaluation& slice, const RuleResult& result, std::string& out);

// JSON for the audit trail and the API: version, decision, per slice per rule: id, type, severity, outcome, note,
// unit, measured, limit, headroom (4 decimals, half-up), max_quantity, reason.
nlohmann::json to_json(const RuleBook& book, const ComplianceState& state, const Evaluation& eval);
// Exactly to_json(...).dump(), written straight into text without building the JSON tree (about 10x cheaper: what
// the engine records per order). Throws as dump() does on text that is not valid UTF-8.
std::string to_json_text(const RuleBook& book, const ComplianceState& state, const Evaluation& eval);
void to_json_text(const RuleBook& book, const ComplianceState& state, const Evaluation& eval, std::string& out);

}  // namespace oms::compliance
