// Rule file loader. All-or-nothing: a rule book is returned only when every file parses and validates; otherwise
// every error found is returned as file:line:col with a message meant for a compliance officer.
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "oms/compliance/rule_book.hpp"
#include "oms/compliance/state.hpp"

namespace oms::compliance {
namespace fs = std::filesystem;

namespace {

struct Fnv {
  std::uint64_t h{1469598103934665603ULL};
  void add(std::string_view s) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
    h = (h ^ 0xff) * 1099511628211ULL;  // separator so "ab"+"c" != "a"+"bc"
  }
  std::string hex() const {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
    return std::string("fnv1a64:") + buf;
  }
};

std::optional<std::string> read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class FileLoader {
 public:
  FileLoader(std::string file, std::string_view text, fs::path dir, std::vector<LoadError>& errors, Fnv& hash)
      : file_(std::move(file)), dir_(std::move(dir)), errors_(errors), hash_(hash) {
    std::size_t start = 0;
    while (start <= text.size()) {
      const auto nl = text.find('\n', start);
      lines_.emplace_back(text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start));
      if (nl == std::string_view::npos) break;
      start = nl + 1;
    }
  }

  void error(const YAML::Mark& m, std::string msg) {
    LoadError e;
    e.location.file = file_;
    if (m.line >= 0) e.location.line = m.line + 1, e.location.column = m.column + 1;
    e.message = std::move(msg);
    errors_.push_back(std::move(e));
  }
  void error(const YAML::Node& n, std::string msg) { error(n.Mark(), std::move(msg)); }

  // yaml-cpp 0.7 keeps only the first of two equal keys when looking up; find the duplicates ourselves.
  void check_duplicates(const YAML::Node& n) {
    if (n.IsMap()) {
      std::map<std::string, YAML::Mark> seen;
      for (auto it = n.begin(); it != n.end(); ++it) {
        if (it->first.IsScalar()) {
          const auto key = it->first.Scalar();
          auto [pos, fresh] = seen.emplace(key, it->first.Mark());
          if (!fresh)
            error(it->first, "duplicate key '" + key + "' (already given at line " + std::to_string(pos->second.line + 1) +
                                 "); each key may appear only once");
        }
        check_duplicates(it->second);
      }
    } else if (n.IsSequence()) {
      for (const auto& c : n) check_duplicates(c);
    }
  }

  void load(const std::string& text, std::vector<Rule>& out) {
    YAML::Node root;
    try {
      root = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
      error(e.mark, "the file is not valid YAML: " + e.msg);
      return;
    } catch (const std::exception& e) {
      error(YAML::Mark::null_mark(), std::string("the file is not valid YAML: ") + e.what());
      return;
    }
    if (root.IsNull()) return;  // an empty file (or only comments) holds no rules
    check_duplicates(root);
    if (!root.IsMap()) return error(root, "a rule file must start with 'rules:' followed by a list of rules");
    for (auto it = root.begin(); it != root.end(); ++it)
      if (it->first.Scalar() != "rules")
        error(it->first, "unknown top-level key '" + it->first.Scalar() + "'; a rule file holds only 'rules:'");
    const YAML::Node rules = root["rules"];
    if (!rules) return error(root, "missing 'rules:' list");
    if (rules.IsNull()) return;
    if (!rules.IsSequence()) return error(rules, "'rules' must be a list of rules, each starting with '- id:'");
    for (const auto& r : rules) {
      Rule rule;
      if (parse_rule(r, rule)) out.push_back(std::move(rule));
    }
  }

 private:
  bool scalar(const YAML::Node& n, const std::string& key, std::string& out) {
    if (!n.IsScalar()) {
      error(n, "'" + key + "' must be a single value");
      return false;
    }
    out = n.Scalar();
    return true;
  }

  bool string_list(const YAML::Node& n, const std::string& key, std::vector<std::string>& out) {
    if (n.IsScalar()) {
      out.push_back(n.Scalar());
      return true;
    }
    if (!n.IsSequence()) {
      error(n, "'" + key + "' must be a list, like [a, b]");
      return false;
    }
    for (const auto& c : n) {
      if (!c.IsScalar()) {
        error(c, "'" + key + "' items must be plain values");
        return false;
      }
      out.push_back(c.Scalar());
    }
    return true;
  }

