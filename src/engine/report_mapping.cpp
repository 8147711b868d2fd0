// Turns a broker's ExecutionReport into the book event it means. The state follows the broker's
// CumQty/LeavesQty rather than ExecType alone: a trade that leaves nothing open is a Fill.
#include "oms/engine/engine.hpp"

namespace oms::engine {

Result<book::OrderEvent> to_book_event(const ExecutionReport& r, const book::OrderState& order) {
  const book::BrokerTotals totals{r.cum_qty, r.leaves_qty, r.avg_px};
  switch (r.exec_type) {
    case ExecType::New:
      return book::OrderEvent{book::AckNew{}};
    case ExecType::PendingNew:
      return book::OrderEvent{book::PendingAck{OrdStatus::PendingNew}};
    case ExecType::PendingCancel:
      return book::OrderEvent{book::PendingAck{OrdStatus::PendingCancel}};
    case ExecType::PendingReplace:
      return book::OrderEvent{book::PendingAck{OrdStatus::PendingReplace}};
    case ExecType::Trade:
    case ExecType::PartialFill:
    case ExecType::Fill: {
      if (!r.last_qty.is_positive())
        return make_error(Errc::invalid_argument, "trade report " + r.exec_id.value + " without a positive LastQty",
                          "LastQty");
      const bool completes = r.leaves_qty.is_zero() || order.cum_qty + r.last_qty >= order.order_qty;
      if (completes) return book::OrderEvent{book::Fill{r.exec_id, r.last_qty, r.last_px, totals}};
      return book::OrderEvent{book::PartialFill{r.exec_id, r.last_qty, r.last_px, totals}};
    }
    case ExecType::Canceled:
      return book::OrderEvent{book::CancelAck{}};
    case ExecType::Replaced:
      return book::OrderEvent{book::ReplaceAck{r.order_qty, r.limit_price}};
    case ExecType::Rejected:
      return book::OrderEvent{book::Reject{r.text}};
    case ExecType::Expired:
      return book::OrderEvent{book::Expire{}};
    case ExecType::DoneForDay:
      return book::OrderEvent{book::DoneForDay{}};
    case ExecType::Restated:
      return book::OrderEvent{book::Restate{r.order_qty, r.limit_price, r.text}};
    case ExecType::TradeCancel:
      if (r.ref_exec_id.empty()) return make_error(Errc::invalid_argument, "trade cancel without ExecRefID", "ExecRefID");
      return book::OrderEvent{book::TradeCancel{r.ref_exec_id}};
    case ExecType::TradeCorrect:
      if (r.ref_exec_id.empty())
        return make_error(Errc::invalid_argument, "trade correct without ExecRefID", "ExecRefID");
      return book::OrderEvent{book::TradeCorrect{r.ref_exec_id, r.exec_id, r.last_qty, r.last_px}};
    case ExecType::OrderStatus:
      return book::OrderEvent{book::StatusReport{r.ord_status, totals}};
  }
  return make_error(Errc::invalid_argument, "unsupported ExecType", "ExecType");
}

}  // namespace oms::engine
