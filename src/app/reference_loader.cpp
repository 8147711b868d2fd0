// Reference data files: instruments (CSV or YAML) and accounts with start-of-day holdings (YAML).
#include <algorithm>
#include <fstream>
#include <sstream>

#include "oms/app/config.hpp"
#include "yaml_fields.hpp"

namespace oms::app {

namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kInstrumentColumns = {
    "symbol", "name", "isin", "cusip", "sedol", "issuer", "parent_issuer", "sector", "country", "asset_class",
    "currency", "lot_size", "reference_price", "adv", "shares_outstanding"};

std::vector<std::string> split_csv_line(const std::string& line) {
  // Plain CSV; a field may be quoted with " (and "" inside quotes is a literal quote).
  std::vector<std::string> out;
  std::string cur;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') cur += '"', ++i;
      else if (c == '"') quoted = false;
      else cur += c;
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.push_back(cur), cur.clear();
    } else if (c != '\r') {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

// Fills one instrument field; attributes outside the known columns go to `attributes`.
Status set_instrument_field(Instrument& ins, const std::string& key, const std::string& value, const std::string& where) {
  auto fixed_error = [&](const Error& e) {
    return make_error(Errc::invalid_argument, where + ": " + key + ": '" + value + "' " + e.message, key);
  };
  if (key == "symbol") ins.symbol = Symbol{value};
  else if (key == "name") ins.name = value;
  else if (key == "isin") ins.isin = value;
  else if (key == "cusip") ins.cusip = value;
  else if (key == "sedol") ins.sedol = value;
  else if (key == "issuer") ins.issuer = value;
  else if (key == "parent_issuer") ins.parent_issuer = value;
  else if (key == "sector") ins.sector = value;
  else if (key == "country") ins.country = value;
  else if (key == "asset_class") ins.asset_class = value;
  else if (key == "currency") ins.currency = value;
  else if (key == "lot_size" || key == "adv" || key == "shares_outstanding") {
    auto q = Quantity::parse(value.empty() ? "0" : value);
    if (!q) return fixed_error(q.error());
    if (q->is_negative()) return make_error(Errc::invalid_argument, where + ": " + key + " must not be negative", key);
    (key == "lot_size" ? ins.lot_size : key == "adv" ? ins.adv : ins.shares_outstanding) = *q;
  } else if (key == "reference_price") {
    auto p = Price::parse(value);
    if (!p) return fixed_error(p.error());
    if (!p->is_positive()) return make_error(Errc::invalid_argument, where + ": reference_price must be positive", key);
    ins.reference_price = *p;
  } else {
    ins.attributes[key] = value;
  }
  return {};
}

Status finish_instrument(Instrument& ins, const std::string& where) {
  if (ins.symbol.empty()) return make_error(Errc::invalid_argument, where + ": symbol is required", "symbol");
  if (!ins.reference_price.is_positive())
    return make_error(Errc::invalid_argument, where + ": reference_price is required for " + ins.symbol.value,
                      "reference_price");
  if (!ins.lot_size.is_positive()) return make_error(Errc::invalid_argument, where + ": lot_size must be positive", "lot_size");
  if (ins.parent_issuer.empty()) ins.parent_issuer = ins.issuer;
  return {};
}

Result<std::unordered_map<Symbol, Instrument>> load_instruments_csv(const fs::path& file) {
  std::ifstream in(file);
  if (!in) return make_error(Errc::not_found, file.string() + ": cannot open file");
  std::string line;
  std::vector<std::string> header;
  std::unordered_map<Symbol, Instrument> out;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.empty() || line[0] == '#') continue;
    auto cells = split_csv_line(line);
    const std::string where = file.string() + ":" + std::to_string(line_no);
    if (header.empty()) {
      header = cells;
      for (const auto& required : {"symbol", "reference_price"})
        if (std::find(header.begin(), header.end(), required) == header.end())
          return make_error(Errc::invalid_argument, where + ": header lacks the column '" + required + "'");
      continue;
    }
    if (cells.size() != header.size())
      return make_error(Errc::invalid_argument, where + ": " + std::to_string(cells.size()) + " fields, header has " +
                                                    std::to_string(header.size()));
    Instrument ins;
    for (std::size_t i = 0; i < cells.size(); ++i)
      if (auto st = set_instrument_field(ins, header[i], cells[i], where); !st) return st.error();
    if (auto st = finish_instrument(ins, where); !st) return st.error();
    if (!out.emplace(ins.symbol, ins).second)
      return make_error(Errc::invalid_argument, where + ": duplicate symbol " + ins.symbol.value, "symbol");
  }
  return out;
}

