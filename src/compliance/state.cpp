#include "oms/compliance/state.hpp"

#include <algorithm>

namespace oms::compliance {
namespace {

enum Which { kPosition = 0, kPendingBuy = 1, kPendingSell = 2 };

Error unknown_account(const AccountId& a) { return make_error(Errc::not_found, "unknown account " + a.value, "account"); }
Error unknown_symbol(const Symbol& s) { return make_error(Errc::not_found, "unknown instrument " + s.value, "symbol"); }

}  // namespace

bool is_act40_exempt_asset_class(const std::string& asset_class) {
  return asset_class == "government" || asset_class == "fund" || asset_class == "cash";
}

namespace {
constexpr std::string_view kFixedNames[kFixedAttributes] = {"sector", "country", "asset_class", "currency", "issuer", "parent_issuer"};
}  // namespace

std::int32_t fixed_attribute_index(std::string_view name) {
  for (std::int32_t i = 0; i < kFixedAttributes; ++i)
    if (kFixedNames[i] == name) return i;
  return -1;
}

ComplianceState::ComplianceState() {
  for (auto name : kFixedNames) intern(attr_index_, attr_names_, std::string(name));
  attr_values_.resize(kFixedAttributes);
  attr_value_index_.resize(kFixedAttributes);
}

std::uint32_t ComplianceState::intern(std::unordered_map<std::string, std::uint32_t>& map,
                                      std::vector<std::string>& names, const std::string& s) {
  auto [it, inserted] = map.try_emplace(s, static_cast<std::uint32_t>(names.size()));
  if (inserted) names.push_back(s);
  return it->second;
}

void ComplianceState::size_account(AccountBook& ab) const {
  const std::size_t n = instruments_.size(), ni = issuers_.size();
  if (ab.position.size() < n) {
    ab.position.resize(n, 0);
    ab.pending_buy.resize(n, 0);
    ab.pending_sell.resize(n, 0);
  }
  if (ab.issuer_value.size() < ni) {
    ab.issuer_value.resize(ni, 0);
    ab.parent_value.resize(ni, 0);
    ab.issuer_exempt_value.resize(ni, 0);
    ab.issuer_voting_held.resize(ni, 0);
    ab.issuer_listed.resize(ni, 0);
    ab.parent_listed.resize(ni, 0);
  }
  if (ab.group_value.size() < attr_values_.size()) ab.group_value.resize(attr_values_.size());
  for (std::size_t a = 0; a < attr_values_.size(); ++a)
    if (ab.group_value[a].size() < attr_values_[a].size()) ab.group_value[a].resize(attr_values_[a].size(), 0);
}

void ComplianceState::contribute(AccountBook& ab, std::uint32_t i, std::int64_t qty_raw, int sign) {
  if (qty_raw == 0) return;
  const InstrumentSlot& s = instruments_[i];
  const Value v = static_cast<Value>(qty_raw) * s.instrument.reference_price.raw() * sign;
  ab.holdings += v;
  ab.issuer_value[s.issuer] += v;
  ab.parent_value[s.parent] += v;
  if (s.act40_exempt) ab.issuer_exempt_value[s.issuer] += v;
  if (s.equity) ab.issuer_voting_held[s.issuer] += qty_raw * sign;
  for (const auto& [attr, val] : s.groups) ab.group_value[attr][val] += v;
  if (!ab.issuer_listed[s.issuer]) ab.issuer_listed[s.issuer] = 1, ab.held_issuers.push_back(s.issuer);
  if (!ab.parent_listed[s.parent]) ab.parent_listed[s.parent] = 1, ab.held_parents.push_back(s.parent);
}

void ComplianceState::upsert_instrument(const Instrument& instrument) {
  InstrumentSlot slot;
  slot.instrument = instrument;
  slot.issuer = intern(issuer_index_, issuers_, instrument.issuer);
  slot.parent = intern(issuer_index_, issuers_,
                       instrument.parent_issuer.empty() ? instrument.issuer : instrument.parent_issuer);
  auto add_group = [&](const std::string& attr, const std::string& value) {
    if (value.empty()) return;
    const std::uint32_t a = intern(attr_index_, attr_names_, attr);
    if (attr_values_.size() <= a) attr_values_.resize(a + 1), attr_value_index_.resize(a + 1);
    slot.groups.emplace_back(a, intern(attr_value_index_[a], attr_values_[a], value));
  };
  add_group("sector", instrument.sector);
  add_group("country", instrument.country);
  add_group("asset_class", instrument.asset_class);
  add_group("currency", instrument.currency);
  add_group("issuer", instrument.issuer);
  add_group("parent_issuer", instrument.parent_issuer.empty() ? instrument.issuer : instrument.parent_issuer);
  for (const auto& [k, v] : instrument.attributes) add_group(k, v);
  slot.equity = instrument.asset_class == "equity";
  slot.act40_exempt = is_act40_exempt_asset_class(instrument.asset_class);
  if (issuer_outstanding_.size() < issuers_.size()) issuer_outstanding_.resize(issuers_.size(), 0);

  auto [it, inserted] = symbol_index_.try_emplace(instrument.symbol.value, static_cast<std::uint32_t>(instruments_.size()));
  const std::uint32_t i = it->second;
  if (inserted) {
    instruments_.push_back(std::move(slot));
  } else {
    for (auto& ab : accounts_) contribute(ab, i, ab.projected_raw(i), -1);
    const InstrumentSlot& old = instruments_[i];
    if (old.equity) issuer_outstanding_[old.issuer] -= old.instrument.shares_outstanding.raw();
    instruments_[i] = std::move(slot);
  }
  const InstrumentSlot& now = instruments_[i];
  if (now.equity) issuer_outstanding_[now.issuer] += now.instrument.shares_outstanding.raw();
  for (auto& ab : accounts_) {
    size_account(ab);
    if (!inserted) contribute(ab, i, ab.projected_raw(i), +1);
  }
}

Status ComplianceState::set_reference_price(const Symbol& symbol, Price price) {
  const auto idx = instrument_index(symbol);
  if (idx < 0) return unknown_symbol(symbol);
  Instrument copy = instruments_[static_cast<std::uint32_t>(idx)].instrument;
  copy.reference_price = price;
  upsert_instrument(copy);
  return {};
}

void ComplianceState::upsert_account(const Account& account) {
  auto [it, inserted] = account_index_.try_emplace(account.id.value, static_cast<std::uint32_t>(accounts_.size()));
  if (inserted) {
    AccountBook ab;
    ab.account = account;
    ab.cash = account.cash;
    size_account(ab);
    accounts_.push_back(std::move(ab));
  } else {
    accounts_[it->second].account = account;
  }
}

AccountBook* ComplianceState::find_account(const AccountId& id) {
  auto it = account_index_.find(id.value);
  return it == account_index_.end() ? nullptr : &accounts_[it->second];
}
const AccountBook* ComplianceState::account(const AccountId& id) const {
  auto it = account_index_.find(id.value);
  return it == account_index_.end() ? nullptr : &accounts_[it->second];
}
std::int32_t ComplianceState::instrument_index(const Symbol& symbol) const {
  auto it = symbol_index_.find(symbol.value);
  return it == symbol_index_.end() ? -1 : static_cast<std::int32_t>(it->second);
}
const InstrumentSlot* ComplianceState::instrument(const Symbol& symbol) const {
  const auto i = instrument_index(symbol);
  return i < 0 ? nullptr : &instruments_[static_cast<std::uint32_t>(i)];
}
std::int32_t ComplianceState::attribute_index(const std::string& name) const {
  auto it = attr_index_.find(name);
  return it == attr_index_.end() ? -1 : static_cast<std::int32_t>(it->second);
}
std::int32_t ComplianceState::group_of(std::uint32_t inst, std::uint32_t attr) const {
  for (const auto& [a, v] : instruments_[inst].groups)
    if (a == attr) return static_cast<std::int32_t>(v);
  return -1;
}

Status ComplianceState::set_cash(const AccountId& account, Money cash) {
  AccountBook* ab = find_account(account);
  if (!ab) return unknown_account(account);
  ab->cash = cash;
  return {};
}

Status ComplianceState::move(const AccountId& account, const Symbol& symbol, int which, std::int64_t delta_raw) {
  AccountBook* ab = find_account(account);
  if (!ab) return unknown_account(account);
  const auto idx = instrument_index(symbol);
  if (idx < 0) return unknown_symbol(symbol);
  const auto i = static_cast<std::uint32_t>(idx);
  size_account(*ab);
  std::int64_t* cell = which == kPosition ? &ab->position[i] : which == kPendingBuy ? &ab->pending_buy[i] : &ab->pending_sell[i];
  std::int64_t next = 0;
  if (__builtin_add_overflow(*cell, delta_raw, &next)) return make_error(Errc::overflow, "quantity overflow");
  *cell = next;
  contribute(*ab, i, which == kPendingSell ? -delta_raw : delta_raw, +1);
  return {};
}

Status ComplianceState::set_position(const AccountId& account, const Symbol& symbol, Quantity quantity) {
  const AccountBook* ab = this->account(account);
  if (!ab) return unknown_account(account);
  const auto idx = instrument_index(symbol);
  if (idx < 0) return unknown_symbol(symbol);
  const auto i = static_cast<std::size_t>(idx);
  const std::int64_t current = i < ab->position.size() ? ab->position[i] : 0;
  return move(account, symbol, kPosition, quantity.raw() - current);
}

Status ComplianceState::apply_fill(const AccountId& account, const Symbol& symbol, Side side, Quantity qty,
                                   Price fill_price) {
  if (auto st = move(account, symbol, kPosition, is_buy(side) ? qty.raw() : -qty.raw()); !st) return st;
  AccountBook* ab = find_account(account);
  const Money cost = notional(fill_price, qty);
  ab->cash = is_buy(side) ? ab->cash - cost : ab->cash + cost;
  return {};
}

Status ComplianceState::add_pending(const AccountId& account, const Symbol& symbol, Side side, Quantity qty,
                                    Price order_price) {
  if (auto st = move(account, symbol, is_buy(side) ? kPendingBuy : kPendingSell, qty.raw()); !st) return st;
  AccountBook* ab = find_account(account);
  (is_buy(side) ? ab->pending_buy_cash : ab->pending_sell_cash) += notional(order_price, qty);
  return {};
}

Status ComplianceState::remove_pending(const AccountId& account, const Symbol& symbol, Side side, Quantity qty,
                                       Price order_price) {
  if (auto st = move(account, symbol, is_buy(side) ? kPendingBuy : kPendingSell, -qty.raw()); !st) return st;
  AccountBook* ab = find_account(account);
  (is_buy(side) ? ab->pending_buy_cash : ab->pending_sell_cash) -= notional(order_price, qty);
  return {};
}

Status ComplianceState::record_order(const AccountId& account, const Symbol& symbol, Side side, Quantity qty,
                                     Timestamp time) {
  AccountBook* ab = find_account(account);
  if (!ab) return unknown_account(account);
  const auto idx = instrument_index(symbol);
  if (idx < 0) return unknown_symbol(symbol);
  if (ab->recent.size() >= 4096) {  // prune only when it grows: amortised O(1)
    const Timestamp cutoff = time - recent_order_horizon;
    std::erase_if(ab->recent, [&](const auto& kv) { return kv.second < cutoff; });
  }
  auto& slot = ab->recent[RecentOrderKey{static_cast<std::uint32_t>(idx), side, qty.raw()}];
  slot = std::max(slot, time);
  return {};
}

Status ComplianceState::on_order_accepted(const AccountId& a, const Symbol& s, Side side, Quantity qty,
                                          Price order_price, Timestamp t) {
  if (auto st = add_pending(a, s, side, qty, order_price); !st) return st;
  return record_order(a, s, side, qty, t);
}
Status ComplianceState::on_fill(const AccountId& a, const Symbol& s, Side side, Quantity qty, Price fill_price,
                                Price order_price) {
  if (auto st = apply_fill(a, s, side, qty, fill_price); !st) return st;
  return remove_pending(a, s, side, qty, order_price);
}
Status ComplianceState::on_order_done(const AccountId& a, const Symbol& s, Side side, Quantity leaves_qty,
                                      Price order_price) {
  return remove_pending(a, s, side, leaves_qty, order_price);
}

ComplianceState ComplianceState::without_pending() const {
  ComplianceState copy = *this;
  for (auto& ab : copy.accounts_) {
    for (std::uint32_t i = 0; i < ab.position.size(); ++i) {
      const std::int64_t delta = ab.pending_sell[i] - ab.pending_buy[i];
      ab.pending_buy[i] = ab.pending_sell[i] = 0;
      copy.contribute(ab, i, delta, +1);
    }
    ab.pending_buy_cash = ab.pending_sell_cash = Money{};
  }
  return copy;
}

}  // namespace oms::compliance
