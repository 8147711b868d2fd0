#pragma once
// The portfolio state compliance evaluates against: reference data and, per account, positions, cash, the open
// quantity of live orders that already passed compliance, recent orders, and aggregates (NAV, exposure per issuer,
// parent issuer and instrument attribute) kept up to date incrementally so that an evaluation never re-sums a
// portfolio. Single-threaded: the engine's core thread owns it (copy it for a background batch).
//
// Valuation: holdings at reference prices. Every value below is exact at scale 10^10 (Price raw x Quantity raw).
// The aggregates are over the *projected* portfolio: position + pending buys - pending sells; projected cash is
// cash - pending buy cash + pending sell cash. NAV = projected cash + projected holdings.
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "oms/core/clock.hpp"
#include "oms/core/fixed.hpp"
#include "oms/core/ids.hpp"
#include "oms/core/result.hpp"
#include "oms/domain/enums.hpp"
#include "oms/domain/reference.hpp"

namespace oms::compliance {

using Value = __int128;  // money at scale 10^10
constexpr Value kValueScale = static_cast<Value>(Price::kOne) * Quantity::kOne;
inline Value to_value(Money m) { return static_cast<Value>(m.raw()) * (kValueScale / Money::kOne); }
inline Value value_of(Quantity q, Price p) { return static_cast<Value>(q.raw()) * p.raw(); }

// Asset classes that qualify in the 1940 Act 75% test without an issuer limit (besides cash).
bool is_act40_exempt_asset_class(const std::string& asset_class);

struct InstrumentSlot {
  Instrument instrument;
  std::uint32_t issuer{0};
  std::uint32_t parent{0};
  std::vector<std::pair<std::uint32_t, std::uint32_t>> groups;  // (attribute index, value index)
  bool equity{false};  // voting shares for the 1940 Act 10% leg
  bool act40_exempt{false};
};

struct RecentOrderKey {
  std::uint32_t instrument;
  Side side;
  std::int64_t quantity_raw;
  friend bool operator==(const RecentOrderKey&, const RecentOrderKey&) = default;
};
struct RecentOrderKeyHash {
  std::size_t operator()(const RecentOrderKey& k) const noexcept {
    return std::hash<std::int64_t>{}(k.quantity_raw * 1'000'003 + k.instrument * 31 + static_cast<char>(k.side));
  }
};

struct AccountBook {
  Account account;
  Money cash;               // current cash
  Money pending_buy_cash;   // open quantity x order price of live buys that passed compliance
  Money pending_sell_cash;  // same for sells
  // Quantity raw by instrument index.
  std::vector<std::int64_t> position, pending_buy, pending_sell;
  // Aggregates over projected holdings at reference prices.
  Value holdings{0};
  std::vector<Value> issuer_value, parent_value;
  std::vector<Value> issuer_exempt_value;         // part of issuer_value in 1940 Act exempt asset classes
  std::vector<std::int64_t> issuer_voting_held;   // projected equity quantity raw per issuer
  std::vector<std::vector<Value>> group_value;    // [attribute][value]
  std::vector<std::uint32_t> held_issuers, held_parents;  // indices ever non-zero (may include zeros now)
  std::vector<std::uint8_t> issuer_listed, parent_listed;
  std::unordered_map<RecentOrderKey, Timestamp, RecentOrderKeyHash> recent;  // last time per key

  std::int64_t projected_raw(std::uint32_t i) const {
    return i < position.size() ? position[i] + pending_buy[i] - pending_sell[i] : 0;
  }
  Value projected_cash() const {
    return to_value(cash) - to_value(pending_buy_cash) + to_value(pending_sell_cash);
  }
  Value nav() const { return projected_cash() + holdings; }
};

// Attributes every instrument is grouped by; their indices are fixed so rules need no lookup by name.
enum FixedAttribute : std::int32_t { kSector = 0, kCountry, kAssetClass, kCurrency, kIssuer, kParentIssuer, kFixedAttributes };
// Index of a fixed attribute name ("sector", ...), -1 for any other (custom) attribute.
std::int32_t fixed_attribute_index(std::string_view name);

class ComplianceState {
 public:
  ComplianceState();
  // --- reference data ---
  // Adds or replaces an instrument; re-values every account's holdings of it when price or grouping changed.
  void upsert_instrument(const Instrument& instrument);
  Status set_reference_price(const Symbol& symbol, Price price);
  // Adds an account (cash = account.cash) or replaces its static data (groups, name), keeping positions and cash.
  void upsert_account(const Account& account);

