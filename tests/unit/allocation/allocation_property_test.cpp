// Properties of the allocation module over random blocks, lot sizes, account sets and fill sequences.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "oms/allocation/block_allocation.hpp"
#include "oms/allocation/largest_remainder.hpp"
#include "oms/allocation/split.hpp"

namespace oms::allocation {
namespace {

struct Op {
  bool bust{false};
  std::int64_t qty_raw{0};    // fill quantity in raw units
  std::int64_t px_raw{0};     // fill price in raw units
  std::size_t bust_pick{0};  // which earlier fill to bust
};

struct Scenario {
  std::vector<AllocationSlice> targets;
  std::int64_t lot_raw{0};
  std::vector<Op> ops;
  Charges charges;
};

// Random block: 1..50 accounts with random ids (so input order and id order differ), whole or fractional
// targets, a lot size, and a fill sequence with busts that may or may not fill the block.
rc::Gen<Scenario> gen_scenario() {
  return rc::gen::exec([] {
    Scenario s;
    const auto n = *rc::gen::inRange<std::size_t>(1, 51);
    const bool fractional = *rc::gen::weightedElement<bool>({{4, false}, {1, true}});
    std::vector<std::string> ids = *rc::gen::unique<std::vector<std::string>>(
        n, rc::gen::map(rc::gen::inRange(0, 1'000'000), [](int k) { return "F" + std::to_string(k); }));
    for (const std::string& id : ids) {
      const std::int64_t shares = *rc::gen::inRange<std::int64_t>(1, 20'000);
      const std::int64_t frac = fractional ? *rc::gen::inRange<std::int64_t>(0, Quantity::kOne) : 0;
      s.targets.push_back(AllocationSlice{AccountId{id}, Quantity::from_raw(shares * Quantity::kOne + frac)});
    }
    s.lot_raw = *rc::gen::element<std::int64_t>(1, 1, 10, 100, 1000) * Quantity::kOne;
    s.charges.commission = Money::from_raw(*rc::gen::inRange<std::int64_t>(-10'000, 10'000'000));
    s.charges.fees = Money::from_raw(*rc::gen::inRange<std::int64_t>(0, 100'000) * 100);
    const auto nops = *rc::gen::inRange<std::size_t>(1, 40);
    for (std::size_t i = 0; i < nops; ++i) {
      Op op;
      op.bust = *rc::gen::weightedElement<bool>({{6, false}, {1, true}});
      const bool frac_fill = *rc::gen::weightedElement<bool>({{8, false}, {1, true}});
      op.qty_raw = frac_fill ? *rc::gen::inRange<std::int64_t>(1, 50'000 * Quantity::kOne)
                             : *rc::gen::inRange<std::int64_t>(1, 50'000) * Quantity::kOne;
      op.px_raw = *rc::gen::inRange<std::int64_t>(1, 1'000'000'000);
      op.bust_pick = *rc::gen::inRange<std::size_t>(0, 1000);
      s.ops.push_back(op);
    }
    return s;
  });
}

// Runs a scenario, checking the running invariants after every step. Fills are clipped to what is left
// (so the block can fill completely); overfill is checked separately.
BlockAllocation run(const Scenario& s) {
  auto created = BlockAllocation::create(s.targets, Quantity::from_raw(s.lot_raw));
  RC_ASSERT(created.ok());
  BlockAllocation b = std::move(*created);
  std::vector<ExecID> live;
  int seq = 0;
  for (const Op& op : s.ops) {
    std::vector<std::int64_t> before;
    for (const auto& a : b.accounts()) before.push_back(a.allocated.raw());
    std::int64_t expected_cum = b.cum_qty().raw();
    if (op.bust && !live.empty()) {
      const std::size_t k = op.bust_pick % live.size();
      const ExecID id = live[k];
      live.erase(live.begin() + static_cast<std::ptrdiff_t>(k));
      const auto& rec = *std::find_if(b.fills().begin(), b.fills().end(), [&](const FillRecord& r) { return r.fill.exec_id == id; });
      expected_cum -= rec.fill.quantity.raw();
      auto rev = b.bust(id);
      RC_ASSERT(rev.ok());
      for (const AccountFill& p : *rev) RC_ASSERT(p.quantity.is_negative());
    } else {
      const std::int64_t left = b.order_qty().raw() - b.cum_qty().raw();
      if (left == 0) continue;
      const std::int64_t q = std::min(op.qty_raw, left);
      const ExecID id{"E" + std::to_string(++seq)};
      auto pieces = b.on_fill(Fill{id, Quantity::from_raw(q), Price::from_raw(op.px_raw)});
      RC_ASSERT(pieces.ok());
      std::int64_t sum = 0;
      for (const AccountFill& p : *pieces) {
        RC_ASSERT(p.quantity.is_positive());  // never takes shares back
        sum += p.quantity.raw();
      }
      RC_ASSERT(sum == q);  // the fill is allocated exactly, no share created or lost
      // Whole fills onto whole allocations stay whole.
      if (q % Quantity::kOne == 0 && std::all_of(before.begin(), before.end(), [](std::int64_t v) { return v % Quantity::kOne == 0; }) &&
          std::all_of(s.targets.begin(), s.targets.end(), [](const AllocationSlice& t) { return t.quantity.is_integral(); }))
        for (const AccountFill& p : *pieces) RC_ASSERT(p.quantity.is_integral());
      expected_cum += q;
      live.push_back(id);
    }
    std::int64_t total = 0;
    for (const auto& a : b.accounts()) {
      RC_ASSERT(a.allocated.raw() >= 0);
      RC_ASSERT(a.allocated <= a.target);  // never more than its target
      total += a.allocated.raw();
      std::int64_t from_history = 0;
      for (const FillPiece& p : a.history) from_history += p.quantity.raw();
      RC_ASSERT(from_history == a.allocated.raw());  // the audit history explains the allocation
    }
    RC_ASSERT(total == b.cum_qty().raw());  // sum of allocations == CumQty after every step
    RC_ASSERT(b.cum_qty().raw() == expected_cum);
  }
  return b;
}

RC_GTEST_PROP(AllocationProperty, RunningAllocationAndFinalAllocation, ()) {
  const Scenario s = *gen_scenario();
  BlockAllocation b = run(s);
  if (b.cum_qty().is_zero()) {
    RC_ASSERT(b.finalize().error().code == Errc::conflict);
    return;
  }
  auto fin = b.finalize(s.charges);
  RC_ASSERT(fin.ok());
  std::int64_t qty = 0;
  Money gross, commission, fees;
  std::size_t off_lot = 0;
  for (const AccountAllocation& a : fin->accounts) {
    RC_ASSERT(a.quantity.is_positive());
    RC_ASSERT(a.avg_px == fin->avg_px);
    RC_ASSERT(a.gross.raw() % 100 == 0);  // whole cents
    const auto& acc = *std::find_if(b.accounts().begin(), b.accounts().end(),
                                    [&](const AccountState& st) { return st.account == a.account; });
    RC_ASSERT(a.quantity <= acc.target);
    if (a.quantity.raw() % s.lot_raw != 0 && a.quantity != acc.target) ++off_lot;
    qty += a.quantity.raw();
    gross += a.gross;
    commission += a.commission;
    fees += a.fees;
  }
  RC_ASSERT(qty == b.cum_qty().raw());  // the final allocation sums to the filled quantity
  // Money ties to the block: gross = sum(qty x px) rounded to the cent once.
  const __int128 cents = oms::detail::div_round_half_even(b.gross_raw(), oms::detail::pow10(Price::kScale + Quantity::kScale - 2));
  RC_ASSERT(gross.raw() == static_cast<std::int64_t>(cents * 100));
  RC_ASSERT(gross == fin->gross);
  RC_ASSERT(commission == s.charges.commission);
  RC_ASSERT(fees == s.charges.fees);
  // Lots where the total allows: when every target is a lot multiple, at most one account carries an odd lot.
  if (std::all_of(s.targets.begin(), s.targets.end(), [&](const AllocationSlice& t) { return t.quantity.raw() % s.lot_raw == 0; }))
    RC_ASSERT(off_lot <= 1U);

  // Replay from the same inputs gives the identical state, history and final allocation.
  BlockAllocation again = run(s);
  RC_ASSERT(again.finalize(s.charges).ok());
  RC_ASSERT(again == b);
}

RC_GTEST_PROP(AllocationProperty, OverfillIsRefusedWithoutEffect, ()) {
  const Scenario s = *gen_scenario();
  auto b = BlockAllocation::create(s.targets, Quantity::from_raw(s.lot_raw));
  RC_ASSERT(b.ok());
  RC_ASSERT(b->on_fill(Fill{ExecID{"E1"}, b->order_qty(), Price::from_raw(1)}).ok());
  const BlockAllocation before = *b;
  RC_ASSERT(b->on_fill(Fill{ExecID{"E2"}, Quantity::from_raw(1), Price::from_raw(1)}).error().code == Errc::conflict);
  RC_ASSERT(*b == before);
  for (const auto& a : b->accounts()) RC_ASSERT(a.allocated == a.target);  // complete = the targets exactly
}

// Pre-trade split: sums to the order quantity, whole lots but one odd lot, each account within a lot of its
// exact share, and independent of the order the accounts are listed in.
RC_GTEST_PROP(AllocationProperty, SplitByWeights, ()) {
  const auto n = *rc::gen::inRange<std::size_t>(1, 51);
  std::vector<std::string> ids = *rc::gen::unique<std::vector<std::string>>(
      n, rc::gen::map(rc::gen::inRange(0, 1'000'000), [](int k) { return "F" + std::to_string(k); }));
  std::vector<AccountWeight> weights;
  std::map<AccountId, Account> book;
  for (const std::string& id : ids) {
    weights.push_back(AccountWeight{AccountId{id}, Weight::from_raw(*rc::gen::inRange<std::int64_t>(0, 10'000'000))});
    book[AccountId{id}] = Account{AccountId{id}, id, Money::from_int(1), Money{}, {}, {}};
  }
  weights[0].weight = Weight::from_raw(*rc::gen::inRange<std::int64_t>(1, 10'000'000));
  const AccountLookup lookup = [&](const AccountId& id) -> const Account* {
    const auto it = book.find(id);
    return it == book.end() ? nullptr : &it->second;
  };
  const std::int64_t lot = *rc::gen::element<std::int64_t>(1, 10, 100, 1000) * Quantity::kOne;
  const std::int64_t qty = *rc::gen::inRange<std::int64_t>(1, 100'000'000'000);
  auto split = split_by_weights(Quantity::from_raw(qty), Quantity::from_raw(lot), weights, lookup);
  RC_ASSERT(split.ok());
  __int128 wsum = 0;
  for (const auto& w : weights) wsum += w.weight.raw();
  std::int64_t sum = 0;
  std::size_t odd = 0;
  std::map<AccountId, std::int64_t> got;
  for (const AllocationSlice& sl : *split) {
    RC_ASSERT(sl.quantity.is_positive());
    sum += sl.quantity.raw();
    if (sl.quantity.raw() % lot != 0) ++odd;
    got[sl.account] = sl.quantity.raw();
  }
  RC_ASSERT(sum == qty);
  RC_ASSERT(odd <= 1U);
  const std::int64_t residual = qty % lot;
  for (const auto& w : weights) {
    // |q - exact| < lot (+ the odd lot), compared as q x W vs qty x w.
    const __int128 q = got.contains(w.account) ? got[w.account] : 0;
    const __int128 exact_num = static_cast<__int128>(qty) * w.weight.raw();
    RC_ASSERT(q * wsum > exact_num - static_cast<__int128>(lot) * wsum);
    RC_ASSERT(q * wsum < exact_num + static_cast<__int128>(lot + residual) * wsum);
  }
  std::vector<AccountWeight> reversed(weights.rbegin(), weights.rend());
  auto split2 = split_by_weights(Quantity::from_raw(qty), Quantity::from_raw(lot), reversed, lookup);
  RC_ASSERT(split2.ok());
  std::map<AccountId, std::int64_t> got2;
  for (const AllocationSlice& sl : *split2) got2[sl.account] = sl.quantity.raw();
  RC_ASSERT(got == got2);
}

// Hamilton itself: floor or ceiling of the exact share, and the sum is exact.
RC_GTEST_PROP(AllocationProperty, LargestRemainderQuota, ()) {
  const auto weights_raw = *rc::gen::nonEmpty(rc::gen::container<std::vector<std::int64_t>>(rc::gen::inRange<std::int64_t>(0, 1'000'000'000)));
  std::vector<__int128> w(weights_raw.begin(), weights_raw.end());
  w[0] += 1;
  std::vector<std::uint32_t> rank(w.size());
  for (std::uint32_t i = 0; i < rank.size(); ++i) rank[i] = i;
  const std::int64_t total = *rc::gen::inRange<std::int64_t>(0, INT64_MAX);
  const auto out = largest_remainder(total, w, rank);
  __int128 wsum = 0;
  for (const auto x : w) wsum += x;
  __int128 sum = 0;
  for (std::size_t i = 0; i < w.size(); ++i) {
    const QuotRem exact = mul_div_floor(total, w[i], wsum);
    RC_ASSERT(out[i] == exact.quot || (out[i] == exact.quot + 1 && exact.rem != 0));
    sum += out[i];
  }
  RC_ASSERT(sum == total);
}

// Lots: the uncapped fast path agrees with the general capped path given caps that never bind, the sum is
// exact and at most one account is off a lot multiple.
RC_GTEST_PROP(AllocationProperty, ApportionLotsFastPathMatchesGeneral, ()) {
  const auto weights_raw = *rc::gen::nonEmpty(rc::gen::container<std::vector<std::int64_t>>(rc::gen::inRange<std::int64_t>(0, 1'000)));
  std::vector<__int128> w(weights_raw.begin(), weights_raw.end());
  w[0] += 1;
  std::vector<std::uint32_t> rank(w.size());
  for (std::uint32_t i = 0; i < rank.size(); ++i) rank[i] = static_cast<std::uint32_t>(rank.size() - 1 - i);
  const std::int64_t lot = *rc::gen::inRange<std::int64_t>(1, 500);
  const std::int64_t total = *rc::gen::inRange<std::int64_t>(0, 1'000'000);
  const std::vector<std::int64_t> loose(w.size(), total);
  const auto fast = apportion_lots(total, lot, w, rank);
  RC_ASSERT(fast == apportion_lots(total, lot, w, rank, loose));
  std::int64_t sum = 0;
  std::size_t odd = 0;
  for (const auto q : fast) {
    sum += q;
    if (q % lot != 0) ++odd;
  }
  RC_ASSERT(sum == total);
  RC_ASSERT(odd <= 1U);
}

}  // namespace
}  // namespace oms::allocation
