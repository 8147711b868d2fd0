// Evaluation of each rule type on the projected post-trade portfolio. Every comparison is exact.
#include <algorithm>
#include <limits>

#include "eval_internal.hpp"

namespace oms::compliance::detail {
namespace {

constexpr Value kInf = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kSearchCap = 1'000'000'000'000'000;  // 10^11 shares in raw units

// Largest q >= 0 with A*q <= B; -1 when none; kInf when unbounded.
Value solve_le(Value A, Value B) {
  if (A <= 0) return (B >= 0 || A < 0) ? kInf : -1;
  if (B < 0) return -1;
  return B / A;
}

std::optional<Quantity> to_lot(Value q, std::int64_t lot) {
  if (q >= kInf) return std::nullopt;
  if (q < 0) q = 0;
  const auto raw = static_cast<std::int64_t>(q);
  return Quantity::from_raw(raw - raw % lot);
}

// A measure linear-fractional in the order quantity: M(q) = (a + b q) / (c + e q), denominator positive.
struct Lin {
  Value a, b, c, e;
  Exact at(std::int64_t q) const { return Exact{a + b * q, c + e * q}; }
  // Largest q with M(q) <= lim (lim = n/d, d > 0).
  Value max_le(const Exact& lim) const { return solve_le(b * lim.den - lim.num * e, lim.num * c - a * lim.den); }
  // Largest q with M(q) >= lim.
  Value max_ge(const Exact& lim) const { return solve_le(lim.num * e - b * lim.den, a * lim.den - lim.num * c); }
  // Largest q with M(q) <= M(0) (no worse than now).
  Value max_no_worse() const { return solve_le(b * c - a * e, 0); }
  Value max_no_worse_ge() const { return solve_le(a * e - b * c, 0); }
};

// Fills the measure fields and decides a maximum-type limit with passive-breach relief.
bool decide_max(const Exact& pre, const Exact& post, const Exact& limit, RuleResult& r) {
  r.has_measure = true;
  r.pre_trade = pre;
  r.measured = post;
  r.limit = limit;
  if (pre > limit) {
    const int c = compare(post, pre);
    r.note = c < 0 ? PassiveNote::improving : c == 0 ? PassiveNote::unchanged : PassiveNote::worsening;
    r.outcome = c <= 0 ? Outcome::pass : Outcome::breach;
    return true;  // passive
  }
  r.outcome = post <= limit ? Outcome::pass : Outcome::breach;
  return false;
}

bool decide_min(const Exact& pre, const Exact& post, const Exact& limit, RuleResult& r) {
  r.has_measure = true;
  r.is_minimum = true;
  r.pre_trade = pre;
  r.measured = post;
  r.limit = limit;
  if (pre < limit) {
    const int c = compare(post, pre);
    r.note = c > 0 ? PassiveNote::improving : c == 0 ? PassiveNote::unchanged : PassiveNote::worsening;
    r.outcome = c >= 0 ? Outcome::pass : Outcome::breach;
    return true;
  }
  r.outcome = post >= limit ? Outcome::pass : Outcome::breach;
  return false;
}

void portfolio_max(const Ctx& c, const Lin& m, const Exact& limit, Unit unit, RuleResult& r) {
  r.unit = unit;
  const bool passive = decide_max(m.at(0), m.at(c.q), limit, r);
  r.max_quantity = to_lot(passive ? m.max_no_worse() : m.max_le(limit), c.lot);
}

bool nav_ok(const Ctx& c, RuleResult& r) {
  if (c.nav0 > 0 && c.nav(c.q) > 0) return true;
  r.outcome = Outcome::breach;
  r.detail = kNavNotPositive;
  r.max_quantity = Quantity{};
  return false;
}

// Refines a closed-form candidate for a rule whose pass(q) is monotone (true up to some q): checked exactly,
// falling back to a search when the closed form's assumptions (other issuers fixed) do not hold.
// `cap`: quantities beyond it are not searched (reported as no limit when the cap itself passes).
template <class Pass>
std::optional<Quantity> refine(Value cand, const Ctx& c, Pass pass, std::int64_t cap = kSearchCap) {
  if (cand >= 0 && cand < cap) {
    const auto q = static_cast<std::int64_t>(cand);
    if (pass(q) && !pass(q + 1)) return to_lot(cand, c.lot);
  } else if (cand >= kInf && pass(cap)) {
    return std::nullopt;
  }
  if (!pass(0)) return Quantity{};
  std::int64_t lo = 0, hi = std::min(std::max<std::int64_t>(c.q, c.lot), cap);
  while (pass(hi)) {
    lo = hi;
    if (hi >= cap) return std::nullopt;
    hi = std::min(hi * 2, cap);
  }
  while (hi - lo > 1) {
    const std::int64_t mid = lo + (hi - lo) / 2;
    (pass(mid) ? lo : hi) = mid;
  }
  return to_lot(lo, c.lot);
}

// A sale is searched up to the projected position: selling more is a short sale, which no_short_sale governs.
std::int64_t sale_cap(const Ctx& c) {
  return c.dir > 0 ? kSearchCap : std::max<std::int64_t>({c.ab.projected_raw(c.idx), c.q, c.lot});
}

bool above(Value v, const Exact& pct, Value nav) { return v > 0 && v * 100 * pct.den > pct.num * nav; }
// The largest value not above pct of nav: above(v, pct, nav) <=> v > 0 && v > threshold(pct, nav).
Value threshold(const Exact& pct, Value nav) {
  const Value num = pct.num * nav, den = 100 * pct.den;
  Value q = num / den;
  if (num % den != 0 && num < 0) --q;
  return q;
}

// NAVs this order can reach for quantities up to twice the NAV's worth (or the order itself, if larger): the range
// scanned once up front, so that the pre-, post- and max-quantity checks share one scan.
std::pair<Value, Value> likely_nav_range(const Ctx& c) {
  const Value px = std::max<Value>({c.P.raw(), c.R.raw(), 1});
  const Value qb = std::max<Value>(c.q, 2 * (c.nav0 > 0 ? c.nav0 : 0) / px);
  const Value a = c.nav0, b = c.nav0 + c.dnav * qb;
  return {std::min(a, b), std::max(a, b)};
}

// ---- UCITS 5/10/40 ----
// Sum over the other issuers of what counts at a given NAV, from one scan of the account's holdings kept valid over
// a range of NAVs: issuers that count at every NAV of the range are summed once, the few that depend on the NAV are
// kept aside. A NAV outside the range widens it with one more scan. Keeps the check O(1) in diversified books.
class UcitsOthers {
 public:
  UcitsOthers(const std::vector<Value>& vals, const std::vector<std::uint32_t>& held, std::uint32_t k, const Exact& pct)
      : vals_(vals), held_(held), k_(k), pct_(pct) {}
  void prime(std::pair<Value, Value> range) { build(range.first, range.second); }
  Value at(Value nav) {
    if (!built_ || nav < lo_ || nav > hi_) build(built_ ? std::min(lo_, nav) : nav, built_ ? std::max(hi_, nav) : nav);
    Value sum = fixed_;
    for (Value v : maybe_)
      if (above(v, pct_, nav)) sum += v;
    return sum;
  }

