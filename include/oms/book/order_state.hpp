#pragma once
// The order state machine with FIX 4.4 semantics. Pure: no I/O, no clock reads, no threads.
//
// One OrderState is one OMS order, which may span a chain of ClOrdIDs (cancel/replace). OrdStatus is
// moved only by broker events; requests from the OMS side (CancelRequest, ReplaceRequest) only record
// what is in flight. apply() either applies the event completely or returns an error and leaves the
// state untouched (illegal transitions are values, never crashes).
//
// Quantities are exact: CumQty + LeavesQty == OrderQty while the order is live; AvgPx is derived from
// the exact sum of LastPx x LastQty (gross) and rounded only when read.
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "oms/core/clock.hpp"
#include "oms/core/fixed.hpp"
#include "oms/core/ids.hpp"
#include "oms/core/result.hpp"
#include "oms/domain/enums.hpp"
#include "oms/domain/order.hpp"

namespace oms::book {

// The broker's view carried by a report; when present it is authoritative and a disagreement with our
// own sums is a break (recorded, flagged, never silently "fixed").
struct BrokerTotals {
  Quantity cum_qty;
  Quantity leaves_qty;
  Price avg_px;
  friend bool operator==(const BrokerTotals&, const BrokerTotals&) = default;
};

// ---- events -----------------------------------------------------------------------------------
// Every event compares by value (the engine's log records them and replay tests compare them).
#define OMS_BOOK_EQ(T) friend bool operator==(const T&, const T&) = default
struct AckNew { OMS_BOOK_EQ(AckNew); };             // ExecType New: the broker accepted the order
struct Reject {                                     // ExecType Rejected of the new order
  std::string reason;
  OMS_BOOK_EQ(Reject);
};
struct PartialFill {                                // a trade that does not claim to complete the order
  ExecID exec_id; Quantity last_qty; Price last_px; std::optional<BrokerTotals> broker;
  OMS_BOOK_EQ(PartialFill);
};
struct Fill {                                       // a trade the broker says completes the order
  ExecID exec_id; Quantity last_qty; Price last_px; std::optional<BrokerTotals> broker;
  OMS_BOOK_EQ(Fill);
};
struct CancelRequest {                              // OMS sent OrderCancelRequest with this ClOrdID
  ClOrdID cl_ord_id;
  OMS_BOOK_EQ(CancelRequest);
};
struct CancelAck { OMS_BOOK_EQ(CancelAck); };       // ExecType Canceled
struct CancelReject {                               // OrderCancelReject for a cancel
  std::string reason;
  OMS_BOOK_EQ(CancelReject);
};
struct ReplaceRequest {
  ClOrdID cl_ord_id; ReplaceSpec spec;
  OMS_BOOK_EQ(ReplaceRequest);
};
struct ReplaceAck {                                 // ExecType Replaced: the new link becomes current
  std::optional<Quantity> order_qty;                // as the broker confirmed it (else the requested one)
  std::optional<Price> limit_price;
  OMS_BOOK_EQ(ReplaceAck);
};
struct ReplaceReject {                              // OrderCancelReject for a replace
  std::string reason;
  OMS_BOOK_EQ(ReplaceReject);
};
struct PendingAck {                                 // ExecType PendingNew / PendingCancel / PendingReplace
  OrdStatus status;
  OMS_BOOK_EQ(PendingAck);
};
struct Expire { OMS_BOOK_EQ(Expire); };
struct DoneForDay { OMS_BOOK_EQ(DoneForDay); };
struct Restate {
  std::optional<Quantity> order_qty; std::optional<Price> limit_price; std::string reason;
  OMS_BOOK_EQ(Restate);
};
struct TradeCancel {                                // bust: the referenced fill no longer counts
  ExecID ref_exec_id;
  OMS_BOOK_EQ(TradeCancel);
};
struct TradeCorrect {
  ExecID ref_exec_id; ExecID exec_id; Quantity last_qty; Price last_px;
  OMS_BOOK_EQ(TradeCorrect);
};
struct StatusReport {                               // ExecType OrderStatus (I)
  OrdStatus status; BrokerTotals broker;
  OMS_BOOK_EQ(StatusReport);
};
#undef OMS_BOOK_EQ

using OrderEvent = std::variant<AckNew, Reject, PartialFill, Fill, CancelRequest, CancelAck, CancelReject,
                                ReplaceRequest, ReplaceAck, ReplaceReject, PendingAck, Expire, DoneForDay,
                                Restate, TradeCancel, TradeCorrect, StatusReport>;

std::string_view event_name(const OrderEvent& e);

// ---- state ------------------------------------------------------------------------------------
struct FillRecord {
  ExecID exec_id;
  Quantity qty;
  Price px;
  bool busted{false};  // removed by TradeCancel, or superseded by TradeCorrect
  friend bool operator==(const FillRecord&, const FillRecord&) = default;
};

struct OrderState {
  OrdStatus status{OrdStatus::PendingNew};
  Quantity order_qty;
  std::optional<Price> limit_price;
  ClOrdID cl_ord_id;                          // current link of the chain
  std::vector<ClOrdID> chain;                 // every ClOrdID this order has had, oldest first
  std::optional<ClOrdID> pending_cl_ord_id;   // cancel or replace in flight
  std::optional<ReplaceSpec> pending_replace; // set while a replace is in flight
  bool cancel_pending{false};
  Quantity cum_qty;
  Quantity leaves_qty;
  __int128 gross_raw{0};  // exact sum of qty x px over live fills, scale Price+Quantity
  std::vector<FillRecord> fills;
  bool broken{false};        // our sums disagree with the broker's, or an overfill
  std::string break_reason;

  // Starts an order of `qty` at PendingNew with its first ClOrdID.
  static OrderState create(ClOrdID cl_ord_id, Quantity qty, std::optional<Price> limit_price);

  Price avg_px() const;  // zero when nothing is filled
  bool is_live() const;  // not terminal
  friend bool operator==(const OrderState&, const OrderState&) = default;
};

// Applies `event`. On error the state is unchanged and the error code is Errc::illegal_transition
// (or invalid_argument for a malformed event such as a non-positive fill quantity; duplicate for a
// reused ExecID or ClOrdID; overflow if a sum would leave the fixed-point range).
// The transition rules are tabled in src/book/order_state.cpp and tested cell by cell in
// tests/unit/book/transition_table_test.cpp.
// Call it qualified (book::apply): with a std::variant argument, ADL also finds std::apply.
Status apply(OrderState& state, const OrderEvent& event);

// Whether `event` would apply, without changing `state` (e.g. before sending a cancel).
Status check(const OrderState& state, const OrderEvent& event);

// A broker AvgPx within this distance (one unit in the fourth decimal) of our exact average agrees:
// brokers commonly send AvgPx at four decimals, ours is exact to six. CumQty must agree exactly, and
// LeavesQty too while the order is live (FIX lets a closed order report zero or the remainder).
inline constexpr Price kAvgPxTolerance = Price::from_raw(100);

// Not Filled, Canceled, Rejected, Expired or Replaced: cancel/replace requests are accepted (a
// DoneForDay order may still resume on a later trading day, so it can be canceled or amended).
bool is_open(OrdStatus s);

}  // namespace oms::book