  // --- portfolio (the engine calls these) ---
  Status set_cash(const AccountId& account, Money cash);
  Status set_position(const AccountId& account, const Symbol& symbol, Quantity quantity);
  // A fill: moves the position by qty (sells reduce it) and cash by qty x fill price. Pending is untouched.
  Status apply_fill(const AccountId& account, const Symbol& symbol, Side side, Quantity qty, Price fill_price);
  // Open quantity of a live order that passed compliance (add on accept; remove on fill, cancel, reject, expiry).
  Status add_pending(const AccountId& account, const Symbol& symbol, Side side, Quantity qty, Price order_price);
  Status remove_pending(const AccountId& account, const Symbol& symbol, Side side, Quantity qty, Price order_price);
  // For duplicate_order rules; entries older than `keep` behind `time` are pruned as new ones arrive.
  Status record_order(const AccountId& account, const Symbol& symbol, Side side, Quantity qty, Timestamp time);

  // Conveniences that combine the above the way the engine uses them. order_price: the limit price, or the
  // reference price for a market order (the same price must be passed on fill/done as on accept).
  Status on_order_accepted(const AccountId& a, const Symbol& s, Side side, Quantity qty, Price order_price, Timestamp t);
  Status on_fill(const AccountId& a, const Symbol& s, Side side, Quantity qty, Price fill_price, Price order_price);
  Status on_order_done(const AccountId& a, const Symbol& s, Side side, Quantity leaves_qty, Price order_price);

  // --- queries ---
  const InstrumentSlot* instrument(const Symbol& symbol) const;
  std::int32_t instrument_index(const Symbol& symbol) const;  // -1 when unknown
  const InstrumentSlot& slot(std::uint32_t index) const { return instruments_[index]; }
  std::size_t instrument_count() const { return instruments_.size(); }
  const AccountBook* account(const AccountId& id) const;
  const std::vector<AccountBook>& accounts() const { return accounts_; }
  std::int32_t attribute_index(const std::string& name) const;  // -1 when no instrument has it
  const std::string& issuer_name(std::uint32_t i) const { return issuers_[i]; }
  const std::string& attribute_value_name(std::uint32_t attr, std::uint32_t v) const { return attr_values_[attr][v]; }
  std::int64_t issuer_outstanding_raw(std::uint32_t issuer) const {
    return issuer < issuer_outstanding_.size() ? issuer_outstanding_[issuer] : 0;
  }
  // Group value index of instrument `inst` for attribute `attr`, -1 when the instrument has none.
  std::int32_t group_of(std::uint32_t inst, std::uint32_t attr) const;
  // The same state with every pending quantity removed (current positions only), for end-of-day checks.
  ComplianceState without_pending() const;
  std::chrono::seconds recent_order_horizon{std::chrono::hours(24)};

 private:
  AccountBook* find_account(const AccountId& id);
  std::uint32_t intern(std::unordered_map<std::string, std::uint32_t>& map, std::vector<std::string>& names,
                       const std::string& s);
  void size_account(AccountBook& ab) const;
  // Adds sign x (projected qty x reference price) of instrument i to the account's aggregates.
  void contribute(AccountBook& ab, std::uint32_t i, std::int64_t qty_raw, int sign);
  Status move(const AccountId& account, const Symbol& symbol, int which, std::int64_t delta_raw);

  std::vector<InstrumentSlot> instruments_;
  std::unordered_map<std::string, std::uint32_t> symbol_index_;
  std::vector<std::string> issuers_;
  std::unordered_map<std::string, std::uint32_t> issuer_index_;
  std::vector<std::int64_t> issuer_outstanding_;  // voting shares outstanding raw, summed over equity instruments
  std::vector<std::string> attr_names_;
  std::unordered_map<std::string, std::uint32_t> attr_index_;
  std::vector<std::vector<std::string>> attr_values_;
  std::vector<std::unordered_map<std::string, std::uint32_t>> attr_value_index_;
  std::vector<AccountBook> accounts_;
  std::unordered_map<std::string, std::uint32_t> account_index_;
};

}  // namespace oms::compliance
