// The order state machine. Rules (T = New / PartiallyFilled / Filled from our exact CumQty vs OrderQty;
// "open" = not Filled, Canceled, Rejected, Expired, Replaced; "in flight" = a CancelRequest or
// ReplaceRequest not yet answered):
//
//   AckNew          PendingNew only -> T (New unless a fill raced ahead of the ack).
//   Reject          live and nothing traded -> Rejected. (A traded order cannot be rejected.)
//   PartialFill     every state. New/PartiallyFilled/Filled/PendingNew/DoneForDay -> T;
//   Fill            PendingCancel/PendingReplace keep their status (FIX precedence; leaves may reach 0);
//                   Canceled/Expired/Rejected/Replaced keep their status and flag a break (money moved
//                   on a dead order). Overfill (CumQty > OrderQty) flags a break. A Fill (the broker
//                   claims completion) that leaves CumQty < OrderQty flags a break. Broker totals that
//                   disagree flag a break. A DoneForDay order that trades resumes (multi-day orders).
//   CancelRequest   open and nothing in flight; records the ClOrdID, OrdStatus unchanged.
//   CancelAck       open (also unsolicited) -> Canceled; a cancel in flight makes its ClOrdID current.
//                   A replace in flight stays in flight (its reject is still expected).
//   CancelReject    a cancel in flight; clears it; PendingCancel -> T, any other status is kept.
//   ReplaceRequest  open, nothing in flight, new OrderQty >= CumQty; records it, OrdStatus unchanged.
//   ReplaceAck      a replace in flight and not Canceled/Rejected/Expired; pending ClOrdID becomes
//                   current, qty/price applied (the broker's if given, else the requested) -> T.
//   ReplaceReject   a replace in flight; clears it; PendingReplace or Replaced -> T, else kept.
//   PendingAck      PendingNew: from PendingNew only. PendingCancel/PendingReplace: open (the broker
//                   may report them unsolicited). Any other OrdStatus is invalid_argument.
//   Expire          open -> Expired.
//   DoneForDay      open -> DoneForDay.
//   Restate         not Canceled/Rejected/Expired/Replaced; applies qty/price; New/PartiallyFilled/
//                   Filled -> T, other statuses kept.
//   TradeCancel     the referenced fill exists and is not busted; removes it exactly; status as Restate.
//   TradeCorrect    as TradeCancel, and records the corrected trade under its new ExecID.
//   StatusReport    every state; status := the broker's; fills untouched; totals compared (break).
//
// Replaced appears only through a StatusReport (the broker says the link we hold was replaced, e.g. the
// ReplaceAck was lost); a later ReplaceAck or ReplaceReject resolves it. Breaks are sticky: they are an
// operator's matter and no later report clears them. Requests stay recorded across terminal reports so
// the broker's eventual reject of them still applies.
#include "oms/book/order_state.hpp"

#include <algorithm>

