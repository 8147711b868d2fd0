// Worked examples: the order lives a realistic life and every number is checked exactly.
#include <gtest/gtest.h>

#include "book_test_util.hpp"

namespace oms::book {
namespace {
using namespace testing;

PartialFill pf(const char* id, std::int64_t shares, const char* price) {
  return PartialFill{xid(id), qty(shares), px(price), std::nullopt};
}
ReplaceRequest replace(const char* id, std::optional<Quantity> q, std::optional<Price> p) {
  return ReplaceRequest{cid(id), ReplaceSpec{q, p, std::nullopt, std::nullopt}};
}

TEST(Fills, PartialFillsKeepExactAvgPx) {
  OrderState s = run(fresh(), {AckNew{}, pf("T1", 30, "10.01")});
  EXPECT_EQ(s.status, OrdStatus::PartiallyFilled);
  EXPECT_EQ(s.leaves_qty, qty(70));
  s = run(s, {pf("T2", 30, "10.02")});
  EXPECT_EQ(s.avg_px(), px("10.015"));
  s = run(s, {Fill{xid("T3"), qty(40), px("10.04"), BrokerTotals{qty(100), qty(0), px("10.025")}}});
  EXPECT_EQ(s.status, OrdStatus::Filled);
  EXPECT_EQ(s.cum_qty, qty(100));
  EXPECT_EQ(s.leaves_qty, qty(0));
  EXPECT_EQ(s.avg_px(), px("10.025"));  // 1002.5 / 100
  EXPECT_FALSE(s.broken) << s.break_reason;
}

TEST(Fills, AvgPxRoundsOnceHalfToEven) {
  // 10.0000015 -> 10.000002 (1 is odd, rounds up); 10.0000005 -> 10.000000 (0 is even).
  EXPECT_EQ(run(fresh(), {pf("a", 1, "10.000001"), pf("b", 1, "10.000002")}).avg_px(), px("10.000002"));
  EXPECT_EQ(run(fresh(), {pf("a", 1, "10"), pf("b", 1, "10.000001")}).avg_px(), px("10"));
  // 30.000002 / 3 = 10.00000066.. -> 10.000001; the gross stays exact underneath.
  const OrderState s = run(fresh(), {pf("a", 1, "10"), pf("b", 2, "10.000001")});
  EXPECT_EQ(s.avg_px(), px("10.000001"));
  EXPECT_EQ(s.gross_raw, gross_raw(px("10"), qty(1)) + gross_raw(px("10.000001"), qty(2)));
  EXPECT_EQ(fresh().avg_px(), Price{});
}

TEST(Cancel, WithFillsInBetween) {
  OrderState s = run(fresh(), {AckNew{}, CancelRequest{cid("C2")}});
  EXPECT_EQ(s.status, OrdStatus::New);  // a request alone moves no OrdStatus
  EXPECT_EQ(s.pending_cl_ord_id, cid("C2"));
  EXPECT_TRUE(s.cancel_pending);
  s = run(s, {pf("T1", 20, "10")});
  EXPECT_EQ(s.status, OrdStatus::PartiallyFilled);
  s = run(s, {PendingAck{OrdStatus::PendingCancel}, pf("T2", 30, "10.1")});
  EXPECT_EQ(s.status, OrdStatus::PendingCancel);  // PendingCancel outranks PartiallyFilled
  EXPECT_EQ(s.leaves_qty, qty(50));
  s = run(s, {CancelAck{}});
  EXPECT_EQ(s.status, OrdStatus::Canceled);
  EXPECT_EQ(s.cum_qty, qty(50));
  EXPECT_EQ(s.leaves_qty, qty(0));
  EXPECT_EQ(s.avg_px(), px("10.06"));
  EXPECT_EQ(s.cl_ord_id, cid("C2"));
  EXPECT_EQ(s.chain, (std::vector<ClOrdID>{cid("O1"), cid("C2")}));
  EXPECT_FALSE(s.pending_cl_ord_id.has_value());
  EXPECT_FALSE(s.broken);
  // A late trade on the canceled order is real: recorded, and flagged.
  s = run(s, {pf("T3", 5, "10")});
  EXPECT_EQ(s.status, OrdStatus::Canceled);
  EXPECT_EQ(s.cum_qty, qty(55));
  EXPECT_TRUE(s.broken);
  EXPECT_NE(s.break_reason.find("Canceled"), std::string::npos) << s.break_reason;
}

TEST(Cancel, RejectedCancelRestoresTheTradeStatus) {
  OrderState s = run(fresh(), {AckNew{}, pf("T1", 20, "10"), CancelRequest{cid("C2")},
                               PendingAck{OrdStatus::PendingCancel}, pf("T2", 80, "10")});
  EXPECT_EQ(s.status, OrdStatus::PendingCancel);
  EXPECT_EQ(s.leaves_qty, qty(0));
  s = run(s, {CancelReject{"too late to cancel"}});
  EXPECT_EQ(s.status, OrdStatus::Filled);
  EXPECT_FALSE(s.cancel_pending);
  EXPECT_EQ(s.cl_ord_id, cid("O1"));
  EXPECT_EQ(s.chain.size(), 1u);
}

TEST(Cancel, UnsolicitedCancelFromTheBroker) {
  const OrderState s = run(fresh(), {AckNew{}, pf("T1", 20, "10"), CancelAck{}});
  EXPECT_EQ(s.status, OrdStatus::Canceled);
  EXPECT_EQ(s.cl_ord_id, cid("O1"));
}

TEST(Replace, QtyAndPriceWithFillsBeforeAndAfter) {
  OrderState s = run(fresh(), {AckNew{}, pf("T1", 30, "10")});
  s = run(s, {replace("R2", qty(200), px("10.5")), pf("T2", 20, "10")});
  EXPECT_EQ(s.order_qty, qty(100));  // nothing changes until the broker confirms
  EXPECT_EQ(s.limit_price, px("10"));
  EXPECT_EQ(s.status, OrdStatus::PartiallyFilled);
  s = run(s, {PendingAck{OrdStatus::PendingReplace}, ReplaceAck{}});
  EXPECT_EQ(s.status, OrdStatus::PartiallyFilled);
  EXPECT_EQ(s.order_qty, qty(200));
  EXPECT_EQ(s.limit_price, px("10.5"));
  EXPECT_EQ(s.cum_qty, qty(50));
  EXPECT_EQ(s.leaves_qty, qty(150));
  EXPECT_EQ(s.cl_ord_id, cid("R2"));
  EXPECT_EQ(s.chain, (std::vector<ClOrdID>{cid("O1"), cid("R2")}));
  EXPECT_FALSE(s.pending_replace.has_value());
  s = run(s, {Fill{xid("T3"), qty(150), px("10.5"), BrokerTotals{qty(200), qty(0), px("10.375")}}});
  EXPECT_EQ(s.status, OrdStatus::Filled);
  EXPECT_EQ(s.avg_px(), px("10.375"));  // (300 + 200 + 1575) / 200
  EXPECT_FALSE(s.broken) << s.break_reason;
}

TEST(Replace, BrokerConfirmedQuantityWins) {
  const OrderState s = run(fresh(), {AckNew{}, replace("R2", qty(200), std::nullopt), ReplaceAck{qty(180), std::nullopt}});
  EXPECT_EQ(s.order_qty, qty(180));
  EXPECT_EQ(s.limit_price, px("10"));  // unchanged price carries over
  EXPECT_EQ(s.leaves_qty, qty(180));
}

TEST(Replace, BelowCumQtyIsRefusedAndRejectKeepsTheOldLink) {
  OrderState s = run(fresh(), {AckNew{}, pf("T1", 30, "10")});
  const OrderState before = s;
  EXPECT_EQ(book::apply(s, replace("R2", qty(20), std::nullopt)).error().code, Errc::illegal_transition);
  EXPECT_EQ(s, before);
  s = run(s, {replace("R2", qty(30), std::nullopt), PendingAck{OrdStatus::PendingReplace},
              ReplaceReject{"no"}});
  EXPECT_EQ(s.status, OrdStatus::PartiallyFilled);
  EXPECT_EQ(s.cl_ord_id, cid("O1"));
  EXPECT_EQ(s.order_qty, qty(100));
  // Reducing to exactly CumQty is allowed and completes the order.
  s = run(s, {replace("R3", qty(30), std::nullopt), ReplaceAck{}});
  EXPECT_EQ(s.status, OrdStatus::Filled);
  EXPECT_EQ(s.leaves_qty, qty(0));
}

TEST(Replace, LostAckSeenAsReplacedThenResolved) {
  OrderState s = run(fresh(), {AckNew{}, replace("R2", qty(150), std::nullopt),
                               StatusReport{OrdStatus::Replaced, BrokerTotals{qty(0), qty(0), Price{}}}});
  EXPECT_EQ(s.status, OrdStatus::Replaced);
  EXPECT_FALSE(s.is_live());
  s = run(s, {ReplaceAck{}});
  EXPECT_EQ(s.status, OrdStatus::New);
  EXPECT_EQ(s.cl_ord_id, cid("R2"));
  EXPECT_EQ(s.leaves_qty, qty(150));
}

TEST(Breaks, OverfillIsRecordedAndFlagged) {
  const OrderState s = run(fresh(), {AckNew{}, Fill{xid("T1"), qty(100), px("10"), std::nullopt}, pf("T2", 10, "10")});
  EXPECT_EQ(s.status, OrdStatus::Filled);
  EXPECT_EQ(s.cum_qty, qty(110));
  EXPECT_EQ(s.leaves_qty, qty(0));
  EXPECT_EQ(s.fills.size(), 2u);
  EXPECT_TRUE(s.broken);
  EXPECT_NE(s.break_reason.find("overfill"), std::string::npos) << s.break_reason;
}

TEST(Breaks, BrokerTotalsThatDisagreeAreFlagged) {
  // Broker says CumQty 50 after our 40.
  OrderState s = run(fresh(), {AckNew{}, PartialFill{xid("T1"), qty(40), px("10"), BrokerTotals{qty(50), qty(50), px("10")}}});
  EXPECT_EQ(s.cum_qty, qty(40));  // ours stays what the fills say
  EXPECT_TRUE(s.broken);
  EXPECT_NE(s.break_reason.find("CumQty"), std::string::npos) << s.break_reason;
  // Sticky: a later agreeing report does not clear it.
  s = run(s, {PartialFill{xid("T2"), qty(10), px("10"), BrokerTotals{qty(50), qty(50), px("10")}}});
  EXPECT_TRUE(s.broken);
}

TEST(Breaks, AvgPxAgreesWithinOneUnitOfTheFourthDecimal) {
  const auto three_fills = [](const char* broker_avg) {
    return run(fresh(), {AckNew{}, pf("T1", 1, "10"), pf("T2", 1, "10"),
                         PartialFill{xid("T3"), qty(1), px("11"), BrokerTotals{qty(3), qty(97), px(broker_avg)}}});
  };
  EXPECT_FALSE(three_fills("10.3333").broken);    // ours is 10.333333
  EXPECT_FALSE(three_fills("10.333333").broken);
  EXPECT_TRUE(three_fills("10.334").broken);
  EXPECT_TRUE(three_fills("10.3332").broken);     // 0.000133 away
  EXPECT_FALSE(three_fills("10.3334").broken);    // 0.000067 away
}

TEST(Breaks, FillClaimingCompletionEarlyAndLeavesMismatch) {
  OrderState s = run(fresh(), {AckNew{}, Fill{xid("T1"), qty(60), px("10"), std::nullopt}});
  EXPECT_EQ(s.status, OrdStatus::PartiallyFilled);  // our exact CumQty decides the status
  EXPECT_TRUE(s.broken);
  s = run(fresh(), {AckNew{}, PartialFill{xid("T1"), qty(60), px("10"), BrokerTotals{qty(60), qty(30), px("10")}}});
  EXPECT_TRUE(s.broken);
  EXPECT_NE(s.break_reason.find("LeavesQty"), std::string::npos) << s.break_reason;
}

TEST(Breaks, StatusReportComparesButNeverTouchesFills) {
  OrderState s = run(fresh(), {AckNew{}, pf("T1", 40, "10")});
  s = run(s, {StatusReport{OrdStatus::PartiallyFilled, BrokerTotals{qty(40), qty(60), px("10")}}});
  EXPECT_FALSE(s.broken);
  const auto fills = s.fills;
  s = run(s, {StatusReport{OrdStatus::Filled, BrokerTotals{qty(100), qty(0), px("10")}}});
  EXPECT_EQ(s.status, OrdStatus::Filled);
  EXPECT_EQ(s.fills, fills);
  EXPECT_EQ(s.cum_qty, qty(40));
  EXPECT_TRUE(s.broken);
}

TEST(TradeBust, CancelAndCorrect) {
  OrderState s = run(fresh(), {AckNew{}, pf("T1", 60, "10"), Fill{xid("T2"), qty(40), px("11"), std::nullopt}});
  EXPECT_EQ(s.status, OrdStatus::Filled);
  EXPECT_EQ(s.avg_px(), px("10.4"));
  s = run(s, {TradeCancel{xid("T2")}});
  EXPECT_EQ(s.status, OrdStatus::PartiallyFilled);
  EXPECT_EQ(s.cum_qty, qty(60));
  EXPECT_EQ(s.leaves_qty, qty(40));
  EXPECT_EQ(s.avg_px(), px("10"));
  EXPECT_TRUE(s.fills[1].busted);
  s = run(s, {TradeCorrect{xid("T1"), xid("T1c"), qty(50), px("10.2")}});
  EXPECT_EQ(s.cum_qty, qty(50));
  EXPECT_EQ(s.avg_px(), px("10.2"));
  EXPECT_EQ(s.gross_raw, gross_raw(px("10.2"), qty(50)));
  ASSERT_EQ(s.fills.size(), 3u);
  EXPECT_TRUE(s.fills[0].busted);
  EXPECT_EQ(s.fills[2], (FillRecord{xid("T1c"), qty(50), px("10.2"), false}));
  s = run(s, {TradeCancel{xid("T1c")}});
  EXPECT_EQ(s.status, OrdStatus::New);
  EXPECT_EQ(s.avg_px(), Price{});
  EXPECT_FALSE(s.broken);

  const OrderState before = s;
  EXPECT_EQ(book::apply(s, TradeCancel{xid("T2")}).error().code, Errc::illegal_transition);     // already busted
  EXPECT_EQ(book::apply(s, TradeCancel{xid("nope")}).error().code, Errc::illegal_transition);   // unknown
  EXPECT_EQ(book::apply(s, TradeCorrect{xid("T1"), xid("T9"), qty(1), px("1")}).error().code, Errc::illegal_transition);
  EXPECT_EQ(s, before);
}

TEST(Restatement, ChangesQuantityAndRecomputes) {
  OrderState s = run(fresh(), {AckNew{}, pf("T1", 40, "10")});
  s = run(s, {Restate{qty(80), px("9.5"), "venue"}});
  EXPECT_EQ(s.status, OrdStatus::PartiallyFilled);
  EXPECT_EQ(s.leaves_qty, qty(40));
  EXPECT_EQ(s.limit_price, px("9.5"));
  s = run(s, {Restate{qty(40), std::nullopt, "venue"}});
  EXPECT_EQ(s.status, OrdStatus::Filled);
  EXPECT_EQ(s.leaves_qty, qty(0));
  EXPECT_FALSE(s.broken);
  s = run(s, {Restate{qty(30), std::nullopt, "venue"}});
  EXPECT_EQ(s.status, OrdStatus::Filled);
  EXPECT_TRUE(s.broken);  // CumQty 40 > OrderQty 30
}

TEST(DoneForDay, AMultiDayOrderResumesWhenItTrades) {
  OrderState s = run(fresh(), {AckNew{}, pf("T1", 40, "10"), DoneForDay{}});
  EXPECT_EQ(s.leaves_qty, qty(0));
  s = run(s, {pf("T2", 10, "10")});
  EXPECT_EQ(s.status, OrdStatus::PartiallyFilled);
  EXPECT_EQ(s.leaves_qty, qty(50));
  EXPECT_FALSE(s.broken);
}

TEST(Malformed, RefusedWithTheRightCodeAndNothingChanges) {
  OrderState s = run(fresh(), {AckNew{}, pf("T1", 10, "10")});
  const OrderState before = s;
  EXPECT_EQ(book::apply(s, PartialFill{xid("T2"), qty(0), px("10"), std::nullopt}).error().code, Errc::invalid_argument);
  EXPECT_EQ(book::apply(s, PartialFill{xid("T2"), qty(-1), px("10"), std::nullopt}).error().code, Errc::invalid_argument);
  EXPECT_EQ(book::apply(s, Fill{xid("T2"), qty(1), px("-0.01"), std::nullopt}).error().code, Errc::invalid_argument);
  EXPECT_EQ(book::apply(s, Fill{xid(""), qty(1), px("1"), std::nullopt}).error().code, Errc::invalid_argument);
  EXPECT_EQ(book::apply(s, PartialFill{xid("T1"), qty(1), px("10"), std::nullopt}).error().code, Errc::duplicate);
  EXPECT_EQ(book::apply(s, CancelRequest{cid("O1")}).error().code, Errc::duplicate);
  EXPECT_EQ(book::apply(s, CancelRequest{cid("")}).error().code, Errc::invalid_argument);
  EXPECT_EQ(book::apply(s, replace("R2", std::nullopt, std::nullopt)).error().code, Errc::invalid_argument);
  EXPECT_EQ(book::apply(s, replace("R2", qty(0), std::nullopt)).error().code, Errc::invalid_argument);
  EXPECT_EQ(book::apply(s, ReplaceAck{}).error().code, Errc::illegal_transition);
  EXPECT_EQ(book::apply(s, PendingAck{OrdStatus::Filled}).error().code, Errc::invalid_argument);
  EXPECT_EQ(book::apply(s, Restate{qty(0), std::nullopt, ""}).error().code, Errc::invalid_argument);
  EXPECT_EQ(book::apply(s, PartialFill{xid("T2"), Quantity::from_raw(INT64_MAX), px("1"), std::nullopt}).error().code,
            Errc::overflow);
  EXPECT_EQ(s, before);
}

TEST(Malformed, BrokerAckOfAReplaceWithABadQuantityChangesNothing) {
  OrderState s = run(fresh(), {AckNew{}, replace("R2", qty(200), px("11"))});
  const OrderState before = s;
  EXPECT_EQ(book::apply(s, ReplaceAck{qty(0), px("12")}).error().code, Errc::invalid_argument);
  EXPECT_EQ(book::apply(s, ReplaceAck{qty(150), px("-12")}).error().code, Errc::invalid_argument);
  EXPECT_EQ(s, before);
}

TEST(Requests, OneInFlightAtATimeAndCheckIsADryRun) {
  OrderState s = run(fresh(), {AckNew{}, CancelRequest{cid("C2")}});
  EXPECT_EQ(check(s, replace("R3", qty(50), std::nullopt)).error().code, Errc::illegal_transition);
  EXPECT_EQ(check(s, CancelRequest{cid("C3")}).error().code, Errc::illegal_transition);
  EXPECT_EQ(check(s, CancelRequest{cid("C2")}).error().code, Errc::duplicate);
  const OrderState before = s;
  EXPECT_TRUE(check(s, CancelAck{}).ok());
  EXPECT_EQ(s, before);
}

}  // namespace
}  // namespace oms::book
