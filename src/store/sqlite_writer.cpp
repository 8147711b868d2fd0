#include "sqlite_writer.hpp"

#include <nlohmann/json.hpp>

#include "oms/store/event_codec.hpp"
#include "oms/store/trade_key.hpp"

namespace oms::store {

using namespace oms::engine;

namespace {

std::int64_t raw(Quantity q) { return q.raw(); }
std::int64_t raw(Price p) { return p.raw(); }
std::int64_t raw(Money m) { return m.raw(); }

std::int64_t add_or_throw(std::int64_t a, std::int64_t b, const char* what) {
  std::int64_t out = 0;
  if (__builtin_add_overflow(a, b, &out)) throw sql::Failure{make_error(Errc::overflow, std::string(what) + " overflows")};
  return out;
}

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};

}  // namespace

SqliteWriter::SqliteWriter(sql::Connection& c) : db_(c) {
  sqlite3* db = c.get();
  insert_event_ = sql::Stmt(db, "INSERT INTO events(seq, time_ns, actor, order_id, type, payload) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  insert_order_ = sql::Stmt(db,
                            "INSERT INTO orders(order_id, cl_ord_id, account, is_block, symbol, side, ord_type, qty, "
                            "limit_px, broker, status, workflow, cum_qty, leaves_qty, avg_px, created_ns, updated_ns, "
                            "last_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 0, ?8, 0, ?13, ?13, ?14)");
  savepoint_ = sql::Stmt(db, "SAVEPOINT item");
  release_ = sql::Stmt(db, "RELEASE item");
  rollback_to_ = sql::Stmt(db, "ROLLBACK TO item");
  touch_order_ = sql::Stmt(db, "UPDATE orders SET updated_ns = ?2, last_seq = ?3 WHERE order_id = ?1");
  set_workflow_ = sql::Stmt(db, "UPDATE orders SET workflow = ?2 WHERE order_id = ?1");
  set_pending_ = sql::Stmt(db,
                           "UPDATE orders SET pending_cl_ord_id = ?2, pending_qty = ?3, pending_limit_px = ?4 "
                           "WHERE order_id = ?1");
  insert_execution_ = sql::Stmt(db,
                                "INSERT INTO executions(seq, session, trading_day, exec_id, order_id, cl_ord_id, "
                                "exec_type, ord_status, last_qty, last_px, cum_qty, leaves_qty, avg_px, commission, "
                                "is_trade, transact_time_ns) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
                                "?12, ?13, ?14, ?15, ?16)");
  update_from_report_ = sql::Stmt(db,
                                  "UPDATE orders SET status = ?2, cum_qty = ?3, leaves_qty = ?4, avg_px = ?5 "
                                  "WHERE order_id = ?1");
  clear_pending_ = sql::Stmt(db,
                             "UPDATE orders SET pending_cl_ord_id = NULL, pending_qty = NULL, pending_limit_px = NULL "
                             "WHERE order_id = ?1");
  apply_replace_ = sql::Stmt(db,
                             "UPDATE orders SET cl_ord_id = COALESCE(?2, pending_cl_ord_id, cl_ord_id), "
                             "qty = COALESCE(?3, pending_qty, qty), limit_px = COALESCE(?4, pending_limit_px, limit_px), "
                             "pending_cl_ord_id = NULL, pending_qty = NULL, pending_limit_px = NULL WHERE order_id = ?1");
  apply_restate_ = sql::Stmt(db,
                             "UPDATE orders SET qty = COALESCE(?2, qty), limit_px = COALESCE(?3, limit_px) "
                             "WHERE order_id = ?1");
  mark_broken_ = sql::Stmt(db, "UPDATE orders SET broken = 1, break_reason = ?2 WHERE order_id = ?1");
  get_position_ = sql::Stmt(db, "SELECT quantity, cost FROM positions WHERE account = ?1 AND symbol = ?2");
  put_position_ = sql::Stmt(db,
                            "INSERT INTO positions(account, symbol, quantity, cost) VALUES (?1, ?2, ?3, ?4) "
                            "ON CONFLICT(account, symbol) DO UPDATE SET quantity = excluded.quantity, cost = excluded.cost");
  get_cash_ = sql::Stmt(db, "SELECT cash FROM cash WHERE account = ?1");
  put_cash_ = sql::Stmt(db,
                        "INSERT INTO cash(account, cash) VALUES (?1, ?2) "
                        "ON CONFLICT(account) DO UPDATE SET cash = excluded.cash");
  upsert_target_ = sql::Stmt(db,
                             "INSERT INTO fix_sessions(session, next_sender_seq, next_target_seq, creation_time_ns) "
                             "VALUES (?1, 1, ?2, 0) ON CONFLICT(session) DO UPDATE SET next_target_seq = excluded.next_target_seq");
  upsert_sender_ = sql::Stmt(db,
                             "INSERT INTO fix_sessions(session, next_sender_seq, next_target_seq, creation_time_ns) "
                             "VALUES (?1, ?2, 1, 0) ON CONFLICT(session) DO UPDATE SET next_sender_seq = excluded.next_sender_seq");
  raise_sender_ = sql::Stmt(db,
                            "INSERT INTO fix_sessions(session, next_sender_seq, next_target_seq, creation_time_ns) "
                            "VALUES (?1, ?2, 1, 0) ON CONFLICT(session) DO UPDATE SET "
                            "next_sender_seq = MAX(next_sender_seq, excluded.next_sender_seq)");
  insert_outgoing_ = sql::Stmt(db, "INSERT OR REPLACE INTO fix_outgoing(session, seq_num, raw) VALUES (?1, ?2, ?3)");
  delete_outgoing_ = sql::Stmt(db, "DELETE FROM fix_outgoing WHERE session = ?1");
  insert_allocation_ = sql::Stmt(db,
                                 "INSERT OR REPLACE INTO allocations(alloc_id, order_id, ref_alloc_id, version, amended, reason, "
                                 "quantity, avg_px, gross, commission, fees, status, created_by, created_ns, updated_ns, "
                                 "last_seq) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, 'new', ?12, ?13, ?13, ?14)");
  insert_allocation_line_ = sql::Stmt(db,
                                      "INSERT OR REPLACE INTO allocation_accounts(alloc_id, account, quantity, gross, commission, "
                                      "fees) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
  set_allocation_status_ = sql::Stmt(db,
                                     "UPDATE allocations SET status = ?2, rej_code = ?3, status_text = ?4, "
                                     "updated_ns = ?5, last_seq = ?6 WHERE alloc_id = ?1");
  reset_numbers_ = sql::Stmt(db,
                             "INSERT INTO fix_sessions(session, next_sender_seq, next_target_seq, creation_time_ns) "
                             "VALUES (?1, 1, 1, ?2) ON CONFLICT(session) DO UPDATE SET next_sender_seq = 1, "
                             "next_target_seq = 1, creation_time_ns = excluded.creation_time_ns");
}

void SqliteWriter::append_event(const EventRecord& e, const std::string& payload_json) {
  const auto order_id = static_cast<std::int64_t>(e.order_id.value);
  insert_event_.start()
      .bind(1, static_cast<std::int64_t>(e.seq))
      .bind(2, to_nanos(e.time))
      .bind(3, e.actor.str())
      .bind(4, order_id)
      .bind(5, payload_name(e.payload))
      .bind(6, payload_json)
      .run();

  std::visit(Overloaded{[&](const OrderAccepted& p) { on_accepted(e, p); },
                        [&](const WorkflowChanged& p) {
                          set_workflow_.start().bind(1, order_id).bind(2, to_string(p.workflow)).run();
                        },
                        [&](const OrderRequest& p) { on_request(e, p); },
                        [&](const ExecutionApplied& p) { on_execution(e, p); },
                        [&](const PositionChanged& p) { on_position(p); },
                        [&](const Alert& p) { on_alert(e, p); },
                        // Kept in the event log only; the WorkflowChanged that follows updates the orders table.
                        [&](const ComplianceChecked&) {},
                        [&](const ApprovalDecided&) {},
                        [&](const AllocationFixed& p) { on_allocation(e, p); },
                        [&](const AllocationStatusChanged& p) { on_allocation_status(e, p); },
                        [&](const RuleBookLoaded&) {}},  // the event log is the rule book's version history
             e.payload);

  if (e.order_id.valid() && !std::holds_alternative<OrderAccepted>(e.payload))
    touch_order_.start().bind(1, order_id).bind(2, to_nanos(e.time)).bind(3, static_cast<std::int64_t>(e.seq)).run();
}

void SqliteWriter::on_accepted(const EventRecord& e, const OrderAccepted& p) {
  const OrderSpec& s = p.spec;
  insert_order_.start()
      .bind(1, static_cast<std::int64_t>(e.order_id.value))
      .bind(2, p.cl_ord_id.str())
      .bind(3, s.account.str())
      .bind(4, std::int64_t{s.is_block() ? 1 : 0})
      .bind(5, s.symbol.str())
      .bind(6, to_string(s.side))
      .bind(7, to_string(s.ord_type))
      .bind(8, raw(s.quantity))
      .bind_opt(9, s.limit_price)
      .bind(10, s.broker.str())
      .bind(11, to_string(OrdStatus::PendingNew))
      .bind(12, to_string(Workflow::PendingCompliance))
      .bind(13, to_nanos(e.time))
      .bind(14, static_cast<std::int64_t>(e.seq))
      .run();
}

void SqliteWriter::on_request(const EventRecord& e, const OrderRequest& p) {
  const auto id = static_cast<std::int64_t>(e.order_id.value);
  if (const auto* c = std::get_if<book::CancelRequest>(&p.event)) {
    set_pending_.start().bind(1, id).bind(2, c->cl_ord_id.str()).bind_null(3).bind_null(4).run();
  } else if (const auto* r = std::get_if<book::ReplaceRequest>(&p.event)) {
    set_pending_.start().bind(1, id).bind(2, r->cl_ord_id.str()).bind_opt(3, r->spec.quantity).bind_opt(4, r->spec.limit_price).run();
  } else if (std::holds_alternative<book::Reject>(p.event) || std::holds_alternative<book::CancelAck>(p.event)) {
    // Settled without a report (our D refused by a session Reject; a cancel of an order never routed): the book
    // allows either only before any fill, so nothing is done or left.
    const bool rejected = std::holds_alternative<book::Reject>(p.event);
    update_from_report_.start()
        .bind(1, id)
        .bind(2, to_string(rejected ? OrdStatus::Rejected : OrdStatus::Canceled))
        .bind(3, raw(Quantity{}))
        .bind(4, raw(Quantity{}))
        .bind(5, raw(Price{}))
        .run();
    clear_pending_.start().bind(1, id).run();
  } else if (std::holds_alternative<book::CancelReject>(p.event) || std::holds_alternative<book::ReplaceReject>(p.event)) {
    clear_pending_.start().bind(1, id).run();  // a withdrawn request (a broker's j or session Reject of our F/G)
  }
}

void SqliteWriter::on_execution(const EventRecord& e, const ExecutionApplied& p) {
  const ExecutionReport& r = p.report;
  const auto id = static_cast<std::int64_t>(e.order_id.value);
  const bool trade = is_trade(r.exec_type);
  const std::string day = effective_trading_day(r);
  auto& ins = insert_execution_.start();
  ins.bind(1, static_cast<std::int64_t>(e.seq))
      .bind(2, r.session.str())
      .bind(3, day)
      .bind(4, r.exec_id.str())
      .bind(5, id)
      .bind(6, r.cl_ord_id.str())
      .bind(7, exec_type_name(r.exec_type))
      .bind(8, to_string(r.ord_status))
      .bind(9, raw(r.last_qty))
      .bind(10, raw(r.last_px))
      .bind(11, raw(r.cum_qty))
      .bind(12, raw(r.leaves_qty))
      .bind(13, raw(r.avg_px))
      .bind(14, raw(r.commission))
      .bind(15, std::int64_t{trade ? 1 : 0})
      .bind(16, to_nanos(r.transact_time));
  const int rc = ins.try_run();
  if (rc == SQLITE_CONSTRAINT_UNIQUE && trade)
    throw sql::Failure{make_error(Errc::duplicate, "duplicate ExecID " + r.exec_id.str() + " (session " +
                                                       r.session.str() + ", trading day " + day + ")",
                                  "exec_id")};
  if (rc != SQLITE_DONE) ins.fail_with(rc);

  // The broker's view is authoritative for OrdStatus, CumQty, LeavesQty and AvgPx.
  update_from_report_.start()
      .bind(1, id)
      .bind(2, to_string(r.ord_status))
      .bind(3, raw(r.cum_qty))
      .bind(4, raw(r.leaves_qty))
      .bind(5, raw(r.avg_px))
      .run();

  if (const auto* ack = std::get_if<book::ReplaceAck>(&p.event)) {
    auto qty = ack->order_qty ? ack->order_qty : r.order_qty;
    auto px = ack->limit_price ? ack->limit_price : r.limit_price;
    auto& s = apply_replace_.start().bind(1, id);
    if (r.cl_ord_id.empty()) s.bind_null(2); else s.bind(2, r.cl_ord_id.str());
    s.bind_opt(3, qty).bind_opt(4, px).run();
  } else if (const auto* restate = std::get_if<book::Restate>(&p.event)) {
    apply_restate_.start().bind(1, id).bind_opt(2, restate->order_qty).bind_opt(3, restate->limit_price).run();
  } else if (std::holds_alternative<book::CancelAck>(p.event) || std::holds_alternative<book::CancelReject>(p.event) ||
             std::holds_alternative<book::ReplaceReject>(p.event)) {
    clear_pending_.start().bind(1, id).run();
  }
}

void SqliteWriter::on_position(const PositionChanged& p) {
  std::int64_t qty = 0;
  std::int64_t cost = 0;
  auto& get = get_position_.start().bind(1, p.account.str()).bind(2, p.symbol.str());
  if (get.step()) {
    qty = get.i64(0);
    cost = get.i64(1);
  }
  get.start();
  put_position_.start()
      .bind(1, p.account.str())
      .bind(2, p.symbol.str())
      .bind(3, add_or_throw(qty, raw(p.quantity_delta), "position quantity"))
      .bind(4, add_or_throw(cost, raw(p.cost_delta), "position cost"))
      .run();

  std::int64_t cash = 0;
  auto& get_cash = get_cash_.start().bind(1, p.account.str());
  if (get_cash.step()) cash = get_cash.i64(0);
  get_cash.start();
  put_cash_.start().bind(1, p.account.str()).bind(2, add_or_throw(cash, raw(p.cash_delta), "cash")).run();
}

void SqliteWriter::on_alert(const EventRecord& e, const Alert& p) {
  if (e.order_id.valid() && (p.kind == "break" || p.kind == "overfill"))
    mark_broken_.start().bind(1, static_cast<std::int64_t>(e.order_id.value)).bind(2, p.message).run();
}

// AllocIDs are unique in the engine's record; should one repeat, the table shows the latest (the log keeps both).
void SqliteWriter::on_allocation(const EventRecord& e, const AllocationFixed& a) {
  const allocation::FinalAllocation& p = a.allocation;
  insert_allocation_.start()
      .bind(1, a.alloc_id)
      .bind(2, static_cast<std::int64_t>(e.order_id.value))
      .bind(3, a.ref_alloc_id)
      .bind(4, std::int64_t{p.version})
      .bind(5, std::int64_t{p.amended ? 1 : 0})
      .bind(6, a.reason)
      .bind(7, raw(p.quantity))
      .bind(8, raw(p.avg_px))
      .bind(9, raw(p.gross))
      .bind(10, raw(p.commission))
      .bind(11, raw(p.fees))
      .bind(12, e.actor.str())
      .bind(13, to_nanos(e.time))
      .bind(14, static_cast<std::int64_t>(e.seq))
      .run();
  for (const auto& l : p.accounts)
    insert_allocation_line_.start()
        .bind(1, a.alloc_id)
        .bind(2, l.account.str())
        .bind(3, raw(l.quantity))
        .bind(4, raw(l.gross))
        .bind(5, raw(l.commission))
        .bind(6, raw(l.fees))
        .run();
}

void SqliteWriter::on_allocation_status(const EventRecord& e, const AllocationStatusChanged& p) {
  set_allocation_status_.start()
      .bind(1, p.alloc_id)
      .bind(2, p.status)
      .bind(3, p.rej_code)
      .bind(4, p.text)
      .bind(5, to_nanos(e.time))
      .bind(6, static_cast<std::int64_t>(e.seq))
      .run();
}

void SqliteWriter::set_next_target_seq(const std::string& session, int next) {
  upsert_target_.start().bind(1, session).bind(2, std::int64_t{next}).run();
}

void SqliteWriter::set_next_sender_seq(const std::string& session, int next) {
  upsert_sender_.start().bind(1, session).bind(2, std::int64_t{next}).run();
}

void SqliteWriter::record_outgoing(const std::string& session, int seq_num, const std::string& raw_msg) {
  insert_outgoing_.start().bind(1, session).bind(2, std::int64_t{seq_num}).bind_blob(3, raw_msg).run();
  raise_sender_.start().bind(1, session).bind(2, std::int64_t{seq_num} + 1).run();
}

void SqliteWriter::reset_session(const std::string& session, std::int64_t creation_time_ns) {
  delete_outgoing_.start().bind(1, session).run();
  reset_numbers_.start().bind(1, session).bind(2, creation_time_ns).run();
}

}  // namespace oms::store
