#include "oms/allocation/block_allocation.hpp"

#include <gtest/gtest.h>

namespace oms::allocation {
namespace {

Quantity Q(const char* s) { return *Quantity::parse(s); }
Price P(const char* s) { return *Price::parse(s); }
Money M(const char* s) { return *Money::parse(s); }
AllocationSlice S(const char* id, const char* q) { return AllocationSlice{AccountId{id}, Q(q)}; }
Fill F(const char* id, const char* q, const char* px) { return Fill{ExecID{id}, Q(q), P(px)}; }

std::vector<std::string> allocated(const BlockAllocation& b) {
  std::vector<std::string> out;
  for (const auto& a : b.accounts()) out.push_back(a.allocated.to_string());
  return out;
}
using Strs = std::vector<std::string>;

BlockAllocation fifty_thirty_twenty(const char* lot = "1") {
  auto b = BlockAllocation::create({S("FUND-A", "500"), S("FUND-B", "300"), S("FUND-C", "200")}, Q(lot));
  EXPECT_TRUE(b);
  return std::move(*b);
}

TEST(BlockAllocation, ThousandSharesFiftyThirtyTwentyFilledInThirds) {
  BlockAllocation b = fifty_thirty_twenty();
  // 333: exact shares 166.5 / 99.9 / 66.6 -> floors 166/99/66, the two shares left to .9 (B) and .6 (C).
  auto p1 = b.on_fill(F("E1", "333", "10.00"));
  ASSERT_TRUE(p1);
  EXPECT_EQ(allocated(b), (Strs{"166", "100", "67"}));
  EXPECT_EQ(*p1, (std::vector<AccountFill>{{AccountId{"FUND-A"}, ExecID{"E1"}, Q("166"), P("10")},
                                           {AccountId{"FUND-B"}, ExecID{"E1"}, Q("100"), P("10")},
                                           {AccountId{"FUND-C"}, ExecID{"E1"}, Q("67"), P("10")}}));
  // 666: exact 333 / 199.8 / 133.2; shortfalls 167 / 99.8 / 66.2 -> 167 / 99 / 66 and the last share to B.
  ASSERT_TRUE(b.on_fill(F("E2", "333", "10.10")));
  EXPECT_EQ(allocated(b), (Strs{"333", "200", "133"}));
  // 1,000: the targets.
  ASSERT_TRUE(b.on_fill(F("E3", "334", "10.20")));
  EXPECT_EQ(allocated(b), (Strs{"500", "300", "200"}));
  EXPECT_EQ(b.cum_qty(), Q("1000"));
  EXPECT_EQ(b.accounts()[0].history.size(), 3U);
  EXPECT_EQ(b.accounts()[0].history[2], (FillPiece{ExecID{"E3"}, Q("167"), P("10.20"), false}));

  // Gross 3,330.00 + 3,363.30 + 3,406.80 = 10,100.10; AvgPx 10.1001.
  auto fin = b.finalize(Charges{M("15.00"), M("0.07")});
  ASSERT_TRUE(fin);
  EXPECT_EQ(fin->avg_px, P("10.1001"));
  EXPECT_EQ(fin->gross, M("10100.10"));
  ASSERT_EQ(fin->accounts.size(), 3U);
  EXPECT_EQ(fin->accounts[0], (AccountAllocation{AccountId{"FUND-A"}, Q("500"), P("10.1001"), M("5050.05"),
                                                 M("7.50"), M("0.04")}));
  EXPECT_EQ(fin->accounts[1], (AccountAllocation{AccountId{"FUND-B"}, Q("300"), P("10.1001"), M("3030.03"),
                                                 M("4.50"), M("0.02")}));
  EXPECT_EQ(fin->accounts[2], (AccountAllocation{AccountId{"FUND-C"}, Q("200"), P("10.1001"), M("2020.02"),
                                                 M("3.00"), M("0.01")}));
  EXPECT_EQ(b.status(), AllocationStatus::Final);
  EXPECT_EQ(fin->version, 1U);
}

TEST(BlockAllocation, NeverTakesSharesBackWhereCumulativeLargestRemainderWould) {
  // Targets 1 / 3 / 3. Largest remainder on the cumulative quantity gives 1/1/1 at 3 shares and 0/2/2 at 4
  // (the Alabama paradox): A would lose a share. Shortfall weights at 4: A 4/7 - 1 < 0, B and C 5/7 each ->
  // the share goes to B (tie to the lower id).
  auto b = BlockAllocation::create({S("A", "1"), S("B", "3"), S("C", "3")}, Q("1"));
  ASSERT_TRUE(b);
  ASSERT_TRUE(b->on_fill(F("E1", "3", "1")));
  EXPECT_EQ(allocated(*b), (Strs{"1", "1", "1"}));
  ASSERT_TRUE(b->on_fill(F("E2", "1", "1")));
  EXPECT_EQ(allocated(*b), (Strs{"1", "2", "1"}));
  ASSERT_TRUE(b->on_fill(F("E3", "3", "1")));
  EXPECT_EQ(allocated(*b), (Strs{"1", "3", "3"}));
}

TEST(BlockAllocation, LotSizeHundredPartialFillThenCancel) {
  BlockAllocation b = fifty_thirty_twenty("100");
  ASSERT_TRUE(b.on_fill(F("E1", "250", "20.00")));
  EXPECT_EQ(allocated(b), (Strs{"125", "75", "50"}));  // running allocations ignore lots
  ASSERT_TRUE(b.on_fill(F("E2", "480", "20.05")));
  EXPECT_EQ(allocated(b), (Strs{"365", "219", "146"}));
  // Canceled with 730 filled. Lots: exact 365 / 219 / 146 -> 3 / 2 / 1 lots (600); one lot to the largest
  // remainder (A, 65); the odd 30 to the largest shortfall (C 46 over B 19).
  auto fin = b.finalize();
  ASSERT_TRUE(fin);
  ASSERT_EQ(fin->accounts.size(), 3U);
  EXPECT_EQ(fin->accounts[0].quantity, Q("400"));
  EXPECT_EQ(fin->accounts[1].quantity, Q("200"));
  EXPECT_EQ(fin->accounts[2].quantity, Q("130"));
  // Gross 5,000.00 + 9,624.00 = 14,624.00 over 730: AvgPx 20.032876712... -> 20.032877.
  EXPECT_EQ(fin->avg_px, P("20.032877"));
  // Cents 1,462,400 x 400/730 = 801,315.07, x 200/730 = 400,657.53, x 130/730 = 260,427.40: the cent left
  // goes to B (.53).
  EXPECT_EQ(fin->accounts[0].gross, M("8013.15"));
  EXPECT_EQ(fin->accounts[1].gross, M("4006.58"));
  EXPECT_EQ(fin->accounts[2].gross, M("2604.27"));
  EXPECT_EQ(fin->gross, M("14624.00"));
  // No more fills once final.
  EXPECT_EQ(b.on_fill(F("E3", "10", "20")).error().code, Errc::conflict);
}

TEST(BlockAllocation, FullFillReturnsTargetsEvenWhenTheyAreNotLotMultiples) {
  auto b = BlockAllocation::create({S("A", "150"), S("B", "850")}, Q("100"));
  ASSERT_TRUE(b);
  ASSERT_TRUE(b->on_fill(F("E1", "1000", "5")));
  auto fin = b->finalize();
  ASSERT_TRUE(fin);
  EXPECT_EQ(fin->accounts[0].quantity, Q("150"));
  EXPECT_EQ(fin->accounts[1].quantity, Q("850"));
}

TEST(BlockAllocation, TradeBustAfterAllocation) {
  BlockAllocation b = fifty_thirty_twenty();
  ASSERT_TRUE(b.on_fill(F("E1", "333", "10.00")));
  ASSERT_TRUE(b.on_fill(F("E2", "333", "10.10")));
  auto rev = b.bust(ExecID{"E1"});
  ASSERT_TRUE(rev);
  EXPECT_EQ(*rev, (std::vector<AccountFill>{{AccountId{"FUND-A"}, ExecID{"E1"}, Q("-166"), P("10")},
                                            {AccountId{"FUND-B"}, ExecID{"E1"}, Q("-100"), P("10")},
                                            {AccountId{"FUND-C"}, ExecID{"E1"}, Q("-67"), P("10")}}));
  EXPECT_EQ(allocated(b), (Strs{"167", "100", "66"}));
  EXPECT_EQ(b.cum_qty(), Q("333"));
  EXPECT_EQ(b.avg_px(), P("10.10"));
  EXPECT_EQ(b.bust(ExecID{"E1"}).error().code, Errc::duplicate);
  EXPECT_EQ(b.bust(ExecID{"E9"}).error().code, Errc::not_found);
  EXPECT_EQ(b.on_fill(F("E1", "1", "10")).error().code, Errc::duplicate);  // a busted ExecID stays used
  // 334 more: exact 333.5 / 200.1 / 133.4 less 167 / 100 / 66 -> 166.5 / 100.1 / 67.4 -> 167 / 100 / 67.
  ASSERT_TRUE(b.on_fill(F("E3", "334", "10.20")));
  EXPECT_EQ(allocated(b), (Strs{"334", "200", "133"}));
  const auto& hist = b.accounts()[0].history;
  ASSERT_EQ(hist.size(), 4U);
  EXPECT_EQ(hist[2], (FillPiece{ExecID{"E1"}, Q("-166"), P("10"), true}));
  EXPECT_EQ(hist[3].quantity, Q("167"));
}

TEST(BlockAllocation, BustAfterFinalRecomputesAndNeedsAcceptanceAgain) {
  BlockAllocation b = fifty_thirty_twenty();
  ASSERT_TRUE(b.on_fill(F("E1", "600", "10")));
  ASSERT_TRUE(b.on_fill(F("E2", "400", "11")));
  ASSERT_TRUE(b.finalize());
  ASSERT_TRUE(b.accept());
  EXPECT_EQ(b.status(), AllocationStatus::Accepted);
  ASSERT_TRUE(b.bust(ExecID{"E2"}));
  EXPECT_EQ(b.status(), AllocationStatus::Final);
  const FinalAllocation& fin = *b.final_allocation();
  EXPECT_EQ(fin.version, 2U);
  EXPECT_EQ(fin.quantity, Q("600"));
  EXPECT_EQ(fin.avg_px, P("10"));
  EXPECT_EQ(fin.accounts[0].quantity, Q("300"));
  EXPECT_EQ(fin.gross, M("6000"));
}

TEST(BlockAllocation, AmendmentBeforeAcceptance) {
  BlockAllocation b = fifty_thirty_twenty();
  ASSERT_TRUE(b.on_fill(F("E1", "1000", "12.345678")));
  EXPECT_EQ(b.amend(std::vector<AllocationSlice>{S("FUND-A", "1000")}).error().code, Errc::conflict);  // not final
  ASSERT_TRUE(b.finalize(Charges{M("10.00"), Money{}}));
  // Block gross 12,345.678 -> 12,345.68.
  const std::vector<AllocationSlice> moved{S("FUND-A", "700"), S("FUND-C", "300")};
  auto am = b.amend(moved);
  ASSERT_TRUE(am) << am.error().message;
  EXPECT_TRUE(am->amended);
  EXPECT_EQ(am->version, 2U);
  ASSERT_EQ(am->accounts.size(), 2U);  // B's zero drops out
  EXPECT_EQ(am->accounts[0].gross, M("8641.98"));  // 1,234,568 x 0.7 = 864,197.6
  EXPECT_EQ(am->accounts[1].gross, M("3703.70"));  // 1,234,568 x 0.3 = 370,370.4
  EXPECT_EQ(am->accounts[0].commission, M("7.00"));
  EXPECT_EQ(am->accounts[1].commission, M("3.00"));
  EXPECT_EQ(b.amend(std::vector<AllocationSlice>{S("FUND-A", "999")}).error().code, Errc::invalid_argument);
  EXPECT_EQ(b.amend(std::vector<AllocationSlice>{S("FUND-Z", "1000")}).error().code, Errc::not_found);
  EXPECT_EQ(b.amend(std::vector<AllocationSlice>{S("FUND-A", "500"), S("FUND-A", "500")}).error().code,
            Errc::duplicate);
  ASSERT_TRUE(b.accept());
  EXPECT_EQ(b.amend(moved).error().code, Errc::conflict);
}

TEST(BlockAllocation, RejectsBadInput) {
  EXPECT_EQ(BlockAllocation::create({}, Q("1")).error().code, Errc::invalid_argument);
  EXPECT_EQ(BlockAllocation::create({S("A", "1"), S("A", "2")}, Q("1")).error().code, Errc::duplicate);
  EXPECT_EQ(BlockAllocation::create({S("A", "0")}, Q("1")).error().code, Errc::invalid_argument);
  EXPECT_EQ(BlockAllocation::create({S("A", "1")}, Q("0")).error().code, Errc::invalid_argument);
  BlockAllocation b = fifty_thirty_twenty();
  EXPECT_EQ(b.finalize().error().code, Errc::conflict);  // nothing filled
  EXPECT_EQ(b.on_fill(F("E1", "0", "1")).error().code, Errc::invalid_argument);
  EXPECT_EQ(b.on_fill(F("E1", "1", "0")).error().code, Errc::invalid_argument);
  ASSERT_TRUE(b.on_fill(F("E1", "900", "1")));
  EXPECT_EQ(b.on_fill(F("E1", "1", "1")).error().code, Errc::duplicate);
  EXPECT_EQ(b.on_fill(F("E2", "101", "1")).error().code, Errc::conflict);  // overfill: nothing allocated
  EXPECT_EQ(b.cum_qty(), Q("900"));
}

TEST(BlockAllocation, FractionalFillsAllocateAtQuantityResolution) {
  auto b = BlockAllocation::create({S("A", "2"), S("B", "1"), S("C", "1")}, Q("1"));
  ASSERT_TRUE(b);
  ASSERT_TRUE(b->on_fill(F("E1", "1.5", "100")));
  EXPECT_EQ(allocated(*b), (Strs{"0.75", "0.375", "0.375"}));
  ASSERT_TRUE(b->on_fill(F("E2", "0.0001", "100")));  // one raw unit: A has the largest shortfall
  EXPECT_EQ(allocated(*b), (Strs{"0.7501", "0.375", "0.375"}));
  // Whole fills stay whole once everything is whole.
  auto w = BlockAllocation::create({S("A", "2"), S("B", "1")}, Q("1"));
  ASSERT_TRUE(w->on_fill(F("E1", "1", "100")));
  EXPECT_EQ(allocated(*w), (Strs{"1", "0"}));
}

}  // namespace
}  // namespace oms::allocation
