#include "oms/api/access.hpp"

#include <algorithm>

namespace oms::api {

bool allows(const User& u, Access access) {
  switch (access) {
    case Access::open:
    case Access::read: return true;
    case Access::trade: return u.has(Role::pm) || u.has(Role::trader) || u.has(Role::admin);
    case Access::audit:
    case Access::compliance: return u.has(Role::compliance) || u.has(Role::admin);
    case Access::admin: return u.has(Role::admin);
  }
  return false;
}

bool can_trade_account(const User& u, const AccountId& account, const engine::ReferenceData& ref) {
  if (u.has(Role::trader) || u.has(Role::admin)) return true;
  if (!u.has(Role::pm)) return false;
  auto it = ref.accounts.find(account);
  if (it == ref.accounts.end()) return false;
  const auto& pms = it->second.pms;
  return std::find(pms.begin(), pms.end(), u.id) != pms.end();
}

bool can_trade_order(const User& u, const OrderSpec& spec, const engine::ReferenceData& ref) {
  if (!spec.is_block()) return can_trade_account(u, spec.account, ref);
  return std::all_of(spec.allocations.begin(), spec.allocations.end(),
                     [&](const AllocationSlice& s) { return can_trade_account(u, s.account, ref); });
}

bool can_cancel_firmwide(const User& u) { return u.has(Role::trader) || u.has(Role::admin); }

}  // namespace oms::api
