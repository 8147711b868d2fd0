#include "oms/allocation/split.hpp"

#include <gtest/gtest.h>

#include <map>

namespace oms::allocation {
namespace {

Quantity Q(const char* s) { return *Quantity::parse(s); }

class SplitTest : public ::testing::Test {
 protected:
  void add(const char* id, const char* nav) {
    Account a;
    a.id = AccountId{id};
    a.nav = *Money::parse(nav);
    book_[a.id] = a;
  }
  AccountLookup lookup() const {
    return [this](const AccountId& id) -> const Account* {
      const auto it = book_.find(id);
      return it == book_.end() ? nullptr : &it->second;
    };
  }
  std::map<AccountId, Account> book_;
};

AllocationSlice S(const char* id, const char* q) { return AllocationSlice{AccountId{id}, Q(q)}; }

TEST_F(SplitTest, ExplicitIsValidated) {
  add("A", "1000000");
  add("B", "1000000");
  const std::vector<AllocationSlice> ok{S("A", "600"), S("B", "400")};
  EXPECT_EQ(*split_explicit(Q("1000"), ok, lookup()), ok);
  const std::vector<AllocationSlice> short_sum{S("A", "600"), S("B", "300")};
  EXPECT_EQ(split_explicit(Q("1000"), short_sum, lookup()).error().code, Errc::invalid_argument);
  const std::vector<AllocationSlice> unknown{S("A", "600"), S("Z", "400")};
  EXPECT_EQ(split_explicit(Q("1000"), unknown, lookup()).error().code, Errc::not_found);
  const std::vector<AllocationSlice> twice{S("A", "600"), S("A", "400")};
  EXPECT_EQ(split_explicit(Q("1000"), twice, lookup()).error().code, Errc::duplicate);
  const std::vector<AllocationSlice> zero{S("A", "1000"), S("B", "0")};
  EXPECT_EQ(split_explicit(Q("1000"), zero, lookup()).error().code, Errc::invalid_argument);
}

TEST_F(SplitTest, ProRataByNavInLots) {
  // NAVs 50m / 30m / 20m, 10,000 shares in lots of 100: exact 5,000 / 3,000 / 2,000.
  add("FUND-A", "50000000");
  add("FUND-B", "30000000");
  add("FUND-C", "20000000");
  const std::vector<AccountId> ids{AccountId{"FUND-A"}, AccountId{"FUND-B"}, AccountId{"FUND-C"}};
  EXPECT_EQ(*split_pro_rata_nav(Q("10000"), Q("100"), ids, lookup()),
            (std::vector<AllocationSlice>{S("FUND-A", "5000"), S("FUND-B", "3000"), S("FUND-C", "2000")}));
  // 1,250 shares: ideal 625 / 375 / 250 -> 6/3/2 lots = 1,100; one lot left: remainders 25, 75, 50 -> B;
  // odd 50: shortfalls A 25, B -25, C 50 -> C.
  EXPECT_EQ(*split_pro_rata_nav(Q("1250"), Q("100"), ids, lookup()),
            (std::vector<AllocationSlice>{S("FUND-A", "600"), S("FUND-B", "400"), S("FUND-C", "250")}));
}

TEST_F(SplitTest, ProRataTiesGoToLowerAccountIdWhateverTheInputOrder) {
  add("X", "1000");
  add("Y", "1000");
  add("Z", "1000");
  const std::vector<AccountId> fwd{AccountId{"X"}, AccountId{"Y"}, AccountId{"Z"}};
  const std::vector<AccountId> rev{AccountId{"Z"}, AccountId{"Y"}, AccountId{"X"}};
  // 200 in lots of 100 over three equal funds: X and Y get a lot, Z drops out.
  EXPECT_EQ(*split_pro_rata_nav(Q("200"), Q("100"), fwd, lookup()),
            (std::vector<AllocationSlice>{S("X", "100"), S("Y", "100")}));
  EXPECT_EQ(*split_pro_rata_nav(Q("200"), Q("100"), rev, lookup()),
            (std::vector<AllocationSlice>{S("Y", "100"), S("X", "100")}));
  // Fractional order quantity: the 0.5 share is part of the odd lot.
  EXPECT_EQ(*split_pro_rata_nav(Q("10.5"), Q("1"), fwd, lookup()),
            (std::vector<AllocationSlice>{S("X", "4"), S("Y", "3.5"), S("Z", "3")}));
}

TEST_F(SplitTest, ByFixedPointWeights) {
  add("A", "1");
  add("B", "1");
  add("C", "1");
  const std::vector<AccountWeight> w{{AccountId{"A"}, *Weight::parse("0.5")},
                                     {AccountId{"B"}, *Weight::parse("0.3")},
                                     {AccountId{"C"}, *Weight::parse("0.2")}};
  EXPECT_EQ(*split_by_weights(Q("999"), Q("1"), w, lookup()),
            (std::vector<AllocationSlice>{S("A", "499"), S("B", "300"), S("C", "200")}));  // 499.5 299.7 199.8
  const std::vector<AccountWeight> zeros{{AccountId{"A"}, Weight{}}};
  EXPECT_EQ(split_by_weights(Q("10"), Q("1"), zeros, lookup()).error().code, Errc::invalid_argument);
  EXPECT_EQ(split_by_weights(Q("10"), Q("0"), w, lookup()).error().code, Errc::invalid_argument);
}

TEST_F(SplitTest, TargetWeightOfNav) {
  // Target 5% of NAV at $50: A (NAV 10m, holds 5,000) needs 10,000 - 5,000 = 5,000; B (NAV 4m, holds 4,500)
  // needs 4,000 - 4,500 = -500 (drops out of a buy); C (NAV 2m, holds 0) needs 2,000.
  add("A", "10000000");
  add("B", "4000000");
  add("C", "2000000");
  const Weight five = *Weight::parse("0.05");
  const std::vector<TargetWeight> t{{AccountId{"A"}, five, Q("5000")},
                                    {AccountId{"B"}, five, Q("4500")},
                                    {AccountId{"C"}, five, Q("0")}};
  const Price px = *Price::parse("50");
  auto derived = split_to_target_weight(Side::Buy, std::nullopt, px, Q("100"), t, lookup());
  ASSERT_TRUE(derived) << derived.error().message;
  EXPECT_EQ(derived->order_qty, Q("7000"));
  EXPECT_EQ(derived->slices, (std::vector<AllocationSlice>{S("A", "5000"), S("C", "2000")}));
  EXPECT_EQ(derived->needs[1].need, Q("-500"));
  // A given quantity is split pro rata to the needs (5,000 : 2,000), in lots.
  auto given = split_to_target_weight(Side::Buy, Q("3500"), px, Q("100"), t, lookup());
  ASSERT_TRUE(given);
  EXPECT_EQ(given->slices, (std::vector<AllocationSlice>{S("A", "2500"), S("C", "1000")}));
  // On the sell side only B takes part, rounded down to lots: 500.
  auto sell = split_to_target_weight(Side::Sell, std::nullopt, px, Q("100"), t, lookup());
  ASSERT_TRUE(sell);
  EXPECT_EQ(sell->slices, (std::vector<AllocationSlice>{S("B", "500")}));
  // Needs below one lot drop out: at $49.99 A needs 10,002.0004 - 5,000 -> 5,000 in lots of 1,000.
  auto coarse = split_to_target_weight(Side::Buy, std::nullopt, *Price::parse("49.99"), Q("1000"), t, lookup());
  ASSERT_TRUE(coarse);
  EXPECT_EQ(coarse->slices, (std::vector<AllocationSlice>{S("A", "5000"), S("C", "2000")}));
  EXPECT_EQ(coarse->needs[0].need, Q("5002.0004"));
  EXPECT_EQ(split_to_target_weight(Side::Buy, std::nullopt, Price{}, Q("100"), t, lookup()).error().code,
            Errc::invalid_argument);
}

}  // namespace
}  // namespace oms::allocation
