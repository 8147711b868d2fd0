#pragma once
// An order as a portfolio manager asked for it, and an execution as the broker reported it. Plain values.
#include <optional>
#include <string>
#include <vector>

#include "oms/core/clock.hpp"
#include "oms/core/fixed.hpp"
#include "oms/core/ids.hpp"
#include "oms/domain/enums.hpp"

namespace oms {

// One fund's share of a block order.
struct AllocationSlice {
  AccountId account;
  Quantity quantity;
  friend bool operator==(const AllocationSlice&, const AllocationSlice&) = default;
};

struct OrderSpec {
  AccountId account;                        // single-fund order; empty for a block
  std::vector<AllocationSlice> allocations; // block: the pre-trade split (sums to quantity)
  Symbol symbol;
  Side side{Side::Buy};
  OrdType ord_type{OrdType::Limit};
  Quantity quantity;
  std::optional<Price> limit_price;  // Limit and StopLimit only
  std::optional<Price> stop_price;   // Stop and StopLimit only
  TimeInForce tif{TimeInForce::Day};
  std::optional<Timestamp> expire_time;  // GTD only
  std::string settlement_date;           // YYYYMMDD, empty for regular settlement
  BrokerId broker;                       // empty: the configured default
  UserId decided_by;                     // the PM whose decision this is
  UserId entered_by;                     // who keyed it
  std::string note;

  friend bool operator==(const OrderSpec&, const OrderSpec&) = default;
  bool is_block() const { return !allocations.empty(); }
};

// What may change on a cancel/replace.
struct ReplaceSpec {
  std::optional<Quantity> quantity;
  std::optional<Price> limit_price;
  std::optional<Price> stop_price;
  std::optional<TimeInForce> tif;
  friend bool operator==(const ReplaceSpec&, const ReplaceSpec&) = default;
};

enum class ExecType : char {
  New = '0',
  PartialFill = '1',  // FIX 4.2
  Fill = '2',         // FIX 4.2
  DoneForDay = '3',
  Canceled = '4',
  Replaced = '5',
  PendingCancel = '6',
  Rejected = '8',
  PendingNew = 'A',
  Expired = 'C',
  Restated = 'D',
  PendingReplace = 'E',
  Trade = 'F',
  TradeCorrect = 'G',
  TradeCancel = 'H',
  OrderStatus = 'I',
};

// An execution report normalised from FIX 4.2 or 4.4 (the fix adapter maps ExecTransType into ExecType).
struct ExecutionReport {
  BrokerId session;
  ExecID exec_id;
  ExecID ref_exec_id;       // the trade a TradeCancel/TradeCorrect refers to
  ClOrdID cl_ord_id;
  ClOrdID orig_cl_ord_id;
  std::string broker_order_id;  // OrderID (37)
  Symbol symbol;                // as the broker reported it (needed to answer with a DK)
  Side side{Side::Buy};
  ExecType exec_type{ExecType::New};
  OrdStatus ord_status{OrdStatus::New};
  Quantity last_qty;
  Price last_px;
  Quantity cum_qty;
  Quantity leaves_qty;
  Price avg_px;
  std::optional<Quantity> order_qty;  // restated or replaced quantity
  std::optional<Price> limit_price;
  Money commission;
  std::string text;
  bool poss_dup{false};
  Timestamp transact_time{};
  std::string trading_day;  // YYYYMMDD scope of ExecID

  friend bool operator==(const ExecutionReport&, const ExecutionReport&) = default;
};

}  // namespace oms