namespace oms::book {
namespace {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};

bool is_trade_status(OrdStatus s) {
  return s == OrdStatus::New || s == OrdStatus::PartiallyFilled || s == OrdStatus::Filled;
}
bool is_dead(OrdStatus s) {  // no further trading is expected; a fill here is a break
  return s == OrdStatus::Canceled || s == OrdStatus::Expired || s == OrdStatus::Rejected || s == OrdStatus::Replaced;
}

OrdStatus trade_status(const OrderState& s) {
  if (s.cum_qty.is_zero()) return OrdStatus::New;
  return s.cum_qty < s.order_qty ? OrdStatus::PartiallyFilled : OrdStatus::Filled;
}

std::string status_name(OrdStatus s) { return std::string(to_string(s)); }

Error illegal(const OrderState& s, std::string_view event, std::string_view why) {
  return make_error(Errc::illegal_transition,
                    std::string(event) + " on " + status_name(s.status) + " order: " + std::string(why));
}
Error invalid(std::string_view event, std::string_view why, std::string field) {
  return make_error(Errc::invalid_argument, std::string(event) + ": " + std::string(why), std::move(field));
}

bool in_flight(const OrderState& s) { return s.pending_cl_ord_id.has_value(); }

bool exec_id_known(const OrderState& s, const ExecID& id) {
  return std::any_of(s.fills.begin(), s.fills.end(), [&](const FillRecord& f) { return f.exec_id == id; });
}
FillRecord* live_fill(OrderState& s, const ExecID& id) {
  auto it = std::find_if(s.fills.begin(), s.fills.end(), [&](const FillRecord& f) { return f.exec_id == id; });
  return it == s.fills.end() || it->busted ? nullptr : &*it;
}
bool cl_ord_id_used(const OrderState& s, const ClOrdID& id) {
  return std::find(s.chain.begin(), s.chain.end(), id) != s.chain.end() || s.pending_cl_ord_id == id;
}

void flag(OrderState& s, std::string reason) {
  s.broken = true;
  s.break_reason = std::move(reason);
}

// LeavesQty follows from the status; an overfill is flagged whenever it appears.
void settle(OrderState& s) {
  s.leaves_qty = s.is_live() && s.order_qty > s.cum_qty ? s.order_qty - s.cum_qty : Quantity{};
  if (s.cum_qty > s.order_qty) {
    flag(s, "overfill: CumQty " + s.cum_qty.to_string() + " exceeds OrderQty " + s.order_qty.to_string());
  }
}

void compare_totals(OrderState& s, const BrokerTotals& b) {
  std::string why;
  if (b.cum_qty != s.cum_qty) why += "broker CumQty " + b.cum_qty.to_string() + " != ours " + s.cum_qty.to_string();
  if (s.is_live() && b.leaves_qty != s.leaves_qty) {
    if (!why.empty()) why += "; ";
    why += "broker LeavesQty " + b.leaves_qty.to_string() + " != ours " + s.leaves_qty.to_string();
  }
  if (s.cum_qty.is_positive()) {
    // |broker AvgPx - gross/cum| <= tolerance, exactly: |avg*cum - gross| <= tol*cum.
    const __int128 diff = static_cast<__int128>(b.avg_px.raw()) * s.cum_qty.raw() - s.gross_raw;
    const __int128 tol = static_cast<__int128>(kAvgPxTolerance.raw()) * s.cum_qty.raw();
    if (diff > tol || -diff > tol) {
      if (!why.empty()) why += "; ";
      why += "broker AvgPx " + b.avg_px.to_string() + " != ours " + s.avg_px().to_string();
    }
  }
  if (!why.empty()) flag(s, std::move(why));
}

// Validates a trade's fields; the caller also checks ExecID uniqueness.
Status check_trade(std::string_view name, const ExecID& id, Quantity qty, Price px) {
  if (id.empty()) return invalid(name, "empty ExecID", "exec_id");
  if (!qty.is_positive()) return invalid(name, "LastQty must be positive", "last_qty");
  if (px.is_negative()) return invalid(name, "LastPx must not be negative", "last_px");
  return {};
}

// Adds (sign +1) or removes (sign -1) a trade from exact sums, checking range before anything changes.
Status adjust_sums(Quantity base_cum, __int128 base_gross, Quantity qty, Price px, int sign, Quantity& cum,
                   __int128& gross) {
  auto c = sign > 0 ? Quantity::checked_add(base_cum, qty) : Quantity::checked_sub(base_cum, qty);
  if (!c) return c.error();
  const __int128 g = gross_raw(px, qty);
  if (sign > 0 ? __builtin_add_overflow(base_gross, g, &gross) : __builtin_sub_overflow(base_gross, g, &gross)) {
    return make_error(Errc::overflow, "gross notional overflow");
  }
  cum = *c;
  return {};
}

// After the fills changed without a broker status: trade statuses follow CumQty, others are kept.
void restatus_after_sums(OrderState& s) {
  if (is_trade_status(s.status)) s.status = trade_status(s);
  settle(s);
}

Status apply_trade(OrderState& s, std::string_view name, const ExecID& id, Quantity qty, Price px,
                   const std::optional<BrokerTotals>& broker, bool claims_complete) {
  if (auto ok = check_trade(name, id, qty, px); !ok) return ok;
  if (exec_id_known(s, id)) return make_error(Errc::duplicate, std::string(name) + ": ExecID " + id.str() + " already applied", "exec_id");
  Quantity cum;
  __int128 gross = 0;
  if (auto ok = adjust_sums(s.cum_qty, s.gross_raw, qty, px, +1, cum, gross); !ok) return ok;
  // Legal in every state: the broker is authoritative and a trade is money that moved.
  s.fills.push_back(FillRecord{id, qty, px, false});
  s.cum_qty = cum;
  s.gross_raw = gross;
  const OrdStatus before = s.status;
  if (is_trade_status(before) || before == OrdStatus::PendingNew || before == OrdStatus::DoneForDay) {
    s.status = trade_status(s);
  }
  settle(s);
  if (is_dead(before)) flag(s, "trade " + id.str() + " on " + status_name(before) + " order");
  if (claims_complete && s.cum_qty < s.order_qty) {
    flag(s, "Fill " + id.str() + " claims completion but CumQty " + s.cum_qty.to_string() + " < OrderQty " +
                s.order_qty.to_string());
  }
  if (broker) compare_totals(s, *broker);
  return {};
}

struct Applier {
  OrderState& s;

