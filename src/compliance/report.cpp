// The words and the JSON of an evaluation. Reasons are rendered here from the structured results when the engine
// records or shows them; evaluation (evaluator.cpp) only decides. Everything appends into one buffer: a 71-rule
// evaluation renders ~19 KB of JSON per order, and temporaries were most of its cost.
#include <nlohmann/json.hpp>

#include "eval_internal.hpp"

namespace oms::compliance {

using detail::Ctx;

namespace {

void append_amount(std::string& out, const RuleResult& r, const Exact& e) {
  e.append_to(out, 4);
  switch (r.unit) {
    case Unit::percent: out += '%'; break;
    case Unit::shares: out += " shares"; break;
    case Unit::seconds: out += " s"; break;
    case Unit::money: case Unit::none: break;
  }
}

// "... would be X after the trade, above the limit of Y[; already in breach ...]"; the subject is already in `out`.
void append_limit_words(std::string& out, const RuleResult& r) {
  const bool breach = r.outcome == Outcome::breach;
  out += " would be ";
  append_amount(out, r, r.measured);
  out += " after the trade";
  if (r.is_minimum) out += breach ? ", below the minimum of " : ", at or above the minimum of ";
  else out += breach ? ", above the limit of " : ", within the limit of ";
  append_amount(out, r, r.limit);
  if (r.note != PassiveNote::none) {
    out += "; already in breach before the order at ";
    append_amount(out, r, r.pre_trade);
    out += ", and the order is ";
    out += to_string(r.note);
    if (breach) out += " it";
  }
}

void append_expression_error(std::string& out, const RuleBook& book, const ComplianceState& st, const Evaluation& eval,
                             const SliceEvaluation& slice, const RuleResult& r) {
  const Rule& rule = book.rules()[r.rule_index];
  std::string err = "evaluation failed";
  const auto* ab = st.account(slice.account);
  const auto* ins = st.instrument(eval.symbol);
  if (ab && ins) {
    const Price R = ins->instrument.reference_price;
    const int dir = is_buy(eval.side) ? 1 : -1;
    const auto idx = static_cast<std::uint32_t>(st.instrument_index(eval.symbol));
    const Ctx c{st, *ab, *ins, idx, dir, eval.side, OrdType::Limit, true, slice.quantity.raw(), slice.quantity.raw(),
                eval.order_price, R, ab->nav(), static_cast<Value>(dir) * (R.raw() - eval.order_price.raw()), 1, {}};
    bool ignored = false;
    detail::evaluate_expression(rule, c, ignored, err);
  }
  out += "the condition could not be evaluated (" + err + "), so it counts as a breach: " + rule.condition->text();
}

// JSON string as nlohmann::json::dump() writes it (UTF-8 passed through, control characters escaped). false when
// `s` is not valid UTF-8: dump() throws then, and to_json_text falls back to it to behave the same.
bool append_json_string(std::string& out, std::string_view s) {
  out += '"';
  std::size_t run = 0;  // start of the pending run of bytes copied as they are, appended in one go
  auto flush = [&](std::size_t i) { out.append(s.data() + run, i - run); };
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      // Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
      const std::size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
      if (len == 0 || c > 0xF4 || i + len > s.size()) return false;
      const auto c1 = static_cast<unsigned char>(s[i + 1]);
      unsigned char lo = 0x80, hi = 0xBF;
      if (c == 0xE0) lo = 0xA0;
      else if (c == 0xED) hi = 0x9F;
      else if (c == 0xF0) lo = 0x90;
      else if (c == 0xF4) hi = 0x8F;
      if (c1 < lo || c1 > hi) return false;
      for (std::size_t k = 2; k < len; ++k)
        if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
      i += len;
      continue;
    }
    flush(i);
    run = ++i;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        const char u[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.append(u, sizeof u);
      }
    }
  }
  flush(s.size());
  out += '"';
  return true;
}

