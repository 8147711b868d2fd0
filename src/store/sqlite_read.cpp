#include "sqlite_read.hpp"

#include <nlohmann/json.hpp>

#include "oms/store/event_codec.hpp"

namespace oms::store::read {

using namespace oms::engine;

namespace {

// Enum columns hold the names written by the store; anything else means the file was edited by hand.
template <class E>
E enum_col(const sql::Stmt& q, int col, std::optional<E> (*parse)(std::string_view)) {
  const std::string text = q.text(col);
  auto e = parse(text);
  if (!e) throw sql::Failure{make_error(Errc::parse_error, "unexpected value '" + text + "' in the database")};
  return *e;
}

template <class F>
std::optional<F> opt_col(const sql::Stmt& q, int col) {
  if (q.is_null(col)) return std::nullopt;
  return F::from_raw(q.i64(col));
}

}  // namespace

std::vector<EventRecord> events(sql::Connection& db) {
  sql::Stmt q(db.get(), "SELECT seq, time_ns, actor, order_id, type, payload FROM events ORDER BY seq");
  std::vector<EventRecord> out;
  while (q.step()) {
    const auto seq = static_cast<std::uint64_t>(q.i64(0));
    const std::string text = q.text(5);
    auto json = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded())
      throw sql::Failure{make_error(Errc::parse_error, "event " + std::to_string(seq) + ": payload is not JSON")};
    auto payload = payload_from_json(q.text(4), json);
    if (!payload)
      throw sql::Failure{make_error(Errc::parse_error, "event " + std::to_string(seq) + ": " + payload.error().message)};
    out.push_back(EventRecord{.seq = seq,
                              .time = from_nanos(q.i64(1)),
                              .actor = UserId(q.text(2)),
                              .order_id = OrderId(static_cast<std::uint64_t>(q.i64(3))),
                              .payload = std::move(*payload)});
  }
  return out;
}

std::vector<Position> positions(sql::Connection& db) {
  sql::Stmt q(db.get(), "SELECT account, symbol, quantity, cost FROM positions ORDER BY account, symbol");
  std::vector<Position> out;
  while (q.step())
    out.push_back({AccountId(q.text(0)), Symbol(q.text(1)), Quantity::from_raw(q.i64(2)), Money::from_raw(q.i64(3))});
  return out;
}

std::vector<CashRow> cash(sql::Connection& db) {
  sql::Stmt q(db.get(), "SELECT account, cash FROM cash ORDER BY account");
  std::vector<CashRow> out;
  while (q.step()) out.push_back({AccountId(q.text(0)), Money::from_raw(q.i64(1))});
  return out;
}

std::vector<ExecutionRow> executions(sql::Connection& db, OrderId order_id) {
  sql::Stmt q(db.get(),
              "SELECT seq, session, trading_day, exec_id, order_id, cl_ord_id, exec_type, ord_status, last_qty, "
              "last_px, cum_qty, leaves_qty, avg_px, commission, is_trade, transact_time_ns FROM executions "
              "WHERE order_id = ?1 ORDER BY seq");
  q.start().bind(1, static_cast<std::int64_t>(order_id.value));
  std::vector<ExecutionRow> out;
  while (q.step()) {
    ExecutionRow r;
    r.seq = static_cast<std::uint64_t>(q.i64(0));
    r.session = BrokerId(q.text(1));
    r.trading_day = q.text(2);
    r.exec_id = ExecID(q.text(3));
    r.order_id = OrderId(static_cast<std::uint64_t>(q.i64(4)));
    r.cl_ord_id = ClOrdID(q.text(5));
    r.exec_type = enum_col<ExecType>(q, 6, parse_exec_type);
    r.ord_status = enum_col<OrdStatus>(q, 7, parse_ord_status);
    r.last_qty = Quantity::from_raw(q.i64(8));
    r.last_px = Price::from_raw(q.i64(9));
    r.cum_qty = Quantity::from_raw(q.i64(10));
    r.leaves_qty = Quantity::from_raw(q.i64(11));
    r.avg_px = Price::from_raw(q.i64(12));
    r.commission = Money::from_raw(q.i64(13));
    r.is_trade = q.i64(14) != 0;
    r.transact_time = from_nanos(q.i64(15));
    out.push_back(std::move(r));
  }
  return out;
}

std::vector<OrderRow> orders(sql::Connection& db, std::optional<OrderId> only) {
  std::string sql =
      "SELECT order_id, cl_ord_id, pending_cl_ord_id, account, is_block, symbol, side, ord_type, qty, limit_px, "
      "broker, status, workflow, cum_qty, leaves_qty, avg_px, broken, break_reason, created_ns, updated_ns, "
      "last_seq FROM orders";
  sql += only ? " WHERE order_id = ?1" : " ORDER BY order_id";
  sql::Stmt q(db.get(), sql);
  q.start();
  if (only) q.bind(1, static_cast<std::int64_t>(only->value));
  std::vector<OrderRow> out;
  while (q.step()) {
    OrderRow r;
    r.order_id = OrderId(static_cast<std::uint64_t>(q.i64(0)));
    r.cl_ord_id = ClOrdID(q.text(1));
    if (!q.is_null(2)) r.pending_cl_ord_id = ClOrdID(q.text(2));
    r.account = AccountId(q.text(3));
    r.is_block = q.i64(4) != 0;
    r.symbol = Symbol(q.text(5));
    r.side = enum_col<Side>(q, 6, parse_side);
    r.ord_type = enum_col<OrdType>(q, 7, parse_ord_type);
    r.quantity = Quantity::from_raw(q.i64(8));
    r.limit_price = opt_col<Price>(q, 9);
    r.broker = BrokerId(q.text(10));
    r.status = enum_col<OrdStatus>(q, 11, parse_ord_status);
    r.workflow = enum_col<Workflow>(q, 12, parse_workflow);
    r.cum_qty = Quantity::from_raw(q.i64(13));
    r.leaves_qty = Quantity::from_raw(q.i64(14));
    r.avg_px = Price::from_raw(q.i64(15));
    r.broken = q.i64(16) != 0;
    r.break_reason = q.text(17);
    r.created = from_nanos(q.i64(18));
    r.updated = from_nanos(q.i64(19));
    r.last_seq = static_cast<std::uint64_t>(q.i64(20));
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace oms::store::read