  Status operator()(const AckNew&) const {
    if (s.status != OrdStatus::PendingNew) return illegal(s, "AckNew", "only a PendingNew order is acknowledged");
    s.status = trade_status(s);
    settle(s);
    return {};
  }

  Status operator()(const Reject&) const {
    if (!s.is_live()) return illegal(s, "Reject", "the order is no longer live");
    if (s.cum_qty.is_positive()) return illegal(s, "Reject", "the order has traded");
    s.status = OrdStatus::Rejected;
    settle(s);
    return {};
  }

  Status operator()(const PartialFill& e) const {
    return apply_trade(s, "PartialFill", e.exec_id, e.last_qty, e.last_px, e.broker, false);
  }
  Status operator()(const Fill& e) const {
    return apply_trade(s, "Fill", e.exec_id, e.last_qty, e.last_px, e.broker, true);
  }

  Status check_new_link(std::string_view name, const ClOrdID& id) const {
    if (id.empty()) return invalid(name, "empty ClOrdID", "cl_ord_id");
    if (cl_ord_id_used(s, id)) {
      return make_error(Errc::duplicate, std::string(name) + ": ClOrdID " + id.str() + " already used", "cl_ord_id");
    }
    if (!is_open(s.status)) return illegal(s, name, "the order is closed");
    if (in_flight(s)) return illegal(s, name, "ClOrdID " + s.pending_cl_ord_id->str() + " is still in flight");
    return {};
  }

  Status operator()(const CancelRequest& e) const {
    if (auto ok = check_new_link("CancelRequest", e.cl_ord_id); !ok) return ok;
    s.pending_cl_ord_id = e.cl_ord_id;
    s.cancel_pending = true;
    return {};
  }

  Status operator()(const CancelAck&) const {
    if (!is_open(s.status)) return illegal(s, "CancelAck", "the order is closed");
    if (s.cancel_pending) {
      s.cl_ord_id = *s.pending_cl_ord_id;
      s.chain.push_back(s.cl_ord_id);
      s.pending_cl_ord_id.reset();
      s.cancel_pending = false;
    }
    s.status = OrdStatus::Canceled;
    settle(s);
    return {};
  }

  Status operator()(const CancelReject&) const {
    if (!s.cancel_pending) return illegal(s, "CancelReject", "no cancel in flight");
    s.pending_cl_ord_id.reset();
    s.cancel_pending = false;
    if (s.status == OrdStatus::PendingCancel) s.status = trade_status(s);
    settle(s);
    return {};
  }

