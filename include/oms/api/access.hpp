#pragma once
// Who may do what. Pure functions of the user, the reference data (which names each fund's PMs) and
// the order; the route x role table in src/api/ROUTES.md is built from these.
#include "oms/api/users.hpp"
#include "oms/domain/order.hpp"
#include "oms/engine/state.hpp"

namespace oms::api {

// Route-level gates, checked before a handler runs.
enum class Access {
  open,        // no token needed (healthz, static files)
  read,        // any authenticated user
  trade,       // pm, trader, admin (handlers then check each fund)
  audit,       // compliance, admin
  compliance,  // compliance, admin (approvals, rules)
  admin,       // admin only
};

bool allows(const User& user, Access access);

// trader and admin trade every fund; a pm trades the funds whose `pms` list names them.
bool can_trade_account(const User& user, const AccountId& account, const engine::ReferenceData& ref);
// Every fund of the order (its account, or each allocation of a block).
bool can_trade_order(const User& user, const OrderSpec& spec, const engine::ReferenceData& ref);
// Kill switch across funds (per broker or everything): trader and admin only.
bool can_cancel_firmwide(const User& user);

}  // namespace oms::api
