#pragma once
// Fixed-point decimals over int64. Price, Quantity and Money are distinct types, each with its own scale,
// so that a price can never be added to a quantity by mistake. Arithmetic is checked: overflow throws
// std::overflow_error from the operators (a broken precondition) and is an Errc::overflow from the
// checked_* functions (for input paths). No floating point anywhere.
#include <compare>
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "oms/core/result.hpp"

namespace oms {

namespace detail {
constexpr std::int64_t pow10(int n) {
  std::int64_t r = 1;
  for (int i = 0; i < n; ++i) r *= 10;
  return r;
}
// Parses a decimal string with at most `scale` fractional digits into raw units. Rejects exponents,
// spaces, more fractional digits than the scale allows (never rounds silently) and overflow.
Result<std::int64_t> parse_decimal(std::string_view text, int scale);
std::string format_decimal(std::int64_t raw, int scale, int min_decimals);
// Divides a signed 128-bit value by a positive divisor, rounding half to even.
__int128 div_round_half_even(__int128 num, __int128 den);
std::int64_t checked_narrow(__int128 v);  // throws std::overflow_error
}  // namespace detail

template <class Tag, int Scale>
class Fixed {
 public:
  static constexpr int kScale = Scale;
  static constexpr std::int64_t kOne = detail::pow10(Scale);

  constexpr Fixed() = default;
  static constexpr Fixed from_raw(std::int64_t raw) { return Fixed(raw); }
  static Fixed from_int(std::int64_t whole) {
    std::int64_t out = 0;
    if (__builtin_mul_overflow(whole, kOne, &out)) throw std::overflow_error("fixed-point overflow");
    return Fixed(out);
  }
  static Result<Fixed> parse(std::string_view text) {
    auto raw = detail::parse_decimal(text, Scale);
    if (!raw) return raw.error();
    return Fixed(*raw);
  }

  constexpr std::int64_t raw() const { return raw_; }
  constexpr bool is_zero() const { return raw_ == 0; }
  constexpr bool is_negative() const { return raw_ < 0; }
  constexpr bool is_positive() const { return raw_ > 0; }
  // Whole units when the value has no fractional part.
  constexpr bool is_integral() const { return raw_ % kOne == 0; }
  constexpr std::int64_t whole() const { return raw_ / kOne; }

  // Shortest exact decimal form ("100", "10.25", "-0.5").
  std::string to_string() const { return detail::format_decimal(raw_, Scale, 0); }
  // Exact form with at least `decimals` fractional digits ("10.50").
  std::string to_string(int decimals) const { return detail::format_decimal(raw_, Scale, decimals); }

  friend constexpr auto operator<=>(Fixed, Fixed) = default;

  static Result<Fixed> checked_add(Fixed a, Fixed b) {
    std::int64_t out = 0;
    if (__builtin_add_overflow(a.raw_, b.raw_, &out)) return make_error(Errc::overflow, "fixed-point overflow");
    return Fixed(out);
  }
  static Result<Fixed> checked_sub(Fixed a, Fixed b) {
    std::int64_t out = 0;
    if (__builtin_sub_overflow(a.raw_, b.raw_, &out)) return make_error(Errc::overflow, "fixed-point overflow");
    return Fixed(out);
  }
  friend Fixed operator+(Fixed a, Fixed b) {
    std::int64_t out = 0;
    if (__builtin_add_overflow(a.raw_, b.raw_, &out)) throw std::overflow_error("fixed-point overflow");
    return Fixed(out);
  }
  friend Fixed operator-(Fixed a, Fixed b) {
    std::int64_t out = 0;
    if (__builtin_sub_overflow(a.raw_, b.raw_, &out)) throw std::overflow_error("fixed-point overflow");
    return Fixed(out);
  }
  Fixed operator-() const {
    if (raw_ == INT64_MIN) throw std::overflow_error("fixed-point overflow");
    return Fixed(-raw_);
  }
  Fixed& operator+=(Fixed o) { return *this = *this + o; }
  Fixed& operator-=(Fixed o) { return *this = *this - o; }
  // Scaling by an integer count (e.g. lots), checked.
  friend Fixed operator*(Fixed a, std::int64_t n) {
    std::int64_t out = 0;
    if (__builtin_mul_overflow(a.raw_, n, &out)) throw std::overflow_error("fixed-point overflow");
    return Fixed(out);
  }

 private:
  constexpr explicit Fixed(std::int64_t raw) : raw_(raw) {}
  std::int64_t raw_{0};
};

struct PriceTag {};
struct QuantityTag {};
struct MoneyTag {};

using Price = Fixed<PriceTag, 6>;        // 6 decimals: sub-penny equity and FX-style prices
using Quantity = Fixed<QuantityTag, 4>;  // 4 decimals: fractional shares and fund units
using Money = Fixed<MoneyTag, 4>;        // 4 decimals: cents plus room for per-share fees

// price x quantity, exact in 128 bits, rounded once (half to even) to Money's scale. Throws on overflow.
Money notional(Price price, Quantity quantity);
Result<Money> checked_notional(Price price, Quantity quantity);

// Rounds money to whole cents, half to even (for amounts reported per account).
Money round_to_cents(Money m);

// Exact price x quantity at scale Price::kScale + Quantity::kScale, for sums that must not round (AvgPx).
inline __int128 gross_raw(Price price, Quantity quantity) {
  return static_cast<__int128>(price.raw()) * quantity.raw();
}
// AvgPx = gross / qty, rounded half-even to Price's scale. qty must be non-zero.
Price average_price(__int128 gross_raw_sum, Quantity qty);

}  // namespace oms

template <class Tag, int Scale>
struct std::hash<oms::Fixed<Tag, Scale>> {
  std::size_t operator()(oms::Fixed<Tag, Scale> v) const noexcept { return std::hash<std::int64_t>{}(v.raw()); }
};
