#pragma once
// Fill allocation of one block order: running allocation of every fill, trade busts, the final
// average-price allocation at completion, and PM amendments. A plain value with no clock, I/O or threads;
// the engine owns one per block order and calls it from its single writer thread.
//
// Running allocation (each fill):
//   The fill's quantity D is apportioned by largest remainder to the accounts' shortfalls against their
//   exact pro-rata share of the new CumQty C':  weight_i = max(0, target_i x C' / total - allocated_i).
//   When no account is ahead of its share this equals largest remainder on the cumulative quantity, but
//   it can never take shares back (no Alabama paradox), so every per-fill piece is >= 0; and since the
//   shortfalls sum to at least D, piece_i <= ceil(shortfall_i) <= target_i - allocated_i, so no account ever
//   exceeds its target. Ties go to the lower AccountId. Afterwards sum(allocated) == CumQty exactly.
//   Unit: whole shares when the fill, every target and every allocation so far are whole shares (lot sizes
//   do not apply); otherwise Quantity's resolution, 0.0001 share, by the same rule.
// Trade bust: the fill's per-account pieces are reversed exactly (and recorded as reversals in the history);
//   later fills re-balance through the shortfall weights.
// Final allocation (finalize): see FinalAllocation.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "oms/core/fixed.hpp"
#include "oms/core/ids.hpp"
#include "oms/core/result.hpp"
#include "oms/domain/order.hpp"

namespace oms::allocation {

// One execution of the block as the broker reported it.
struct Fill {
  ExecID exec_id;
  Quantity quantity;  // LastQty, > 0
  Price price;        // LastPx, > 0
  friend bool operator==(const Fill&, const Fill&) = default;
};

// One account's share of one fill, for position and cash updates. quantity < 0 reverses a busted fill.
struct AccountFill {
  AccountId account;
  ExecID exec_id;
  Quantity quantity;
  Price price;
  friend bool operator==(const AccountFill&, const AccountFill&) = default;
};

// Audit history per account: every piece it received, in order; a bust appends a negative piece.
struct FillPiece {
  ExecID exec_id;
  Quantity quantity;
  Price price;
  bool bust{false};
  friend bool operator==(const FillPiece&, const FillPiece&) = default;
};

struct AccountState {
  AccountId account;
  Quantity target;
  Quantity allocated;
  std::vector<FillPiece> history;
  friend bool operator==(const AccountState&, const AccountState&) = default;
};

struct FillRecord {
  Fill fill;
  bool busted{false};
  std::vector<std::pair<std::uint32_t, std::int64_t>> pieces;  // (account index, raw quantity), non-zero only
  friend bool operator==(const FillRecord&, const FillRecord&) = default;
};

// Commission and fees reported for the whole block (the engine decides how the broker reports them).
struct Charges {
  Money commission;
  Money fees;
  friend bool operator==(const Charges&, const Charges&) = default;
};

struct AccountAllocation {
  AccountId account;
  Quantity quantity;
  Price avg_px;      // the block's AvgPx, the same for every account
  Money gross;       // share of the block gross, whole cents
  Money commission;  // share of Charges::commission
  Money fees;        // share of Charges::fees
  friend bool operator==(const AccountAllocation&, const AccountAllocation&) = default;
};

// The allocation sent to the broker (AllocationInstruction).
//  - quantity: the filled quantity F. Per account: F apportioned pro rata to the targets in whole lots by
//    largest remainder, never above an account's target; the odd lot (F mod lot, and any lot no target has
//    room for) goes to the account(s) with the largest shortfall against the exact share; ties to the lower
//    AccountId. When F equals the order quantity the result is the targets themselves.
//  - avg_px: exact block gross / F, rounded half-even to Price's 6 decimals.
//  - gross: the block gross sum(LastQty x LastPx), exact, rounded half-even to the cent once. Per account:
//    that total apportioned in cents pro rata to quantity by largest remainder, i.e. quantity x (exact
//    average price) to within one cent, and the account amounts sum to the block gross exactly.
//  - commission/fees: likewise pro rata to quantity (whole cents when the total is whole cents).
//  - accounts: those with a positive quantity, in the block's account order.
struct FinalAllocation {
  std::uint32_t version{0};  // 1 when first fixed; +1 on every amendment or recomputation after a bust
  bool amended{false};
  Quantity quantity;
  Price avg_px;
  Money gross;
  Money commission;
  Money fees;
  std::vector<AccountAllocation> accounts;
  friend bool operator==(const FinalAllocation&, const FinalAllocation&) = default;
};

enum class AllocationStatus : char {
  Working = 'W',   // fills being allocated
  Final = 'F',     // final allocation fixed, may be amended until accepted
  Accepted = 'A',  // accepted (by the broker's AllocationInstructionAck); no more amendments
};
std::string_view to_string(AllocationStatus s);

class BlockAllocation {
 public:
  // targets: the pre-trade split (accounts unique and non-empty, quantities > 0); lot_size > 0.
  static Result<BlockAllocation> create(std::vector<AllocationSlice> targets, Quantity lot_size);