  bool percent(const YAML::Node& n, const std::string& key, Exact& out) {
    std::string s;
    if (!scalar(n, key, s)) return false;
    auto v = Exact::parse(s);
    if (!v) {
      error(n, "'" + key + "' must be a percentage number like 10 or 2.5, not '" + s + "'");
      return false;
    }
    if (v->den > 1'000'000) {
      error(n, "'" + key + "' may have at most 6 decimal places, not '" + s + "'");
      return false;
    }
    if (v->is_negative() || *v > Exact{100, 1}) {
      error(n, "'" + key + "' is a percentage and must be between 0 and 100, not " + s);
      return false;
    }
    out = *v;
    return true;
  }

  template <class F>
  bool positive_fixed(const YAML::Node& n, const std::string& key, F& out) {
    std::string s;
    if (!scalar(n, key, s)) return false;
    auto v = F::parse(s);
    if (!v) {
      error(n, "'" + key + "' must be a number, not '" + s + "' (" + v.error().message + ")");
      return false;
    }
    if (!v->is_positive()) {
      error(n, "'" + key + "' must be greater than zero, not " + s);
      return false;
    }
    out = *v;
    return true;
  }

  std::optional<std::chrono::sys_days> date(const YAML::Node& n, const std::string& key) {
    std::string s;
    if (!scalar(n, key, s)) return std::nullopt;
    int y = 0, m = 0, d = 0;
    char tail = 0;
    if (std::sscanf(s.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) == 3) {
      const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                            std::chrono::day{static_cast<unsigned>(d)}};
      if (ymd.ok() && s.size() == 10) return std::chrono::sys_days{ymd};
    }
    error(n, "'" + key + "' must be a date written YYYY-MM-DD, not '" + s + "'");
    return std::nullopt;
  }

  bool parse_scope(const YAML::Node& n, Scope& scope) {
    if (!n.IsMap()) {
      error(n, "'scope' must be a map such as { account_groups: [ucits], sides: [buy] }");
      return false;
    }
    bool ok = true;
    for (auto it = n.begin(); it != n.end(); ++it) {
      const std::string key = it->first.Scalar();
      if (key == "accounts") ok &= string_list(it->second, key, scope.accounts);
      else if (key == "account_groups") ok &= string_list(it->second, key, scope.account_groups);
      else if (key == "asset_classes") ok &= string_list(it->second, key, scope.asset_classes);
      else if (key == "sides") {
        std::vector<std::string> sides;
        if (!string_list(it->second, key, sides)) {
          ok = false;
          continue;
        }
        scope.sides = 0;
        for (const auto& s : sides) {
          if (s == "buy") scope.sides |= kBuy;
          else if (s == "sell") scope.sides |= kSell;
          else if (s == "sell_short") scope.sides |= kSellShort;
          else if (s == "sell_short_exempt") scope.sides |= kSellShortExempt;
          else if (s == "any_sell") scope.sides |= kSell | kSellShort | kSellShortExempt;
          else {
            error(it->second, "unknown side '" + s + "'; use buy, sell, sell_short, sell_short_exempt or any_sell");
            ok = false;
          }
        }
      } else {
        error(it->first, "unknown scope key '" + key + "'; use accounts, account_groups, asset_classes or sides");
        ok = false;
      }
    }
    return ok;
  }

  bool read_list_file(const YAML::Node& n, Rule& rule) {
    std::string name;
    if (!scalar(n, "list_file", name)) return false;
    const fs::path p = dir_ / name;
    auto text = read_file(p);
    if (!text) {
      error(n, "cannot read the list file '" + name + "' (looked for " + p.string() + ")");
      return false;
    }
    hash_.add(name);
    hash_.add(*text);
    std::istringstream in(*text);
    std::string line;
    auto trim = [](std::string s) {
      const auto b = s.find_first_not_of(" \t\r");
      const auto e = s.find_last_not_of(" \t\r");
      return b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
    };
    while (std::getline(in, line)) {
      if (auto hash = line.find('#'); hash != std::string::npos) line.resize(hash);
      line = trim(line);
      if (line.empty()) continue;
      if (line.rfind("issuer:", 0) == 0) rule.issuers.insert(trim(line.substr(7)));
      else if (line.rfind("symbol:", 0) == 0) rule.symbols.insert(trim(line.substr(7)));
      else rule.symbols.insert(line);
    }
    return true;
  }

  // Column of the expression's first character in the file, for errors inside it.
  YAML::Mark expression_mark(const YAML::Node& n, int offset) {
    YAML::Mark m = n.Mark();
    if (m.line < 0 || static_cast<std::size_t>(m.line) >= lines_.size()) return m;
    const std::string& l = lines_[static_cast<std::size_t>(m.line)];
    const char c = static_cast<std::size_t>(m.column) < l.size() ? l[static_cast<std::size_t>(m.column)] : ' ';
    if (c == '|' || c == '>') return m;  // block scalar: the text starts on the next line; point at the key
    if (n.Scalar().find('\n') != std::string::npos) return m;
    m.column += offset + ((c == '"' || c == '\'') ? 1 : 0);
    return m;
  }

  bool parse_rule(const YAML::Node& r, Rule& rule) {
    if (!r.IsMap()) {
      error(r, "each rule must be a map starting with 'id:'");
      return false;
    }
    rule.location = SourceLocation{file_, r.Mark().line + 1, r.Mark().column + 1};
    const std::size_t errors_before = errors_.size();
    std::map<std::string, YAML::Node> keys;
    for (auto it = r.begin(); it != r.end(); ++it) {
      if (!it->first.IsScalar()) {
        error(it->first, "rule keys must be plain words");
        continue;
      }
      keys.emplace(it->first.Scalar(), it->second);
    }
    auto key_node = [&](const std::string& k) -> YAML::Node {
      for (auto it = r.begin(); it != r.end(); ++it)
        if (it->first.IsScalar() && it->first.Scalar() == k) return it->first;
      return r;
    };
    auto need = [&](const std::string& k) -> const YAML::Node* {
      auto it = keys.find(k);
      if (it == keys.end()) {
        error(r, "rule '" + (rule.id.empty() ? std::string("?") : rule.id) + "' is missing '" + k + "'");
        return nullptr;
      }
      return &it->second;
    };

    if (auto* n = need("id")) {
      if (scalar(*n, "id", rule.id)) {
        const bool good = !rule.id.empty() && std::all_of(rule.id.begin(), rule.id.end(), [](char c) {
          return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
        });
        if (!good) error(*n, "rule id '" + rule.id + "' may use only letters, digits, '-', '_' and '.'");
      }
    }
    if (auto* n = need("description")) scalar(*n, "description", rule.description);
    if (auto* n = need("severity")) {
      std::string s;
      if (scalar(*n, "severity", s)) {
        if (auto sev = parse_severity(s)) rule.severity = *sev;
        else error(*n, "unknown severity '" + s + "'; use block, approval or warn");
      }
    }
    const YAML::Node* type_node = need("type");
    std::string type_name;
    if (!type_node || !scalar(*type_node, "type", type_name)) return false;
    auto type = parse_rule_type(type_name);
    if (!type) {
      std::string all;
      for (int t = 0; t <= static_cast<int>(RuleType::expression); ++t)
        all += (t ? ", " : "") + std::string(to_string(static_cast<RuleType>(t)));
      error(*type_node, "unknown rule type '" + type_name + "'; known types: " + all);
      return false;
    }
    rule.type = *type;

    static const std::set<std::string> common = {"id", "description", "type", "severity", "scope", "source", "effective"};
    static const std::map<RuleType, std::set<std::string>> params = {
        {RuleType::restricted_list, {"symbols", "issuers", "list_file"}},
        {RuleType::max_order_quantity, {"max_quantity"}},
        {RuleType::max_order_notional, {"max_notional"}},
        {RuleType::price_tolerance, {"max_deviation_pct"}},
        {RuleType::position_limit, {"max_shares", "max_notional", "max_pct_nav"}},
        {RuleType::issuer_concentration, {"limit_pct_nav", "aggregate_by"}},
        {RuleType::group_concentration, {"attribute", "limit_pct_nav", "values"}},
        {RuleType::ucits_5_10_40, {"aggregate_by", "single_issuer_pct", "max_issuer_pct", "bucket_pct"}},
        {RuleType::act40_75_5_10, {"diversified_pct", "issuer_pct", "voting_pct"}},
        {RuleType::no_short_sale, {}},
        {RuleType::cash_sufficiency, {}},
        {RuleType::pct_adv, {"max_pct_adv"}},
        {RuleType::duplicate_order, {"window_seconds"}},
        {RuleType::expression, {"require"}},
    };
    const auto& allowed = params.at(rule.type);
    for (const auto& [k, v] : keys) {
      if (common.count(k) || allowed.count(k)) continue;
      std::string list;
      for (const auto& a : allowed) list += (list.empty() ? "" : ", ") + a;
      error(key_node(k), "unknown parameter '" + k + "' for a " + type_name + " rule" +
                             (list.empty() ? std::string(" (it takes no parameters)") : "; its parameters are: " + list));
    }
    auto has = [&](const std::string& k) { return keys.count(k) > 0; };

    if (has("source")) scalar(keys["source"], "source", rule.source);
    if (has("scope")) parse_scope(keys["scope"], rule.scope);
    if (has("effective")) {
      const YAML::Node& e = keys["effective"];
      if (!e.IsMap()) {
        error(e, "'effective' must be a map such as { from: 2026-01-01, until: 2026-12-31 }");
      } else {
        for (auto it = e.begin(); it != e.end(); ++it) {
          const std::string k = it->first.Scalar();
          if (k == "from") rule.effective_from = date(it->second, "effective.from");
          else if (k == "until") rule.effective_until = date(it->second, "effective.until");
          else error(it->first, "unknown key '" + k + "' in 'effective'; use from and until");
        }
        if (rule.effective_from && rule.effective_until && *rule.effective_until < *rule.effective_from)
          error(e, "'effective.until' is before 'effective.from'");
      }
    }

    switch (rule.type) {
      case RuleType::restricted_list: {
        std::vector<std::string> v;
        if (has("symbols") && string_list(keys["symbols"], "symbols", v)) rule.symbols.insert(v.begin(), v.end());
        v.clear();
        if (has("issuers") && string_list(keys["issuers"], "issuers", v)) rule.issuers.insert(v.begin(), v.end());
        if (has("list_file")) read_list_file(keys["list_file"], rule);
        if (!has("symbols") && !has("issuers") && !has("list_file"))
          error(r, "restricted_list rule '" + rule.id + "' needs 'symbols', 'issuers' or 'list_file'");
        break;
      }
      case RuleType::max_order_quantity:
        if (auto* n = need("max_quantity")) positive_fixed(*n, "max_quantity", rule.max_quantity);
        break;
      case RuleType::max_order_notional:
        if (auto* n = need("max_notional")) positive_fixed(*n, "max_notional", rule.max_notional);
        break;
      case RuleType::price_tolerance:
        if (auto* n = need("max_deviation_pct")) percent(*n, "max_deviation_pct", rule.limit_pct);
        break;
      case RuleType::position_limit: {
        const int count = has("max_shares") + has("max_notional") + has("max_pct_nav");
        if (count != 1) {
          error(r, "position_limit rule '" + rule.id + "' needs exactly one of max_shares, max_notional, max_pct_nav");
        } else if (has("max_shares")) {
          rule.position_measure = PositionMeasure::shares;
          positive_fixed(keys["max_shares"], "max_shares", rule.max_quantity);
        } else if (has("max_notional")) {
          rule.position_measure = PositionMeasure::notional;
          positive_fixed(keys["max_notional"], "max_notional", rule.max_notional);
        } else {
          rule.position_measure = PositionMeasure::pct_nav;
          percent(keys["max_pct_nav"], "max_pct_nav", rule.limit_pct);
        }
        break;
      }
      case RuleType::issuer_concentration:
      case RuleType::ucits_5_10_40:
        if (rule.type == RuleType::issuer_concentration) {
          if (auto* n = need("limit_pct_nav")) percent(*n, "limit_pct_nav", rule.limit_pct);
        } else {
          if (has("single_issuer_pct")) percent(keys["single_issuer_pct"], "single_issuer_pct", rule.ucits_single_pct);
          if (has("max_issuer_pct")) percent(keys["max_issuer_pct"], "max_issuer_pct", rule.ucits_max_pct);
          if (has("bucket_pct")) percent(keys["bucket_pct"], "bucket_pct", rule.ucits_bucket_pct);
        }
        if (has("aggregate_by")) {
          std::string a;
          if (scalar(keys["aggregate_by"], "aggregate_by", a)) {
            if (a == "issuer") rule.aggregate_by = Aggregate::issuer;
            else if (a == "parent_issuer") rule.aggregate_by = Aggregate::parent_issuer;
            else error(keys["aggregate_by"], "'aggregate_by' must be issuer or parent_issuer, not '" + a + "'");
          }
        }
        break;
      case RuleType::group_concentration:
        if (auto* n = need("attribute")) {
          if (scalar(*n, "attribute", rule.attribute) && rule.attribute.empty())
            error(*n, "'attribute' names an instrument attribute such as sector, country or asset_class");
          rule.attribute_slot = fixed_attribute_index(rule.attribute);
        }
        if (auto* n = need("limit_pct_nav")) percent(*n, "limit_pct_nav", rule.limit_pct);
        if (has("values")) string_list(keys["values"], "values", rule.group_values);
        break;
      case RuleType::act40_75_5_10:
        if (has("diversified_pct")) percent(keys["diversified_pct"], "diversified_pct", rule.act40_diversified_pct);
        if (has("issuer_pct")) percent(keys["issuer_pct"], "issuer_pct", rule.act40_issuer_pct);
        if (has("voting_pct")) percent(keys["voting_pct"], "voting_pct", rule.act40_voting_pct);
        break;
      case RuleType::no_short_sale:
      case RuleType::cash_sufficiency: break;
      case RuleType::pct_adv:
        if (auto* n = need("max_pct_adv")) percent(*n, "max_pct_adv", rule.limit_pct);
        break;
      case RuleType::duplicate_order:
        if (auto* n = need("window_seconds")) {
          std::string s;
          if (scalar(*n, "window_seconds", s)) {
            char* end = nullptr;
            const long v = std::strtol(s.c_str(), &end, 10);
            if (s.empty() || *end != '\0' || v <= 0 || v > 7 * 86400)
              error(*n, "'window_seconds' must be a whole number of seconds between 1 and 604800, not '" + s + "'");
            else
              rule.window = std::chrono::seconds{v};
          }
        }
        break;
      case RuleType::expression:
        if (auto* n = need("require")) {
          std::string text;
          if (scalar(*n, "require", text)) {
            ParseError pe;
            auto expr = Expression::parse(text, &pe);
            if (expr) rule.condition = std::move(*expr);
            else error(expression_mark(*n, pe.offset), "in the 'require' condition: " + pe.message);
          }
        }
        break;
    }
    return errors_.size() == errors_before;
  }

  std::string file_;
  fs::path dir_;
  std::vector<LoadError>& errors_;
  Fnv& hash_;
  std::vector<std::string> lines_;
};

