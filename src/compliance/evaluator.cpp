#include "eval_internal.hpp"

namespace oms::compliance {

using detail::Ctx;

namespace {

void evaluate_slice(const RuleBook& book, const ComplianceState& st, const OrderSpec& order, Timestamp now,
                    const InstrumentSlot& ins, std::uint32_t idx, std::int64_t block_q, SliceEvaluation& slice) {
  slice.results.clear();
  slice.results.reserve(book.rules().size());  // one allocation for a fresh evaluation (the engine's), not ~8
  slice.error.clear();
  slice.decision = Decision::accepted;
  const AccountBook* ab = st.account(slice.account);
  if (!ab) {
    slice.error = "unknown account " + slice.account.value + ": compliance cannot check the order";
    slice.decision = Decision::rejected;
    return;
  }
  if (!slice.quantity.is_positive()) {
    slice.error = "the order quantity must be greater than zero";
    slice.decision = Decision::rejected;
    return;
  }
  const bool has_limit = (order.ord_type == OrdType::Limit || order.ord_type == OrdType::StopLimit) && order.limit_price;
  const Price R = ins.instrument.reference_price;
  const Price P = has_limit ? *order.limit_price : R;
  const int dir = is_buy(order.side) ? 1 : -1;
  const std::int64_t lot = ins.instrument.lot_size.raw() > 0 ? ins.instrument.lot_size.raw() : 1;
  const Ctx c{st, *ab, ins, idx, dir, order.side, order.ord_type, has_limit, slice.quantity.raw(), block_q, P, R,
              ab->nav(), static_cast<Value>(dir) * (R.raw() - P.raw()), lot, now};
  const auto& rules = book.rules();
  for (std::uint32_t i = 0; i < rules.size(); ++i) {
    const Rule& rule = rules[i];
    if (!rule.in_effect(now) || !detail::in_scope(rule, *ab, ins, order.side)) continue;
    RuleResult& r = slice.results.emplace_back();
    r.rule_index = i;
    detail::evaluate_rule(rule, c, r);
  }
  slice.decision = decide(book, slice.results);
}

}  // namespace

Decision decide(const RuleBook& book, const std::vector<RuleResult>& results) {
  Decision d = Decision::accepted;
  for (const auto& r : results)
    if (r.outcome == Outcome::breach) d = std::max(d, decision_for(book.rules()[r.rule_index].severity));
  return d;
}

void evaluate_into(const RuleBook& book, const ComplianceState& st, const OrderSpec& order, Timestamp now,
                   Evaluation& out) {
  out.rule_book_version = book.version();
  out.symbol = order.symbol;
  out.side = order.side;
  out.decision = Decision::accepted;
  const std::size_t n = order.is_block() ? order.allocations.size() : 1;
  out.slices.resize(n);
  const auto idx = st.instrument_index(order.symbol);
  std::int64_t block_q = order.quantity.raw();
  if (order.is_block() && block_q == 0)
    for (const auto& a : order.allocations) block_q += a.quantity.raw();
  for (std::size_t s = 0; s < n; ++s) {
    SliceEvaluation& slice = out.slices[s];
    slice.account = order.is_block() ? order.allocations[s].account : order.account;
    slice.quantity = order.is_block() ? order.allocations[s].quantity : order.quantity;
    if (idx < 0) {
      slice.results.clear();
      slice.error = "unknown instrument " + order.symbol.value + ": compliance cannot check the order";
      slice.decision = Decision::rejected;
    } else {
      const auto& ins = st.slot(static_cast<std::uint32_t>(idx));
      if (s == 0) {
        const bool has_limit = (order.ord_type == OrdType::Limit || order.ord_type == OrdType::StopLimit) && order.limit_price;
        out.order_price = has_limit ? *order.limit_price : ins.instrument.reference_price;
      }
      evaluate_slice(book, st, order, now, ins, static_cast<std::uint32_t>(idx), block_q, slice);
    }
    out.decision = std::max(out.decision, slice.decision);
  }
}

Evaluation evaluate(const RuleBook& book, const ComplianceState& state, const OrderSpec& order, Timestamp now) {
  Evaluation e;
  evaluate_into(book, state, order, now, e);
  return e;
}

}  // namespace oms::compliance
