#include "oms/core/fixed.hpp"

#include <algorithm>
#include <limits>

namespace oms::detail {

Result<std::int64_t> parse_decimal(std::string_view text, int scale) {
  const std::string shown(text);
  if (text.empty()) return make_error(Errc::parse_error, "empty number");
  bool negative = false;
  std::size_t i = 0;
  if (text[0] == '-' || text[0] == '+') {
    negative = text[0] == '-';
    i = 1;
  }
  __int128 acc = 0;
  int int_digits = 0;
  int frac_digits = 0;
  bool seen_point = false;
  constexpr __int128 kLimit = static_cast<__int128>(std::numeric_limits<std::int64_t>::max()) + 1;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '.') {
      if (seen_point) return make_error(Errc::parse_error, "more than one decimal point in '" + shown + "'");
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') return make_error(Errc::parse_error, "not a decimal number: '" + shown + "'");
    if (seen_point) {
      if (++frac_digits > scale) {
        if (c != '0')
          return make_error(Errc::parse_error,
                            "'" + shown + "' has more than " + std::to_string(scale) + " decimal places");
        continue;  // trailing zeros beyond the scale are exact
      }
    } else {
      ++int_digits;
    }
    acc = acc * 10 + (c - '0');
    if (acc > kLimit * 10) return make_error(Errc::overflow, "number out of range: '" + shown + "'");
  }
  if (int_digits + std::min(frac_digits, scale) == 0) return make_error(Errc::parse_error, "no digits in '" + shown + "'");
  for (int k = std::min(frac_digits, scale); k < scale; ++k) {
    acc *= 10;
    if (acc > kLimit * 10) return make_error(Errc::overflow, "number out of range: '" + shown + "'");
  }
  if (negative) acc = -acc;
  if (acc > std::numeric_limits<std::int64_t>::max() || acc < std::numeric_limits<std::int64_t>::min())
    return make_error(Errc::overflow, "number out of range: '" + shown + "'");
  return static_cast<std::int64_t>(acc);
}

std::string format_decimal(std::int64_t raw, int scale, int min_decimals) {
  const bool negative = raw < 0;
  // Work in unsigned to format INT64_MIN correctly.
  unsigned __int128 mag = negative ? static_cast<unsigned __int128>(-static_cast<__int128>(raw))
                                   : static_cast<unsigned __int128>(raw);
  const auto one = static_cast<unsigned __int128>(pow10(scale));
  auto whole = static_cast<std::uint64_t>(mag / one);
  auto frac = static_cast<std::uint64_t>(mag % one);
  std::string out = negative ? "-" : "";
  out += std::to_string(whole);
  std::string digits(static_cast<std::size_t>(scale), '0');
  for (int k = scale - 1; k >= 0; --k) {
    digits[static_cast<std::size_t>(k)] = static_cast<char>('0' + frac % 10);
    frac /= 10;
  }
  std::size_t keep = digits.size();
  while (keep > static_cast<std::size_t>(std::max(min_decimals, 0)) && keep > 0 && digits[keep - 1] == '0') --keep;
  if (min_decimals > scale) digits.append(static_cast<std::size_t>(min_decimals - scale), '0'), keep = digits.size();
  if (keep > 0) {
    out.push_back('.');
    out.append(digits, 0, keep);
  }
  return out;
}

__int128 div_round_half_even(__int128 num, __int128 den) {
  if (den < 0) num = -num, den = -den;
  __int128 q = num / den;
  __int128 r = num % den;  // same sign as num
  const __int128 twice = (r < 0 ? -r : r) * 2;
  if (twice > den || (twice == den && (q % 2 != 0))) q += (num < 0) ? -1 : 1;
  return q;
}

std::int64_t checked_narrow(__int128 v) {
  if (v > std::numeric_limits<std::int64_t>::max() || v < std::numeric_limits<std::int64_t>::min())
    throw std::overflow_error("fixed-point overflow");
  return static_cast<std::int64_t>(v);
}

}  // namespace oms::detail

namespace oms {

namespace {
constexpr __int128 kNotionalDivisor = detail::pow10(Price::kScale + Quantity::kScale - Money::kScale);
}

Result<Money> checked_notional(Price price, Quantity quantity) {
  const __int128 scaled = detail::div_round_half_even(gross_raw(price, quantity), kNotionalDivisor);
  if (scaled > std::numeric_limits<std::int64_t>::max() || scaled < std::numeric_limits<std::int64_t>::min())
    return make_error(Errc::overflow, "notional out of range");
  return Money::from_raw(static_cast<std::int64_t>(scaled));
}

Money notional(Price price, Quantity quantity) {
  auto r = checked_notional(price, quantity);
  if (!r) throw std::overflow_error(r.error().message);
  return *r;
}

Money round_to_cents(Money m) {
  constexpr __int128 kStep = detail::pow10(Money::kScale - 2);
  return Money::from_raw(detail::checked_narrow(detail::div_round_half_even(m.raw(), kStep) * kStep));
}

Price average_price(__int128 gross_raw_sum, Quantity qty) {
  if (qty.is_zero()) throw std::invalid_argument("average_price of zero quantity");
  // gross is at scale P+Q; dividing by qty (scale Q) leaves scale P.
  return Price::from_raw(detail::checked_narrow(detail::div_round_half_even(gross_raw_sum, qty.raw())));
}

const char* to_string(Errc code) {
  switch (code) {
    case Errc::invalid_argument: return "invalid_argument";
    case Errc::not_found: return "not_found";
    case Errc::illegal_transition: return "illegal_transition";
    case Errc::duplicate: return "duplicate";
    case Errc::overflow: return "overflow";
    case Errc::parse_error: return "parse_error";
    case Errc::forbidden: return "forbidden";
    case Errc::conflict: return "conflict";
    case Errc::rejected: return "rejected";
    case Errc::unavailable: return "unavailable";
    case Errc::io_error: return "io_error";
    case Errc::internal: return "internal";
  }
  return "internal";
}

}  // namespace oms
