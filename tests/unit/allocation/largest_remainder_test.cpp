#include "oms/allocation/largest_remainder.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace oms::allocation {
namespace {

using V = std::vector<std::int64_t>;
using W = std::vector<__int128>;

TEST(MulDivFloor, ExactBeyond128Bits) {
  constexpr __int128 big = static_cast<__int128>(std::numeric_limits<std::int64_t>::max()) * 1'000'000'007;
  // (big * big) / big == big, remainder 0, though big * big needs ~190 bits.
  const QuotRem qr = mul_div_floor(big, big, big);
  EXPECT_TRUE(qr.quot == big);
  EXPECT_TRUE(qr.rem == 0);
  // big * (big + 1) == (big - 1) * (big + 2) + 2
  const QuotRem qr2 = mul_div_floor(big, big + 1, big + 2);
  EXPECT_TRUE(qr2.quot == big - 1);
  EXPECT_TRUE(qr2.rem == 2);  // big*(big+1) = (big-1)(big+2) + 2
  EXPECT_THROW(mul_div_floor(big, big, 1), std::overflow_error);
}

TEST(RankById, AscendingByteOrder) {
  const std::vector<AccountId> ids{AccountId{"FUND-C"}, AccountId{"FUND-A"}, AccountId{"FUND-B"}};
  EXPECT_EQ(rank_by_id(ids), (std::vector<std::uint32_t>{2, 0, 1}));
}

TEST(LargestRemainder, HamiltonWithTiesToLowerRank) {
  // 10 over three equal weights: 3 each, one left, tie -> rank 0 (the second entry here).
  EXPECT_EQ(largest_remainder(10, W{1, 1, 1}, std::vector<std::uint32_t>{1, 0, 2}), (V{3, 4, 3}));
  // 333 at 50/30/20: ideal 166.5, 99.9, 66.6 -> floors 331, two left to .9 and .6.
  EXPECT_EQ(largest_remainder(333, W{50, 30, 20}, std::vector<std::uint32_t>{0, 1, 2}), (V{166, 100, 67}));
  // Zero weights never receive anything.
  EXPECT_EQ(largest_remainder(5, W{0, 1, 0}, std::vector<std::uint32_t>{0, 1, 2}), (V{0, 5, 0}));
  EXPECT_THROW((void)largest_remainder(5, W{0, 0}, std::vector<std::uint32_t>{0, 1}), std::invalid_argument);
  EXPECT_THROW((void)largest_remainder(5, W{-1, 2}, std::vector<std::uint32_t>{0, 1}), std::invalid_argument);
}

TEST(ApportionLots, WholeLotsThenOneOddLot) {
  const std::vector<std::uint32_t> rank{0, 1, 2};
  // 1050 in lots of 100 over equal weights: 3 lots each (900), one lot left -> tie -> A; odd 50 to the
  // largest shortfall: A is over (350 - 400), B and C short by 50 -> tie -> B.
  EXPECT_EQ(apportion_lots(1050, 100, W{1, 1, 1}, rank), (V{400, 350, 300}));
  // 1000 at 50/30/20 in lots of 100: exact.
  EXPECT_EQ(apportion_lots(1000, 100, W{50, 30, 20}, rank), (V{500, 300, 200}));
  // 730 at 50/30/20: ideal 365, 219, 146 -> 3,2,1 lots (600), one lot to the largest remainder 65 (A),
  // odd 30 to the largest shortfall: B (219-200=19) vs C (146-100=46) -> C.
  EXPECT_EQ(apportion_lots(730, 100, W{50, 30, 20}, rank), (V{400, 200, 130}));
}

TEST(ApportionLots, CapsSendBlockedLotsToOddLots) {
  // Targets 150 and 850 in lots of 100, all filled: no account may go past its target.
  const std::vector<std::uint32_t> rank{0, 1};
  EXPECT_EQ(apportion_lots(1000, 100, W{150, 850}, rank, V{150, 850}), (V{150, 850}));
  // Half filled: ideal 75 / 425 -> 0 and 4 lots; the lot left goes to the larger shortfall, A (75), whose
  // cap of 150 has room for it.
  EXPECT_EQ(apportion_lots(500, 100, W{150, 850}, rank, V{150, 850}), (V{100, 400}));
}

TEST(SplitMoney, CentsByLargestRemainderAndExactSubCent) {
  const std::vector<std::uint32_t> rank{0, 1, 2};
  // $10.00 over 1/1/1: 3.34, 3.33, 3.33.
  const auto parts = split_money(*Money::parse("10.00"), W{1, 1, 1}, rank);
  EXPECT_EQ(parts[0], *Money::parse("3.34"));
  EXPECT_EQ(parts[1], *Money::parse("3.33"));
  EXPECT_EQ(parts[2], *Money::parse("3.33"));
  // A rebate splits the same way, negated.
  const auto rebate = split_money(*Money::parse("-10.00"), W{1, 1, 1}, rank);
  EXPECT_EQ(rebate[0], *Money::parse("-3.34"));
  // A sub-cent amount is split in 0.0001 units so the parts still add up.
  const auto fine = split_money(*Money::parse("0.0005"), W{1, 1, 1}, rank);
  EXPECT_EQ(fine[0] + fine[1] + fine[2], *Money::parse("0.0005"));
  EXPECT_EQ(fine[0], *Money::parse("0.0002"));
}

}  // namespace
}  // namespace oms::allocation
