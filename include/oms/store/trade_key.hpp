#pragma once
// The de-duplication rule shared by every EventStore implementation: a trade report is identified by
// (session, trading_day, exec_id). Status reports (ExecType OrderStatus, often ExecID "0") and non-trade
// reports are never de-duplicated.
#include <optional>
#include <string>
#include <tuple>

#include "oms/engine/events.hpp"

namespace oms::store {

inline bool is_trade(ExecType t) {
  return t == ExecType::Trade || t == ExecType::PartialFill || t == ExecType::Fill || t == ExecType::TradeCorrect ||
         t == ExecType::TradeCancel;
}

struct TradeKey {
  std::string session;
  std::string trading_day;
  std::string exec_id;
  friend auto operator<=>(const TradeKey&, const TradeKey&) = default;
};

// The report's trading_day is used as given; when the adapter left it empty, the UTC day of TransactTime.
inline std::string effective_trading_day(const ExecutionReport& r) {
  return r.trading_day.empty() ? trading_day(r.transact_time) : r.trading_day;
}

inline std::optional<TradeKey> trade_key(const engine::EventRecord& e) {
  const auto* applied = std::get_if<engine::ExecutionApplied>(&e.payload);
  if (applied == nullptr || !is_trade(applied->report.exec_type)) return std::nullopt;
  const auto& r = applied->report;
  return TradeKey{r.session.str(), effective_trading_day(r), r.exec_id.str()};
}

}  // namespace oms::store
