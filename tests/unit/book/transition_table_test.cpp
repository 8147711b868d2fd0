// Every (OrdStatus, event) pair against an explicit table. Each row's state is reached by legal events
// from a 100-share order at 10.00; the states that can carry a fill do (T1: 40 shares, or 100 when
// Filled), so a cell also shows how fills and in-flight requests are treated.
#include <gtest/gtest.h>

#include <array>
#include <string>

#include "book_test_util.hpp"

namespace oms::book {
namespace {
using namespace testing;

// Legend: PN PendingNew, N New, PF PartiallyFilled, F Filled, PC PendingCancel, C Canceled,
// PR PendingReplace, R Replaced, RJ Rejected, E Expired, DFD DoneForDay; "x" refused with
// illegal_transition (state untouched); a trailing "!" means the order is flagged as a break.
constexpr int kRows = 11;
constexpr int kCols = 19;
// clang-format off
constexpr std::array<const char*, kCols> kColumns = {
    "AckNew", "Reject", "PartialFill", "Fill", "CancelRequest", "CancelAck", "CancelReject", "ReplaceRequest",
    "ReplaceAck", "ReplaceReject", "PendingAck(PN)", "PendingAck(PC)", "PendingAck(PR)", "Expire", "DoneForDay",
    "Restate", "TradeCancel", "TradeCorrect", "StatusReport"};
constexpr const char* kTable[kRows][kCols] = {
//         AckNew Reject PFill  Fill   CxlReq CxlAck CxlRej RplReq RplAck RplRej PA(PN) PA(PC) PA(PR) Expire DFD    Restate TrdCxl TrdCor StatRpt
/* PN  */ {"N",   "RJ",  "PF",  "F",   "PN",  "C",   "x",   "PN",  "x",   "x",   "PN",  "PC",  "PR",  "E",   "DFD", "PN",   "x",   "x",   "E"},
/* N   */ {"x",   "RJ",  "PF",  "F",   "N",   "C",   "x",   "N",   "x",   "x",   "x",   "PC",  "PR",  "E",   "DFD", "N",    "x",   "x",   "E"},
/* PF  */ {"x",   "x",   "PF",  "F",   "PF",  "C",   "x",   "PF",  "x",   "x",   "x",   "PC",  "PR",  "E",   "DFD", "PF",   "N",   "PF",  "E"},
/* F   */ {"x",   "x",   "F!",  "F!",  "x",   "x",   "x",   "x",   "x",   "x",   "x",   "x",   "x",   "x",   "x",   "PF",   "N",   "PF",  "E"},
/* PC  */ {"x",   "x",   "PC",  "PC",  "x",   "C",   "PF",  "x",   "x",   "x",   "x",   "PC",  "PR",  "E",   "DFD", "PC",   "PC",  "PC",  "E"},
/* C   */ {"x",   "x",   "C!",  "C!",  "x",   "x",   "x",   "x",   "x",   "x",   "x",   "x",   "x",   "x",   "x",   "x",    "C",   "C",   "E"},
/* PR  */ {"x",   "x",   "PR",  "PR",  "x",   "C",   "x",   "x",   "PF",  "PF",  "x",   "PC",  "PR",  "E",   "DFD", "PR",   "PR",  "PR",  "E"},
/* R   */ {"x",   "x",   "R!",  "R!",  "x",   "x",   "x",   "x",   "PF",  "PF",  "x",   "x",   "x",   "x",   "x",   "x",    "R",   "R",   "E"},
/* RJ  */ {"x",   "x",   "RJ!", "RJ!", "x",   "x",   "x",   "x",   "x",   "x",   "x",   "x",   "x",   "x",   "x",   "x",    "x",   "x",   "E"},
/* E   */ {"x",   "x",   "E!",  "E!",  "x",   "x",   "x",   "x",   "x",   "x",   "x",   "x",   "x",   "x",   "x",   "x",    "E",   "E",   "E"},
/* DFD */ {"x",   "x",   "PF",  "PF!", "DFD", "C",   "x",   "DFD", "x",   "x",   "x",   "PC",  "PR",  "E",   "DFD", "DFD",  "DFD", "DFD", "E"},
};
// clang-format on

const char* code(OrdStatus s) {
  switch (s) {
    case OrdStatus::PendingNew: return "PN";
    case OrdStatus::New: return "N";
    case OrdStatus::PartiallyFilled: return "PF";
    case OrdStatus::Filled: return "F";
    case OrdStatus::PendingCancel: return "PC";
    case OrdStatus::Canceled: return "C";
    case OrdStatus::PendingReplace: return "PR";
    case OrdStatus::Replaced: return "R";
    case OrdStatus::Rejected: return "RJ";
    case OrdStatus::Expired: return "E";
    case OrdStatus::DoneForDay: return "DFD";
  }
  return "?";
}

PartialFill t1(int shares) { return PartialFill{xid("T1"), qty(shares), px("10"), std::nullopt}; }
ReplaceRequest replace_to_200() { return ReplaceRequest{cid("R2"), ReplaceSpec{qty(200), std::nullopt, std::nullopt, std::nullopt}}; }

// Row r's state, reached by legal events only.
OrderState build_row(int r) {
  const OrderState pn = fresh();
  const OrderState n = run(pn, {AckNew{}});
  switch (r) {
    case 0: return pn;
    case 1: return n;
    case 2: return run(n, {t1(40)});
    case 3: return run(n, {Fill{xid("T1"), qty(100), px("10"), std::nullopt}});
    case 4: return run(n, {t1(40), CancelRequest{cid("C2")}, PendingAck{OrdStatus::PendingCancel}});
    case 5: return run(n, {t1(40), CancelRequest{cid("C2")}, CancelAck{}});
    case 6: return run(n, {t1(40), replace_to_200(), PendingAck{OrdStatus::PendingReplace}});
    case 7: return run(n, {t1(40), replace_to_200(),
                           StatusReport{OrdStatus::Replaced, BrokerTotals{qty(40), qty(0), px("10")}}});
    case 8: return run(pn, {Reject{"unknown symbol"}});
    case 9: return run(n, {t1(40), Expire{}});
    default: return run(n, {t1(40), DoneForDay{}});
  }
}

// Column c's event; Fill completes what is open (10 shares when nothing is), and StatusReport is the
// broker saying Expired with totals that agree with ours.
OrderEvent build_event(int c, const OrderState& s) {
  switch (c) {
    case 0: return AckNew{};
    case 1: return Reject{"venue reject"};
    case 2: return PartialFill{xid("T9"), qty(10), px("10"), std::nullopt};
    case 3: return Fill{xid("T9"), s.leaves_qty.is_positive() ? s.leaves_qty : qty(10), px("10"), std::nullopt};
    case 4: return CancelRequest{cid("C9")};
    case 5: return CancelAck{};
    case 6: return CancelReject{"too late to cancel"};
    case 7: return ReplaceRequest{cid("R9"), ReplaceSpec{qty(150), std::nullopt, std::nullopt, std::nullopt}};
    case 8: return ReplaceAck{};
    case 9: return ReplaceReject{"too late to replace"};
    case 10: return PendingAck{OrdStatus::PendingNew};
    case 11: return PendingAck{OrdStatus::PendingCancel};
    case 12: return PendingAck{OrdStatus::PendingReplace};
    case 13: return Expire{};
    case 14: return DoneForDay{};
    case 15: return Restate{qty(120), std::nullopt, "venue restated"};
    case 16: return TradeCancel{xid("T1")};
    case 17: return TradeCorrect{xid("T1"), xid("T1c"), qty(30), px("10")};
    default: return StatusReport{OrdStatus::Expired, BrokerTotals{s.cum_qty, qty(0), s.avg_px()}};
  }
}

TEST(TransitionTable, RowsAreTheStatesTheyName) {
  const std::array<OrdStatus, kRows> statuses = {
      OrdStatus::PendingNew, OrdStatus::New,      OrdStatus::PartiallyFilled, OrdStatus::Filled,
      OrdStatus::PendingCancel, OrdStatus::Canceled, OrdStatus::PendingReplace, OrdStatus::Replaced,
      OrdStatus::Rejected,   OrdStatus::Expired,  OrdStatus::DoneForDay};
  for (int r = 0; r < kRows; ++r) {
    const OrderState s = build_row(r);
    EXPECT_EQ(s.status, statuses[r]) << "row " << r;
    EXPECT_FALSE(s.broken) << "row " << r << ": " << s.break_reason;
  }
}

TEST(TransitionTable, EveryStateAgainstEveryEvent) {
  for (int r = 0; r < kRows; ++r) {
    const OrderState before = build_row(r);
    for (int c = 0; c < kCols; ++c) {
      const std::string expected = kTable[r][c];
      const std::string cell = std::string(code(before.status)) + " x " + kColumns[c];
      OrderState s = before;
      const Status st = book::apply(s, build_event(c, before));
      if (expected == "x") {
        ASSERT_FALSE(st.ok()) << cell << " should be refused, got " << code(s.status);
        EXPECT_EQ(st.error().code, Errc::illegal_transition) << cell << ": " << st.error().message;
        EXPECT_EQ(s, before) << cell << ": a refused event changed the state";
        continue;
      }
      ASSERT_TRUE(st.ok()) << cell << " should be legal: " << st.error().message;
      const bool want_break = expected.back() == '!';
      const std::string want_status = want_break ? expected.substr(0, expected.size() - 1) : expected;
      EXPECT_EQ(code(s.status), want_status) << cell;
      EXPECT_EQ(s.broken, want_break) << cell << ": " << s.break_reason;
    }
  }
}

TEST(TransitionTable, EventNamesCoverEveryAlternative) {
  const OrderState s = fresh();
  EXPECT_EQ(event_name(build_event(0, s)), "AckNew");
  EXPECT_EQ(event_name(build_event(3, s)), "Fill");
  EXPECT_EQ(event_name(build_event(12, s)), "PendingAck");
  EXPECT_EQ(event_name(build_event(18, s)), "StatusReport");
  EXPECT_EQ(std::variant_size_v<OrderEvent>, 17u);
  for (std::size_t i = 0; i < std::variant_size_v<OrderEvent>; ++i) {
    // Distinct, non-empty names for the 17 kinds (the table's three PendingAck columns share one).
    static const std::array<std::string_view, 17> names = {
        "AckNew", "Reject", "PartialFill", "Fill", "CancelRequest", "CancelAck", "CancelReject", "ReplaceRequest",
        "ReplaceAck", "ReplaceReject", "PendingAck", "Expire", "DoneForDay", "Restate", "TradeCancel",
        "TradeCorrect", "StatusReport"};
    const int column = i < 10 ? static_cast<int>(i) : static_cast<int>(i) + 2;
    EXPECT_EQ(event_name(build_event(column, s)), names[i]);
  }
}

}  // namespace
}  // namespace oms::book
