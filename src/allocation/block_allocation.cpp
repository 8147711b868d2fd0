#include "oms/allocation/block_allocation.hpp"

#include <stdexcept>

#include "oms/allocation/largest_remainder.hpp"

namespace oms::allocation {

namespace {
constexpr std::int64_t kShare = Quantity::kOne;
// Block gross is at scale Price + Quantity; cents are at scale 2.
constexpr __int128 kGrossPerCent = oms::detail::pow10(Price::kScale + Quantity::kScale - 2);
constexpr std::int64_t kMoneyPerCent = Money::kOne / 100;
}  // namespace

std::string_view to_string(AllocationStatus s) {
  switch (s) {
    case AllocationStatus::Working: return "Working";
    case AllocationStatus::Final: return "Final";
    case AllocationStatus::Accepted: return "Accepted";
  }
  return "Working";
}

Result<BlockAllocation> BlockAllocation::create(std::vector<AllocationSlice> targets, Quantity lot_size) {
  if (targets.empty()) return make_error(Errc::invalid_argument, "a block needs at least one account", "allocations");
  if (!lot_size.is_positive()) return make_error(Errc::invalid_argument, "lot size must be positive", "lot_size");
  BlockAllocation b;
  b.lot_ = lot_size.raw();
  std::vector<AccountId> ids;
  ids.reserve(targets.size());
  for (AllocationSlice& s : targets) {
    if (s.account.empty()) return make_error(Errc::invalid_argument, "empty account id", "account");
    if (!s.quantity.is_positive())
      return make_error(Errc::invalid_argument, "target for " + s.account.str() + " must be positive", "allocations");
    if (__builtin_add_overflow(b.total_, s.quantity.raw(), &b.total_))
      return make_error(Errc::overflow, "block quantity out of range");
    const auto idx = static_cast<std::uint32_t>(b.accounts_.size());
    if (!b.index_.emplace(s.account, idx).second)
      return make_error(Errc::duplicate, "account listed twice: " + s.account.str(), "account");
    ids.push_back(s.account);
    b.accounts_.push_back(AccountState{std::move(s.account), s.quantity, Quantity{}, {}});
  }
  b.rank_ = rank_by_id(ids);
  b.weights_.resize(b.accounts_.size());
  b.out_.resize(b.accounts_.size());
  return b;
}

Result<std::vector<AccountFill>> BlockAllocation::on_fill(const Fill& fill) {
  if (status_ != AllocationStatus::Working)
    return make_error(Errc::conflict, "allocation is " + std::string(to_string(status_)) + ", no more fills");
  if (fill.exec_id.empty()) return make_error(Errc::invalid_argument, "fill without ExecID", "ExecID");
  if (!fill.quantity.is_positive()) return make_error(Errc::invalid_argument, "LastQty must be positive", "LastQty");
  if (!fill.price.is_positive()) return make_error(Errc::invalid_argument, "LastPx must be positive", "LastPx");
  if (fill_index_.contains(fill.exec_id))
    return make_error(Errc::duplicate, "ExecID already allocated: " + fill.exec_id.str(), "ExecID");
  const std::int64_t d = fill.quantity.raw();
  if (d > total_ - cum_)
    return make_error(Errc::conflict, "overfill: CumQty would exceed the order quantity " + order_qty().to_string());

  // Whole shares when everything is whole, else Quantity's resolution (see the header).
  std::int64_t unit = kShare;
  if (d % kShare != 0) unit = 1;
  for (std::size_t i = 0; i < accounts_.size() && unit != 1; ++i)
    if (accounts_[i].target.raw() % kShare != 0 || accounts_[i].allocated.raw() % kShare != 0) unit = 1;

  // Shortfall against the exact share of the new CumQty, scaled by the block total (integers in `unit`):
  // t_i x C' - a_i x T. The positive ones sum to at least D x T, which bounds each piece by its room.
  const __int128 cum_next = (cum_ + d) / unit;
  const __int128 total = total_ / unit;
  for (std::size_t i = 0; i < accounts_.size(); ++i) {
    const __int128 s = static_cast<__int128>(accounts_[i].target.raw() / unit) * cum_next -
                       static_cast<__int128>(accounts_[i].allocated.raw() / unit) * total;
    weights_[i] = s > 0 ? s : 0;
  }
  largest_remainder(d / unit, weights_, rank_, out_);

  FillRecord record{fill, false, {}};
  std::vector<AccountFill> pieces;
  for (std::size_t i = 0; i < accounts_.size(); ++i) {
    if (out_[i] == 0) continue;
    const std::int64_t q = out_[i] * unit;
    AccountState& acc = accounts_[i];
    acc.allocated = Quantity::from_raw(acc.allocated.raw() + q);
    acc.history.push_back(FillPiece{fill.exec_id, Quantity::from_raw(q), fill.price, false});
    record.pieces.emplace_back(static_cast<std::uint32_t>(i), q);
    pieces.push_back(AccountFill{acc.account, fill.exec_id, Quantity::from_raw(q), fill.price});
  }
  cum_ += d;
  gross_ += oms::gross_raw(fill.price, fill.quantity);
  fill_index_.emplace(fill.exec_id, fills_.size());
  fills_.push_back(std::move(record));
  return pieces;
}

Result<std::vector<AccountFill>> BlockAllocation::bust(const ExecID& exec_id) {
  const auto it = fill_index_.find(exec_id);
  if (it == fill_index_.end()) return make_error(Errc::not_found, "no fill with ExecID " + exec_id.str(), "ExecID");
  FillRecord& record = fills_[it->second];
  if (record.busted) return make_error(Errc::duplicate, "fill already busted: " + exec_id.str(), "ExecID");
  record.busted = true;
  std::vector<AccountFill> pieces;
  pieces.reserve(record.pieces.size());
  for (const auto& [i, q] : record.pieces) {
    AccountState& acc = accounts_[i];
    acc.allocated = Quantity::from_raw(acc.allocated.raw() - q);
    acc.history.push_back(FillPiece{exec_id, Quantity::from_raw(-q), record.fill.price, true});
    pieces.push_back(AccountFill{acc.account, exec_id, Quantity::from_raw(-q), record.fill.price});
  }
  cum_ -= record.fill.quantity.raw();
  gross_ -= oms::gross_raw(record.fill.price, record.fill.quantity);
  if (final_) {
    // The broker's record changed after completion: the allocation is recomputed and must be accepted again.
    const std::uint32_t version = final_->version + 1;
    if (cum_ == 0) {
      final_.reset();
      status_ = AllocationStatus::Working;
    } else {
      final_ = compute_final(final_quantities(), version, false);
      status_ = AllocationStatus::Final;
    }
  }
  return pieces;
}

Result<std::vector<AccountFill>> BlockAllocation::late_fill(const Fill& fill) {
  if (!final_) return make_error(Errc::conflict, "no final allocation yet: an ordinary fill");
  const AllocationStatus was = status_;
  status_ = AllocationStatus::Working;  // on_fill allocates only while Working
  auto pieces = on_fill(fill);
  if (!pieces) {
    status_ = was;
    return pieces;
  }
  final_ = compute_final(final_quantities(), final_->version + 1, false);
  status_ = AllocationStatus::Final;
  return pieces;
}

std::optional<Price> BlockAllocation::avg_px() const {
  if (cum_ == 0) return std::nullopt;
  return average_price(gross_, cum_qty());
}

std::vector<std::int64_t> BlockAllocation::final_quantities() const {
  std::vector<__int128> weights(accounts_.size());
  std::vector<std::int64_t> caps(accounts_.size());
  for (std::size_t i = 0; i < accounts_.size(); ++i) {
    weights[i] = accounts_[i].target.raw();
    caps[i] = accounts_[i].target.raw();
  }
  return apportion_lots(cum_, lot_, weights, rank_, caps);
}

FinalAllocation BlockAllocation::compute_final(std::span<const std::int64_t> quantities, std::uint32_t version,
                                               bool amended) const {
  FinalAllocation f;
  f.version = version;
  f.amended = amended;
  f.quantity = cum_qty();
  f.avg_px = average_price(gross_, cum_qty());
  const __int128 cents = oms::detail::div_round_half_even(gross_, kGrossPerCent);
  f.gross = Money::from_raw(oms::detail::checked_narrow(cents * kMoneyPerCent));
  f.commission = charges_.commission;
  f.fees = charges_.fees;
  std::vector<__int128> weights(quantities.begin(), quantities.end());
  const std::vector<Money> gross = split_money(f.gross, weights, rank_);
  const std::vector<Money> commission = split_money(f.commission, weights, rank_);
  const std::vector<Money> fees = split_money(f.fees, weights, rank_);
  for (std::size_t i = 0; i < accounts_.size(); ++i) {
    if (quantities[i] == 0) continue;
    f.accounts.push_back(AccountAllocation{accounts_[i].account, Quantity::from_raw(quantities[i]), f.avg_px, gross[i],
                                           commission[i], fees[i]});
  }
  return f;
}

Result<FinalAllocation> BlockAllocation::finalize(Charges charges) {
  if (status_ != AllocationStatus::Working)
    return make_error(Errc::conflict, "allocation is already " + std::string(to_string(status_)));
  if (cum_ == 0) return make_error(Errc::conflict, "nothing filled: no allocation to fix");
  charges_ = charges;
  final_ = compute_final(final_quantities(), 1, false);
  status_ = AllocationStatus::Final;
  return *final_;
}

Result<FinalAllocation> BlockAllocation::amend(std::span<const AllocationSlice> quantities) {
  if (status_ != AllocationStatus::Final)
    return make_error(Errc::conflict, "only a final allocation not yet accepted can be amended");
  std::vector<std::int64_t> q(accounts_.size(), 0);
  std::vector<bool> seen(accounts_.size(), false);
  std::int64_t sum = 0;
  for (const AllocationSlice& s : quantities) {
    const auto it = index_.find(s.account);
    if (it == index_.end()) return make_error(Errc::not_found, "account not in this block: " + s.account.str(), "account");
    if (seen[it->second]) return make_error(Errc::duplicate, "account listed twice: " + s.account.str(), "account");
    seen[it->second] = true;
    if (s.quantity.is_negative())
      return make_error(Errc::invalid_argument, "quantity for " + s.account.str() + " is negative", "allocations");
    if (__builtin_add_overflow(sum, s.quantity.raw(), &sum)) return make_error(Errc::overflow, "quantities out of range");
    q[it->second] = s.quantity.raw();
  }
  if (sum != cum_)
    return make_error(Errc::invalid_argument,
                      "amended quantities sum to " + Quantity::from_raw(sum).to_string() + ", filled " +
                          cum_qty().to_string(),
                      "allocations");
  final_ = compute_final(q, final_->version + 1, true);
  return *final_;
}

void BlockAllocation::set_charges(Charges charges) {
  charges_ = charges;
  if (!final_) return;
  std::vector<std::int64_t> q(accounts_.size(), 0);
  for (const auto& a : final_->accounts) q[index_.at(a.account)] = a.quantity.raw();
  final_ = compute_final(q, final_->version, final_->amended);
}

Status BlockAllocation::accept() {
  if (status_ != AllocationStatus::Final) return make_error(Errc::conflict, "no final allocation awaiting acceptance");
  status_ = AllocationStatus::Accepted;
  return {};
}

}  // namespace oms::allocation
