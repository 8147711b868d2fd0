#include "oms/allocation/split.hpp"

#include <stdexcept>

#include "oms/allocation/largest_remainder.hpp"

namespace oms::allocation {

namespace {

// The accounts behind the ids (each looked up once) and their tie-break ranks.
struct Checked {
  std::vector<const Account*> accounts;
  std::vector<std::uint32_t> rank;
};

Result<Checked> check_accounts(std::span<const AccountId> ids, const AccountLookup& accounts) {
  if (ids.empty()) return make_error(Errc::invalid_argument, "a block needs at least one account", "accounts");
  Checked out;
  out.accounts.reserve(ids.size());
  for (const AccountId& id : ids) {
    if (id.empty()) return make_error(Errc::invalid_argument, "empty account id", "account");
    const Account* a = accounts(id);
    if (a == nullptr) return make_error(Errc::not_found, "unknown account: " + id.str(), "account");
    out.accounts.push_back(a);
  }
  out.rank = rank_by_id(ids);
  // Equal ids are adjacent in rank order.
  std::vector<std::uint32_t> by_rank(ids.size());
  for (std::uint32_t i = 0; i < ids.size(); ++i) by_rank[out.rank[i]] = i;
  for (std::size_t r = 1; r < by_rank.size(); ++r)
    if (ids[by_rank[r]] == ids[by_rank[r - 1]])
      return make_error(Errc::duplicate, "account listed twice: " + ids[by_rank[r]].str(), "account");
  return out;
}

Status check_qty_and_lot(Quantity order_qty, Quantity lot_size) {
  if (!order_qty.is_positive()) return make_error(Errc::invalid_argument, "order quantity must be positive", "quantity");
  if (!lot_size.is_positive()) return make_error(Errc::invalid_argument, "lot size must be positive", "lot_size");
  return {};
}

// Lot-rounded largest remainder over the weights; zero slices dropped, input order kept.
Result<std::vector<AllocationSlice>> apportion(Quantity order_qty, Quantity lot_size, std::span<const AccountId> ids,
                                               std::span<const __int128> weights,
                                               std::span<const std::uint32_t> rank) {
  std::vector<std::int64_t> parts;
  try {
    parts = apportion_lots(order_qty.raw(), lot_size.raw(), weights, rank);
  } catch (const std::overflow_error& e) {
    return make_error(Errc::overflow, e.what());
  } catch (const std::invalid_argument& e) {
    return make_error(Errc::invalid_argument, e.what());
  }
  std::vector<AllocationSlice> out;
  out.reserve(ids.size());
  for (std::size_t i = 0; i < ids.size(); ++i)
    if (parts[i] != 0) out.push_back(AllocationSlice{ids[i], Quantity::from_raw(parts[i])});
  return out;
}

}  // namespace

Result<std::vector<AllocationSlice>> split_explicit(Quantity order_qty, std::span<const AllocationSlice> slices,
                                                    const AccountLookup& accounts) {
  if (!order_qty.is_positive()) return make_error(Errc::invalid_argument, "order quantity must be positive", "quantity");
  std::vector<AccountId> ids;
  ids.reserve(slices.size());
  Quantity sum;
  for (const AllocationSlice& s : slices) {
    ids.push_back(s.account);
    if (!s.quantity.is_positive())
      return make_error(Errc::invalid_argument, "quantity for " + s.account.str() + " must be positive", "allocations");
    auto next = Quantity::checked_add(sum, s.quantity);
    if (!next) return next.error();
    sum = *next;
  }
  if (auto checked = check_accounts(ids, accounts); !checked) return checked.error();
  if (sum != order_qty)
    return make_error(Errc::invalid_argument,
                      "allocations sum to " + sum.to_string() + ", order quantity is " + order_qty.to_string(),
                      "allocations");
  return std::vector<AllocationSlice>(slices.begin(), slices.end());
}

Result<std::vector<AllocationSlice>> split_pro_rata_nav(Quantity order_qty, Quantity lot_size,
                                                        std::span<const AccountId> account_ids,
                                                        const AccountLookup& accounts) {
  if (auto st = check_qty_and_lot(order_qty, lot_size); !st) return st.error();
  auto checked = check_accounts(account_ids, accounts);
  if (!checked) return checked.error();
  std::vector<__int128> weights;
  weights.reserve(account_ids.size());
  for (const Account* a : checked->accounts) {
    if (!a->nav.is_positive())
      return make_error(Errc::invalid_argument, "account " + a->id.str() + " has no positive NAV", "nav");
    weights.push_back(a->nav.raw());
  }
  return apportion(order_qty, lot_size, account_ids, weights, checked->rank);
}

Result<std::vector<AllocationSlice>> split_by_weights(Quantity order_qty, Quantity lot_size,
                                                      std::span<const AccountWeight> weights,
                                                      const AccountLookup& accounts) {
  if (auto st = check_qty_and_lot(order_qty, lot_size); !st) return st.error();
  std::vector<AccountId> ids;
  std::vector<__int128> w;
  ids.reserve(weights.size());
  w.reserve(weights.size());
  bool any = false;
  for (const AccountWeight& aw : weights) {
    if (aw.weight.is_negative())
      return make_error(Errc::invalid_argument, "weight for " + aw.account.str() + " is negative", "weight");
    any = any || aw.weight.is_positive();
    ids.push_back(aw.account);
    w.push_back(aw.weight.raw());
  }
  auto checked = check_accounts(ids, accounts);
  if (!checked) return checked.error();
  if (!any) return make_error(Errc::invalid_argument, "all weights are zero", "weight");
  return apportion(order_qty, lot_size, ids, w, checked->rank);
}

Result<TargetWeightSplit> split_to_target_weight(Side side, std::optional<Quantity> order_qty, Price price,
                                                 Quantity lot_size, std::span<const TargetWeight> targets,
                                                 const AccountLookup& accounts) {
  if (order_qty) {
    if (auto st = check_qty_and_lot(*order_qty, lot_size); !st) return st.error();
  } else if (!lot_size.is_positive()) {
    return make_error(Errc::invalid_argument, "lot size must be positive", "lot_size");
  }
  if (!price.is_positive()) return make_error(Errc::invalid_argument, "price must be positive", "price");
  std::vector<AccountId> ids;
  ids.reserve(targets.size());
  for (const TargetWeight& t : targets) ids.push_back(t.account);
  auto checked = check_accounts(ids, accounts);
  if (!checked) return checked.error();

  // need = target x NAV / price - position. In raw units (weight 1e-6, NAV 1e-4, price 1e-6, qty 1e-4) the
  // need in raw quantity is (t x nav - pos x p) / p: every account shares the denominator p, so the
  // numerators are the apportionment weights.
  TargetWeightSplit result;
  std::vector<AccountId> part_ids;
  std::vector<__int128> part_weights;
  const __int128 p = price.raw();
  for (std::size_t k = 0; k < targets.size(); ++k) {
    const TargetWeight& t = targets[k];
    if (t.target.is_negative())
      return make_error(Errc::invalid_argument, "target weight for " + t.account.str() + " is negative", "target");
    const Money nav = checked->accounts[k]->nav;
    if (!nav.is_positive())
      return make_error(Errc::invalid_argument, "account " + t.account.str() + " has no positive NAV", "nav");
    __int128 held = 0, want = 0, num = 0;
    if (__builtin_mul_overflow(static_cast<__int128>(t.target.raw()), static_cast<__int128>(nav.raw()), &want) ||
        __builtin_mul_overflow(static_cast<__int128>(t.position.raw()), p, &held) ||
        __builtin_sub_overflow(want, held, &num))
      return make_error(Errc::overflow, "target need out of range for " + t.account.str());
    const __int128 need = num / p;  // truncated toward zero
    if (need > INT64_MAX || need < INT64_MIN)
      return make_error(Errc::overflow, "target need out of range for " + t.account.str());
    result.needs.push_back(AccountNeed{t.account, Quantity::from_raw(static_cast<std::int64_t>(need))});
    const __int128 signed_num = is_buy(side) ? num : -num;
    if (signed_num > 0) {
      part_ids.push_back(t.account);
      part_weights.push_back(signed_num);
    }
  }
  const char* none = is_buy(side) ? "no account needs to buy" : "no account needs to sell";
  if (part_ids.empty()) return make_error(Errc::invalid_argument, none, "targets");

  if (order_qty) {
    auto slices = apportion(*order_qty, lot_size, part_ids, part_weights, rank_by_id(part_ids));
    if (!slices) return slices.error();
    result.order_qty = *order_qty;
    result.slices = std::move(*slices);
    return result;
  }
  // No quantity given: each participant's need rounded down to whole lots, never past its target.
  std::int64_t sum = 0;
  for (std::size_t i = 0; i < part_ids.size(); ++i) {
    const __int128 need = part_weights[i] / p;
    const __int128 lots = need / lot_size.raw() * lot_size.raw();
    if (lots == 0) continue;
    if (lots > INT64_MAX || __builtin_add_overflow(sum, static_cast<std::int64_t>(lots), &sum))
      return make_error(Errc::overflow, "target quantity out of range");
    result.slices.push_back(AllocationSlice{part_ids[i], Quantity::from_raw(static_cast<std::int64_t>(lots))});
  }
  if (result.slices.empty()) return make_error(Errc::invalid_argument, std::string(none) + " a whole lot", "targets");
  result.order_qty = Quantity::from_raw(sum);
  return result;
}

}  // namespace oms::allocation