// Writes what to_json(...).dump() would, keys in the same (sorted) order. false on invalid UTF-8 in any text.
bool write_json(const RuleBook& book, const ComplianceState& st, const Evaluation& eval, std::string& out) {
  std::string reason, number;
  bool ok = true;
  auto str = [&](std::string_view key, std::string_view value) {
    out += '"';
    out += key;
    out += "\":";
    ok = append_json_string(out, value) && ok;
  };
  auto exact = [&](std::string_view key, const Exact& e) {
    number.clear();
    e.append_to(number, 4);
    str(key, number);
  };
  out += '{';
  str("decision", to_string(eval.decision));
  out += ',';
  str("order_price", eval.order_price.to_string());
  out += ',';
  str("rule_book_version", eval.rule_book_version);
  out += ",\"slices\":[";
  for (std::size_t si = 0; si < eval.slices.size(); ++si) {
    const auto& s = eval.slices[si];
    out += si ? ",{" : "{";
    str("account", s.account.value);
    out += ',';
    str("decision", to_string(s.decision));
    if (!s.error.empty()) {
      out += ',';
      str("error", s.error);
    }
    out += ',';
    str("quantity", s.quantity.to_string());
    out += ",\"results\":[";
    for (std::size_t ri = 0; ri < s.results.size(); ++ri) {
      const auto& r = s.results[ri];
      const Rule& rule = book.rules()[r.rule_index];
      out += ri ? ",{" : "{";
      if (r.has_measure) {
        exact("headroom", r.headroom());
        out += ',';
        exact("limit", r.limit);
        out += ',';
      }
      out += "\"max_quantity\":";
      if (r.max_quantity) ok = append_json_string(out, r.max_quantity->to_string()) && ok;
      else out += "null";
      out += ',';
      if (r.has_measure) {
        exact("measured", r.measured);
        out += ',';
      }
      if (r.note != PassiveNote::none) {
        str("note", to_string(r.note));
        out += ',';
      }
      str("outcome", to_string(r.outcome));
      out += ',';
      if (r.has_measure) {
        exact("pre_trade", r.pre_trade);
        out += ',';
      }
      reason.clear();
      describe_into(book, st, eval, s, r, reason);
      str("reason", reason);
      out += ',';
      str("rule", rule.id);
      out += ',';
      str("severity", to_string(rule.severity));
      if (!rule.source.empty()) {
        out += ',';
        str("source", rule.source);
      }
      out += ',';
      str("type", to_string(rule.type));
      if (r.has_measure) {
        out += ',';
        str("unit", to_string(r.unit));
      }
      out += '}';
    }
    out += "]}";
  }
  out += "],";
  str("symbol", eval.symbol.value);
  out += '}';
  return ok;
}

}  // namespace