  Status operator()(const ReplaceRequest& e) const {
    const auto& spec = e.spec;
    if (spec == ReplaceSpec{}) return invalid("ReplaceRequest", "changes nothing", "spec");
    if (spec.quantity && !spec.quantity->is_positive()) return invalid("ReplaceRequest", "OrderQty must be positive", "quantity");
    if (spec.limit_price && spec.limit_price->is_negative()) return invalid("ReplaceRequest", "negative Price", "limit_price");
    if (auto ok = check_new_link("ReplaceRequest", e.cl_ord_id); !ok) return ok;
    if (spec.quantity && *spec.quantity < s.cum_qty) {
      return illegal(s, "ReplaceRequest", "OrderQty " + spec.quantity->to_string() + " below CumQty " + s.cum_qty.to_string());
    }
    s.pending_cl_ord_id = e.cl_ord_id;
    s.pending_replace = spec;
    return {};
  }

  Status operator()(const ReplaceAck& e) const {
    if (!s.pending_replace) return illegal(s, "ReplaceAck", "no replace in flight");
    if (s.status == OrdStatus::Canceled || s.status == OrdStatus::Rejected || s.status == OrdStatus::Expired) {
      return illegal(s, "ReplaceAck", "the order is closed");
    }
    const Quantity qty = e.order_qty.value_or(s.pending_replace->quantity.value_or(s.order_qty));
    const std::optional<Price> px = e.limit_price ? e.limit_price : s.pending_replace->limit_price ? s.pending_replace->limit_price : s.limit_price;
    if (!qty.is_positive()) return invalid("ReplaceAck", "OrderQty must be positive", "order_qty");
    if (px && px->is_negative()) return invalid("ReplaceAck", "negative Price", "limit_price");
    s.cl_ord_id = *s.pending_cl_ord_id;
    s.chain.push_back(s.cl_ord_id);
    s.pending_cl_ord_id.reset();
    s.pending_replace.reset();
    s.order_qty = qty;  // below CumQty only if the broker says so: settle() flags it as an overfill
    s.limit_price = px;
    s.status = trade_status(s);
    settle(s);
    return {};
  }

  Status operator()(const ReplaceReject&) const {
    if (!s.pending_replace) return illegal(s, "ReplaceReject", "no replace in flight");
    s.pending_cl_ord_id.reset();
    s.pending_replace.reset();
    if (s.status == OrdStatus::PendingReplace || s.status == OrdStatus::Replaced) s.status = trade_status(s);
    settle(s);
    return {};
  }

  Status operator()(const PendingAck& e) const {
    switch (e.status) {
      case OrdStatus::PendingNew:
        if (s.status != OrdStatus::PendingNew) return illegal(s, "PendingAck(PendingNew)", "the order was already acknowledged");
        return {};
      case OrdStatus::PendingCancel:
      case OrdStatus::PendingReplace:
        if (!is_open(s.status)) return illegal(s, "PendingAck", "the order is closed");
        s.status = e.status;
        settle(s);
        return {};
      default:
        return invalid("PendingAck", "OrdStatus " + status_name(e.status) + " is not a pending status", "status");
    }
  }

  Status close(std::string_view name, OrdStatus to) const {
    if (!is_open(s.status)) return illegal(s, name, "the order is closed");
    s.status = to;
    settle(s);
    return {};
  }
  Status operator()(const Expire&) const { return close("Expire", OrdStatus::Expired); }
  Status operator()(const DoneForDay&) const { return close("DoneForDay", OrdStatus::DoneForDay); }

  Status operator()(const Restate& e) const {
    if (e.order_qty && !e.order_qty->is_positive()) return invalid("Restate", "OrderQty must be positive", "order_qty");
    if (e.limit_price && e.limit_price->is_negative()) return invalid("Restate", "negative Price", "limit_price");
    if (is_dead(s.status)) return illegal(s, "Restate", "the order is closed");
    if (e.order_qty) s.order_qty = *e.order_qty;
    if (e.limit_price) s.limit_price = e.limit_price;
    restatus_after_sums(s);
    return {};
  }

  Status operator()(const TradeCancel& e) const {
    FillRecord* f = live_fill(s, e.ref_exec_id);
    if (f == nullptr) return illegal(s, "TradeCancel", "no live trade with ExecID " + e.ref_exec_id.str());
    Quantity cum;
    __int128 gross = 0;
    if (auto ok = adjust_sums(s.cum_qty, s.gross_raw, f->qty, f->px, -1, cum, gross); !ok) return ok;
    f->busted = true;
    s.cum_qty = cum;
    s.gross_raw = gross;
    restatus_after_sums(s);
    return {};
  }

