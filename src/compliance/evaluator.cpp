#include <nlohmann/json.hpp>

#include "eval_internal.hpp"

namespace oms::compliance {

using detail::Ctx;

namespace {

void evaluate_slice(const RuleBook& book, const ComplianceState& st, const OrderSpec& order, Timestamp now,
                    const InstrumentSlot& ins, std::uint32_t idx, std::int64_t block_q, SliceEvaluation& slice) {
  slice.results.clear();
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

std::string pct(const Exact& e) { return e.to_string(4) + "%"; }

std::string amount(const RuleResult& r, const Exact& e) {
  switch (r.unit) {
    case Unit::percent: return pct(e);
    case Unit::shares: return e.to_string(4) + " shares";
    case Unit::money: return e.to_string(4);
    case Unit::seconds: return e.to_string(4) + " s";
    case Unit::none: return e.to_string(4);
  }
  return e.to_string(4);
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

std::string describe(const RuleBook& book, const ComplianceState& st, const Evaluation& eval,
                     const SliceEvaluation& slice, const RuleResult& r) {
  using namespace detail;
  const Rule& rule = book.rules()[r.rule_index];
  const bool breach = r.outcome == Outcome::breach;
  const auto* ab = st.account(slice.account);
  const auto* ins = st.instrument(eval.symbol);
  const std::string sym = eval.symbol.value;
  std::string s;
  auto limit_words = [&](const std::string& what) {
    std::string out = what + " would be " + amount(r, r.measured) + " after the trade";
    if (r.is_minimum) out += breach ? ", below the minimum of " : ", at or above the minimum of ";
    else out += breach ? ", above the limit of " : ", within the limit of ";
    out += amount(r, r.limit);
    if (r.note != PassiveNote::none)
      out += "; already in breach before the order at " + amount(r, r.pre_trade) + ", and the order is " +
             std::string(to_string(r.note)) + (breach ? " it" : "");
    return out;
  };
  auto subject_name = [&]() { return r.subject >= 0 ? st.issuer_name(static_cast<std::uint32_t>(r.subject)) : std::string("?"); };
  switch (r.detail) {
    case kSymbolListed: return sym + " is on the restricted list";
    case kIssuerListed: return "issuer " + (ins ? ins->instrument.issuer : sym) + " is on the restricted list";
    case kParentListed: return "parent issuer " + (ins ? ins->instrument.parent_issuer : sym) + " of " + sym + " is on the restricted list";
    case kNavNotPositive: return "the account's NAV is zero or negative, so a percentage of NAV cannot be measured";
    case kNoAttribute: return sym + " has no '" + rule.attribute + "' attribute; the rule does not apply";
    case kNotSelectedGroup: return "the rule does not cover this instrument's " + rule.attribute;
    case kNotApplicableSide: return rule.type == RuleType::no_short_sale ? "applies to sells only" : "applies to buys only";
    case kNoLimitPrice: return "market order: priced at the reference price";
    case kNoReferencePrice: return sym + " has no reference price to compare the limit price with";
    case kNoAdv: return sym + " has no average daily volume on file";
    case kNoPrevious:
      return r.has_measure ? "the same order was last entered " + amount(r, r.measured) + " ago, outside the " + amount(r, r.limit) + " window"
                           : "no identical order (account, symbol, side, quantity) in the window";
    case kDuplicate:
      return "an identical order (same account, symbol, side and quantity) was entered " + amount(r, r.measured) +
             " ago, within the " + amount(r, r.limit) + " window";
    case kExprFalse: return "the condition is not met: " + rule.condition->text();
    case kExprError: {
      std::string err = "evaluation failed";
      if (ab && ins) {
        const Price R = ins->instrument.reference_price;
        const int dir = is_buy(eval.side) ? 1 : -1;
        const auto idx = static_cast<std::uint32_t>(st.instrument_index(eval.symbol));
        const Ctx c{st, *ab, *ins, idx, dir, eval.side, OrdType::Limit, true, slice.quantity.raw(), slice.quantity.raw(),
                    eval.order_price, R, ab->nav(), static_cast<Value>(dir) * (R.raw() - eval.order_price.raw()), 1, {}};
        bool ignored = false;
        evaluate_expression(rule, c, ignored, err);
      }
      return "the condition could not be evaluated (" + err + "), so it counts as a breach: " + rule.condition->text();
    }
    default: break;
  }
  switch (rule.type) {
    case RuleType::max_order_quantity: s = limit_words("the order quantity"); break;
    case RuleType::max_order_notional: s = limit_words("the order notional"); break;
    case RuleType::price_tolerance: s = limit_words("the limit price's deviation from the reference price"); break;
    case RuleType::position_limit: s = limit_words("the position in " + sym); break;
    case RuleType::issuer_concentration:
      s = limit_words(std::string(rule.aggregate_by == Aggregate::parent_issuer ? "parent issuer " : "issuer ") + subject_name() + " as a share of NAV");
      break;
    case RuleType::group_concentration: {
      const auto a = st.attribute_index(rule.attribute);
      s = limit_words(rule.attribute + " " + (a >= 0 && r.subject >= 0 ? st.attribute_value_name(static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(r.subject)) : "?") + " as a share of NAV");
      break;
    }
    case RuleType::ucits_5_10_40:
      s = r.detail == kIssuerLeg ? limit_words("issuer " + subject_name() + " as a share of NAV")
                                 : limit_words("the sum of issuers above " + pct(rule.ucits_single_pct) + " of NAV");
      break;
    case RuleType::act40_75_5_10: s = limit_words("the share of NAV in qualifying assets (cash, government securities, funds, issuers within 5% of assets and 10% of voting shares)"); break;
    case RuleType::no_short_sale: s = limit_words("the quantity sold"); s += " (position net of pending sells)"; break;
    case RuleType::cash_sufficiency: s = limit_words("the cash needed"); s += " (cash net of pending buys)"; break;
    case RuleType::pct_adv: s = limit_words("the order as a share of average daily volume"); break;
    case RuleType::restricted_list: s = sym + " is not restricted"; break;
    case RuleType::expression: s = "the condition is met: " + rule.condition->text(); break;
    case RuleType::duplicate_order: break;
  }
  return s;
}

nlohmann::json to_json(const RuleBook& book, const ComplianceState& st, const Evaluation& eval) {
  nlohmann::json j;
  j["rule_book_version"] = eval.rule_book_version;
  j["decision"] = std::string(to_string(eval.decision));
  j["symbol"] = eval.symbol.value;
  j["order_price"] = eval.order_price.to_string();
  auto& slices = j["slices"] = nlohmann::json::array();
  for (const auto& s : eval.slices) {
    nlohmann::json js;
    js["account"] = s.account.value;
    js["quantity"] = s.quantity.to_string();
    js["decision"] = std::string(to_string(s.decision));
    if (!s.error.empty()) js["error"] = s.error;
    auto& rs = js["results"] = nlohmann::json::array();
    for (const auto& r : s.results) {
      const Rule& rule = book.rules()[r.rule_index];
      nlohmann::json jr;
      jr["rule"] = rule.id;
      jr["type"] = std::string(to_string(rule.type));
      jr["severity"] = std::string(to_string(rule.severity));
      jr["outcome"] = std::string(to_string(r.outcome));
      if (r.note != PassiveNote::none) jr["note"] = std::string(to_string(r.note));
      if (r.has_measure) {
        jr["unit"] = std::string(to_string(r.unit));
        jr["measured"] = r.measured.to_string(4);
        jr["pre_trade"] = r.pre_trade.to_string(4);
        jr["limit"] = r.limit.to_string(4);
        jr["headroom"] = r.headroom().to_string(4);
      }
      jr["max_quantity"] = r.max_quantity ? nlohmann::json(r.max_quantity->to_string()) : nlohmann::json(nullptr);
      jr["reason"] = describe(book, st, eval, s, r);
      if (!rule.source.empty()) jr["source"] = rule.source;
      rs.push_back(std::move(jr));
    }
    slices.push_back(std::move(js));
  }
  return j;
}

}  // namespace oms::compliance