void check_unique_ids(const std::vector<Rule>& rules, std::vector<LoadError>& errors) {
  std::map<std::string, const Rule*> seen;
  for (const auto& r : rules) {
    auto [it, fresh] = seen.emplace(r.id, &r);
    if (!fresh)
      errors.push_back(LoadError{r.location, "duplicate rule id '" + r.id + "' (already defined at " +
                                                 it->second->location.file + ":" +
                                                 std::to_string(it->second->location.line) + "); ids must be unique"});
  }
}

}  // namespace

std::uint8_t side_bit(Side s) {
  switch (s) {
    case Side::Buy: return kBuy;
    case Side::Sell: return kSell;
    case Side::SellShort: return kSellShort;
    case Side::SellShortExempt: return kSellShortExempt;
  }
  return 0;
}

bool Rule::in_effect(Timestamp now) const {
  if (!effective_from && !effective_until) return true;
  const auto day = std::chrono::floor<std::chrono::days>(now);
  if (effective_from && day < *effective_from) return false;
  if (effective_until && day > *effective_until) return false;
  return true;
}

std::string LoadError::to_string() const {
  if (location.line <= 0) return location.file + ": " + message;
  return location.file + ":" + std::to_string(location.line) + ":" + std::to_string(location.column) + ": " + message;
}

