#include "oms/compliance/types.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>

namespace oms::compliance {
namespace {

constexpr std::array<std::string_view, 14> kTypeNames = {
    "restricted_list", "max_order_quantity", "max_order_notional", "price_tolerance", "position_limit",
    "issuer_concentration", "group_concentration", "ucits_5_10_40", "act40_75_5_10", "no_short_sale",
    "cash_sufficiency", "pct_adv", "duplicate_order", "expression"};

__int128 floor_div(__int128 a, __int128 b) {  // b > 0
  __int128 q = a / b;
  if ((a % b != 0) && (a < 0)) --q;
  return q;
}

}  // namespace

std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::warn: return "warn";
    case Severity::approval: return "approval";
    case Severity::block: return "block";
  }
  return "?";
}
std::string_view to_string(Outcome o) { return o == Outcome::pass ? "pass" : "breach"; }
std::string_view to_string(PassiveNote n) {
  switch (n) {
    case PassiveNote::none: return "";
    case PassiveNote::improving: return "improving";
    case PassiveNote::unchanged: return "unchanged";
    case PassiveNote::worsening: return "worsening";
  }
  return "?";
}
std::string_view to_string(Decision d) {
  switch (d) {
    case Decision::accepted: return "accepted";
    case Decision::warn: return "warn";
    case Decision::held: return "held";
    case Decision::rejected: return "rejected";
  }
  return "?";
}
std::string_view to_string(Unit u) {
  switch (u) {
    case Unit::none: return "";
    case Unit::shares: return "shares";
    case Unit::money: return "money";
    case Unit::percent: return "percent";
    case Unit::seconds: return "seconds";
  }
  return "?";
}
std::string_view to_string(RuleType t) { return kTypeNames[static_cast<std::size_t>(t)]; }

std::optional<RuleType> parse_rule_type(std::string_view s) {
  for (std::size_t i = 0; i < kTypeNames.size(); ++i)
    if (kTypeNames[i] == s) return static_cast<RuleType>(i);
  return std::nullopt;
}
std::optional<Severity> parse_severity(std::string_view s) {
  if (s == "warn") return Severity::warn;
  if (s == "approval") return Severity::approval;
  if (s == "block") return Severity::block;
  return std::nullopt;
}
std::optional<Outcome> parse_outcome(std::string_view s) {
  if (s == "pass") return Outcome::pass;
  if (s == "breach") return Outcome::breach;
  return std::nullopt;
}
std::optional<Decision> parse_decision(std::string_view s) {
  if (s == "accepted") return Decision::accepted;
  if (s == "warn") return Decision::warn;
  if (s == "held") return Decision::held;
  if (s == "rejected") return Decision::rejected;
  return std::nullopt;
}

Decision decision_for(Severity s) {
  switch (s) {
    case Severity::warn: return Decision::warn;
    case Severity::approval: return Decision::held;
    case Severity::block: return Decision::rejected;
  }
  return Decision::rejected;
}

std::optional<Exact> Exact::parse(std::string_view text) {
  if (text.empty() || text.size() > 30) return std::nullopt;
  std::size_t i = 0;
  bool negative = false;
  if (text[0] == '-' || text[0] == '+') negative = text[i++] == '-';
  __int128 num = 0, den = 1;
  bool point = false;
  int digits = 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') {
      if (point) return std::nullopt;
      point = true;
      continue;
    }
    if (c < '0' || c > '9') return std::nullopt;
    num = num * 10 + (c - '0');
    if (point) den *= 10;
    ++digits;
  }
  if (digits == 0) return std::nullopt;
  return Exact{negative ? -num : num, den};
}

