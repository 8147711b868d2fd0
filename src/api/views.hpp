#pragma once
// JSON views of engine state. Price, Quantity and Money are JSON strings in exact decimal form (as in
// the event codec); times are ISO 8601 UTC strings; enums are their names from oms/domain/enums.hpp.
#include <nlohmann/json.hpp>

#include "oms/engine/state.hpp"

namespace oms::api {

nlohmann::json order_json(const engine::OrderRecord& r);
nlohmann::json position_json(const Position& p);
nlohmann::json account_json(const Account& a, const Money* current_cash);
nlohmann::json instrument_json(const Instrument& i);

}  // namespace oms::api
