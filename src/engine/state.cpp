#include "oms/engine/state.hpp"

#include <string>

namespace oms::engine {

namespace {
Error corrupt(const EventRecord& e, const std::string& what) {
  return make_error(Errc::internal, "event " + std::to_string(e.seq) + " (" + std::string(payload_name(e.payload)) +
                                        "): " + what);
}
}  // namespace

bool is_trade_exec_type(ExecType t) {
  switch (t) {
    case ExecType::Trade:
    case ExecType::PartialFill:
    case ExecType::Fill:
    case ExecType::TradeCorrect:
    case ExecType::TradeCancel:
      return true;
    default:
      return false;
  }
}

bool OrderRecord::is_live() const {
  switch (workflow) {
    case Workflow::ComplianceRejected:
    case Workflow::NotRouted:
      return false;
    default:
      return !is_terminal(book.status);
  }
}

EngineState::EngineState(const ReferenceData& ref) : ref_(&ref) {
  for (const auto& [id, account] : ref.accounts) cash_[id] = account.cash;
  for (const auto& p : ref.start_of_day.positions) positions_[PositionKey{p.account, p.symbol}] = p;
  for (const auto& [symbol, instrument] : ref.instruments) compliance_.upsert_instrument(instrument);
  for (const auto& [id, account] : ref.accounts) compliance_.upsert_account(account);
  // Positions in instruments or accounts compliance does not know are refused there; nothing to evaluate them by.
  for (const auto& [key, p] : positions_) (void)compliance_.set_position(key.account, key.symbol, p.quantity);
}

const CompliancePending* EngineState::compliance_pending(OrderId id) const {
  auto it = pending_.find(id);
  return it == pending_.end() ? nullptr : &it->second;
}

namespace {
Price default_order_price(const ReferenceData& ref, const OrderSpec& spec) {
  if (spec.limit_price) return *spec.limit_price;
  auto it = ref.instruments.find(spec.symbol);
  return it == ref.instruments.end() ? Price{} : it->second.reference_price;
}
}  // namespace

void EngineState::on_compliance_checked(const EventRecord& e, const ComplianceChecked& p) {
  const OrderRecord* r = find(e.order_id);
  if (!r) return;
  auto& entry = pending_[e.order_id];
  if (r->workflow != Workflow::PendingCompliance) {
    // A replace re-check: the open quantity keeps its price until the broker confirms the replace.
    entry.replace_price = p.order_price;
    return;
  }
  entry.order_price = p.order_price;
  if (p.decision == "rejected") return;
  // A new order that entered the book (accepted, warned or held): it counts for duplicate-order rules.
  if (r->spec.is_block()) {
    for (const auto& slice : r->spec.allocations)
      (void)compliance_.record_order(slice.account, r->spec.symbol, r->spec.side, slice.quantity, e.time);
  } else {
    (void)compliance_.record_order(r->spec.account, r->spec.symbol, r->spec.side, r->spec.quantity, e.time);
  }
}

void EngineState::settle_replace_price(OrderId id, const book::OrderEvent& ev) {
  auto it = pending_.find(id);
  if (it == pending_.end() || !it->second.replace_price) return;
  CompliancePending& entry = it->second;
  if (std::holds_alternative<book::ReplaceReject>(ev)) {
    entry.replace_price.reset();
  } else if (std::holds_alternative<book::ReplaceAck>(ev)) {
    // Re-value what is open at the new price: remove it here, sync_pending adds it back.
    const OrderRecord& r = orders_.at(id);
    for (const auto& [account, q] : entry.open)
      (void)compliance_.remove_pending(account, r.spec.symbol, r.spec.side, q, entry.order_price);
    entry.open.clear();
    entry.order_price = *entry.replace_price;
    entry.replace_price.reset();
  }
}

void EngineState::sync_pending(OrderId id) {
  const OrderRecord* r = find(id);
  auto it = pending_.find(id);
  if (!r || it == pending_.end()) return;
  CompliancePending& entry = it->second;
  std::map<AccountId, Quantity> want;
  if (entry.passed && r->is_live()) {
    if (const auto* b = block(id)) {
      for (const auto& a : b->accounts())
        if (a.target > a.allocated) want[a.account] = a.target - a.allocated;
    } else if (r->book.leaves_qty.is_positive()) {
      want[r->spec.account] = r->book.leaves_qty;
    }
  }
  std::set<AccountId> accounts;
  for (const auto& [a, q] : entry.open) accounts.insert(a);
  for (const auto& [a, q] : want) accounts.insert(a);
  for (const auto& a : accounts) {
    const Quantity have = entry.open.count(a) ? entry.open[a] : Quantity{};
    const Quantity need = want.count(a) ? want[a] : Quantity{};
    if (need > have)
      (void)compliance_.add_pending(a, r->spec.symbol, r->spec.side, need - have, entry.order_price);
    else if (have > need)
      (void)compliance_.remove_pending(a, r->spec.symbol, r->spec.side, have - need, entry.order_price);
    if (need.is_positive())
      entry.open[a] = need;
    else
      entry.open.erase(a);
  }
}

const OrderRecord* EngineState::find(OrderId id) const {
  auto it = orders_.find(id);
  return it == orders_.end() ? nullptr : &it->second;
}

OrderRecord* EngineState::find_mutable(OrderId id) {
  auto it = orders_.find(id);
  return it == orders_.end() ? nullptr : &it->second;
}

const allocation::BlockAllocation* EngineState::block(OrderId id) const {
  auto it = blocks_.find(id);
  return it == blocks_.end() ? nullptr : &it->second;
}

std::optional<OrderId> EngineState::by_cl_ord_id(const ClOrdID& id) const {
  auto it = cl_ord_index_.find(id);
  if (it == cl_ord_index_.end()) return std::nullopt;
  return it->second;
}

Quantity EngineState::position(const AccountId& account, const Symbol& symbol) const {
  auto it = positions_.find(PositionKey{account, symbol});
  return it == positions_.end() ? Quantity{} : it->second.quantity;
}

bool EngineState::exec_seen(const std::string& session, const std::string& day, const ExecID& exec) const {
  return seen_execs_.count({session, day, exec.value}) != 0;
}

void EngineState::index_cl_ord_ids(const OrderRecord& r) {
  for (const auto& id : r.book.chain) cl_ord_index_[id] = r.id;
  if (r.book.pending_cl_ord_id) cl_ord_index_[*r.book.pending_cl_ord_id] = r.id;
}

Status EngineState::apply_order_accepted(const EventRecord& e, const OrderAccepted& p) {
  if (orders_.count(e.order_id)) return corrupt(e, "order already exists");
  OrderRecord r;
  r.id = e.order_id;
  r.spec = p.spec;
  r.book = book::OrderState::create(p.cl_ord_id, p.spec.quantity, p.spec.limit_price);
  r.workflow = Workflow::PendingCompliance;
  r.created = r.updated = e.time;
  r.created_by = e.actor;
  r.broker = p.spec.broker;
  r.event_seqs.push_back(e.seq);
  index_cl_ord_ids(r);
  if (e.order_id.value > max_order_id_) max_order_id_ = e.order_id.value;
  if (p.spec.is_block()) {
    auto it = ref_->instruments.find(p.spec.symbol);
    const Quantity lot = it == ref_->instruments.end() ? Quantity::from_int(1) : it->second.lot_size;
    auto block = allocation::BlockAllocation::create(p.spec.allocations, lot);
    if (!block) return corrupt(e, "block allocation: " + block.error().message);
    blocks_.emplace(e.order_id, std::move(*block));
  }
  orders_.emplace(r.id, std::move(r));
  return {};
}

Status EngineState::apply_book_event(const EventRecord& e, const book::OrderEvent& ev) {
  OrderRecord* r = find_mutable(e.order_id);
  if (!r) return corrupt(e, "unknown order " + std::to_string(e.order_id.value));
  if (auto st = book::apply(r->book, ev); !st) return corrupt(e, st.error().message);
  r->updated = e.time;
  r->event_seqs.push_back(e.seq);
  index_cl_ord_ids(*r);
  return {};
}

Status EngineState::apply_block_event(OrderId id, const book::OrderEvent& ev) {
  auto it = blocks_.find(id);
  if (it == blocks_.end()) return {};
  const OrderRecord& r = orders_.at(id);
  advance_block(it->second, ev, r.book, live_charges(r.book, [&](const ExecID& x) { return trade_commission(id, x); }));
  return {};
}

const AllocationRecord* EngineState::allocation(OrderId id) const {
  auto it = allocations_.find(id);
  return it == allocations_.end() ? nullptr : &it->second;
}

std::optional<OrderId> EngineState::by_alloc_id(const std::string& alloc_id) const {
  auto it = alloc_index_.find(alloc_id);
  if (it == alloc_index_.end()) return std::nullopt;
  return it->second;
}

const std::map<AccountId, Booking>* EngineState::booked(OrderId id) const {
  auto it = booked_.find(id);
  return it == booked_.end() ? nullptr : &it->second;
}

Money EngineState::trade_commission(OrderId id, const ExecID& exec_id) const {
  auto it = commissions_.find({id, exec_id});
  return it == commissions_.end() ? Money{} : it->second;
}

Status EngineState::apply_allocation_fixed(const EventRecord& e, const AllocationFixed& p) {
  auto b = blocks_.find(e.order_id);
  if (b == blocks_.end()) return corrupt(e, "allocation for an order that is not a block");
  if (p.allocation.amended) {
    std::vector<AllocationSlice> quantities;
    for (const auto& l : p.allocation.accounts) quantities.push_back({l.account, l.quantity});
    if (auto amended = b->second.amend(quantities); !amended) return corrupt(e, amended.error().message);
  }
  const auto& fin = b->second.final_allocation();
  if (!fin || *fin != p.allocation) return corrupt(e, "allocation does not match the block's");
  if (alloc_index_.count(p.alloc_id)) return corrupt(e, "AllocID " + p.alloc_id + " already used");
  AllocationRecord& rec = allocations_[e.order_id];
  rec.fixed = p;
  rec.status = "new";
  rec.rej_code.clear();
  rec.text.clear();
  rec.fixed_by = e.actor;
  rec.fixed_at = rec.updated = e.time;
  rec.alloc_ids.push_back(p.alloc_id);
  rec.handed_over = false;
  alloc_index_[p.alloc_id] = e.order_id;
  if (auto* r = find_mutable(e.order_id)) r->event_seqs.push_back(e.seq);
  return {};
}

Status EngineState::apply_allocation_status(const EventRecord& e, const AllocationStatusChanged& p) {
  auto it = allocations_.find(e.order_id);
  if (it == allocations_.end()) return corrupt(e, "status of an unknown allocation " + p.alloc_id);
  AllocationRecord& rec = it->second;
  if (auto* r = find_mutable(e.order_id)) r->event_seqs.push_back(e.seq);
  // An ack of a replaced allocation is kept in the log only: the current one is what counts.
  if (p.alloc_id != rec.fixed.alloc_id) return {};
  if (p.status != "not_sent" && p.status != "canceled") rec.handed_over = true;
  rec.status = p.status;
  rec.rej_code = p.rej_code;
  rec.text = p.text;
  rec.updated = e.time;
  if (p.status == "accepted") {
    auto b = blocks_.find(e.order_id);
    if (b != blocks_.end() && b->second.status() == allocation::AllocationStatus::Final) (void)b->second.accept();
  }
  return {};
}

Status EngineState::apply(const EventRecord& e) {
  if (e.seq != 0) {
    if (e.seq <= last_seq_) return corrupt(e, "sequence number not increasing");
    last_seq_ = e.seq;
  }
  return std::visit(
      [&](const auto& p) -> Status {
        using T = std::decay_t<decltype(p)>;
        if constexpr (std::is_same_v<T, OrderAccepted>) {
          return apply_order_accepted(e, p);
        } else if constexpr (std::is_same_v<T, WorkflowChanged>) {
          OrderRecord* r = find_mutable(e.order_id);
          if (!r) return corrupt(e, "unknown order");
          r->workflow = p.workflow;
          r->workflow_reason = p.reason;
          r->updated = e.time;
          r->event_seqs.push_back(e.seq);
          if (p.workflow == Workflow::Working) {
            // Logs written before compliance was wired have no ComplianceChecked: value at the default price.
            auto [it, fresh] = pending_.try_emplace(e.order_id);
            if (fresh) it->second.order_price = default_order_price(*ref_, r->spec);
            it->second.passed = true;
          }
          sync_pending(e.order_id);
          return {};
        } else if constexpr (std::is_same_v<T, OrderRequest>) {
          if (auto st = apply_book_event(e, p.event); !st) return st;
          settle_replace_price(e.order_id, p.event);
          sync_pending(e.order_id);
          return {};
        } else if constexpr (std::is_same_v<T, ExecutionApplied>) {
          if (is_trade_exec_type(p.report.exec_type))
            seen_execs_.insert({p.report.session.value, p.report.trading_day, p.report.exec_id.value});
          if (p.report.exec_type != ExecType::TradeCancel && is_trade_exec_type(p.report.exec_type) &&
              !p.report.commission.is_zero())
            commissions_[{e.order_id, p.report.exec_id}] = p.report.commission;
          if (auto st = apply_book_event(e, p.event); !st) return st;
          if (auto st = apply_block_event(e.order_id, p.event); !st) return st;
          settle_replace_price(e.order_id, p.event);
          sync_pending(e.order_id);
          return {};
        } else if constexpr (std::is_same_v<T, PositionChanged>) {
          auto& pos = positions_[PositionKey{p.account, p.symbol}];
          pos.account = p.account;
          pos.symbol = p.symbol;
          pos.quantity += p.quantity_delta;
          pos.cost += p.cost_delta;
          cash_[p.account] += p.cash_delta;
          if (blocks_.count(e.order_id)) {
            Booking& b = booked_[e.order_id][p.account];
            b.quantity += p.quantity_delta;
            b.cost += p.cost_delta;
            b.cash += p.cash_delta;
          }
          // Compliance follows the exact maps rather than re-deriving them, so both always agree.
          (void)compliance_.set_position(p.account, p.symbol, pos.quantity);
          (void)compliance_.set_cash(p.account, cash_[p.account]);
          if (auto* r = find_mutable(e.order_id)) r->event_seqs.push_back(e.seq);
          return {};
        } else if constexpr (std::is_same_v<T, ComplianceChecked>) {
          OrderRecord* r = find_mutable(e.order_id);
          if (!r) return corrupt(e, "unknown order");
          r->updated = e.time;
          r->event_seqs.push_back(e.seq);
          on_compliance_checked(e, p);
          sync_pending(e.order_id);
          return {};
        } else if constexpr (std::is_same_v<T, ApprovalDecided>) {
          OrderRecord* r = find_mutable(e.order_id);
          if (!r) return corrupt(e, "unknown order");
          if (r->workflow != Workflow::HeldForApproval) return corrupt(e, "order is not held for approval");
          r->updated = e.time;
          r->event_seqs.push_back(e.seq);
          return {};
        } else if constexpr (std::is_same_v<T, AllocationFixed>) {
          return apply_allocation_fixed(e, p);
        } else if constexpr (std::is_same_v<T, AllocationStatusChanged>) {
          return apply_allocation_status(e, p);
        } else if constexpr (std::is_same_v<T, RuleBookLoaded>) {
          rule_books_.push_back(e);
          return {};
        } else {
          static_assert(std::is_same_v<T, Alert>);
          alerts_.push_back(e);
          if (auto* r = find_mutable(e.order_id)) r->event_seqs.push_back(e.seq);
          return {};
        }
      },
      e.payload);
}

}  // namespace oms::engine
