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
  allocate_block_trade(it->second, ev);
  // The final allocation is fixed once the order is done and something was filled.
  const OrderRecord& r = orders_.at(id);
  if (is_terminal(r.book.status) && r.book.cum_qty.is_positive() &&
      it->second.status() == allocation::AllocationStatus::Working)
    (void)it->second.finalize();
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
          return {};
        } else if constexpr (std::is_same_v<T, OrderRequest>) {
          return apply_book_event(e, p.event);
        } else if constexpr (std::is_same_v<T, ExecutionApplied>) {
          if (is_trade_exec_type(p.report.exec_type))
            seen_execs_.insert({p.report.session.value, p.report.trading_day, p.report.exec_id.value});
          if (auto st = apply_book_event(e, p.event); !st) return st;
          return apply_block_event(e.order_id, p.event);
        } else if constexpr (std::is_same_v<T, PositionChanged>) {
          auto& pos = positions_[PositionKey{p.account, p.symbol}];
          pos.account = p.account;
          pos.symbol = p.symbol;
          pos.quantity += p.quantity_delta;
          pos.cost += p.cost_delta;
          cash_[p.account] += p.cash_delta;
          if (auto* r = find_mutable(e.order_id)) r->event_seqs.push_back(e.seq);
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
