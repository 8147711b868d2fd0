#pragma once
// JSON views of engine state. Price, Quantity and Money are JSON strings in exact decimal form (as in
// the event codec); times are ISO 8601 UTC strings; enums are their names from oms/domain/enums.hpp.
#include <nlohmann/json.hpp>

#include "oms/engine/state.hpp"

namespace oms::api {

// The OrdStatus the API shows. An order the OMS itself refused to send (compliance_rejected, not_routed) never had a
// broker report, so its book is still PendingNew; it is shown Rejected, as FIX has an order refused before it was
// acknowledged (the workflow and its reason say who refused it).
OrdStatus shown_status(const engine::OrderRecord& r);
nlohmann::json order_json(const engine::OrderRecord& r);
nlohmann::json position_json(const Position& p);
nlohmann::json account_json(const Account& a, const Money* current_cash);
nlohmann::json instrument_json(const Instrument& i);

}  // namespace oms::api
