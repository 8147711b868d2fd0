#pragma once
// Distinct id types so an AccountId cannot be passed where a ClOrdID is expected.
#include <compare>
#include <cstdint>
#include <functional>
#include <string>

namespace oms {

template <class Tag>
struct StringId {
  std::string value;

  StringId() = default;
  explicit StringId(std::string v) : value(std::move(v)) {}
  bool empty() const { return value.empty(); }
  const std::string& str() const { return value; }
  friend auto operator<=>(const StringId&, const StringId&) = default;
  friend bool operator==(const StringId&, const StringId&) = default;
};

template <class Tag>
struct NumericId {
  std::uint64_t value{0};

  constexpr NumericId() = default;
  constexpr explicit NumericId(std::uint64_t v) : value(v) {}
  constexpr bool valid() const { return value != 0; }
  friend constexpr auto operator<=>(NumericId, NumericId) = default;
};

using OrderId = NumericId<struct OrderIdTag>;     // the OMS's own order number, never reused
using ClOrdID = StringId<struct ClOrdIDTag>;      // FIX tag 11, unique across restarts
using ExecID = StringId<struct ExecIDTag>;        // FIX tag 17, unique per session and trading day
using AccountId = StringId<struct AccountIdTag>;  // a fund
using Symbol = StringId<struct SymbolTag>;
using UserId = StringId<struct UserIdTag>;
using BrokerId = StringId<struct BrokerIdTag>;    // a FIX counterparty / session name

}  // namespace oms

template <class Tag>
struct std::hash<oms::StringId<Tag>> {
  std::size_t operator()(const oms::StringId<Tag>& id) const noexcept { return std::hash<std::string>{}(id.value); }
};
template <class Tag>
struct std::hash<oms::NumericId<Tag>> {
  std::size_t operator()(oms::NumericId<Tag> id) const noexcept { return std::hash<std::uint64_t>{}(id.value); }
};