RuleBook::RuleBook(std::vector<Rule> rules, std::string version, std::vector<std::string> files,
                   std::vector<std::string> file_hashes)
    : rules_(std::move(rules)), version_(std::move(version)), files_(std::move(files)),
      file_hashes_(std::move(file_hashes)) {}

const Rule* RuleBook::find(std::string_view id) const {
  for (const auto& r : rules_)
    if (r.id == id) return &r;
  return nullptr;
}

LoadResult load_rule_text(const std::string& text, const std::string& file, const std::string& dir) {
  LoadResult res;
  Fnv hash;
  hash.add(file);
  hash.add(text);
  std::vector<Rule> rules;
  FileLoader(file, text, dir, res.errors, hash).load(text, rules);
  check_unique_ids(rules, res.errors);
  if (res.errors.empty()) res.book = std::make_shared<RuleBook>(std::move(rules), hash.hex(), std::vector<std::string>{file});
  return res;
}

LoadResult load_rule_book(const std::string& dir) {
  LoadResult res;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    res.errors.push_back(LoadError{SourceLocation{dir, 0, 0}, "the rule book directory does not exist"});
    return res;
  }
  std::vector<std::string> files;
  for (auto it = fs::recursive_directory_iterator(dir, ec); !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const auto rel = fs::relative(it->path(), dir).generic_string();
    if (it->is_directory() && rel == "tests") {
      it.disable_recursion_pending();
      continue;
    }
    const auto ext = it->path().extension().string();
    if (it->is_regular_file() && (ext == ".yaml" || ext == ".yml")) files.push_back(rel);
  }
  std::sort(files.begin(), files.end());
  Fnv hash;
  std::vector<Rule> rules;
  std::vector<std::string> file_hashes;
  for (const auto& f : files) {
    auto text = read_file(fs::path(dir) / f);
    if (!text) {
      res.errors.push_back(LoadError{SourceLocation{f, 0, 0}, "cannot read the file"});
      continue;
    }
    hash.add(f);
    hash.add(*text);
    Fnv own;
    own.add(*text);
    file_hashes.push_back(own.hex());
    FileLoader(f, *text, dir, res.errors, hash).load(*text, rules);
  }
  check_unique_ids(rules, res.errors);
  if (res.errors.empty()) res.book = std::make_shared<RuleBook>(std::move(rules), hash.hex(), std::move(files), std::move(file_hashes));
  return res;
}

RuleBookHolder::RuleBookHolder() : current_(std::make_shared<RuleBook>()) {}

std::shared_ptr<const RuleBook> RuleBookHolder::current() const {
  std::lock_guard lock(mu_);
  return current_;
}

LoadResult RuleBookHolder::reload(const std::string& dir, const std::string& loaded_by, Timestamp now) {
  LoadResult res = load_rule_book(dir);  // parse outside the lock: readers are never blocked by a reload
  if (res.ok()) {
    install(res.book, loaded_by, now);
  } else {
    std::lock_guard lock(mu_);
    last_errors_ = res.errors;
  }
  return res;
}

void RuleBookHolder::install(std::shared_ptr<const RuleBook> book, const std::string& loaded_by, Timestamp now) {
  std::lock_guard lock(mu_);
  history_.push_back(RuleBookRecord{book->version(), now, loaded_by, book->rules().size()});
  current_ = std::move(book);
  last_errors_.clear();
}

std::vector<LoadError> RuleBookHolder::last_errors() const {
  std::lock_guard lock(mu_);
  return last_errors_;
}

std::vector<RuleBookRecord> RuleBookHolder::history() const {
  std::lock_guard lock(mu_);
  return history_;
}

}  // namespace oms::compliance