  // Allocates one fill; returns the non-zero per-account pieces in account order.
  // Errors: duplicate (ExecID already seen, busted ones included), invalid_argument (quantity or price not
  // positive), conflict (CumQty would exceed the order quantity, i.e. an overfill, nothing is allocated;
  // or the allocation is no longer Working).
  Result<std::vector<AccountFill>> on_fill(const Fill& fill);

  // Reverses a fill (trade bust). Returns the reversing pieces (negative quantities). Allowed in any status:
  // once final, the final allocation is recomputed by the rule (amendments are discarded), its version moves
  // on and the status returns to Final (or to Working with no final allocation if nothing is left filled).
  // Errors: not_found (unknown ExecID), duplicate (already busted).
  Result<std::vector<AccountFill>> bust(const ExecID& exec_id);

  // A fill that arrives after the final allocation was fixed (a broker's late fill after done for day or a
  // cancel): allocated like any fill within the order quantity, then, as after a bust, the final allocation is
  // recomputed by the rule (amendments are discarded), its version moves on and the status returns to Final.
  // Errors: conflict (no final allocation yet: use on_fill; or beyond the order quantity), as on_fill otherwise.
  Result<std::vector<AccountFill>> late_fill(const Fill& fill);

  // Fixes the final allocation (order filled, or done for day / canceled after a partial fill).
  // Errors: conflict (nothing filled, or not Working).
  Result<FinalAllocation> finalize(Charges charges = {});

  // A PM's amendment before acceptance: new quantity per account (accounts of this block, each listed at
  // most once, quantities >= 0, summing to the filled quantity; unlisted accounts get zero). Money is
  // recomputed by the rules of FinalAllocation. Errors: conflict (not Final), invalid_argument, not_found.
  Result<FinalAllocation> amend(std::span<const AllocationSlice> quantities);

  // The broker accepted the allocation. Errors: conflict (not Final).
  Status accept();

  // The block's commission and fees changed (a fill carrying commission was busted after completion): the
  // money of the final allocation, if there is one, is recomputed for the same quantities and version.
  void set_charges(Charges charges);

  Quantity order_qty() const { return Quantity::from_raw(total_); }
  Quantity cum_qty() const { return Quantity::from_raw(cum_); }
  Quantity lot_size() const { return Quantity::from_raw(lot_); }
  // Exact sum of LastQty x LastPx over live fills, at scale Price::kScale + Quantity::kScale.
  __int128 gross_raw() const { return gross_; }
  std::optional<Price> avg_px() const;
  AllocationStatus status() const { return status_; }
  const std::vector<AccountState>& accounts() const { return accounts_; }
  const std::vector<FillRecord>& fills() const { return fills_; }
  const std::optional<FinalAllocation>& final_allocation() const { return final_; }
  const Charges& charges() const { return charges_; }

  friend bool operator==(const BlockAllocation& a, const BlockAllocation& b) {
    return a.accounts_ == b.accounts_ && a.fills_ == b.fills_ && a.final_ == b.final_ && a.status_ == b.status_ &&
           a.cum_ == b.cum_ && a.gross_ == b.gross_ && a.charges_ == b.charges_;
  }

 private:
  BlockAllocation() = default;
  FinalAllocation compute_final(std::span<const std::int64_t> quantities, std::uint32_t version, bool amended) const;
  std::vector<std::int64_t> final_quantities() const;

  std::vector<AccountState> accounts_;
  std::vector<std::uint32_t> rank_;
  std::unordered_map<AccountId, std::uint32_t> index_;
  std::vector<FillRecord> fills_;
  std::unordered_map<ExecID, std::size_t> fill_index_;
  std::int64_t total_{0};
  std::int64_t cum_{0};
  std::int64_t lot_{0};
  __int128 gross_{0};
  Charges charges_{};
  AllocationStatus status_{AllocationStatus::Working};
  std::optional<FinalAllocation> final_;
  // Scratch for on_fill, reused to keep the hot path free of allocations.
  std::vector<__int128> weights_;
  std::vector<std::int64_t> out_;
};

}  // namespace oms::allocation
