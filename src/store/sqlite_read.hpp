#pragma once
// Read queries of SqliteStore, run on its read connection. Throw sql::Failure (parse_error for an event
// whose payload does not decode).
#include <optional>
#include <vector>

#include "oms/store/sqlite_store.hpp"
#include "sqlite_util.hpp"

namespace oms::store::read {

std::vector<engine::EventRecord> events(sql::Connection& db);
std::vector<Position> positions(sql::Connection& db);
std::vector<CashRow> cash(sql::Connection& db);
std::vector<ExecutionRow> executions(sql::Connection& db, OrderId order_id);
// All orders, or the one with `only`.
std::vector<OrderRow> orders(sql::Connection& db, std::optional<OrderId> only);

}  // namespace oms::store::read