Result<std::unordered_map<Symbol, Instrument>> load_instruments_yaml(const fs::path& file) {
  auto root = load_yaml_file(file);
  if (!root) return root.error();
  YamlFields top(*root, file, "");
  if (auto st = top.check({"instruments"}); !st) return st.error();
  const YAML::Node list = top.node("instruments");
  if (!list.IsSequence()) return top.fail("instruments", "expected a list");
  std::unordered_map<Symbol, Instrument> out;
  for (const auto& item : list) {
    const std::string where = top.where(item);
    if (!item.IsMap()) return make_error(Errc::invalid_argument, where + ": expected a mapping");
    Instrument ins;
    for (const auto& kv : item) {
      if (!kv.second.IsScalar())
        return make_error(Errc::invalid_argument, top.where(kv.second) + ": " + kv.first.Scalar() + ": expected a value");
      if (auto st = set_instrument_field(ins, kv.first.Scalar(), kv.second.Scalar(), top.where(kv.second)); !st)
        return st.error();
    }
    if (auto st = finish_instrument(ins, where); !st) return st.error();
    if (!out.emplace(ins.symbol, ins).second)
      return make_error(Errc::invalid_argument, where + ": duplicate symbol " + ins.symbol.value, "symbol");
  }
  return out;
}

}  // namespace

Result<std::unordered_map<Symbol, Instrument>> load_instruments(const fs::path& file) {
  const auto ext = file.extension().string();
  if (ext == ".yaml" || ext == ".yml") return load_instruments_yaml(file);
  return load_instruments_csv(file);
}

Result<std::map<AccountId, Account>> load_accounts(const fs::path& file, engine::StartOfDay* sod) {
  auto root = load_yaml_file(file);
  if (!root) return root.error();
  YamlFields top(*root, file, "");
  if (auto st = top.check({"accounts"}); !st) return st.error();
  const YAML::Node list = top.node("accounts");
  if (!list.IsSequence()) return top.fail("accounts", "expected a list");
  std::map<AccountId, Account> out;
  std::size_t index = 0;
  for (const auto& item : list) {
    YamlFields f(item, file, "accounts[" + std::to_string(index++) + "]");
    if (auto st = f.check({"id", "name", "nav", "cash", "groups", "pms", "positions"}); !st) return st.error();
    Account a;
    auto id = f.string("id", true);
    if (!id) return id.error();
    a.id = AccountId{*id};
    auto name = f.string("name", false, *id);
    if (!name) return name.error();
    a.name = *name;
    auto nav = f.fixed<Money>("nav", false);
    if (!nav) return nav.error();
    a.nav = *nav;
    auto cash = f.fixed<Money>("cash", true);
    if (!cash) return cash.error();
    a.cash = *cash;
    auto groups = f.strings("groups");
    if (!groups) return groups.error();
    a.groups = *groups;
    auto pms = f.strings("pms");
    if (!pms) return pms.error();
    for (auto& pm : *pms) a.pms.push_back(UserId{pm});
    const YAML::Node positions = f.node("positions");
    if (positions && !positions.IsSequence()) return f.fail("positions", "expected a list");
    std::size_t pi = 0;
    for (const auto& p : positions) {
      YamlFields pf(p, file, "accounts[" + std::to_string(index - 1) + "].positions[" + std::to_string(pi++) + "]");
      if (auto st = pf.check({"symbol", "quantity", "cost"}); !st) return st.error();
      auto sym = pf.string("symbol", true);
      if (!sym) return sym.error();
      auto qty = pf.fixed<Quantity>("quantity", true);
      if (!qty) return qty.error();
      auto cost = pf.fixed<Money>("cost", false);
      if (!cost) return cost.error();
      if (sod) sod->positions.push_back(Position{a.id, Symbol{*sym}, *qty, *cost});
    }
    if (out.count(a.id)) return f.fail("id", "duplicate account id '" + a.id.value + "'");
    out.emplace(a.id, std::move(a));
  }
  return out;
}

}  // namespace oms::app
