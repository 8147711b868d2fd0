#include "oms/core/fixed.hpp"

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <limits>

namespace oms {
namespace {

TEST(FixedParse, ExactDecimalStrings) {
  EXPECT_EQ(Price::parse("101.25")->raw(), 101'250'000);
  EXPECT_EQ(Price::parse("-0.000001")->raw(), -1);
  EXPECT_EQ(Quantity::parse("1000")->raw(), 10'000'000);
  EXPECT_EQ(Quantity::parse(".5")->raw(), 5'000);
  EXPECT_EQ(Quantity::parse("5.")->raw(), 50'000);
  EXPECT_EQ(Money::parse("+12.3400000")->raw(), 123'400);  // zeros beyond the scale are exact
}

TEST(FixedParse, RejectsWhatItCannotRepresentExactly) {
  EXPECT_EQ(Quantity::parse("1.00001").error().code, Errc::parse_error);  // 5 decimals > scale 4
  EXPECT_EQ(Price::parse("1e6").error().code, Errc::parse_error);
  EXPECT_EQ(Price::parse("").error().code, Errc::parse_error);
  EXPECT_EQ(Price::parse("-").error().code, Errc::parse_error);
  EXPECT_EQ(Price::parse(".").error().code, Errc::parse_error);
  EXPECT_EQ(Price::parse("1.2.3").error().code, Errc::parse_error);
  EXPECT_EQ(Price::parse(" 1").error().code, Errc::parse_error);
  EXPECT_EQ(Price::parse("nan").error().code, Errc::parse_error);
}

TEST(FixedParse, DetectsOverflow) {
  EXPECT_EQ(Quantity::parse("922337203685477.5807")->raw(), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(Quantity::parse("922337203685477.5808").error().code, Errc::overflow);
  EXPECT_EQ(Quantity::parse("-922337203685477.5808")->raw(), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(Quantity::parse("99999999999999999999999999").error().code, Errc::overflow);
}

TEST(FixedFormat, ShortestAndPadded) {
  EXPECT_EQ(Price::parse("101.250")->to_string(), "101.25");
  EXPECT_EQ(Price::parse("100")->to_string(), "100");
  EXPECT_EQ(Price::parse("-0.5")->to_string(), "-0.5");
  EXPECT_EQ(Money::parse("7.5")->to_string(2), "7.50");
  EXPECT_EQ(Money::from_raw(std::numeric_limits<std::int64_t>::min()).to_string(), "-922337203685477.5808");
}

TEST(FixedArithmetic, OverflowIsAnErrorNotWrapAround) {
  const auto max = Money::from_raw(std::numeric_limits<std::int64_t>::max());
  const auto one = Money::from_raw(1);
  EXPECT_EQ(Money::checked_add(max, one).error().code, Errc::overflow);
  EXPECT_THROW((void)(max + one), std::overflow_error);
  EXPECT_THROW((void)(-Money::from_raw(std::numeric_limits<std::int64_t>::min())), std::overflow_error);
  EXPECT_THROW((void)(max * 2), std::overflow_error);
  EXPECT_EQ(Money::checked_sub(Money{}, one)->raw(), -1);
}

TEST(Notional, ExactAndRoundedOnceHalfEven) {
  // 10.000050 x 1 = 10.00005 -> 10.0000 (half to even: 0 is even)
  EXPECT_EQ(notional(*Price::parse("10.000050"), *Quantity::parse("1")).to_string(4), "10.0000");
  // 10.000150 x 1 = 10.00015 -> 10.0002 (1 is odd -> up)
  EXPECT_EQ(notional(*Price::parse("10.000150"), *Quantity::parse("1")).to_string(4), "10.0002");
  EXPECT_EQ(notional(*Price::parse("-10.000150"), *Quantity::parse("1")).to_string(4), "-10.0002");
  EXPECT_EQ(notional(*Price::parse("101.25"), *Quantity::parse("333")).to_string(), "33716.25");
}

TEST(Notional, HundredBillionFits) {
  const auto n = notional(*Price::parse("1000000"), *Quantity::parse("100000"));  // 1e11
  EXPECT_EQ(n.to_string(), "100000000000");
  EXPECT_EQ(checked_notional(*Price::parse("1000000000"), *Quantity::parse("1000000000")).error().code,
            Errc::overflow);
}

TEST(RoundToCents, HalfEven) {
  EXPECT_EQ(round_to_cents(*Money::parse("1.005")).to_string(4), "1.0000");
  EXPECT_EQ(round_to_cents(*Money::parse("1.015")).to_string(4), "1.0200");
  EXPECT_EQ(round_to_cents(*Money::parse("1.0151")).to_string(4), "1.0200");
}

TEST(AveragePrice, FromExactGross) {
  __int128 gross = gross_raw(*Price::parse("10"), *Quantity::parse("1")) +
                   gross_raw(*Price::parse("11"), *Quantity::parse("2"));
  EXPECT_EQ(average_price(gross, *Quantity::parse("3")).to_string(), "10.666667");
}

RC_GTEST_PROP(FixedProperty, DecimalRoundTrip, (std::int64_t raw)) {
  const auto q = Quantity::from_raw(raw);
  RC_ASSERT(Quantity::parse(q.to_string())->raw() == raw);
  RC_ASSERT(Quantity::parse(q.to_string(4))->raw() == raw);
  const auto p = Price::from_raw(raw);
  RC_ASSERT(Price::parse(p.to_string())->raw() == raw);
}

RC_GTEST_PROP(FixedProperty, CheckedAddMatchesWideArithmetic, (std::int64_t a, std::int64_t b)) {
  const __int128 wide = static_cast<__int128>(a) + b;
  const auto r = Money::checked_add(Money::from_raw(a), Money::from_raw(b));
  const bool fits = wide <= std::numeric_limits<std::int64_t>::max() && wide >= std::numeric_limits<std::int64_t>::min();
  RC_ASSERT(r.ok() == fits);
  if (fits) RC_ASSERT(static_cast<__int128>(r->raw()) == wide);
}

}  // namespace
}  // namespace oms