 private:
  void build(Value lo, Value hi) {
    built_ = true, lo_ = lo, hi_ = hi, fixed_ = 0;
    maybe_.clear();
    const Value t_hi = std::max<Value>(threshold(pct_, hi_), 0), t_lo = std::max<Value>(threshold(pct_, lo_), 0);
    for (std::uint32_t i : held_) {
      if (i == k_) continue;
      const Value v = vals_[i];
      if (v > t_hi) fixed_ += v;         // above the threshold even at the highest NAV
      else if (v > t_lo) maybe_.push_back(v);
    }
  }
  const std::vector<Value>& vals_;
  const std::vector<std::uint32_t>& held_;
  std::uint32_t k_;
  Exact pct_;
  bool built_{false};
  Value lo_{0}, hi_{0}, fixed_{0};
  std::vector<Value> maybe_;
};

struct Ucits {
  const Rule& rule;
  const Ctx& c;
  const std::vector<Value>& vals;
  std::uint32_t k;
  UcitsOthers& others;

  Value vk(std::int64_t q) const { return vals[k] + static_cast<Value>(c.dir) * q * c.R.raw(); }
  Exact weight(std::int64_t q) const { return Exact{100 * vk(q), c.nav(q)}; }
  Exact bucket(std::int64_t q) const {
    const Value nav = c.nav(q), v = vk(q);
    return Exact{100 * (others.at(nav) + (above(v, rule.ucits_single_pct, nav) ? v : 0)), nav};
  }
};

void eval_ucits(const Rule& rule, const Ctx& c, RuleResult& r) {
  if (!nav_ok(c, r)) return;
  const bool by_parent = rule.aggregate_by == Aggregate::parent_issuer;
  const std::uint32_t k = by_parent ? c.ins.parent : c.ins.issuer;
  const auto& vals = by_parent ? c.ab.parent_value : c.ab.issuer_value;
  UcitsOthers others(vals, by_parent ? c.ab.held_parents : c.ab.held_issuers, k, rule.ucits_single_pct);
  others.prime(likely_nav_range(c));
  const Ucits u{rule, c, vals, k, others};
  r.unit = Unit::percent;
  r.subject = static_cast<std::int32_t>(k);
  RuleResult leg_a, leg_b;
  const Exact pre_a = u.weight(0), pre_b = u.bucket(0);
  const bool passive_a = decide_max(pre_a, u.weight(c.q), rule.ucits_max_pct, leg_a);
  const bool passive_b = decide_max(pre_b, u.bucket(c.q), rule.ucits_bucket_pct, leg_b);
  const bool report_a = leg_a.outcome == Outcome::breach;
  const RuleResult& shown = report_a ? leg_a : leg_b;
  r.outcome = (leg_a.outcome == Outcome::breach || leg_b.outcome == Outcome::breach) ? Outcome::breach : Outcome::pass;
  r.note = shown.note;
  r.has_measure = true;
  r.pre_trade = shown.pre_trade;
  r.measured = shown.measured;
  r.limit = shown.limit;
  r.detail = report_a ? kIssuerLeg : kBucketLeg;

  // Closed-form candidate with the other issuers held at today's NAV, then checked exactly.
  const Lin wa{100 * u.vals[k], 100 * static_cast<Value>(c.dir) * c.R.raw(), c.nav0, c.dnav};
  const Value q_a = passive_a ? wa.max_no_worse() : wa.max_le(rule.ucits_max_pct);
  const Value s_o = others.at(c.nav0);
  const Lin wb{100 * (s_o + u.vals[k]), wa.b, c.nav0, c.dnav};
  const Value q_in = passive_b ? wb.max_no_worse() : wb.max_le(rule.ucits_bucket_pct);
  const Value q5 = above(u.vals[k], rule.ucits_single_pct, c.nav0) ? -1 : wa.max_le(rule.ucits_single_pct);
  const Value q_b = (q5 >= 0 && q_in <= q5) ? q5 : q_in;
  const Exact lim_a = passive_a ? pre_a : rule.ucits_max_pct, lim_b = passive_b ? pre_b : rule.ucits_bucket_pct;
  // A sale only lowers the issuer's weight and the bucket: unbounded unless the exact check says otherwise.
  r.max_quantity = refine(c.dir < 0 ? kInf : std::min(q_a, q_b), c, [&](std::int64_t q) {
    if (c.nav(q) <= 0) return false;
    return u.weight(q) <= lim_a && u.bucket(q) <= lim_b;
  }, sale_cap(c));
}

// ---- 1940 Act 75-5-10 ----
struct Act40Legs {
  const Rule& rule;
  bool voting_ok(Value held, std::int64_t outstanding) const {
    if (held <= 0) return true;
    if (outstanding <= 0) return false;  // unknown outstanding shares: cannot show it is under 10%
    return held * 100 * rule.act40_voting_pct.den <= rule.act40_voting_pct.num * outstanding;
  }
  bool qualifies(Value non_exempt, Value voting, std::int64_t outstanding, Value nav) const {
    if (non_exempt <= 0 && voting <= 0) return true;
    return !above(non_exempt, rule.act40_issuer_pct, nav) && voting_ok(voting, outstanding);
  }
};

// Qualifying assets of the issuers other than the order's, by the same one-scan-per-NAV-range scheme as UCITS.
class Act40Others {
 public:
  Act40Others(const Act40Legs& legs, const Ctx& c) : legs_(legs), c_(c) {}
  void prime(std::pair<Value, Value> range) { build(range.first, range.second); }
  Value at(Value nav) {
    if (!built_ || nav < lo_ || nav > hi_) build(built_ ? std::min(lo_, nav) : nav, built_ ? std::max(hi_, nav) : nav);
    Value sum = base_;
    for (Value ne : maybe_)
      if (!above(ne, legs_.rule.act40_issuer_pct, nav)) sum += ne;
    return sum;
  }

