// The broker's side of the core: execution reports, cancel rejects, alerts and session logons.
#include <algorithm>

#include "oms/core/crash_point.hpp"
#include "oms/engine/engine.hpp"

namespace oms::engine {

namespace {
const UserId kSystem{"system"};
UserId broker_actor(const BrokerId& b) { return UserId{"broker:" + b.value}; }

std::string describe(const ExecutionReport& r) {
  return "ExecID " + r.exec_id.value + " ClOrdID " + r.cl_ord_id.value + " ExecType " +
         std::string(1, static_cast<char>(r.exec_type));
}
}  // namespace

void Engine::on_execution_report(ExecutionReport report, std::optional<InboundMark> mark) {
  post([this, report = std::move(report), mark = std::move(mark)]() mutable {
    handle_report(std::move(report), std::move(mark));
  });
}

void Engine::on_cancel_reject(CancelRejectReport report, std::optional<InboundMark> mark) {
  post([this, report = std::move(report), mark = std::move(mark)]() mutable {
    handle_cancel_reject(std::move(report), std::move(mark));
  });
}

void Engine::on_order_rejected(BrokerId session, ClOrdID cl_ord_id, std::string reason, std::optional<InboundMark> mark) {
  post([this, session = std::move(session), cl_ord_id = std::move(cl_ord_id), reason = std::move(reason),
        mark = std::move(mark)]() mutable {
    crash_point(kCrashSessionRejectReceivedBeforeApplied);
    const UserId actor = broker_actor(session);
    const std::optional<OrderId> id = state_->by_cl_ord_id(cl_ord_id);
    const std::string what = "NewOrderSingle " + cl_ord_id.value + " rejected: " + reason;
    if (!id) return commit({make_event(OrderId{}, actor, Alert{"session_reject", what + " (unknown order)"})},
                           std::move(mark), nullptr);
    const OrderRecord& r = *state_->find(*id);
    if (r.book.status == OrdStatus::Rejected) return commit({}, std::move(mark), nullptr);
    const book::OrderEvent event{book::Reject{reason}};
    book::OrderState probe = r.book;
    if (auto st = book::apply(probe, event); !st)
      return commit({make_event(*id, actor, Alert{"session_reject", what + " (not applied: " + st.error().message + ")"})},
                    std::move(mark), nullptr);
    commit({make_event(*id, actor, OrderRequest{event}), make_event(*id, actor, Alert{"session_reject", what})},
           std::move(mark), nullptr);
  });
}

void Engine::on_broker_alert(BrokerId session, std::string kind, std::string message, std::optional<InboundMark> mark) {
  post([this, session = std::move(session), kind = std::move(kind), message = std::move(message),
        mark = std::move(mark)]() mutable {
    commit({make_event(OrderId{}, broker_actor(session), Alert{std::move(kind), std::move(message)})}, std::move(mark),
           nullptr);
  });
}

void Engine::on_session_logon(BrokerId session) {
  post([this, session = std::move(session)] {
    for (const auto& [id, r] : state_->orders()) {
      if (r.spec.broker != session) continue;
      if (r.workflow == Workflow::Working) {
        // Durable but perhaps never handed over (a crash between the two): ask the session's journal.
        if (gateway_.has_sent(session, r.book.cl_ord_id)) {
          commit({make_event(id, kSystem, WorkflowChanged{Workflow::Routed, "found in the session journal"})},
                 std::nullopt, nullptr);
        } else {
          route_new(id);
          continue;
        }
      }
      const OrderRecord* rec = state_->find(id);
      if (rec->routed() && !is_terminal(rec->book.status)) {
        RoutedOrder out{id, rec->book.cl_ord_id, ClOrdID{}, &rec->spec, ReplaceSpec{}, rec->book.order_qty};
        (void)gateway_.send_status_request(out);  // a failure here only means we ask again at the next logon
      }
    }
    resend_allocations(session);
  });
}

void Engine::handle_report(ExecutionReport report, std::optional<InboundMark> mark) {
  crash_point(kCrashReportReceivedBeforeApplied);
  const UserId actor = broker_actor(report.session);
  std::optional<OrderId> id = state_->by_cl_ord_id(report.cl_ord_id);
  if (!id && !report.orig_cl_ord_id.empty()) id = state_->by_cl_ord_id(report.orig_cl_ord_id);
  if (!id) {
    const std::string why = "unknown order: " + describe(report);
    (void)gateway_.send_dont_know(report, "Unknown order");
    commit({make_event(OrderId{}, actor, Alert{"dk", why})}, std::move(mark), nullptr);
    return;
  }
  if (is_trade_exec_type(report.exec_type) &&
      state_->exec_seen(report.session.value, report.trading_day, report.exec_id)) {
    // A resend or PossDup of a report already applied: only the inbound sequence number moves.
    commit({}, std::move(mark), nullptr);
    return;
  }
  const OrderRecord& r = *state_->find(*id);
  auto event = to_book_event(report, r.book);
  if (!event) {
    commit({make_event(*id, actor, Alert{"invalid_report", event.error().message + " (" + describe(report) + ")"})},
           std::move(mark), nullptr);
    return;
  }
  book::OrderState probe = r.book;
  if (auto st = book::apply(probe, *event); !st) {
    commit({make_event(*id, actor, Alert{"illegal_transition", st.error().message + " (" + describe(report) + ")"})},
           std::move(mark), nullptr);
    return;
  }
  std::vector<EventRecord> events;
  events.push_back(make_event(*id, actor, ExecutionApplied{report, *event}));
  if (state_->block(*id)) {
    for (auto& e : block_events(r, *event, probe, report.commission, events.front())) events.push_back(std::move(e));
  } else {
    // A bust gives back the commission charged with the busted fill; a correction swaps it for the new one's.
    Money charge = report.commission;
    if (const auto* c = std::get_if<book::TradeCancel>(&*event)) charge = -state_->trade_commission(*id, c->ref_exec_id);
    if (const auto* c = std::get_if<book::TradeCorrect>(&*event))
      charge = report.commission - state_->trade_commission(*id, c->ref_exec_id);
    for (auto& e : position_events(r, *event, events.front(), charge)) events.push_back(std::move(e));
  }
  if (probe.broken && (!r.book.broken || probe.break_reason != r.book.break_reason))
    events.push_back(make_event(*id, actor, Alert{"break", probe.break_reason + " (" + describe(report) + ")"}));
  const bool allocation_fixed = std::any_of(events.begin(), events.end(), [](const EventRecord& e) {
    return std::holds_alternative<AllocationFixed>(e.payload);
  });
  const bool allocation_canceled = std::any_of(events.begin(), events.end(), [](const EventRecord& e) {
    const auto* s = std::get_if<AllocationStatusChanged>(&e.payload);
    return s && s->status == "canceled";
  });
  const OrderId order = *id;
  commit(std::move(events), std::move(mark), [this, order, allocation_fixed, allocation_canceled](Status) {
    if (allocation_fixed) send_allocation(order);
    if (allocation_canceled) send_allocation(order, true);
  });
}

void Engine::handle_cancel_reject(CancelRejectReport report, std::optional<InboundMark> mark) {
  const UserId actor = broker_actor(report.session);
  std::optional<OrderId> id = state_->by_cl_ord_id(report.cl_ord_id);
  if (!id) id = state_->by_cl_ord_id(report.orig_cl_ord_id);
  if (!id) {
    commit({make_event(OrderId{}, actor,
                       Alert{"unknown_cancel_reject", "OrderCancelReject for unknown ClOrdID " + report.cl_ord_id.value})},
           std::move(mark), nullptr);
    return;
  }
  const OrderRecord& r = *state_->find(*id);
  const book::OrderEvent event = report.for_replace ? book::OrderEvent{book::ReplaceReject{report.reason}}
                                                    : book::OrderEvent{book::CancelReject{report.reason}};
  book::OrderState probe = r.book;
  if (auto st = book::apply(probe, event); !st) {
    commit({make_event(*id, actor, Alert{"illegal_transition", st.error().message})}, std::move(mark), nullptr);
    return;
  }
  commit({make_event(*id, actor, OrderRequest{event})}, std::move(mark), nullptr);
}

// Position and cash changes of a single-account order caused by a trade event (blocks: block_events). Sells
// reduce the position; cash moves by the opposite of the traded value, less `commission` (negative: refunded).
std::vector<EventRecord> Engine::position_events(const OrderRecord& r, const book::OrderEvent& ev,
                                                 const EventRecord& base, Money commission) const {
  struct Leg {
    Quantity qty;
    Price px;
  };
  std::vector<Leg> legs;  // signed by direction of the fill: +qty adds a fill, -qty removes one
  auto find_fill = [&](const ExecID& id) -> const book::FillRecord* {
    for (const auto& f : r.book.fills)
      if (f.exec_id == id && !f.busted) return &f;
    return nullptr;
  };
  if (const auto* p = std::get_if<book::PartialFill>(&ev)) legs.push_back({p->last_qty, p->last_px});
  if (const auto* f = std::get_if<book::Fill>(&ev)) legs.push_back({f->last_qty, f->last_px});
  if (const auto* c = std::get_if<book::TradeCancel>(&ev)) {
    if (const auto* f = find_fill(c->ref_exec_id)) legs.push_back({-f->qty, f->px});
  }
  if (const auto* c = std::get_if<book::TradeCorrect>(&ev)) {
    if (const auto* f = find_fill(c->ref_exec_id)) legs.push_back({-f->qty, f->px});
    legs.push_back({c->last_qty, c->last_px});
  }
  std::vector<EventRecord> out;
  const bool buy = is_buy(r.spec.side);
  auto emit = [&](const AccountId& account, const std::vector<Leg>& account_legs, Money fees) {
    PositionChanged change{account, r.spec.symbol, Quantity{}, Money{}, Money{}};
    for (const auto& leg : account_legs) {
      const Quantity signed_qty = buy ? leg.qty : -leg.qty;
      const Money value = notional(leg.px, signed_qty);
      change.quantity_delta += signed_qty;
      change.cost_delta += value;
      change.cash_delta -= value;
    }
    change.cash_delta -= fees;
    if (change.quantity_delta.is_zero() && change.cost_delta.is_zero() && change.cash_delta.is_zero()) return;
    EventRecord e = base;
    e.seq = 0;
    e.payload = change;
    out.push_back(std::move(e));
  };
  if (legs.empty() && commission.is_zero()) return out;
  emit(r.spec.account, legs, commission);
  return out;
}

}  // namespace oms::engine
