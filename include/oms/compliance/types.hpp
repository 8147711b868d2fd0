#pragma once
// Vocabulary of the pre-trade compliance module: severities, outcomes, exact measured values and the per-rule
// result. All numbers are exact (integers and rationals over __int128); nothing here is floating point.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "oms/core/fixed.hpp"
#include "oms/core/ids.hpp"

namespace oms::compliance {

enum class Severity : std::uint8_t { warn, approval, block };
enum class Outcome : std::uint8_t { pass, breach };
// Relief for a portfolio rule that was already in breach before this order (a passive breach).
enum class PassiveNote : std::uint8_t { none, improving, unchanged, worsening };
// Order of increasing gravity; the overall decision is the gravest one.
enum class Decision : std::uint8_t { accepted, warn, held, rejected };
enum class Unit : std::uint8_t { none, shares, money, percent, seconds };

enum class RuleType : std::uint8_t {
  restricted_list,
  max_order_quantity,
  max_order_notional,
  price_tolerance,
  position_limit,
  issuer_concentration,
  group_concentration,
  ucits_5_10_40,
  act40_75_5_10,
  no_short_sale,
  cash_sufficiency,
  pct_adv,
  duplicate_order,
  expression,
};

std::string_view to_string(Severity s);
std::string_view to_string(Outcome o);
std::string_view to_string(PassiveNote n);
std::string_view to_string(Decision d);
std::string_view to_string(Unit u);
std::string_view to_string(RuleType t);
std::optional<RuleType> parse_rule_type(std::string_view s);
std::optional<Severity> parse_severity(std::string_view s);
std::optional<Outcome> parse_outcome(std::string_view s);
std::optional<Decision> parse_decision(std::string_view s);

// What a breach of a rule with this severity does to the order.
Decision decision_for(Severity s);

// An exact rational value num/den with den > 0. Used for measured values, limits and headroom.
struct Exact {
  __int128 num{0};
  __int128 den{1};

  static Exact integer(__int128 v) { return Exact{v, 1}; }
  static Exact of(Quantity q) { return Exact{q.raw(), Quantity::kOne}; }
  static Exact of(Money m) { return Exact{m.raw(), Money::kOne}; }
  static Exact of(Price p) { return Exact{p.raw(), Price::kOne}; }
  // Parses a plain decimal ("10", "2.5", "-0.125"); nullopt when it is not one.
  static std::optional<Exact> parse(std::string_view text);

  // Rounded half-up (half away from zero) to `decimals` places, trailing zeros kept ("10.0000").
  std::string to_string(int decimals = 4) const;
  void append_to(std::string& out, int decimals = 4) const;  // the same, appended (no temporary string)
  bool is_negative() const { return num < 0; }
};
// Exact comparisons by cross-multiplication (both denominators positive).
int compare(const Exact& a, const Exact& b);
inline bool operator<(const Exact& a, const Exact& b) { return compare(a, b) < 0; }
inline bool operator<=(const Exact& a, const Exact& b) { return compare(a, b) <= 0; }
inline bool operator>(const Exact& a, const Exact& b) { return compare(a, b) > 0; }
inline bool operator>=(const Exact& a, const Exact& b) { return compare(a, b) >= 0; }
inline bool operator==(const Exact& a, const Exact& b) { return compare(a, b) == 0; }
Exact operator-(const Exact& a, const Exact& b);  // reduced; throws std::overflow_error on overflow

// The result of one rule for one account slice. Plain data so that evaluation allocates nothing per rule;
// the human-readable reason is produced on demand by describe() (evaluation.hpp).
struct RuleResult {
  std::uint32_t rule_index{0};  // index into RuleBook::rules()
  Outcome outcome{Outcome::pass};
  PassiveNote note{PassiveNote::none};
  Unit unit{Unit::none};
  bool has_measure{false};   // measured/limit/headroom are meaningful
  bool is_minimum{false};    // the limit is a floor (measured >= limit passes), e.g. the 75% test
  Exact measured;            // post-trade value
  Exact pre_trade;           // value before this order (current positions + pending), for passive-breach notes
  Exact limit;
  // limit - measured (measured - limit for a floor); positive when there is room. Computed on demand: the hot
  // path only decides.
  Exact headroom() const { return is_minimum ? measured - limit : limit - measured; }
  // Largest quantity of this order (same account, symbol, side and price) that would pass this rule, rounded down
  // to the instrument's lot size. nullopt: no limit from this rule.
  std::optional<Quantity> max_quantity;
  std::uint8_t detail{0};    // rule-type-specific reason code used by describe()
  std::int32_t subject{-1};  // rule-type-specific index (issuer, group value, ...) used by describe()
};

}  // namespace oms::compliance
