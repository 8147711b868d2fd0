#pragma once
// Pre-trade split of a block order across accounts (funds). Pure functions of their inputs.
//
// Rounding (every method but explicit): quantities are apportioned by largest remainder in whole lots of the
// instrument's lot size; if the order quantity is not a lot multiple, the odd lot (order qty mod lot, which
// includes any fractional share) goes whole to the one account with the largest shortfall against its exact
// share; ties always go to the lower AccountId (ascending byte order). The split sums to the order quantity
// exactly and is independent of the order in which accounts are listed. Accounts whose quantity rounds to
// zero are dropped; the result keeps the input order of the others. See largest_remainder.hpp.
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "oms/core/fixed.hpp"
#include "oms/core/ids.hpp"
#include "oms/core/result.hpp"
#include "oms/domain/enums.hpp"
#include "oms/domain/order.hpp"
#include "oms/domain/reference.hpp"

namespace oms::allocation {

// Fixed-point weight with 6 decimals: a relative weight (50, 0.3) or a fraction of NAV (0.05 = 5%).
struct WeightTag {};
using Weight = Fixed<WeightTag, 6>;

// Reference data the split reads: the account for an id, or nullptr when unknown. Called on the caller's
// thread only while the split runs.
using AccountLookup = std::function<const Account*(const AccountId&)>;

// Explicit quantities as the PM gave them (not lot-rounded): every account known and listed once, every
// quantity positive, and the quantities summing exactly to order_qty. Returns the slices unchanged.
Result<std::vector<AllocationSlice>> split_explicit(Quantity order_qty, std::span<const AllocationSlice> slices,
                                                    const AccountLookup& accounts);

// Pro rata to each account's NAV (start-of-day, from reference data; must be positive).
Result<std::vector<AllocationSlice>> split_pro_rata_nav(Quantity order_qty, Quantity lot_size,
                                                        std::span<const AccountId> account_ids,
                                                        const AccountLookup& accounts);

// Pro rata to given weights (non-negative, not all zero; only their ratios matter).
struct AccountWeight {
  AccountId account;
  Weight weight;
};
Result<std::vector<AllocationSlice>> split_by_weights(Quantity order_qty, Quantity lot_size,
                                                      std::span<const AccountWeight> weights,
                                                      const AccountLookup& accounts);

// Bring each account towards a target weight of its NAV in the instrument.
//   need = target x NAV / price - current position   (shares; exact rational, positive = buy)
// Only accounts whose need is on the order's side take part (a buy: need > 0; any sell: need < 0); accounts
// that need nothing, or the other way, drop out.
//  - order_qty given: it is split pro rata to the participants' |need| (lot rounding as above; the order
//    quantity wins even when it is more or less than the total need).
//  - order_qty absent: each participant gets |need| rounded down to whole lots (never past its target), and
//    the order quantity is their sum; accounts whose need is less than a lot drop out.
struct TargetWeight {
  AccountId account;
  Weight target;      // fraction of NAV, >= 0 (0.05 = 5%)
  Quantity position;  // current position in the instrument, negative when short
};
struct AccountNeed {
  AccountId account;
  Quantity need;  // signed, truncated toward zero to Quantity's resolution
};
struct TargetWeightSplit {
  Quantity order_qty;
  std::vector<AllocationSlice> slices;
  std::vector<AccountNeed> needs;  // every listed account, for the PM's screen and the audit record
};
Result<TargetWeightSplit> split_to_target_weight(Side side, std::optional<Quantity> order_qty, Price price,
                                                 Quantity lot_size, std::span<const TargetWeight> targets,
                                                 const AccountLookup& accounts);

}  // namespace oms::allocation
