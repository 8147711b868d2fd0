#pragma once
// Order vocabulary spelled as FIX spells it. Each enum converts to and from its FIX character.
#include <optional>
#include <string_view>

namespace oms {

enum class Side : char { Buy = '1', Sell = '2', SellShort = '5', SellShortExempt = '6' };
enum class OrdType : char { Market = '1', Limit = '2', Stop = '3', StopLimit = '4' };
enum class TimeInForce : char { Day = '0', GTC = '1', IOC = '3', FOK = '4', GTD = '6' };

// FIX 4.4 OrdStatus (tag 39): moved only by the broker's reports.
enum class OrdStatus : char {
  PendingNew = 'A',
  New = '0',
  PartiallyFilled = '1',
  Filled = '2',
  DoneForDay = '3',
  Canceled = '4',
  Replaced = '5',
  PendingCancel = '6',
  Rejected = '8',
  Expired = 'C',
  PendingReplace = 'E',
};

// The OMS's own workflow, kept apart from OrdStatus.
enum class Workflow : char {
  PendingCompliance = 'C',
  HeldForApproval = 'H',
  ComplianceRejected = 'X',
  Routed = 'R',        // durable and handed to the gateway
  NotRouted = 'N',     // the gateway refused it (unknown or logged-out broker); nothing was sent
  Working = 'W',       // durable, waiting to be handed to the gateway
};

inline bool is_buy(Side s) { return s == Side::Buy; }
inline bool is_sell(Side s) { return !is_buy(s); }

std::string_view to_string(Side s);
std::string_view to_string(OrdType t);
std::string_view to_string(TimeInForce t);
std::string_view to_string(OrdStatus s);
std::string_view to_string(Workflow w);

// Parse the names produced by to_string (case-insensitive) or the FIX character.
std::optional<Side> parse_side(std::string_view s);
std::optional<OrdType> parse_ord_type(std::string_view s);
std::optional<TimeInForce> parse_tif(std::string_view s);
std::optional<OrdStatus> parse_ord_status(std::string_view s);
std::optional<Workflow> parse_workflow(std::string_view s);

// Terminal: no further fills expected (Filled, Canceled, Rejected, Expired, DoneForDay, Replaced).
bool is_terminal(OrdStatus s);

}  // namespace oms
