#pragma once
// EventRecord <-> JSON. Used by the store (the events.payload column) and by the API's live stream.
//
// Format: {"seq":1,"time_ns":<int64>,"actor":"pm1","order_id":7,"type":"ExecutionApplied","payload":{...}}
// - Timestamps are int64 nanoseconds since the epoch (keys ending in _ns).
// - Price, Quantity and Money are JSON strings in exact decimal form ("100.25"), never JSON numbers, so no
//   reader ever rounds them through a binary fraction.
// - Enums are their names from oms/domain/enums.hpp ("buy", "PartiallyFilled", "pending_compliance");
//   ExecType uses its FIX 4.4 name ("Trade", "OrderStatus", ...).
// - std::optional fields are omitted when empty (null is also read as empty).
// - book::OrderEvent is an object with "type" (the alternative's name) and its fields.
// Decoding never throws: malformed input is an Error (Errc::parse_error).
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "oms/core/result.hpp"
#include "oms/engine/events.hpp"

namespace oms::store {

nlohmann::json to_json(const engine::EventRecord& event);
Result<engine::EventRecord> event_from_json(const nlohmann::json& j);

// The payload alone ({"...fields"}); `type` is payload_name() of the alternative.
nlohmann::json payload_to_json(const engine::EventPayload& payload);
Result<engine::EventPayload> payload_from_json(std::string_view type, const nlohmann::json& j);

nlohmann::json order_event_to_json(const book::OrderEvent& event);
Result<book::OrderEvent> order_event_from_json(const nlohmann::json& j);

// Compact JSON text of to_json(event), and its inverse.
std::string encode_event(const engine::EventRecord& event);
Result<engine::EventRecord> decode_event(std::string_view text);

std::string_view exec_type_name(ExecType t);
std::optional<ExecType> parse_exec_type(std::string_view name);

}  // namespace oms::store