 private:
  void build(Value lo, Value hi) {
    built_ = true, lo_ = lo, hi_ = hi, base_ = 0;
    maybe_.clear();
    const AccountBook& ab = c_.ab;
    const Value t_lo = std::max<Value>(threshold(legs_.rule.act40_issuer_pct, lo_), 0);
    const Value t_hi = std::max<Value>(threshold(legs_.rule.act40_issuer_pct, hi_), 0);
    for (std::uint32_t i : ab.held_issuers) {
      if (i == c_.ins.issuer) continue;
      const Value ex = ab.issuer_exempt_value[i], ne = ab.issuer_value[i] - ex;
      const Value voting = ab.issuer_voting_held[i];
      base_ += ex;  // cash-like holdings always qualify
      if (ne <= 0 && voting <= 0) base_ += ne;
      else if (!legs_.voting_ok(voting, c_.st.issuer_outstanding_raw(i))) continue;
      else if (ne <= t_lo) base_ += ne;  // within 5% even at the lowest NAV
      else if (ne <= t_hi) maybe_.push_back(ne);
    }
  }
  const Act40Legs& legs_;
  const Ctx& c_;
  bool built_{false};
  Value lo_{0}, hi_{0}, base_{0};
  std::vector<Value> maybe_;
};

struct Act40 {
  const Act40Legs& legs;
  const Ctx& c;
  Act40Others& others;

