// Block orders' money and their allocation at the broker: per-fill position and cash of each fund, the final
// average-price allocation (AllocationFixed, sent as an AllocationInstruction), its acks, and PM amendments.
//
// Money of a block fill: the fill's gross (LastQty x LastPx) and the commission the broker reported with it are
// each split across the fill's per-account pieces pro rata to their quantities by largest remainder (whole
// cents when the amount is whole cents, ties to the lower AccountId), so the funds' amounts sum to the fill's
// exactly. A bust reverses the busted fill's pieces with the same split and the commission that came with it.
// Once the final allocation is fixed (or amended, or recomputed after a bust), every account is rebooked from
// what its fills booked to its final line: quantity, gross at the block's AvgPx and its share of commission.
#include <set>

#include "oms/allocation/largest_remainder.hpp"
#include "oms/engine/engine.hpp"

namespace oms::engine {

namespace {
const UserId kSystem{"system"};

PositionChanged delta(const AccountId& account, const Symbol& symbol, const Booking& from, const Booking& to) {
  return PositionChanged{account, symbol, to.quantity - from.quantity, to.cost - from.cost, to.cash - from.cash};
}
bool is_zero(const PositionChanged& p) {
  return p.quantity_delta.is_zero() && p.cost_delta.is_zero() && p.cash_delta.is_zero();
}
// The trade a report's commission belongs to: the fill it reports (a correction's new fill); none for a bust.
ExecID reported_trade(const book::OrderEvent& ev) {
  if (const auto* f = std::get_if<book::PartialFill>(&ev)) return f->exec_id;
  if (const auto* f = std::get_if<book::Fill>(&ev)) return f->exec_id;
  if (const auto* c = std::get_if<book::TradeCorrect>(&ev)) return c->exec_id;
  return ExecID{};
}
}  // namespace

void Engine::rebook(const OrderRecord& r, const allocation::FinalAllocation* target,
                    std::map<AccountId, Booking> pending, const EventRecord& base, std::vector<EventRecord>& out) const {
  const bool buy = is_buy(r.spec.side);
  std::map<AccountId, Booking> goal;
  for (const auto& slice : r.spec.allocations) goal[slice.account] = Booking{};
  if (target)
    for (const auto& line : target->accounts) {
      Booking& b = goal[line.account];
      b.quantity = buy ? line.quantity : -line.quantity;
      b.cost = buy ? line.gross : -line.gross;
      b.cash = -b.cost - line.commission - line.fees;
    }
  if (const auto* booked = state_->booked(r.id))
    for (const auto& [account, b] : *booked) {
      Booking& p = pending[account];
      p.quantity += b.quantity;
      p.cost += b.cost;
      p.cash += b.cash;
    }
  for (const auto& [account, want] : goal) {
    PositionChanged change = delta(account, r.spec.symbol, pending[account], want);
    if (is_zero(change)) continue;
    EventRecord e = base;
    e.seq = 0;
    e.payload = change;
    out.push_back(std::move(e));
  }
}

AllocationFixed Engine::allocation_event(const OrderRecord& r, const allocation::FinalAllocation& f,
                                         std::string reason) const {
  AllocationFixed a;
  // Numbered per order, not by version: a block whose fills were all busted starts its versions again.
  const AllocationRecord* rec = state_->allocation(r.id);
  a.alloc_id = options_.cl_ord_id_prefix + "-" + std::to_string(r.id.value) + "-A" +
               std::to_string(rec ? rec->alloc_ids.size() + 1 : 1);
  // A replacement names what the broker has; one never handed over (or withdrawn) is simply superseded.
  if (rec && rec->handed_over && rec->status != "canceled") a.ref_alloc_id = rec->fixed.alloc_id;
  a.reason = std::move(reason);
  a.allocation = f;
  return a;
}

std::vector<EventRecord> Engine::block_events(const OrderRecord& r, const book::OrderEvent& ev,
                                              const book::OrderState& after, Money commission,
                                              const EventRecord& base) const {
  std::vector<EventRecord> out;
  const allocation::BlockAllocation* before = state_->block(r.id);
  allocation::BlockAllocation probe = *before;
  const ExecID reported = reported_trade(ev);
  const auto charges = live_charges(after, [&](const ExecID& x) {
    return !reported.empty() && x == reported ? commission : state_->trade_commission(r.id, x);
  });
  const auto pieces = advance_block(probe, ev, after, charges);

  // 1. Each trade at its own price: the pieces of one ExecID share its gross and commission.
  const bool buy = is_buy(r.spec.side);
  std::map<AccountId, Booking> moved;
  for (std::size_t begin = 0; begin < pieces.size();) {
    std::size_t end = begin;
    Quantity total;
    while (end < pieces.size() && pieces[end].exec_id == pieces[begin].exec_id) {
      total += pieces[end].quantity.is_negative() ? -pieces[end].quantity : pieces[end].quantity;
      ++end;
    }
    const bool reversal = pieces[begin].quantity.is_negative();
    const Money fill_commission = reversal ? state_->trade_commission(r.id, pieces[begin].exec_id) : commission;
    std::vector<__int128> weights;
    std::vector<AccountId> ids;
    for (std::size_t i = begin; i < end; ++i) {
      weights.push_back(reversal ? -pieces[i].quantity.raw() : pieces[i].quantity.raw());
      ids.push_back(pieces[i].account);
    }
    const auto rank = allocation::rank_by_id(ids);
    const auto gross = allocation::split_money(notional(pieces[begin].price, total), weights, rank);
    const auto comm = allocation::split_money(fill_commission, weights, rank);
    for (std::size_t i = begin; i < end; ++i) {
      Booking& b = moved[pieces[i].account];
      const Money cost = (buy != reversal) ? gross[i - begin] : -gross[i - begin];
      b.quantity += buy ? pieces[i].quantity : -pieces[i].quantity;
      b.cost += cost;
      b.cash += -cost - (reversal ? -comm[i - begin] : comm[i - begin]);
    }
    begin = end;
  }
  for (const auto& [account, b] : moved) {
    PositionChanged change{account, r.spec.symbol, b.quantity, b.cost, b.cash};
    if (is_zero(change)) continue;
    EventRecord e = base;
    e.seq = 0;
    e.payload = change;
    out.push_back(std::move(e));
  }

  // 2. The final allocation was fixed or changed (or undone by busts): rebook every account to it.
  const auto& was = before->final_allocation();
  const auto& now = probe.final_allocation();
  const bool changed = now ? (!was || was->version != now->version) : was.has_value();
  if (!changed) return out;
  rebook(r, now ? &*now : nullptr, moved, base, out);
  if (!now) {
    if (const auto* rec = state_->allocation(r.id); rec && rec->status != "canceled") {
      EventRecord e = base;
      e.seq = 0;
      e.actor = kSystem;
      e.payload = AllocationStatusChanged{rec->fixed.alloc_id, "canceled", "", "every fill was busted"};
      out.push_back(std::move(e));
    }
  } else if (!was || was->version != now->version) {
    const bool fill = std::holds_alternative<book::PartialFill>(ev) || std::holds_alternative<book::Fill>(ev);
    std::string reason = !was ? "order " + std::string(to_string(after.status)) : fill ? "late fill" : "trade bust";
    EventRecord e = base;
    e.seq = 0;
    e.actor = kSystem;
    e.payload = allocation_event(r, *now, std::move(reason));
    out.push_back(std::move(e));
  }
  return out;
}

void Engine::send_allocation(OrderId id, bool cancel) {
  const OrderRecord* r = state_->find(id);
  const AllocationRecord* rec = state_->allocation(id);
  if (!r || !rec) return;
  // Canceled before it went out (the bust overtook the send): nothing to send, nothing to withdraw.
  if (cancel ? !rec->handed_over : rec->status == "canceled") return;
  RoutedAllocation out{id, &r->spec, r->book.chain, &rec->fixed, trading_day(rec->fixed_at), cancel};
  const Status sent = gateway_.send_allocation(out);
  if (cancel) {
    // The allocation stays canceled in the record; a cancel that could not go out is for an operator.
    if (!sent)
      commit({make_event(id, kSystem, Alert{"allocation_cancel_not_sent", "AllocationInstruction cancel of " +
                                                                               rec->fixed.alloc_id + ": " + sent.error().message})},
             std::nullopt, nullptr);
    return;
  }
  AllocationStatusChanged change{rec->fixed.alloc_id, sent ? "sent" : "not_sent", "", sent ? "" : sent.error().message};
  commit({make_event(id, kSystem, std::move(change))}, std::nullopt, nullptr);
}

void Engine::resend_allocations(const BrokerId& session) {
  std::vector<OrderId> due;
  for (const auto& [id, rec] : state_->allocations()) {
    const OrderRecord* r = state_->find(id);
    if (r && r->spec.broker == session && (rec.status == "new" || rec.status == "not_sent")) due.push_back(id);
  }
  for (OrderId id : due) send_allocation(id);
}

void Engine::on_allocation_ack(AllocationAck ack, std::optional<InboundMark> mark) {
  post([this, ack = std::move(ack), mark = std::move(mark)]() mutable {
    handle_allocation_ack(std::move(ack), std::move(mark));
  });
}

void Engine::handle_allocation_ack(AllocationAck ack, std::optional<InboundMark> mark) {
  const UserId actor{"broker:" + ack.session.value};
  // The ack of a cancel names the cancel's AllocID: <AllocID>-C.
  auto id = state_->by_alloc_id(ack.alloc_id);
  if (!id && ack.alloc_id.size() > 2 && ack.alloc_id.ends_with("-C"))
    id = state_->by_alloc_id(ack.alloc_id.substr(0, ack.alloc_id.size() - 2));
  if (!id) {
    commit({make_event(OrderId{}, actor, Alert{"unknown_allocation_ack", "AllocationInstructionAck for unknown AllocID " + ack.alloc_id})},
           std::move(mark), nullptr);
    return;
  }
  std::string status;
  switch (ack.alloc_status) {
    case '0': status = "accepted"; break;
    case '1': case '2': status = "rejected"; break;
    case '3': status = "received"; break;
    default:
      commit({make_event(*id, actor, Alert{"invalid_allocation_ack", "AllocID " + ack.alloc_id + " with AllocStatus '" +
                                                                          std::string(1, ack.alloc_status) + "'"})},
             std::move(mark), nullptr);
      return;
  }
  std::vector<EventRecord> events;
  events.push_back(make_event(*id, actor, AllocationStatusChanged{ack.alloc_id, status, ack.rej_code, ack.text}));
  if (status == "rejected")
    events.push_back(make_event(*id, actor, Alert{"allocation_rejected", "broker rejected allocation " + ack.alloc_id +
                                                                              " (AllocRejCode " + ack.rej_code + "): " + ack.text}));
  commit(std::move(events), std::move(mark), nullptr);
}

std::future<Status> Engine::amend_allocation(AmendAllocationCommand cmd) {
  auto reply = std::make_shared<std::promise<Status>>();
  auto fut = reply->get_future();
  post([this, cmd = std::move(cmd), reply]() mutable { handle_amend_allocation(std::move(cmd), reply); });
  return fut;
}

void Engine::handle_amend_allocation(AmendAllocationCommand cmd, std::shared_ptr<std::promise<Status>> reply) {
  const OrderRecord* r = state_->find(cmd.order_id);
  const allocation::BlockAllocation* block = state_->block(cmd.order_id);
  if (!r || !block) {
    reply->set_value(make_error(Errc::not_found, "no block order " + std::to_string(cmd.order_id.value), "order_id"));
    return;
  }
  const AllocationRecord* rec = state_->allocation(r->id);
  if (!rec || block->status() != allocation::AllocationStatus::Final) {
    reply->set_value(make_error(Errc::conflict, block->status() == allocation::AllocationStatus::Accepted
                                                    ? "the broker accepted the allocation: it can no longer be amended"
                                                    : "the block has no final allocation yet"));
    return;
  }
  allocation::BlockAllocation probe = *block;
  auto amended = probe.amend(cmd.quantities);
  if (!amended) {
    Error e = amended.error();
    if (e.code == Errc::duplicate) e.code = Errc::invalid_argument;
    reply->set_value(std::move(e));
    return;
  }
  // Shares an account receives beyond its current line are checked as if it bought (or sold) them now.
  std::map<AccountId, Quantity> current;
  for (const auto& l : rec->fixed.allocation.accounts) current[l.account] = l.quantity;
  std::vector<AllocationSlice> added;
  for (const auto& l : amended->accounts)
    if (l.quantity > current[l.account]) added.push_back({l.account, l.quantity - current[l.account]});
  auto checked = check_amendment(*r, added, amended->avg_px, cmd.acknowledge_warnings);
  if (!checked) {
    reply->set_value(checked.error());
    return;
  }
  const OrderId id = r->id;
  std::vector<EventRecord> events;
  events.push_back(make_event(id, cmd.user, allocation_event(*r, *amended, "amended by " + cmd.user.value + "; " + *checked)));
  rebook(*r, &*amended, {}, make_event(id, cmd.user, Alert{}), events);
  commit(std::move(events), std::nullopt, [this, id, reply](Status) {
    send_allocation(id);
    reply->set_value(Status{});
  });
}

}  // namespace oms::engine
