#pragma once
// Largest-remainder (Hamilton) apportionment in exact integer arithmetic: the one rounding rule of the
// allocation module. Everything is in raw integer units (Quantity raw = 0.0001 share, Money raw = 0.0001),
// weights are any non-negative integers (only their ratios matter), and ties are broken by a caller-given
// rank (the allocation module always ranks by AccountId, ascending byte order), so a result never depends
// on the order the inputs arrive in.
#include <cstdint>
#include <span>
#include <vector>

#include "oms/core/fixed.hpp"
#include "oms/core/ids.hpp"

namespace oms::allocation {

// floor(a * b / c) and the remainder, exact for any a, b >= 0, c > 0 whose quotient fits in 127 bits
// (the product may need 254 bits). Throws std::overflow_error when the quotient does not fit.
struct QuotRem {
  __int128 quot;
  __int128 rem;
};
QuotRem mul_div_floor(__int128 a, __int128 b, __int128 c);

// rank[i] = position of ids[i] when the ids are sorted ascending; the tie-break of every rule below.
// Duplicate ids keep their input order (callers reject duplicates before ranking).
std::vector<std::uint32_t> rank_by_id(std::span<const AccountId> ids);

// Hamilton: out[i] = floor(total * w[i] / W) + 1 for the (total - sum of floors) largest remainders
// total * w[i] mod W, equal remainders to the lower rank. sum(out) == total, and out[i] is the floor or the
// ceiling of its exact share (an account with a zero weight or an exact share never gets an extra unit).
// Preconditions (std::invalid_argument): total >= 0, weights >= 0 with a positive sum, equal sizes.
// std::overflow_error when the sum of weights does not fit in 127 bits.
void largest_remainder(std::int64_t total, std::span<const __int128> weights, std::span<const std::uint32_t> rank,
                       std::span<std::int64_t> out);
std::vector<std::int64_t> largest_remainder(std::int64_t total, std::span<const __int128> weights,
                                            std::span<const std::uint32_t> rank);

// Hamilton in lots with an odd-lot residual, optionally capped per account:
//  1. ideal[i] = total * w[i] / W (exact rational); each account first gets its ideal floored to whole lots
//     (and to its cap floored to whole lots).
//  2. Whole lots still unplaced go one each to the accounts with the largest shortfall ideal - allocated
//     (ties to the lower rank), only to accounts still short of their ideal and only while a whole lot fits
//     under the account's cap. Uncapped, this is exactly Hamilton over lots: every account gets floor or
//     ceiling of its ideal in lots.
//  3. What is left (the odd lot: total mod lot when uncapped, plus any lots that no cap allowed) goes to the
//     account with the largest shortfall after step 2 (ties to the lower rank), as much as its cap allows,
//     then to the next. Uncapped, exactly one account carries the odd lot and all others are lot multiples.
// Preconditions (std::invalid_argument): total >= 0, lot > 0, weights as above, caps empty (no caps) or
// one per account with sum(caps) >= total.
std::vector<std::int64_t> apportion_lots(std::int64_t total, std::int64_t lot, std::span<const __int128> weights,
                                         std::span<const std::uint32_t> rank, std::span<const std::int64_t> caps = {});

// Splits a money amount pro rata to weights (e.g. quantities) by Hamilton, in whole cents when the amount is a
// whole number of cents, else in Money's raw unit (0.0001), so the parts always sum to the amount exactly.
// A negative amount (a rebate) is split as its magnitude and negated.
std::vector<Money> split_money(Money amount, std::span<const __int128> weights, std::span<const std::uint32_t> rank);

}  // namespace oms::allocation
