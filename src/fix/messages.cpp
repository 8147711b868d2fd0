#include "messages.hpp"

#include <cstdio>
#include <ctime>

namespace oms::fix {

namespace {

constexpr int kAccount = 1, kAvgPx = 6, kBeginString = 8, kClOrdID = 11, kCommission = 12, kCumQty = 14,
              kExecID = 17, kExecRefID = 19, kExecTransType = 20, kHandlInst = 21, kLastPx = 31, kLastQty = 32,
              kMsgType = 35, kOrderID = 37, kOrderQty = 38, kOrdStatus = 39, kOrdType = 40, kOrigClOrdID = 41,
              kPossDupFlag = 43, kPrice = 44, kSide = 54, kSymbol = 55, kText = 58, kTimeInForce = 59,
              kTransactTime = 60, kSettlDate = 64, kTradeDate = 75, kNoAllocs = 78, kAllocAccount = 79,
              kAllocQty = 80, kStopPx = 99, kCxlRejResponseTo = 434, kExpireTime = 126, kDKReason = 127,
              kExecType = 150, kLeavesQty = 151, kCommType = 13, kShares = 53, kAllocID = 70, kAllocTransType = 71,
              kRefAllocID = 72, kNoOrders = 73, kAllocStatus = 87, kAllocRejCode = 88, kGrossTradeAmt = 381,
              kAllocType = 626, kAllocNoOrdersType = 857;

FIX::Message new_message(Version v, const char* type) {
  FIX::Message m;
  m.getHeader().setField(kBeginString, v == Version::FIX42 ? "FIX.4.2" : "FIX.4.4");
  m.getHeader().setField(kMsgType, type);
  return m;
}

std::string field(const FIX::FieldMap& m, int tag) { return m.isSetField(tag) ? m.getField(tag) : std::string{}; }

template <class F>
Result<F> fixed_field(const FIX::FieldMap& m, int tag, bool required) {
  if (!m.isSetField(tag)) {
    if (required) return make_error(Errc::invalid_argument, "missing tag " + std::to_string(tag), std::to_string(tag));
    return F{};
  }
  auto v = F::parse(m.getField(tag));
  if (!v) return make_error(Errc::invalid_argument, "tag " + std::to_string(tag) + ": " + v.error().message,
                            std::to_string(tag));
  return *v;
}

void set_order_body(FIX::Message& m, const engine::RoutedOrder& o, Version v, Quantity qty,
                    const std::optional<Price>& limit, const std::optional<Price>& stop, TimeInForce tif) {
  const OrderSpec& s = *o.spec;
  if (v == Version::FIX42) m.setField(kHandlInst, "1");  // automated, private: required in 4.2
  if (!s.account.empty()) m.setField(kAccount, s.account.value);
  m.setField(kSymbol, s.symbol.value);
  m.setField(kSide, std::string(1, static_cast<char>(s.side)));
  m.setField(kOrderQty, qty.to_string());
  m.setField(kOrdType, std::string(1, static_cast<char>(s.ord_type)));
  if (limit) m.setField(kPrice, limit->to_string());
  if (stop) m.setField(kStopPx, stop->to_string());
  m.setField(kTimeInForce, std::string(1, static_cast<char>(tif)));
  if (s.expire_time && tif == TimeInForce::GTD) m.setField(kExpireTime, fix_timestamp(*s.expire_time));
  if (!s.settlement_date.empty()) m.setField(kSettlDate, s.settlement_date);
}

}  // namespace

Version version_of(const std::string& begin_string) {
  return begin_string == "FIX.4.2" ? Version::FIX42 : Version::FIX44;
}

std::string fix_timestamp(Timestamp t) {
  const auto ns = t.time_since_epoch().count();
  const std::time_t secs = static_cast<std::time_t>(ns / 1'000'000'000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d-%02d:%02d:%02d.%03d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>((ns / 1'000'000) % 1000));
  return buf;
}

FIX::Message build_new_order(const engine::RoutedOrder& o, Version v, Timestamp now) {
  FIX::Message m = new_message(v, "D");
  m.setField(kClOrdID, o.cl_ord_id.value);
  const OrderSpec& s = *o.spec;
  set_order_body(m, o, v, o.order_qty, s.limit_price, s.stop_price, s.tif);
  m.setField(kTransactTime, fix_timestamp(now));
  if (s.is_block()) {
    // Pre-allocation: the broker books the block to these accounts.
    for (const auto& slice : s.allocations) {
      FIX::Group g(kNoAllocs, kAllocAccount);
      g.setField(kAllocAccount, slice.account.value);
      g.setField(kAllocQty, slice.quantity.to_string());
      m.addGroup(g);
    }
  }
  return m;
}

FIX::Message build_cancel(const engine::RoutedOrder& o, Version v, Timestamp now) {
  FIX::Message m = new_message(v, "F");
  m.setField(kOrigClOrdID, o.orig_cl_ord_id.value);
  m.setField(kClOrdID, o.cl_ord_id.value);
  const OrderSpec& s = *o.spec;
  if (!s.account.empty()) m.setField(kAccount, s.account.value);
  m.setField(kSymbol, s.symbol.value);
  m.setField(kSide, std::string(1, static_cast<char>(s.side)));
  m.setField(kOrderQty, o.order_qty.to_string());
  m.setField(kTransactTime, fix_timestamp(now));
  return m;
}

FIX::Message build_replace(const engine::RoutedOrder& o, Version v, Timestamp now) {
  FIX::Message m = new_message(v, "G");
  m.setField(kOrigClOrdID, o.orig_cl_ord_id.value);
  m.setField(kClOrdID, o.cl_ord_id.value);
  const OrderSpec& s = *o.spec;
  const Quantity qty = o.replace.quantity.value_or(o.order_qty);
  const auto limit = o.replace.limit_price ? o.replace.limit_price : s.limit_price;
  const auto stop = o.replace.stop_price ? o.replace.stop_price : s.stop_price;
  set_order_body(m, o, v, qty, limit, stop, o.replace.tif.value_or(s.tif));
  m.setField(kTransactTime, fix_timestamp(now));
  return m;
}

FIX::Message build_status_request(const engine::RoutedOrder& o, Version v) {
  FIX::Message m = new_message(v, "H");
  m.setField(kClOrdID, o.cl_ord_id.value);
  m.setField(kSymbol, o.spec->symbol.value);
  m.setField(kSide, std::string(1, static_cast<char>(o.spec->side)));
  return m;
}

FIX::Message build_dont_know(const ExecutionReport& r, const std::string& reason, Version v) {
  FIX::Message m = new_message(v, "Q");
  m.setField(kOrderID, r.broker_order_id.empty() ? "NONE" : r.broker_order_id);
  m.setField(kExecID, r.exec_id.value);
  m.setField(kDKReason, "D");  // no matching order
  m.setField(kSymbol, r.symbol.empty() ? "N/A" : r.symbol.value);
  m.setField(kSide, std::string(1, static_cast<char>(r.side)));
  m.setField(kText, reason);
  return m;
}

FIX::Message build_allocation(const engine::RoutedAllocation& a, Version v, Timestamp now) {
  const engine::AllocationFixed& fixed = *a.allocation;
  const allocation::FinalAllocation& f = fixed.allocation;
  FIX::Message m = new_message(v, "J");
  if (a.cancel) {  // a cancel has its own AllocID and names the allocation it withdraws
    m.setField(kAllocID, fixed.alloc_id + "-C");
    m.setField(kAllocTransType, "2");
    m.setField(kRefAllocID, fixed.alloc_id);
  } else {
    m.setField(kAllocID, fixed.alloc_id);
    m.setField(kAllocTransType, fixed.ref_alloc_id.empty() ? "0" : "1");  // new / replace
    if (!fixed.ref_alloc_id.empty()) m.setField(kRefAllocID, fixed.ref_alloc_id);
  }
  if (v == Version::FIX44) {
    m.setField(kAllocType, "1");          // calculated: quantities and money per account
    m.setField(kAllocNoOrdersType, "1");  // explicit list of orders follows
  }
  for (const auto& id : a.cl_ord_ids) {
    FIX::Group g(kNoOrders, kClOrdID);
    g.setField(kClOrdID, id.value);
    m.addGroup(g);
  }
  m.setField(kSide, std::string(1, static_cast<char>(a.spec->side)));
  m.setField(kSymbol, a.spec->symbol.value);
  m.setField(kShares, f.quantity.to_string());  // Quantity (4.4) and Shares (4.2) are both tag 53
  m.setField(kAvgPx, f.avg_px.to_string());
  m.setField(kTradeDate, a.trade_date);
  m.setField(kTransactTime, fix_timestamp(now));
  m.setField(kGrossTradeAmt, f.gross.to_string(2));
  for (const auto& l : f.accounts) {
    FIX::Group g(kNoAllocs, kAllocAccount);
    g.setField(kAllocAccount, l.account.value);
    g.setField(kAllocQty, l.quantity.to_string());  // AllocQty (4.4) / AllocShares (4.2), tag 80
    g.setField(kCommission, l.commission.to_string(2));
    g.setField(kCommType, "3");  // absolute
    m.addGroup(g);
  }
  return m;
}

Result<ExecutionReport> parse_execution_report(const FIX::Message& msg, Version v, const std::string& session,
                                               Timestamp now) {
  ExecutionReport r;
  r.session = BrokerId{session};
  r.exec_id = ExecID{field(msg, kExecID)};
  r.ref_exec_id = ExecID{field(msg, kExecRefID)};
  r.cl_ord_id = ClOrdID{field(msg, kClOrdID)};
  r.orig_cl_ord_id = ClOrdID{field(msg, kOrigClOrdID)};
  r.broker_order_id = field(msg, kOrderID);
  r.text = field(msg, kText);
  r.symbol = Symbol{field(msg, kSymbol)};
  if (const auto side = parse_side(field(msg, kSide))) r.side = *side;
  const std::string exec_type = field(msg, kExecType);
  if (exec_type.size() != 1) return make_error(Errc::invalid_argument, "missing or bad ExecType (150)", "150");
  r.exec_type = static_cast<ExecType>(exec_type[0]);
  if (v == Version::FIX42) {
    const std::string trans = field(msg, kExecTransType);
    if (trans == "1") r.exec_type = ExecType::TradeCancel;
    else if (trans == "2") r.exec_type = ExecType::TradeCorrect;
    else if (trans == "3") r.exec_type = ExecType::OrderStatus;
  }
  switch (r.exec_type) {
    case ExecType::New: case ExecType::PartialFill: case ExecType::Fill: case ExecType::DoneForDay:
    case ExecType::Canceled: case ExecType::Replaced: case ExecType::PendingCancel: case ExecType::Rejected:
    case ExecType::PendingNew: case ExecType::Expired: case ExecType::Restated: case ExecType::PendingReplace:
    case ExecType::Trade: case ExecType::TradeCorrect: case ExecType::TradeCancel: case ExecType::OrderStatus:
      break;
    default:
      return make_error(Errc::invalid_argument, "unsupported ExecType '" + exec_type + "'", "150");
  }
  const auto status = parse_ord_status(field(msg, kOrdStatus));
  if (!status) return make_error(Errc::invalid_argument, "missing or bad OrdStatus (39)", "39");
  r.ord_status = *status;
  auto last_qty = fixed_field<Quantity>(msg, kLastQty, false);
  auto last_px = fixed_field<Price>(msg, kLastPx, false);
  auto cum = fixed_field<Quantity>(msg, kCumQty, true);
  auto leaves = fixed_field<Quantity>(msg, kLeavesQty, true);
  auto avg = fixed_field<Price>(msg, kAvgPx, true);
  auto commission = fixed_field<Money>(msg, kCommission, false);
  for (const Error* e : {last_qty.ok() ? nullptr : &last_qty.error(), last_px.ok() ? nullptr : &last_px.error(),
                         cum.ok() ? nullptr : &cum.error(), leaves.ok() ? nullptr : &leaves.error(),
                         avg.ok() ? nullptr : &avg.error(), commission.ok() ? nullptr : &commission.error()})
    if (e) return *e;
  r.last_qty = *last_qty;
  r.last_px = *last_px;
  r.cum_qty = *cum;
  r.leaves_qty = *leaves;
  r.avg_px = *avg;
  r.commission = *commission;
  if (msg.isSetField(kOrderQty)) {
    auto q = fixed_field<Quantity>(msg, kOrderQty, true);
    if (!q) return q.error();
    r.order_qty = *q;
  }
  if (msg.isSetField(kPrice)) {
    auto p = fixed_field<Price>(msg, kPrice, true);
    if (!p) return p.error();
    r.limit_price = *p;
  }
  r.poss_dup = field(msg.getHeader(), kPossDupFlag) == "Y";
  r.transact_time = now;
  const std::string trade_date = field(msg, kTradeDate);
  r.trading_day = trade_date.empty() ? trading_day(now) : trade_date;
  return r;
}

Result<engine::CancelRejectReport> parse_cancel_reject(const FIX::Message& msg, const std::string& session) {
  engine::CancelRejectReport r;
  r.session = BrokerId{session};
  r.cl_ord_id = ClOrdID{field(msg, kClOrdID)};
  r.orig_cl_ord_id = ClOrdID{field(msg, kOrigClOrdID)};
  r.for_replace = field(msg, kCxlRejResponseTo) == "2";
  r.reason = field(msg, kText);
  if (r.cl_ord_id.empty()) return make_error(Errc::invalid_argument, "missing ClOrdID (11)", "11");
  return r;
}

Result<engine::AllocationAck> parse_allocation_ack(const FIX::Message& msg, const std::string& session) {
  engine::AllocationAck ack;
  ack.session = BrokerId{session};
  ack.alloc_id = field(msg, kAllocID);
  if (ack.alloc_id.empty()) return make_error(Errc::invalid_argument, "missing AllocID (70)", "70");
  const std::string status = field(msg, kAllocStatus);
  if (status.size() != 1) return make_error(Errc::invalid_argument, "missing or bad AllocStatus (87)", "87");
  ack.alloc_status = status[0];
  ack.rej_code = field(msg, kAllocRejCode);
  ack.text = field(msg, kText);
  return ack;
}

}  // namespace oms::fix