void describe_into(const RuleBook& book, const ComplianceState& st, const Evaluation& eval,
                   const SliceEvaluation& slice, const RuleResult& r, std::string& out) {
  using namespace detail;
  const Rule& rule = book.rules()[r.rule_index];
  const std::string& sym = eval.symbol.value;
  auto subject = [&]() {
    if (r.subject >= 0) out += st.issuer_name(static_cast<std::uint32_t>(r.subject));
    else out += '?';
  };
  switch (r.detail) {
    case kSymbolListed: out += sym; out += " is on the restricted list"; return;
    case kIssuerListed: {
      const auto* ins = st.instrument(eval.symbol);
      out += "issuer ";
      out += ins ? ins->instrument.issuer : sym;
      out += " is on the restricted list";
      return;
    }
    case kParentListed: {
      const auto* ins = st.instrument(eval.symbol);
      out += "parent issuer ";
      out += ins ? ins->instrument.parent_issuer : sym;
      out += " of " + sym + " is on the restricted list";
      return;
    }
    case kNavNotPositive: out += "the account's NAV is zero or negative, so a percentage of NAV cannot be measured"; return;
    case kNoAttribute: out += sym + " has no '" + rule.attribute + "' attribute; the rule does not apply"; return;
    case kNotSelectedGroup: out += "the rule does not cover this instrument's " + rule.attribute; return;
    case kNotApplicableSide: out += rule.type == RuleType::no_short_sale ? "applies to sells only" : "applies to buys only"; return;
    case kNoLimitPrice: out += "market order: priced at the reference price"; return;
    case kNoReferencePrice: out += sym + " has no reference price to compare the limit price with"; return;
    case kNoAdv: out += sym + " has no average daily volume on file"; return;
    case kNoPrevious:
      if (!r.has_measure) {
        out += "no identical order (account, symbol, side, quantity) in the window";
        return;
      }
      out += "the same order was last entered ";
      append_amount(out, r, r.measured);
      out += " ago, outside the ";
      append_amount(out, r, r.limit);
      out += " window";
      return;
    case kDuplicate:
      out += "an identical order (same account, symbol, side and quantity) was entered ";
      append_amount(out, r, r.measured);
      out += " ago, within the ";
      append_amount(out, r, r.limit);
      out += " window";
      return;
    case kExprFalse: out += "the condition is not met: " + rule.condition->text(); return;
    case kExprError: append_expression_error(out, book, st, eval, slice, r); return;
    default: break;
  }
  switch (rule.type) {
    case RuleType::max_order_quantity: out += "the order quantity"; break;
    case RuleType::max_order_notional: out += "the order notional"; break;
    case RuleType::price_tolerance: out += "the limit price's deviation from the reference price"; break;
    case RuleType::position_limit: out += "the position in " + sym; break;
    case RuleType::issuer_concentration:
      out += rule.aggregate_by == Aggregate::parent_issuer ? "parent issuer " : "issuer ";
      subject();
      out += " as a share of NAV";
      break;
    case RuleType::group_concentration: {
      const auto a = rule.attribute_slot >= 0 ? rule.attribute_slot : st.attribute_index(rule.attribute);
      out += rule.attribute + " ";
      if (a >= 0 && r.subject >= 0) out += st.attribute_value_name(static_cast<std::uint32_t>(a), static_cast<std::uint32_t>(r.subject));
      else out += '?';
      out += " as a share of NAV";
      break;
    }
    case RuleType::ucits_5_10_40:
      if (r.detail == kIssuerLeg) {
        out += "issuer ";
        subject();
        out += " as a share of NAV";
      } else {
        out += "the sum of issuers above ";
        rule.ucits_single_pct.append_to(out, 4);
        out += "% of NAV";
      }
      break;
    case RuleType::act40_75_5_10:
      out += "the share of NAV in qualifying assets (cash, government securities, funds, issuers within 5% of assets and 10% of voting shares)";
      break;
    case RuleType::no_short_sale:
      out += "the quantity sold";
      append_limit_words(out, r);
      out += " (position net of pending sells)";
      return;
    case RuleType::cash_sufficiency:
      out += "the cash needed";
      append_limit_words(out, r);
      out += " (cash net of pending buys)";
      return;
    case RuleType::pct_adv: out += "the order as a share of average daily volume"; break;
    case RuleType::restricted_list: out += sym + " is not restricted"; return;
    case RuleType::expression: out += "the condition is met: " + rule.condition->text(); return;
    case RuleType::duplicate_order: return;
  }
  append_limit_words(out, r);
}

std::string describe(const RuleBook& book, const ComplianceState& st, const Evaluation& eval,
                     const SliceEvaluation& slice, const RuleResult& r) {
  std::string out;
  describe_into(book, st, eval, slice, r, out);
  return out;
}

nlohmann::json to_json(const RuleBook& book, const ComplianceState& st, const Evaluation& eval) {
  nlohmann::json j;
  j["rule_book_version"] = eval.rule_book_version;
  j["decision"] = std::string(to_string(eval.decision));
  j["symbol"] = eval.symbol.value;
  j["order_price"] = eval.order_price.to_string();
  auto& slices = j["slices"] = nlohmann::json::array();
  std::string reason;
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
      reason.clear();
      describe_into(book, st, eval, s, r, reason);
      jr["reason"] = reason;
      if (!rule.source.empty()) jr["source"] = rule.source;
      rs.push_back(std::move(jr));
    }
    slices.push_back(std::move(js));
  }
  return j;
}

void to_json_text(const RuleBook& book, const ComplianceState& state, const Evaluation& eval, std::string& out) {
  const std::size_t start = out.size();
  if (write_json(book, state, eval, out)) return;
  out.resize(start);
  out += to_json(book, state, eval).dump();  // invalid UTF-8 somewhere: throws exactly as dump() does
}

std::string to_json_text(const RuleBook& book, const ComplianceState& state, const Evaluation& eval) {
  std::string out;
  out.reserve(1024 + 320 * (eval.slices.empty() ? 0 : eval.slices.size() * eval.slices.front().results.size()));
  to_json_text(book, state, eval, out);
  return out;
}

}  // namespace oms::compliance