  // Qualifying assets with this order at quantity q.
  Value qualifying(std::int64_t q) const {
    const Value nav = c.nav(q);
    const Value dv = static_cast<Value>(c.dir) * q * c.R.raw();
    const std::uint32_t k = c.ins.issuer;
    Value ex = c.ab.issuer_exempt_value[k], all = c.ab.issuer_value[k] + dv;
    Value voting = c.ab.issuer_voting_held[k] + (c.ins.equity ? static_cast<Value>(c.dir) * q : 0);
    if (c.ins.act40_exempt) ex += dv;
    Value total = c.ab.projected_cash() - static_cast<Value>(c.dir) * q * c.P.raw() + others.at(nav) + ex;
    if (legs.qualifies(all - ex, voting, c.st.issuer_outstanding_raw(k), nav)) total += all - ex;
    return total;
  }
  Exact ratio(std::int64_t q) const { return Exact{100 * qualifying(q), c.nav(q)}; }
};

void eval_act40(const Rule& rule, const Ctx& c, RuleResult& r) {
  if (!nav_ok(c, r)) return;
  const Act40Legs legs{rule};
  Act40Others others(legs, c);
  others.prime(likely_nav_range(c));
  const Act40 a{legs, c, others};
  r.unit = Unit::percent;
  r.subject = static_cast<std::int32_t>(c.ins.issuer);
  const Value qual0 = a.qualifying(0);
  const Exact pre{100 * qual0, c.nav0};
  const bool passive = decide_min(pre, a.ratio(c.q), rule.act40_diversified_pct, r);
  const Exact lim = passive ? pre : rule.act40_diversified_pct;

  // Candidate: while the issuer qualifies its value moves with the cash (region 1); once it drops out, its whole
  // value leaves the qualifying assets (region 2).
  const Value d = static_cast<Value>(c.dir);
  const std::uint32_t k = c.ins.issuer;
  const Value ex_k = k < c.ab.issuer_exempt_value.size() ? c.ab.issuer_exempt_value[k] : 0;
  const Value ne_k = (k < c.ab.issuer_value.size() ? c.ab.issuer_value[k] : 0) - ex_k;
  const Value held_k = k < c.ab.issuer_voting_held.size() ? c.ab.issuer_voting_held[k] : 0;
  const std::int64_t out_k = c.st.issuer_outstanding_raw(k);
  const Lin r1{100 * qual0, 100 * d * (c.R.raw() - c.P.raw()), c.nav0, c.dnav};
  auto solve = [&](const Lin& m) { return passive ? m.max_no_worse_ge() : m.max_ge(lim); };
  Value cand = 0;
  if (c.ins.act40_exempt) {
    cand = solve(r1);
  } else {
    const bool k_in = legs.qualifies(ne_k, held_k, out_k, c.nav0);
    Value qq = -1;
    if (k_in) {
      const Lin w{100 * ne_k, 100 * d * c.R.raw(), c.nav0, c.dnav};
      qq = w.max_le(rule.act40_issuer_pct);
      if (c.ins.equity && c.dir > 0) {
        const Exact& v = rule.act40_voting_pct;
        qq = std::min(qq, solve_le(100 * v.den, v.num * out_k - 100 * v.den * held_k));
      }
    }
    const Lin r2{100 * (qual0 - (k_in ? ne_k : 0)), -100 * d * c.P.raw(), c.nav0, c.dnav};
    const Value q2 = solve(r2);
    cand = (q2 > qq) ? q2 : std::min(qq, solve(r1));
  }
  if (c.dir < 0) cand = kInf;  // a sale turns securities into cash, which qualifies
  r.max_quantity = refine(cand, c, [&](std::int64_t q) { return c.nav(q) > 0 && a.ratio(q) >= lim; }, sale_cap(c));
}

// ---- expression environment ----
class Env final : public ExprEnv {
 public:
  explicit Env(const Ctx& c) : c_(c) {}
  ExprValue get(Var v, std::string_view attr) const override {
    ExprValue out;
    auto num = [&](Exact e) { out.type = ValueType::number, out.n = e; return out; };
    auto str = [&](std::string_view s) { out.type = ValueType::string, out.s = s; return out; };
    auto boolean = [&](bool b) { out.type = ValueType::boolean, out.b = b; return out; };
    const Instrument& in = c_.ins.instrument;
    switch (v) {
      case Var::order_quantity: return num(Exact{c_.q, Quantity::kOne});
      case Var::order_notional: return num(Exact{static_cast<Value>(c_.q) * c_.P.raw(), kValueScale});
      case Var::order_price: return num(Exact::of(c_.P));
      case Var::order_side: return str(side_name());
      case Var::order_type: return str(c_.type == OrdType::Market ? "market" : c_.type == OrdType::Limit ? "limit" : c_.type == OrdType::Stop ? "stop" : "stop_limit");
      case Var::order_symbol: return str(in.symbol.value);
      case Var::order_is_buy: return boolean(c_.dir > 0);
      case Var::order_is_sell: return boolean(c_.dir < 0);
      case Var::order_pct_adv: return num(in.adv.raw() > 0 ? Exact{100 * static_cast<Value>(c_.block_q), in.adv.raw()} : Exact{0, 1});
      case Var::instrument_symbol: return str(in.symbol.value);
      case Var::instrument_issuer: return str(in.issuer);
      case Var::instrument_parent_issuer: return str(in.parent_issuer.empty() ? in.issuer : in.parent_issuer);
      case Var::instrument_sector: return str(in.sector);
      case Var::instrument_country: return str(in.country);
      case Var::instrument_asset_class: return str(in.asset_class);
      case Var::instrument_currency: return str(in.currency);
      case Var::instrument_reference_price: return num(Exact::of(in.reference_price));
      case Var::instrument_adv: return num(Exact::of(in.adv));
      case Var::instrument_shares_outstanding: return num(Exact::of(in.shares_outstanding));
      case Var::instrument_attr: {
        auto it = in.attributes.find(std::string(attr));
        return str(it == in.attributes.end() ? std::string_view{} : std::string_view(it->second));
      }
      case Var::account_id: return str(c_.ab.account.id.value);
      case Var::account_name: return str(c_.ab.account.name);
      case Var::account_groups: out.type = ValueType::string_list, out.list = &c_.ab.account.groups; return out;
      default: break;
    }
    const bool post = v >= Var::post_nav;
    const std::int64_t q = post ? c_.q : 0;
    const Value nav = c_.nav(q);
    const Value dv = static_cast<Value>(c_.dir) * q * c_.R.raw();
    auto pct = [&](Value val) { return num(nav > 0 ? Exact{100 * val, nav} : Exact{0, 1}); };
    auto group = [&](FixedAttribute a) -> Value {
      const auto g = c_.st.group_of(c_.idx, static_cast<std::uint32_t>(a));
      return g < 0 ? 0 : c_.ab.group_value[static_cast<std::size_t>(a)][static_cast<std::size_t>(g)] + dv;
    };
    const Value pos_value = static_cast<Value>(c_.ab.projected_raw(c_.idx)) * c_.R.raw() + dv;
    switch (v) {
      case Var::pre_nav: case Var::post_nav: return num(Exact{nav, kValueScale});
      case Var::pre_cash: case Var::post_cash:
        return num(Exact{c_.ab.projected_cash() - static_cast<Value>(c_.dir) * q * c_.P.raw(), kValueScale});
      case Var::pre_position: case Var::post_position:
        return num(Exact{c_.ab.projected_raw(c_.idx) + static_cast<Value>(c_.dir) * q, Quantity::kOne});
      case Var::pre_position_pct_nav: case Var::post_position_pct_nav: return pct(pos_value);
      case Var::pre_issuer_pct_nav: case Var::post_issuer_pct_nav: return pct(c_.ab.issuer_value[c_.ins.issuer] + dv);
      case Var::pre_parent_issuer_pct_nav: case Var::post_parent_issuer_pct_nav: return pct(c_.ab.parent_value[c_.ins.parent] + dv);
      case Var::pre_sector_pct_nav: case Var::post_sector_pct_nav: return pct(group(kSector));
      case Var::pre_country_pct_nav: case Var::post_country_pct_nav: return pct(group(kCountry));
      case Var::pre_asset_class_pct_nav: case Var::post_asset_class_pct_nav: return pct(group(kAssetClass));
      default: return out;
    }
  }

