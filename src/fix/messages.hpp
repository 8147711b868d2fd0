#pragma once
// Mapping between the domain and FIX 4.2 / 4.4 messages. Prices and quantities are read from
// QuickFIX as strings and parsed into the fixed-point types, never through floating point.
#include <string>

#include "oms/engine/engine.hpp"
#include "oms/fix/quickfix.hpp"

namespace oms::fix {

enum class Version { FIX42, FIX44 };
Version version_of(const std::string& begin_string);

// "YYYYMMDD-HH:MM:SS.sss", FIX UTCTimestamp.
std::string fix_timestamp(Timestamp t);

FIX::Message build_new_order(const engine::RoutedOrder& order, Version v, Timestamp now);
FIX::Message build_cancel(const engine::RoutedOrder& order, Version v, Timestamp now);
FIX::Message build_replace(const engine::RoutedOrder& order, Version v, Timestamp now);
FIX::Message build_status_request(const engine::RoutedOrder& order, Version v);
FIX::Message build_dont_know(const ExecutionReport& report, const std::string& reason, Version v);
// AllocationInstruction (4.4) / Allocation (4.2), J: AllocTransType 0 new, 1 replace or 2 cancel (with RefAllocID;
// a cancel's AllocID is the canceled one's followed by "-C"), the
// order's ClOrdIDs (NoOrders), the block's Side, Symbol, quantity (4.4 Quantity / 4.2 Shares), AvgPx, TradeDate,
// GrossTradeAmt, and per account AllocAccount, AllocQty (4.2 AllocShares), Commission (CommType 3, absolute).
FIX::Message build_allocation(const engine::RoutedAllocation& allocation, Version v, Timestamp now);

// ExecutionReport (8) -> normalised report. FIX 4.2's ExecTransType 1/2/3 become TradeCancel,
// TradeCorrect and OrderStatus; 4.2's ExecType 1/2 stay PartialFill/Fill. Errors name the tag.
Result<ExecutionReport> parse_execution_report(const FIX::Message& msg, Version v, const std::string& session,
                                               Timestamp now);
Result<engine::CancelRejectReport> parse_cancel_reject(const FIX::Message& msg, const std::string& session);
// AllocationInstructionAck (4.4) / AllocationAck (4.2), P: AllocID, AllocStatus, AllocRejCode, Text.
Result<engine::AllocationAck> parse_allocation_ack(const FIX::Message& msg, const std::string& session);

}  // namespace oms::fix