// Compares a/b with c/d (b, d > 0) by continued-fraction expansion: exact and free of overflow.
int compare(const Exact& x, const Exact& y) {
  __int128 a = x.num, b = x.den, c = y.num, d = y.den;
  __int128 l = 0, r = 0;
  if (!__builtin_mul_overflow(a, d, &l) && !__builtin_mul_overflow(c, b, &r)) return l < r ? -1 : l > r ? 1 : 0;
  int sign = 1;
  for (;;) {
    const __int128 qa = floor_div(a, b), qc = floor_div(c, d);
    if (qa != qc) return qa < qc ? -sign : sign;
    const __int128 ra = a - qa * b, rc = c - qc * d;  // 0 <= r < den
    if (ra == 0 || rc == 0) {
      if (ra == rc) return 0;
      return ra == 0 ? -sign : sign;
    }
    // ra/b vs rc/d  <=>  d/rc vs b/ra: invert both, which flips the order.
    a = b, b = ra, c = d, d = rc;
    sign = -sign;
  }
}

Exact operator-(const Exact& a, const Exact& b) {
  __int128 l = 0, r = 0, den = 0, num = 0;
  if (__builtin_mul_overflow(a.num, b.den, &l) || __builtin_mul_overflow(b.num, a.den, &r) ||
      __builtin_sub_overflow(l, r, &num) || __builtin_mul_overflow(a.den, b.den, &den))
    throw std::overflow_error("exact subtraction overflow");
  return Exact{num, den};  // not reduced: reduction costs more than it saves on the hot path
}

std::string Exact::to_string(int decimals) const {
  std::string out;
  append_to(out, decimals);
  return out;
}

// Half-up on the magnitude: units = floor(mag * 10^decimals / den), then the remainder decides. One 64-bit or
// 128-by-64-bit division when the operands allow (nearly always); else one decimal digit at a time so that
// rem * 10^decimals cannot overflow. decimals <= 38.
void Exact::append_to(std::string& out, int decimals) const {
  using U = unsigned __int128;
  static constexpr std::uint64_t kPow10[20] = {1ULL, 10ULL, 100ULL, 1000ULL, 10000ULL, 100000ULL, 1000000ULL,
      10000000ULL, 100000000ULL, 1000000000ULL, 10000000000ULL, 100000000000ULL, 1000000000000ULL,
      10000000000000ULL, 100000000000000ULL, 1000000000000000ULL, 10000000000000000ULL, 100000000000000000ULL,
      1000000000000000000ULL, 10000000000000000000ULL};
  const bool negative = num < 0;
  const U mag = negative ? U(0) - static_cast<U>(num) : static_cast<U>(num), d = static_cast<U>(den);
  U units = 0, r = 0;
  if (mag <= UINT64_MAX && d <= UINT64_MAX && decimals >= 0 && decimals < 20) {
    const U p = mag * kPow10[decimals];  // < 2^128
    if (p <= UINT64_MAX) {
      const auto p64 = static_cast<std::uint64_t>(p), d64 = static_cast<std::uint64_t>(d);
      units = p64 / d64, r = p64 % d64;
    } else {
      units = p / d, r = p % d;
    }
  } else {
    units = mag / d, r = mag % d;
    for (int i = 0; i < decimals; ++i) {
      r *= 10;
      units = units * 10 + r / d;
      r %= d;
    }
  }
  if (r * 2 >= d) ++units;
  char buf[48];  // 2^128 has 39 digits; decimals beyond that are zeros in front
  int n = 0;
  if (units <= UINT64_MAX) {
    for (auto u = static_cast<std::uint64_t>(units); u > 0; u /= 10) buf[n++] = static_cast<char>('0' + u % 10);
  } else {
    for (U u = units; u > 0; u /= 10) buf[n++] = static_cast<char>('0' + static_cast<int>(u % 10));
  }
  char text[96];  // sign, up to 39 digits plus leading zeros, the point
  std::size_t len = 0;
  if (negative && units != 0) text[len++] = '-';
  for (int i = std::min(std::max(n, decimals + 1), 90) - 1; i >= 0; --i) {
    text[len++] = i < n ? buf[i] : '0';
    if (i == decimals && decimals > 0) text[len++] = '.';
  }
  out.append(text, len);
}

}  // namespace oms::compliance