  Status operator()(const TradeCorrect& e) const {
    if (auto ok = check_trade("TradeCorrect", e.exec_id, e.last_qty, e.last_px); !ok) return ok;
    if (exec_id_known(s, e.exec_id)) {
      return make_error(Errc::duplicate, "TradeCorrect: ExecID " + e.exec_id.str() + " already applied", "exec_id");
    }
    FillRecord* f = live_fill(s, e.ref_exec_id);
    if (f == nullptr) return illegal(s, "TradeCorrect", "no live trade with ExecID " + e.ref_exec_id.str());
    // Remove the old trade then add the new one, both checked before anything changes.
    Quantity cum;
    __int128 gross = 0;
    if (auto ok = adjust_sums(s.cum_qty, s.gross_raw, f->qty, f->px, -1, cum, gross); !ok) return ok;
    if (auto ok = adjust_sums(cum, gross, e.last_qty, e.last_px, +1, cum, gross); !ok) return ok;
    f->busted = true;
    s.fills.push_back(FillRecord{e.exec_id, e.last_qty, e.last_px, false});
    s.cum_qty = cum;
    s.gross_raw = gross;
    restatus_after_sums(s);
    return {};
  }

  Status operator()(const StatusReport& e) const {
    s.status = e.status;
    settle(s);
    compare_totals(s, e.broker);
    return {};
  }
};

}  // namespace

bool is_open(OrdStatus s) { return !is_dead(s) && s != OrdStatus::Filled; }

std::string_view event_name(const OrderEvent& e) {
  return std::visit(
      Overloaded{
          [](const AckNew&) -> std::string_view { return "AckNew"; },
          [](const Reject&) -> std::string_view { return "Reject"; },
          [](const PartialFill&) -> std::string_view { return "PartialFill"; },
          [](const Fill&) -> std::string_view { return "Fill"; },
          [](const CancelRequest&) -> std::string_view { return "CancelRequest"; },
          [](const CancelAck&) -> std::string_view { return "CancelAck"; },
          [](const CancelReject&) -> std::string_view { return "CancelReject"; },
          [](const ReplaceRequest&) -> std::string_view { return "ReplaceRequest"; },
          [](const ReplaceAck&) -> std::string_view { return "ReplaceAck"; },
          [](const ReplaceReject&) -> std::string_view { return "ReplaceReject"; },
          [](const PendingAck&) -> std::string_view { return "PendingAck"; },
          [](const Expire&) -> std::string_view { return "Expire"; },
          [](const DoneForDay&) -> std::string_view { return "DoneForDay"; },
          [](const Restate&) -> std::string_view { return "Restate"; },
          [](const TradeCancel&) -> std::string_view { return "TradeCancel"; },
          [](const TradeCorrect&) -> std::string_view { return "TradeCorrect"; },
          [](const StatusReport&) -> std::string_view { return "StatusReport"; },
      },
      e);
}

OrderState OrderState::create(ClOrdID cl_ord_id, Quantity qty, std::optional<Price> limit_price) {
  OrderState s;
  s.status = OrdStatus::PendingNew;
  s.order_qty = qty;
  s.limit_price = limit_price;
  s.cl_ord_id = cl_ord_id;
  s.chain.push_back(std::move(cl_ord_id));
  s.leaves_qty = qty;
  return s;
}

Price OrderState::avg_px() const { return cum_qty.is_zero() ? Price{} : average_price(gross_raw, cum_qty); }

bool OrderState::is_live() const { return !is_terminal(status); }

Status apply(OrderState& state, const OrderEvent& event) {
  // Each handler validates everything before its first write, so an error leaves `state` untouched.
  return std::visit(Applier{state}, event);
}

Status check(const OrderState& state, const OrderEvent& event) {
  OrderState copy = state;
  return book::apply(copy, event);  // qualified: ADL would also find std::apply
}

}  // namespace oms::book
