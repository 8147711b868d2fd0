#pragma once
// The records of the append-only event log: the source of truth from which the engine's state, and the
// store's derived tables (orders, executions, positions), are rebuilt.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "oms/allocation/block_allocation.hpp"
#include "oms/book/order_state.hpp"
#include "oms/core/clock.hpp"
#include "oms/core/fixed.hpp"
#include "oms/core/ids.hpp"
#include "oms/domain/enums.hpp"
#include "oms/domain/order.hpp"

namespace oms::engine {

// A PM's order entered the OMS (workflow PendingCompliance, OrdStatus PendingNew).
struct OrderAccepted {
  ClOrdID cl_ord_id;
  OrderSpec spec;
  friend bool operator==(const OrderAccepted&, const OrderAccepted&) = default;
};

// The OMS's own workflow moved (compliance passed/held/rejected, routed, not routed).
struct WorkflowChanged {
  Workflow workflow{Workflow::Working};
  std::string reason;
  friend bool operator==(const WorkflowChanged&, const WorkflowChanged&) = default;
};

// An OMS-side request applied to the book (CancelRequest, ReplaceRequest).
struct OrderRequest {
  book::OrderEvent event;
  friend bool operator==(const OrderRequest&, const OrderRequest&) = default;
};

// A broker report applied to the book. `event` is what the engine derived from `report`; replay
// applies `event` and never re-derives it. (session, trading_day, exec_id) is unique for trades.
struct ExecutionApplied {
  ExecutionReport report;
  book::OrderEvent event;
  friend bool operator==(const ExecutionApplied&, const ExecutionApplied&) = default;
};

// A per-account change to a position and cash caused by a fill (or its reversal).
struct PositionChanged {
  AccountId account;
  Symbol symbol;
  Quantity quantity_delta;
  Money cost_delta;  // signed: quantity_delta x price
  Money cash_delta;  // signed: -cost_delta - fees
  friend bool operator==(const PositionChanged&, const PositionChanged&) = default;
};

// Something an operator must look at (break, overfill, DK, rejected message).
struct Alert {
  std::string kind;  // "break", "overfill", "dk", "session_reject", ...
  std::string message;
  friend bool operator==(const Alert&, const Alert&) = default;
};

// The pre-trade compliance check of an order (or of what a replace would make it). rule_book_version "none"
// means no rule book was configured and nothing was evaluated. order_price is the price its pending quantity
// is valued at (the limit price, or the reference price for a market order). results_json: the evaluation as
// compliance::to_json produced it, for the audit trail.
struct ComplianceChecked {
  std::string rule_book_version;
  std::string decision;  // accepted | warn | held | rejected
  Price order_price;
  bool warnings_acknowledged{false};
  std::string results_json;
  friend bool operator==(const ComplianceChecked&, const ComplianceChecked&) = default;
};

// A compliance officer's decision on an order held for approval.
struct ApprovalDecided {
  bool approved{false};
  std::string reason;
  friend bool operator==(const ApprovalDecided&, const ApprovalDecided&) = default;
};

// The final allocation of a block order, as it goes to the broker in an AllocationInstruction (J): fixed when
// the order completes (filled, or done for day / canceled after a partial fill), or a replacement of an earlier
// one (ref_alloc_id set) after a PM's amendment or a trade bust. Replay re-applies an amendment; the unamended
// allocation is derived from the fills and recorded here for the audit trail and the allocations table.
struct AllocationFixed {
  std::string alloc_id;      // AllocID (70)
  std::string ref_alloc_id;  // RefAllocID (72): the allocation this one replaces; empty for a new one
  std::string reason;        // "order Filled", "amended by alice; compliance ...", "trade bust", ...
  allocation::FinalAllocation allocation;  // version, quantity, AvgPx, money and the line of each account
  friend bool operator==(const AllocationFixed&, const AllocationFixed&) = default;
};

// The life of an allocation at the broker: sent / not_sent (by the gateway), then from the broker's
// AllocationInstructionAck (P): received (AllocStatus 3), accepted (0) or rejected (1, 2) with AllocRejCode.
struct AllocationStatusChanged {
  std::string alloc_id;
  std::string status;  // sent | not_sent | received | accepted | rejected
  std::string rej_code;
  std::string text;
  friend bool operator==(const AllocationStatusChanged&, const AllocationStatusChanged&) = default;
};

// One file of a rule book version: its path relative to the rule book directory and the FNV-1a hash of its bytes
// ("fnv1a64:<16 hex>") as read right after the load.
struct RuleBookFile {
  std::string name;
  std::string hash;
  friend bool operator==(const RuleBookFile&, const RuleBookFile&) = default;
};

// A rule book version taken into force (at startup or by a reload), recorded once per content hash: a reload or a
// restart that finds the version in force unchanged records nothing. A failed load is an Alert ("rule_book").
struct RuleBookLoaded {
  std::string version;  // the rule book's content hash, as compliance::RuleBook::version() reports it
  std::string directory;
  std::uint64_t rule_count{0};
  std::vector<RuleBookFile> files;
  std::string loaded_by;         // "startup", "file change" or the API user
  std::string previous_version;  // the version recorded before this one; empty for the first
  friend bool operator==(const RuleBookLoaded&, const RuleBookLoaded&) = default;
};

// Append new alternatives at the end only: stored events name their type, but keep the order stable anyway.
using EventPayload = std::variant<OrderAccepted, WorkflowChanged, OrderRequest, ExecutionApplied, PositionChanged, Alert,
                                  ComplianceChecked, ApprovalDecided, AllocationFixed, AllocationStatusChanged,
                                  RuleBookLoaded>;

struct EventRecord {
  std::uint64_t seq{0};  // assigned by the store on append: 1, 2, 3, ... without gaps
  Timestamp time{};
  UserId actor;          // a user, "broker:<session>" or "system"
  OrderId order_id;      // 0 when the event concerns no order
  EventPayload payload;
  friend bool operator==(const EventRecord&, const EventRecord&) = default;
};

std::string_view payload_name(const EventPayload& p);

}  // namespace oms::engine
