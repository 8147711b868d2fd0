#include "oms/allocation/split.hpp"
#include "oms/engine/state.hpp"

namespace oms::engine {

namespace {

std::vector<allocation::AccountFill> allocate_fill(allocation::BlockAllocation& block, const ExecID& exec_id,
                                                   Quantity qty, Price px) {
  // After the final allocation was fixed a fill within the order quantity is a late fill: it is allocated and
  // the final allocation recomputed (a replacement goes to the broker).
  const bool late = block.final_allocation().has_value();
  const Quantity capacity = block.order_qty() - block.cum_qty();
  auto fill = [&](Quantity q) {
    return late ? block.late_fill({exec_id, q, px}) : block.on_fill({exec_id, q, px});
  };
  if (qty <= capacity) {
    auto pieces = fill(qty);
    if (pieces) return std::move(*pieces);
  }
  // Overfill: the part that fits is allocated as usual, the rest pro rata to the targets so that every share
  // still lands in exactly one account.
  std::vector<allocation::AccountFill> out;
  Quantity excess = qty;
  if (capacity.is_positive()) {
    if (auto pieces = fill(capacity)) {
      out = std::move(*pieces);
      excess = qty - capacity;
    }
  }
  std::vector<allocation::AccountWeight> weights;
  for (const auto& a : block.accounts()) weights.push_back({a.account, allocation::Weight::from_raw(a.target.raw())});
  auto split = allocation::split_by_weights(excess, Quantity::from_raw(1), weights, [](const AccountId&) {
    static const Account any{};
    return &any;
  });
  if (split)
    for (const auto& s : *split) out.push_back({s.account, exec_id, s.quantity, px});
  return out;
}

}  // namespace

std::vector<allocation::AccountFill> allocate_block_trade(allocation::BlockAllocation& block,
                                                          const book::OrderEvent& event) {
  if (const auto* f = std::get_if<book::PartialFill>(&event)) return allocate_fill(block, f->exec_id, f->last_qty, f->last_px);
  if (const auto* f = std::get_if<book::Fill>(&event)) return allocate_fill(block, f->exec_id, f->last_qty, f->last_px);
  if (const auto* c = std::get_if<book::TradeCancel>(&event)) {
    auto pieces = block.bust(c->ref_exec_id);
    return pieces ? std::move(*pieces) : std::vector<allocation::AccountFill>{};
  }
  if (const auto* c = std::get_if<book::TradeCorrect>(&event)) {
    auto out = block.bust(c->ref_exec_id);
    std::vector<allocation::AccountFill> pieces = out ? std::move(*out) : std::vector<allocation::AccountFill>{};
    for (auto& p : allocate_fill(block, c->exec_id, c->last_qty, c->last_px)) pieces.push_back(std::move(p));
    return pieces;
  }
  return {};
}

std::vector<allocation::AccountFill> advance_block(allocation::BlockAllocation& block, const book::OrderEvent& event,
                                                   const book::OrderState& order_after, allocation::Charges charges) {
  auto pieces = allocate_block_trade(block, event);
  // The final allocation is fixed once the order is done and something was filled.
  if (is_terminal(order_after.status) && order_after.cum_qty.is_positive() &&
      block.status() == allocation::AllocationStatus::Working && block.cum_qty().is_positive())
    (void)block.finalize(charges);
  else if (block.final_allocation() && block.charges() != charges)
    block.set_charges(charges);
  return pieces;
}

}  // namespace oms::engine
