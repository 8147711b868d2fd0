#pragma once
// The engine's in-memory state, rebuilt by applying the event log in order. Live commands are decided
// against this state, turned into events, and applied with the very same apply() that replay uses, so a
// restart reproduces the state exactly.
#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <vector>

#include "oms/allocation/block_allocation.hpp"
#include "oms/book/order_state.hpp"
#include "oms/compliance/state.hpp"
#include "oms/core/result.hpp"
#include "oms/domain/reference.hpp"
#include "oms/engine/events.hpp"

namespace oms::engine {

struct OrderRecord {
  OrderId id;
  OrderSpec spec;
  book::OrderState book;
  Workflow workflow{Workflow::PendingCompliance};
  std::string workflow_reason;
  Timestamp created{};
  Timestamp updated{};
  UserId created_by;
  BrokerId broker;  // the broker it was routed to (spec.broker or the default at routing time)
  std::vector<std::uint64_t> event_seqs;  // this order's events in the log
  bool routed() const { return workflow == Workflow::Routed; }
  bool is_live() const;  // workflow still open or OrdStatus not terminal
};

struct PositionKey {
  AccountId account;
  Symbol symbol;
  friend auto operator<=>(const PositionKey&, const PositionKey&) = default;
};

// Start-of-day holdings, from config/accounts.yaml.
struct StartOfDay {
  std::vector<Position> positions;
};

struct ReferenceData {
  std::unordered_map<Symbol, Instrument> instruments;
  std::map<AccountId, Account> accounts;
  StartOfDay start_of_day;
};

// The open quantity an order holds in the compliance state, per account, valued at order_price.
struct CompliancePending {
  Price order_price;
  bool passed{false};  // became live after compliance (WorkflowChanged to Working)
  std::map<AccountId, Quantity> open;
  std::optional<Price> replace_price;  // checked for a replace in flight; order_price once the broker confirms it
};

// A block order's allocation at the broker: the latest AllocationFixed and where it stands.
struct AllocationRecord {
  AllocationFixed fixed;  // the current allocation (the latest replacement)
  std::string status;     // new (fixed, not yet handed to the gateway) | sent | not_sent | received | accepted | rejected
  std::string rej_code;
  std::string text;
  UserId fixed_by;        // who fixed or last amended it
  Timestamp fixed_at{};
  Timestamp updated{};
  std::vector<std::string> alloc_ids;  // every AllocID of the order, oldest first
  bool handed_over{false};             // the current allocation reached the gateway (sent, or acked)
};

// What one order's PositionChanged events booked to one account so far (signed as the events are).
struct Booking {
  Quantity quantity;
  Money cost;
  Money cash;
  friend bool operator==(const Booking&, const Booking&) = default;
};

class EngineState {
 public:
  explicit EngineState(const ReferenceData& ref);

  // Applies one durable (or about-to-be-durable) event. Errors mean a corrupt or inconsistent log.
  Status apply(const EventRecord& event);

  const OrderRecord* find(OrderId id) const;
  OrderRecord* find_mutable(OrderId id);
  std::optional<OrderId> by_cl_ord_id(const ClOrdID& id) const;
  const std::map<OrderId, OrderRecord>& orders() const { return orders_; }
  const std::map<PositionKey, Position>& positions() const { return positions_; }
  const std::map<AccountId, Money>& cash() const { return cash_; }
  Quantity position(const AccountId& account, const Symbol& symbol) const;
  bool exec_seen(const std::string& session, const std::string& day, const ExecID& exec) const;
  std::uint64_t last_seq() const { return last_seq_; }
  OrderId next_order_id() const { return OrderId{max_order_id_ + 1}; }
  const std::vector<EventRecord>& alerts() const { return alerts_; }
  // The recorded rule book versions (RuleBookLoaded events), oldest first; the last is the version in force.
  const std::vector<EventRecord>& rule_books() const { return rule_books_; }
  // The fill allocation of a block order; nullptr for single-account orders.
  const allocation::BlockAllocation* block(OrderId id) const;
  const ReferenceData& reference() const { return *ref_; }
  // The portfolio pre-trade compliance evaluates against: reference data, exact positions and cash, and the
  // open quantity of every live order that passed compliance. Rebuilt by apply(), so replay reproduces it.
  const compliance::ComplianceState& compliance() const { return compliance_; }
  // What `id` currently holds as pending in compliance(); nullptr when nothing was ever registered.
  const CompliancePending* compliance_pending(OrderId id) const;
  // Block allocations sent (or to be sent) to brokers; nullptr / nullopt when there is none.
  const AllocationRecord* allocation(OrderId id) const;
  const std::map<OrderId, AllocationRecord>& allocations() const { return allocations_; }
  std::optional<OrderId> by_alloc_id(const std::string& alloc_id) const;
  // Per account, what the order's position events booked; nullptr when none.
  const std::map<AccountId, Booking>* booked(OrderId id) const;
  // The commission the broker reported with a trade of this order (zero when none or unknown).
  Money trade_commission(OrderId id, const ExecID& exec_id) const;

