#include "broker.hpp"

#include <chrono>
#include <iostream>

#include "oms/core/clock.hpp"

namespace oms::sim {
namespace {

using nlohmann::json;

std::string get(const FIX::FieldMap& m, int tag) { return m.isSetField(tag) ? m.getField(tag) : std::string{}; }

// Quantities and prices arrive as text and are parsed into fixed point: never through QuickFIX's typed
// getters, which convert to binary floating point.
Result<Quantity> parse_qty(const FIX::FieldMap& m, int tag) {
  if (!m.isSetField(tag)) return make_error(Errc::invalid_argument, "missing tag " + std::to_string(tag));
  return Quantity::parse(m.getField(tag));
}

// NoAllocs entries (AllocAccount, AllocQty; tag 80 is AllocShares in 4.2) for the journal.
json alloc_list(const FIX::FieldMap& m) {
  json allocs = json::array();
  const auto n = static_cast<int>(m.groupCount(FIX::FIELD::NoAllocs));
  for (int i = 1; i <= n; ++i) {
    const auto& g = m.getGroupRef(i, FIX::FIELD::NoAllocs);
    json entry = {{"AllocAccount", get(g, 79)}, {"AllocQty", get(g, 80)}};
    if (g.isSetField(12)) entry["Commission"] = get(g, 12);  // allocations (J) carry each account's commission
    allocs.push_back(std::move(entry));
  }
  return allocs;
}

}  // namespace

Broker::Broker(const SimConfig& config, Journal& journal, boost::asio::io_context& io)
    : config_(config), journal_(journal), io_(io) {
  // A run id keeps ExecIDs and OrderIDs unique across restarts of the simulator.
  run_id_ = std::to_string(to_nanos(SystemClock{}.now()) / 1000000 % 100000000);
}

void Broker::onLogon(const FIX::SessionID& id) {
  std::cerr << "broker-sim: logon " << id.toString() << std::endl;
  journal_.write({{"event", "logon"}, {"session", id.toString()}});
}

void Broker::onLogout(const FIX::SessionID& id) {
  std::cerr << "broker-sim: logout " << id.toString() << std::endl;
  journal_.write({{"event", "logout"}, {"session", id.toString()}});
}

void Broker::fromApp(const FIX::Message& message, const FIX::SessionID& id) {
  const auto& type = message.getHeader().getField(FIX::FIELD::MsgType);
  if (type == "D") return on_new_order(message, id);
  if (type == "F") return on_cancel(message, id);
  if (type == "G") return on_replace(message, id);
  if (type == "H") return on_status_request(message, id);
  if (type == "J") return on_allocation(message, id);
  if (type == "Q") {
    // The OMS does not know a report we sent (DontKnowTrade): journal it, nothing else changes.
    return journal_.write({{"event", "dont_know"}, {"session", id.toString()}, {"OrderID", get(message, 37)},
                           {"ExecID", get(message, 17)}, {"DKReason", get(message, 127)}, {"Text", get(message, 58)}});
  }
  throw FIX::UnsupportedMessageType();  // the session answers with BusinessMessageReject
}

std::string Broker::next_exec_id() { return "E" + run_id_ + "-" + std::to_string(++exec_seq_); }
std::string Broker::next_order_id() { return "O" + run_id_ + "-" + std::to_string(++order_seq_); }

Broker::OrderPtr Broker::find(const FIX::SessionID& id, const std::string& cl_ord_id) {
  auto& book = books_[id.toString()].by_cl_ord_id;
  auto it = book.find(cl_ord_id);
  return it == book.end() ? nullptr : it->second;
}

Price Broker::fill_price(const SimOrder& o) const {
  const auto& b = config_.behaviour(o.symbol);
  if (b.price == PriceSource::reference && b.reference_price) return *b.reference_price;
  if (o.price) return *o.price;
  return b.reference_price ? *b.reference_price : Price::from_int(100);
}

Price Broker::avg_px(const SimOrder& o) const {
  __int128 gross = 0;
  Quantity qty;
  for (const auto& f : o.fills) {
    if (f.busted) continue;
    gross += gross_raw(f.px, f.qty);
    qty += f.qty;
  }
  return qty.is_zero() ? Price{} : average_price(gross, qty);
}

std::string Broker::ord_status(const SimOrder& o) const {
  if (o.cum_qty >= o.order_qty && o.order_qty.is_positive()) return "2";
  if (!o.open) return o.status;
  return o.cum_qty.is_positive() ? "1" : "0";
}

void Broker::send(FIX::Message& m, const FIX::SessionID& id) {
  try {
    FIX::Session::sendToTarget(m, id);
  } catch (const FIX::SessionNotFound&) {
    std::cerr << "broker-sim: session not found " << id.toString() << std::endl;
  }
}

void Broker::later(int delay_ms, std::function<void()> fn) {
  auto timer = std::make_shared<boost::asio::steady_timer>(io_, std::chrono::milliseconds(delay_ms));
  timer->async_wait([timer, fn = std::move(fn)](const boost::system::error_code& ec) {
    if (!ec) fn();
  });
}

void Broker::on_new_order(const FIX::Message& m, const FIX::SessionID& id) {
  const auto cl_ord_id = get(m, FIX::FIELD::ClOrdID);
  const bool poss_dup = get(m.getHeader(), FIX::FIELD::PossDupFlag) == "Y";
  json record = {{"event", "order"},       {"session", id.toString()},          {"ClOrdID", cl_ord_id},
                 {"Symbol", get(m, 55)},   {"Side", get(m, 54)},                {"OrderQty", get(m, 38)},
                 {"OrdType", get(m, 40)},  {"Price", get(m, 44)},               {"Account", get(m, 1)},
                 {"PossDup", poss_dup}};
  if (const auto allocs = alloc_list(m); !allocs.empty()) record["NoAllocs"] = allocs;

  if (find(id, cl_ord_id)) {
    // A PossDup resend of an order already held is not a new order; a plain duplicate is rejected.
    record["accepted"] = false;
    record["reason"] = poss_dup ? "possdup of a known order ignored" : "duplicate ClOrdID";
    journal_.write(record);
    if (!poss_dup) {
      SimOrder dup;
      dup.order_id = "NONE";
      dup.cl_ord_id = cl_ord_id;
      dup.symbol = get(m, 55);
      dup.side = get(m, 54);
      dup.ord_type = get(m, 40);
      if (auto q = parse_qty(m, 38)) dup.order_qty = *q;
      dup.open = false;
      send_report(id, dup, Report::rejected, nullptr, "duplicate ClOrdID", 6);
    }
    return;
  }

  auto o = std::make_shared<SimOrder>();
  o->order_id = next_order_id();
  o->cl_ord_id = cl_ord_id;
  o->symbol = get(m, 55);
  o->side = get(m, 54);
  o->ord_type = get(m, 40);
  o->account = get(m, 1);
  record["OrderID"] = o->order_id;
  const auto qty = parse_qty(m, 38);
  std::optional<Price> px;
  bool bad_price = false;
  if (m.isSetField(44)) {
    auto p = Price::parse(m.getField(44));
    if (p) px = *p;
    else bad_price = true;
  }
  const auto& b = config_.behaviour(o->symbol);
  books_[id.toString()].by_cl_ord_id[cl_ord_id] = o;

  if (!qty || !qty->is_positive() || bad_price) {
    if (qty) o->order_qty = *qty;
    o->open = false;
    record["accepted"] = false;
    record["reason"] = "bad OrderQty or Price";
    journal_.write(record);
    return send_report(id, *o, Report::rejected, nullptr, "bad OrderQty or Price", 13);
  }
  o->order_qty = *qty;
  o->price = px;
  if (b.action == Action::reject || b.action == Action::session_reject) {
    o->open = false;
    record["accepted"] = false;
    record["reason"] = b.reject_text;
    if (b.action == Action::session_reject) {
      // Refused below the application: no order exists, so a status request (H) for it is answered as for an
      // unknown order (OrdStatus 8, OrdRejReason 5), which settles it at an OMS that lost the Reject in a crash.
      books_[id.toString()].by_cl_ord_id.erase(cl_ord_id);
      record["session_reject"] = true;
      journal_.write(record);
      return send_session_reject(id, m, 40, b.reject_text);
    }
    journal_.write(record);
    return send_report(id, *o, Report::rejected, nullptr, b.reject_text, b.reject_reason);
  }
  record["accepted"] = true;
  journal_.write(record);
  send_report(id, *o, Report::new_order);
  if (misbehave(id, o)) return;

  if (b.done_for_day_after && *b.done_for_day_after == 0) {
    if (b.delay_ms > 0) {
      const auto gen = o->generation;
      later(b.delay_ms, [this, id, o, gen] {
        if (o->open && o->generation == gen) send_done_for_day(id, o);
      });
    } else {
      send_done_for_day(id, o);
    }
    return;
  }
  if (b.action == Action::accept) return;
  o->slices_left = b.action == Action::partial ? b.slices : 1;
  schedule_fill(id, o, b.delay_ms);
}

void Broker::schedule_fill(const FIX::SessionID& id, const OrderPtr& o, int delay_ms) {
  if (delay_ms <= 0) return fill_slice(id, o);
  const auto gen = o->generation;
  later(delay_ms, [this, id, o, gen] {
    if (o->open && o->generation == gen) fill_slice(id, o);
  });
}

void Broker::fill_slice(const FIX::SessionID& id, const OrderPtr& o) {
  if (!o->open) return;
  const Quantity remaining = o->order_qty - o->cum_qty;
  if (!remaining.is_positive()) return;
  if (o->slices_left < 1) o->slices_left = 1;
  Quantity slice = remaining;
  if (o->slices_left > 1) {
    // Whole shares per slice when the quantity is whole; the last slice takes what is left.
    const std::int64_t n = o->slices_left;
    slice = remaining.is_integral() ? Quantity::from_int((remaining.whole() + n - 1) / n)
                                    : Quantity::from_raw((remaining.raw() + n - 1) / n);
    if (slice > remaining) slice = remaining;
  }
  --o->slices_left;
  SimFill fill{next_exec_id(), "", slice, fill_price(*o), false};
  o->cum_qty += slice;
  ++o->fills_sent;
  const bool filled = o->cum_qty >= o->order_qty;
  fill.exec_type = is42(id) ? (filled ? "2" : "1") : "F";
  o->fills.push_back(fill);
  if (filled) o->open = false;
  send_report(id, *o, Report::trade, &o->fills.back());
  after_fill(id, o);
}

void Broker::after_fill(const FIX::SessionID& id, const OrderPtr& o) {
  const auto& b = config_.behaviour(o->symbol);
  if (o->open && b.done_for_day_after && o->fills_sent >= *b.done_for_day_after) return send_done_for_day(id, o);
  if (o->open && o->slices_left > 0) return schedule_fill(id, o, b.delay_ms);
  if (!o->open && o->cum_qty >= o->order_qty && b.bust_after_fill) {
    later(b.bust_delay_ms, [this, id, o] { bust_last_fill(id, o); });
  }
}

void Broker::send_done_for_day(const FIX::SessionID& id, const OrderPtr& o) {
  o->open = false;
  o->done_for_day = true;
  ++o->generation;
  send_report(id, *o, Report::done_for_day);
}

void Broker::bust_last_fill(const FIX::SessionID& id, const OrderPtr& o) {
  for (auto it = o->fills.rbegin(); it != o->fills.rend(); ++it) {
    if (it->busted) continue;
    it->busted = true;
    o->cum_qty -= it->qty;
    // The busted quantity is open again (the simulator does not work it further).
    o->open = true;
    ++o->generation;
    send_report(id, *o, Report::trade_cancel, &*it);
    return;
  }
}

void Broker::on_cancel(const FIX::Message& m, const FIX::SessionID& id) {
  const auto orig = get(m, FIX::FIELD::OrigClOrdID);
  const auto o = find(id, orig);
  journal_.write({{"event", "cancel_request"}, {"session", id.toString()}, {"ClOrdID", get(m, 11)},
                  {"OrigClOrdID", orig}, {"known", o != nullptr}});
  if (!o || o->cl_ord_id != orig) return send_cancel_reject(id, m, o.get(), "1", 1, "unknown order");
  const auto& b = config_.behaviour(o->symbol);
  if (b.ignore_cancels) return;
  if (b.cancel_reject) return send_cancel_reject(id, m, o.get(), "1", 2, "cancel refused by broker-sim");
  if (b.session_reject_cancels) return send_session_reject(id, m, 41, "cancel refused at session level");
  if (!o->open) return send_cancel_reject(id, m, o.get(), "1", 0, "too late to cancel");
  o->previous_cl_ord_ids.push_back(o->cl_ord_id);
  o->cl_ord_id = get(m, FIX::FIELD::ClOrdID);
  books_[id.toString()].by_cl_ord_id[o->cl_ord_id] = o;
  o->open = false;
  ++o->generation;
  send_report(id, *o, Report::canceled);
}

void Broker::on_replace(const FIX::Message& m, const FIX::SessionID& id) {
  const auto orig = get(m, FIX::FIELD::OrigClOrdID);
  const auto o = find(id, orig);
  journal_.write({{"event", "replace_request"}, {"session", id.toString()}, {"ClOrdID", get(m, 11)},
                  {"OrigClOrdID", orig}, {"OrderQty", get(m, 38)}, {"Price", get(m, 44)}, {"known", o != nullptr}});
  if (!o || o->cl_ord_id != orig) return send_cancel_reject(id, m, o.get(), "2", 1, "unknown order");
  const auto& b = config_.behaviour(o->symbol);
  if (b.ignore_cancels) return;
  if (b.cancel_reject) return send_cancel_reject(id, m, o.get(), "2", 2, "replace refused by broker-sim");
  if (b.session_reject_cancels) return send_session_reject(id, m, 41, "replace refused at session level");
  if (!o->open) return send_cancel_reject(id, m, o.get(), "2", 0, "too late to replace");
  const auto qty = parse_qty(m, 38);
  std::optional<Price> px = o->price;
  if (m.isSetField(44)) {
    auto p = Price::parse(m.getField(44));
    if (!p) return send_cancel_reject(id, m, o.get(), "2", 2, "bad Price");
    px = *p;
  }
  if (!qty || !qty->is_positive() || *qty < o->cum_qty)
    return send_cancel_reject(id, m, o.get(), "2", 2, "OrderQty missing or below CumQty");
  o->previous_cl_ord_ids.push_back(o->cl_ord_id);
  o->cl_ord_id = get(m, FIX::FIELD::ClOrdID);
  books_[id.toString()].by_cl_ord_id[o->cl_ord_id] = o;
  o->order_qty = *qty;
  o->price = px;
  if (m.isSetField(40)) o->ord_type = m.getField(40);
  ++o->generation;
  if (o->cum_qty >= o->order_qty) o->open = false;
  send_report(id, *o, Report::replaced);
  // Fills continue on the new quantity with the slices that were left.
  if (o->open && b.action != Action::accept && (b.action == Action::partial || o->slices_left > 0)) {
    if (o->slices_left < 1) o->slices_left = 1;
    schedule_fill(id, o, b.delay_ms);
  }
}

void Broker::on_status_request(const FIX::Message& m, const FIX::SessionID& id) {
  const auto cl_ord_id = get(m, FIX::FIELD::ClOrdID);
  const auto o = find(id, cl_ord_id);
  journal_.write({{"event", "status_request"}, {"session", id.toString()}, {"ClOrdID", cl_ord_id}, {"known", o != nullptr}});
  if (o) return send_report(id, *o, Report::status);
  SimOrder unknown;
  unknown.order_id = "NONE";
  unknown.cl_ord_id = cl_ord_id;
  unknown.symbol = get(m, 55);
  unknown.side = get(m, 54);
  unknown.open = false;
  unknown.status = "8";
  send_report(id, unknown, Report::status, nullptr, "unknown order", 5);
}

void Broker::on_allocation(const FIX::Message& m, const FIX::SessionID& id) {
  const auto alloc_id = get(m, FIX::FIELD::AllocID);
  json record = {{"event", "allocation"}, {"session", id.toString()}, {"AllocID", alloc_id},
                 {"AllocTransType", get(m, 71)}, {"Symbol", get(m, 55)}, {"Side", get(m, 54)},
                 {"Quantity", get(m, 53)}, {"AvgPx", get(m, 6)}, {"RefAllocID", get(m, 72)},
                 {"AllocType", get(m, 626)}, {"TradeDate", get(m, 75)}, {"GrossTradeAmt", get(m, 381)}};
  json orders = json::array();  // NoOrders: the ClOrdIDs the allocation is for
  for (int i = 1; i <= static_cast<int>(m.groupCount(73)); ++i) orders.push_back(get(m.getGroupRef(i, 73), 11));
  record["ClOrdIDs"] = orders;
  record["NoAllocs"] = alloc_list(m);
  journal_.write(record);

  // The answer is the behaviour of the allocation's symbol (alloc: accept | reject | received | hold).
  const Behaviour& b = config_.behaviour(get(m, FIX::FIELD::Symbol));
  if (b.alloc != AllocAction::hold) {
    // AllocStatus: 0 accepted, 1 rejected (4.2) / block level reject (4.4), 3 received, in both versions.
    const std::string status = b.alloc == AllocAction::reject ? "1" : b.alloc == AllocAction::received ? "3" : "0";
    FIX::Message ack;
    ack.getHeader().setField(FIX::MsgType("P"));
    ack.setField(FIX::FIELD::AllocID, alloc_id);
    const auto trade_date = get(m, FIX::FIELD::TradeDate);
    ack.setField(FIX::FIELD::TradeDate, trade_date.empty() ? trading_day(SystemClock{}.now()) : trade_date);
    ack.setField(FIX::TransactTime(3));
    ack.setField(FIX::FIELD::AllocStatus, status);
    json ack_record = {{"event", "alloc_ack"}, {"session", id.toString()}, {"AllocID", alloc_id}, {"AllocStatus", status}};
    if (b.alloc == AllocAction::reject) {
      ack.setField(FIX::FIELD::AllocRejCode, std::to_string(b.alloc_rej_code));
      ack.setField(FIX::FIELD::Text, b.alloc_text);
      ack_record["AllocRejCode"] = std::to_string(b.alloc_rej_code);
      ack_record["Text"] = b.alloc_text;
    }
    journal_.write(ack_record);
    send(ack, id);
  } else {
    journal_.write({{"event", "alloc_held"}, {"session", id.toString()}, {"AllocID", alloc_id}});
  }

  if (!b.late_fill_after_cancel || get(m, 71) != "0") return;
  for (const auto& cl_ord_id : orders)
    if (const auto o = find(id, cl_ord_id.get<std::string>())) send_late_fill(id, o);
}

void Broker::send_late_fill(const FIX::SessionID& id, const OrderPtr& o) {
  if (o->open || o->late_filled || o->cum_qty >= o->order_qty) return;
  o->late_filled = true;
  const Quantity leaves = o->order_qty - o->cum_qty;
  SimFill fill{next_exec_id(), is42(id) ? "2" : "F", leaves, fill_price(*o), false};
  o->cum_qty += leaves;
  ++o->fills_sent;
  o->fills.push_back(fill);
  send_report(id, *o, Report::trade, &o->fills.back());
}

void Broker::send_cancel_reject(const FIX::SessionID& id, const FIX::Message& request, const SimOrder* o,
                                const std::string& response_to, int reason, const std::string& text) {
  FIX::Message r;
  r.getHeader().setField(FIX::MsgType("9"));
  const auto status = o ? ord_status(*o) : std::string("8");
  r.setField(FIX::FIELD::OrderID, o ? o->order_id : std::string("NONE"));
  r.setField(FIX::FIELD::ClOrdID, get(request, FIX::FIELD::ClOrdID));
  r.setField(FIX::FIELD::OrigClOrdID, get(request, FIX::FIELD::OrigClOrdID));
  r.setField(FIX::FIELD::OrdStatus, status);
  r.setField(FIX::FIELD::CxlRejResponseTo, response_to);
  r.setField(FIX::FIELD::CxlRejReason, std::to_string(reason));
  r.setField(FIX::FIELD::Text, text);
  r.setField(FIX::TransactTime(3));
  journal_.write({{"event", "cancel_reject"}, {"session", id.toString()}, {"ClOrdID", get(request, 11)},
                  {"OrigClOrdID", get(request, 41)}, {"OrderID", o ? o->order_id : "NONE"}, {"OrdStatus", status},
                  {"CxlRejResponseTo", response_to}, {"CxlRejReason", reason}, {"Text", text}});
  send(r, id);
}

void Broker::send_report(const FIX::SessionID& id, SimOrder& o, Report kind, const SimFill* fill,
                         const std::string& text, int rej_reason) {
  json record;
  FIX::Message r = report_message(id, o, kind, fill, text, rej_reason, record);
  // Journal first: whatever the OMS has received is already in the journal when a test compares.
  journal_.write(record);
  send(r, id);
}

FIX::Message Broker::report_message(const FIX::SessionID& id, SimOrder& o, Report kind, const SimFill* fill,
                                    const std::string& text, int rej_reason, json& record) {
  const bool v42 = is42(id);
  std::string exec_type;
  std::string exec_trans_type = "0";
  std::string exec_id = next_exec_id();
  std::string exec_ref_id;
  switch (kind) {
    case Report::new_order: exec_type = "0"; o.status = "0"; break;
    case Report::trade:
      exec_type = fill->exec_type;
      exec_id = fill->exec_id;
      o.status = ord_status(o);
      break;
    case Report::canceled: exec_type = "4"; o.status = "4"; break;
    case Report::replaced:
      exec_type = "5";
      o.status = ord_status(o);
      break;
    case Report::rejected: exec_type = "8"; o.status = "8"; break;
    case Report::done_for_day: exec_type = "3"; o.status = "3"; break;
    case Report::trade_cancel:
      exec_ref_id = fill->exec_id;
      o.status = ord_status(o);
      exec_type = v42 ? fill->exec_type : "H";
      if (v42) exec_trans_type = "1";
      break;
    case Report::status:
      exec_id = "0";  // status reports change nothing and are never de-duplicated by ExecID
      exec_type = v42 ? ord_status(o) : "I";
      if (v42) exec_trans_type = "3";
      break;
  }
  const std::string status = kind == Report::status ? ord_status(o) : (v42 && kind == Report::replaced ? "5" : o.status);
  const Quantity leaves = o.open ? o.order_qty - o.cum_qty : Quantity{};
  const Price avg = avg_px(o);

  FIX::Message r;
  r.getHeader().setField(FIX::MsgType("8"));
  r.setField(FIX::FIELD::OrderID, o.order_id);
  r.setField(FIX::FIELD::ClOrdID, o.cl_ord_id);
  if ((kind == Report::canceled || kind == Report::replaced) && !o.previous_cl_ord_ids.empty())
    r.setField(FIX::FIELD::OrigClOrdID, o.previous_cl_ord_ids.back());
  r.setField(FIX::FIELD::ExecID, exec_id);
  if (v42) r.setField(FIX::FIELD::ExecTransType, exec_trans_type);
  if (!exec_ref_id.empty()) r.setField(FIX::FIELD::ExecRefID, exec_ref_id);
  r.setField(FIX::FIELD::ExecType, exec_type);
  r.setField(FIX::FIELD::OrdStatus, status);
  if (rej_reason >= 0) r.setField(FIX::FIELD::OrdRejReason, std::to_string(rej_reason));
  if (!o.account.empty()) r.setField(FIX::FIELD::Account, o.account);
  r.setField(FIX::FIELD::Symbol, o.symbol.empty() ? std::string("UNKNOWN") : o.symbol);
  r.setField(FIX::FIELD::Side, o.side.empty() ? std::string("1") : o.side);
  if (o.order_qty.is_positive()) r.setField(FIX::FIELD::OrderQty, o.order_qty.to_string());
  if (!o.ord_type.empty()) r.setField(FIX::FIELD::OrdType, o.ord_type);
  if (o.price) r.setField(FIX::FIELD::Price, o.price->to_string());
  if (fill) {
    r.setField(FIX::FIELD::LastQty, fill->qty.to_string());
    r.setField(FIX::FIELD::LastPx, fill->px.to_string());
  }
  r.setField(FIX::FIELD::LeavesQty, leaves.to_string());
  r.setField(FIX::FIELD::CumQty, o.cum_qty.to_string());
  r.setField(FIX::FIELD::AvgPx, avg.to_string());
  r.setField(FIX::TransactTime(3));
  if (!text.empty()) r.setField(FIX::FIELD::Text, text);

  record = {{"event", "report"},        {"session", id.toString()},   {"OrderID", o.order_id},
            {"ClOrdID", o.cl_ord_id},   {"ExecID", exec_id},          {"ExecType", exec_type},
            {"OrdStatus", status},      {"Symbol", o.symbol},         {"Side", o.side},
            {"OrderQty", o.order_qty.to_string()},                    {"LeavesQty", leaves.to_string()},
            {"CumQty", o.cum_qty.to_string()},                        {"AvgPx", avg.to_string()}};
  if (v42) record["ExecTransType"] = exec_trans_type;
  if (!exec_ref_id.empty()) record["ExecRefID"] = exec_ref_id;
  if ((kind == Report::canceled || kind == Report::replaced) && !o.previous_cl_ord_ids.empty())
    record["OrigClOrdID"] = o.previous_cl_ord_ids.back();
  if (o.price) record["Price"] = o.price->to_string();
  if (fill) {
    record["LastQty"] = fill->qty.to_string();
    record["LastPx"] = fill->px.to_string();
  }
  if (!text.empty()) record["Text"] = text;
  return r;
}

}  // namespace oms::sim
