#pragma once
// Reference data: instruments and accounts (funds). Plain values.
#include <map>
#include <string>
#include <vector>

#include "oms/core/fixed.hpp"
#include "oms/core/ids.hpp"

namespace oms {

struct Instrument {
  Symbol symbol;
  std::string isin, cusip, sedol;  // empty where unknown
  std::string name;
  std::string issuer;
  std::string parent_issuer;  // equals issuer when there is no parent
  std::string sector;
  std::string country;
  std::string asset_class;  // equity, bond, fund, ...
  std::string currency{"USD"};
  Quantity lot_size{Quantity::from_int(1)};
  Price reference_price;
  Quantity adv;                 // average daily volume, shares
  Quantity shares_outstanding;  // voting shares outstanding
  std::map<std::string, std::string> attributes;  // any further attribute rules may group by
};

struct Account {
  AccountId id;
  std::string name;
  Money nav;   // as reported by the fund administrator at start of day
  Money cash;  // start-of-day cash
  std::vector<std::string> groups;  // e.g. ucits, 40act
  std::vector<UserId> pms;          // portfolio managers who may trade it
};

struct Position {
  AccountId account;
  Symbol symbol;
  Quantity quantity;  // negative when short
  Money cost;         // signed: buys add, sells subtract, at fill prices

  friend bool operator==(const Position&, const Position&) = default;
};

}  // namespace oms