 private:
  Status apply_order_accepted(const EventRecord& e, const OrderAccepted& p);
  Status apply_book_event(const EventRecord& e, const book::OrderEvent& ev);
  Status apply_block_event(OrderId id, const book::OrderEvent& ev);
  Status apply_allocation_fixed(const EventRecord& e, const AllocationFixed& p);
  Status apply_allocation_status(const EventRecord& e, const AllocationStatusChanged& p);
  void index_cl_ord_ids(const OrderRecord& r);
  void on_compliance_checked(const EventRecord& e, const ComplianceChecked& p);
  // Brings the order's pending quantities in compliance_ to what it has open now (0 unless live and passed).
  void sync_pending(OrderId id);
  // A replace confirmed or refused: the order's price moves to the checked one, or stays.
  void settle_replace_price(OrderId id, const book::OrderEvent& ev);

  const ReferenceData* ref_;
  std::map<OrderId, OrderRecord> orders_;
  std::map<OrderId, allocation::BlockAllocation> blocks_;
  std::unordered_map<ClOrdID, OrderId> cl_ord_index_;
  std::set<std::tuple<std::string, std::string, std::string>> seen_execs_;
  std::map<PositionKey, Position> positions_;
  std::map<AccountId, Money> cash_;
  std::vector<EventRecord> alerts_;
  std::vector<EventRecord> rule_books_;
  compliance::ComplianceState compliance_;
  std::map<OrderId, CompliancePending> pending_;
  std::map<OrderId, AllocationRecord> allocations_;
  std::unordered_map<std::string, OrderId> alloc_index_;
  std::map<OrderId, std::map<AccountId, Booking>> booked_;
  std::map<std::pair<OrderId, ExecID>, Money> commissions_;
  std::uint64_t last_seq_{0};
  std::uint64_t max_order_id_{0};
};

// Allocates a trade event (fill, bust, correction) of a block order across its accounts and returns the
// per-account pieces. The engine calls it on a copy to decide the position events and apply() calls it on
// the state's own allocation, so both always agree. A fill beyond the order quantity (an overfill, already
// flagged as a break) is allocated up to the order quantity and the excess pro rata to the targets.
std::vector<allocation::AccountFill> allocate_block_trade(allocation::BlockAllocation& block,
                                                          const book::OrderEvent& event);

// allocate_block_trade, then what the order's state after the event requires of the final allocation: fixed
// (with `charges`) once the order is terminal with something filled, or re-priced when the charges changed
// (a bust of a fill that carried commission). apply() runs it on the state's allocation and the engine on a
// copy, so the two always agree.
std::vector<allocation::AccountFill> advance_block(allocation::BlockAllocation& block, const book::OrderEvent& event,
                                                   const book::OrderState& order_after, allocation::Charges charges);

// The commission of an order's live fills: what a block's final allocation apportions.
template <class CommissionOf>
allocation::Charges live_charges(const book::OrderState& order, CommissionOf commission_of) {
  allocation::Charges c;
  for (const auto& f : order.fills)
    if (!f.busted) c.commission += commission_of(f.exec_id);
  return c;
}

// True for ExecTypes that move quantity and are therefore unique per (session, trading day, ExecID).
bool is_trade_exec_type(ExecType t);

}  // namespace oms::engine