 private:
  std::string_view side_name() const {
    switch (c_.side) {
      case Side::Buy: return "buy";
      case Side::Sell: return "sell";
      case Side::SellShort: return "sell_short";
      case Side::SellShortExempt: return "sell_short_exempt";
    }
    return "";
  }
  const Ctx& c_;
};

}  // namespace

bool evaluate_expression(const Rule& rule, const Ctx& c, bool& out, std::string& error) {
  if (!rule.condition) return false;
  return rule.condition->evaluate(Env(c), out, error);
}

bool in_scope(const Rule& rule, const AccountBook& ab, const InstrumentSlot& ins, Side side) {
  const Scope& s = rule.scope;
  if (!(s.sides & side_bit(side))) return false;
  if (!s.accounts.empty() && std::find(s.accounts.begin(), s.accounts.end(), ab.account.id.value) == s.accounts.end())
    return false;
  if (!s.asset_classes.empty() &&
      std::find(s.asset_classes.begin(), s.asset_classes.end(), ins.instrument.asset_class) == s.asset_classes.end())
    return false;
  if (!s.account_groups.empty()) {
    bool any = false;
    for (const auto& g : ab.account.groups)
      if (std::find(s.account_groups.begin(), s.account_groups.end(), g) != s.account_groups.end()) any = true;
    if (!any) return false;
  }
  return true;
}

void evaluate_rule(const Rule& rule, const Ctx& c, RuleResult& r) {
  const Value d = c.dir;
  const Value R = c.R.raw();
  const std::int64_t others_in_block = c.block_q - c.q;  // order-size rules measure the whole block
  switch (rule.type) {
    case RuleType::restricted_list: {
      const Instrument& in = c.ins.instrument;
      const std::string& parent = in.parent_issuer.empty() ? in.issuer : in.parent_issuer;
      if (rule.symbols.count(in.symbol.value)) r.detail = kSymbolListed;
      else if (rule.issuers.count(in.issuer)) r.detail = kIssuerListed;
      else if (rule.issuers.count(parent)) r.detail = kParentListed;
      r.outcome = r.detail ? Outcome::breach : Outcome::pass;
      r.max_quantity = r.detail ? std::optional<Quantity>(Quantity{}) : std::nullopt;
      return;
    }
    case RuleType::max_order_quantity: {
      r.unit = Unit::shares;
      const Exact limit = Exact::of(rule.max_quantity);
      decide_max(limit, Exact{c.block_q, Quantity::kOne}, limit, r);  // pre = limit: never passive
      r.max_quantity = to_lot(rule.max_quantity.raw() - others_in_block, c.lot);
      return;
    }
    case RuleType::max_order_notional: {
      r.unit = Unit::money;
      const Exact limit = Exact::of(rule.max_notional);
      decide_max(limit, Exact{static_cast<Value>(c.block_q) * c.P.raw(), kValueScale}, limit, r);
      r.max_quantity = c.P.raw() > 0 ? to_lot(to_value(rule.max_notional) / c.P.raw() - others_in_block, c.lot) : std::nullopt;
      return;
    }
    case RuleType::price_tolerance: {
      r.unit = Unit::percent;
      if (!c.has_limit) {
        r.detail = kNoLimitPrice;  // a market order trades at the reference price by definition
        return;
      }
      if (R <= 0) {
        r.outcome = Outcome::breach;
        r.detail = kNoReferencePrice;
        r.max_quantity = Quantity{};
        return;
      }
      const Value dev = c.P.raw() > R ? c.P.raw() - R : R - c.P.raw();
      decide_max(rule.limit_pct, Exact{100 * dev, R}, rule.limit_pct, r);
      r.max_quantity = r.outcome == Outcome::pass ? std::nullopt : std::optional<Quantity>(Quantity{});
      return;
    }
    case RuleType::position_limit: {
      const Value p = c.ab.projected_raw(c.idx);
      switch (rule.position_measure) {
        case PositionMeasure::shares:
          return portfolio_max(c, Lin{p, d, Quantity::kOne, 0}, Exact::of(rule.max_quantity), Unit::shares, r);
        case PositionMeasure::notional:
          return portfolio_max(c, Lin{p * R, d * R, kValueScale, 0}, Exact::of(rule.max_notional), Unit::money, r);
        case PositionMeasure::pct_nav:
          r.unit = Unit::percent;
          if (!nav_ok(c, r)) return;
          return portfolio_max(c, Lin{100 * p * R, 100 * d * R, c.nav0, c.dnav}, rule.limit_pct, Unit::percent, r);
      }
      return;
    }
    case RuleType::issuer_concentration: {
      r.unit = Unit::percent;
      if (!nav_ok(c, r)) return;
      const bool by_parent = rule.aggregate_by == Aggregate::parent_issuer;
      const std::uint32_t k = by_parent ? c.ins.parent : c.ins.issuer;
      r.subject = static_cast<std::int32_t>(k);
      const Value v = by_parent ? c.ab.parent_value[k] : c.ab.issuer_value[k];
      return portfolio_max(c, Lin{100 * v, 100 * d * R, c.nav0, c.dnav}, rule.limit_pct, Unit::percent, r);
    }
    case RuleType::group_concentration: {
      r.unit = Unit::percent;
      const auto a = rule.attribute_slot >= 0 ? rule.attribute_slot : c.st.attribute_index(rule.attribute);
      const auto g = a < 0 ? -1 : c.st.group_of(c.idx, static_cast<std::uint32_t>(a));
      if (g < 0) {
        r.detail = kNoAttribute;
        return;
      }
      r.subject = g;
      const auto au = static_cast<std::uint32_t>(a), gu = static_cast<std::uint32_t>(g);
      if (!rule.group_values.empty() && std::find(rule.group_values.begin(), rule.group_values.end(),
                                                  c.st.attribute_value_name(au, gu)) == rule.group_values.end()) {
        r.detail = kNotSelectedGroup;
        return;
      }
      if (!nav_ok(c, r)) return;
      const Value v = c.ab.group_value[au][gu];
      return portfolio_max(c, Lin{100 * v, 100 * d * R, c.nav0, c.dnav}, rule.limit_pct, Unit::percent, r);
    }
    case RuleType::ucits_5_10_40: return eval_ucits(rule, c, r);
    case RuleType::act40_75_5_10: return eval_act40(rule, c, r);
    case RuleType::no_short_sale: {
      r.unit = Unit::shares;
      if (c.dir > 0) {
        r.detail = kNotApplicableSide;
        return;
      }
      // Pending buys never cover a sell; pending sells already use up the position.
      const Value avail = static_cast<Value>(c.ab.position[c.idx]) - c.ab.pending_sell[c.idx];
      const Exact limit{avail, Quantity::kOne};
      decide_max(limit, Exact{c.q, Quantity::kOne}, limit, r);
      r.max_quantity = to_lot(avail, c.lot);
      return;
    }
    case RuleType::cash_sufficiency: {
      r.unit = Unit::money;
      if (c.dir < 0) {
        r.detail = kNotApplicableSide;
        return;
      }
      // Pending sells never fund a buy; pending buys already use up the cash.
      const Value avail = to_value(c.ab.cash) - to_value(c.ab.pending_buy_cash);
      const Exact limit{avail, kValueScale};
      decide_max(limit, Exact{static_cast<Value>(c.q) * c.P.raw(), kValueScale}, limit, r);
      r.max_quantity = c.P.raw() > 0 ? to_lot(avail < 0 ? 0 : avail / c.P.raw(), c.lot) : std::nullopt;
      return;
    }
    case RuleType::pct_adv: {
      r.unit = Unit::percent;
      const std::int64_t adv = c.ins.instrument.adv.raw();
      if (adv <= 0) {
        r.outcome = Outcome::breach;
        r.detail = kNoAdv;
        r.max_quantity = Quantity{};
        return;
      }
      decide_max(rule.limit_pct, Exact{100 * static_cast<Value>(c.block_q), adv}, rule.limit_pct, r);
      r.max_quantity = to_lot(rule.limit_pct.num * adv / (100 * rule.limit_pct.den) - others_in_block, c.lot);
      return;
    }
    case RuleType::duplicate_order: {
      r.unit = Unit::seconds;
      auto it = c.ab.recent.find(RecentOrderKey{c.idx, c.side, c.q});
      r.detail = kNoPrevious;
      if (it == c.ab.recent.end() || it->second > c.now) return;
      const auto age = std::chrono::duration_cast<std::chrono::nanoseconds>(c.now - it->second).count();
      const Exact window = Exact::integer(rule.window.count());
      const Exact measured{age, 1'000'000'000};
      r.has_measure = true;
      r.is_minimum = true;  // the previous order must be older than the window
      r.measured = measured;
      r.pre_trade = measured;
      r.limit = window;
      r.outcome = measured < window ? Outcome::breach : Outcome::pass;  // exactly window seconds later passes
      r.detail = r.outcome == Outcome::breach ? kDuplicate : kNoPrevious;
      return;
    }
    case RuleType::expression: {
      bool ok = false;
      std::string err;
      if (!evaluate_expression(rule, c, ok, err)) {
        r.outcome = Outcome::breach;
        r.detail = kExprError;
      } else {
        r.outcome = ok ? Outcome::pass : Outcome::breach;
        r.detail = ok ? kNone : kExprFalse;
      }
      return;
    }
  }
}

}  // namespace oms::compliance::detail
