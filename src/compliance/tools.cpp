// Offline tools: rule book check, the rule book's own test cases, and the end-of-day holdings report.
#include "oms/compliance/tools.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "eval_internal.hpp"

namespace oms::compliance {
namespace fs = std::filesystem;

std::string ToolReport::text() const {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

ToolReport check_rule_book(const std::string& dir) {
  ToolReport rep;
  auto res = load_rule_book(dir);
  if (!res.ok()) {
    for (const auto& e : res.errors) rep.lines.push_back(e.to_string());
    rep.lines.push_back("FAILED: " + std::to_string(res.errors.size()) + " error(s); the rule book was not loaded");
    return rep;
  }
  std::map<std::string, int> by_type;
  for (const auto& r : res.book->rules()) ++by_type[std::string(to_string(r.type))];
  rep.ok = true;
  rep.lines.push_back("OK: " + std::to_string(res.book->rules().size()) + " rules in " +
                      std::to_string(res.book->files().size()) + " files, version " + res.book->version());
  for (const auto& [t, n] : by_type) rep.lines.push_back("  " + t + ": " + std::to_string(n));
  return rep;
}

namespace {

std::string where(const std::string& file, const YAML::Node& n) {
  return file + ":" + std::to_string(n.Mark().line + 1) + ":" + std::to_string(n.Mark().column + 1);
}

template <class F>
bool parse_fixed(const YAML::Node& n, F& out) {
  if (!n || !n.IsScalar()) return false;
  auto v = F::parse(n.Scalar());
  if (!v) return false;
  out = *v;
  return true;
}

std::optional<Timestamp> parse_time(const std::string& s) {
  int y, mo, d, h = 0, mi = 0, se = 0;
  if (std::sscanf(s.c_str(), "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &se) < 3) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return Timestamp{std::chrono::sys_days{ymd}.time_since_epoch() + std::chrono::hours{h} + std::chrono::minutes{mi} +
                   std::chrono::seconds{se}};
}

std::vector<std::string> strings(const YAML::Node& n) {
  std::vector<std::string> out;
  if (n && n.IsSequence())
    for (const auto& c : n) out.push_back(c.Scalar());
  return out;
}

}  // namespace

std::vector<std::string> load_reference_yaml(const std::string& path, ComplianceState& state) {
  std::vector<std::string> errs;
  YAML::Node root;
  try {
    root = YAML::LoadFile(path);
  } catch (const std::exception& e) {
    return {path + ": cannot read reference data: " + e.what()};
  }
  for (const auto& n : root["instruments"]) {
    Instrument in;
    in.symbol = Symbol(n["symbol"].as<std::string>(""));
    in.name = n["name"].as<std::string>("");
    in.issuer = n["issuer"].as<std::string>(in.symbol.value);
    in.parent_issuer = n["parent_issuer"].as<std::string>(in.issuer);
    in.sector = n["sector"].as<std::string>("");
    in.country = n["country"].as<std::string>("");
    in.asset_class = n["asset_class"].as<std::string>("equity");
    in.currency = n["currency"].as<std::string>("USD");
    bool ok = !in.symbol.empty() && parse_fixed(n["reference_price"], in.reference_price);
    if (n["lot_size"]) ok &= parse_fixed(n["lot_size"], in.lot_size);
    if (n["adv"]) ok &= parse_fixed(n["adv"], in.adv);
    if (n["shares_outstanding"]) ok &= parse_fixed(n["shares_outstanding"], in.shares_outstanding);
    if (n["attributes"] && n["attributes"].IsMap())
      for (auto it = n["attributes"].begin(); it != n["attributes"].end(); ++it)
        in.attributes[it->first.Scalar()] = it->second.Scalar();
    if (!ok) {
      errs.push_back(where(path, n) + ": instrument needs symbol and reference_price; numbers must be plain decimals");
      continue;
    }
    state.upsert_instrument(in);
  }
  for (const auto& n : root["accounts"]) {
    Account a;
    a.id = AccountId(n["id"].as<std::string>(""));
    a.name = n["name"].as<std::string>(a.id.value);
    a.groups = strings(n["groups"]);
    if (a.id.empty() || !parse_fixed(n["cash"], a.cash)) {
      errs.push_back(where(path, n) + ": account needs id and cash");
      continue;
    }
    state.upsert_account(a);
  }
  return errs;
}

namespace {

struct CaseRunner {
  const RuleBook& book;
  const ComplianceState& base;
  std::string file;
  ToolReport& rep;
  int passed{0}, failed{0};

  void fail(const YAML::Node& at, const std::string& name, const std::string& msg) {
    rep.lines.push_back("FAIL " + where(file, at) + ": " + name + ": " + msg);
  }

  bool apply_portfolio(ComplianceState& st, const AccountId& acct, const YAML::Node& p, const std::string& name,
                       const YAML::Node& c) {
    if (p["cash"]) {
      Money cash;
      if (!parse_fixed(p["cash"], cash)) return fail(p["cash"], name, "cash must be a plain decimal"), false;
      if (!st.set_cash(acct, cash)) return fail(c, name, "unknown account " + acct.value), false;
    }
    if (p["positions"])
      for (auto it = p["positions"].begin(); it != p["positions"].end(); ++it) {
        Quantity q;
        if (!parse_fixed(it->second, q)) return fail(it->second, name, "position must be a plain decimal"), false;
        if (auto s = st.set_position(acct, Symbol(it->first.Scalar()), q); !s)
          return fail(it->first, name, s.error().message), false;
      }
    for (const auto& pe : p["pending"]) {
      Quantity q;
      Price px;
      auto side = parse_side(pe["side"].as<std::string>("buy"));
      if (!side || !parse_fixed(pe["quantity"], q) || !parse_fixed(pe["price"], px))
        return fail(pe, name, "pending orders need side, quantity and price"), false;
      if (auto s = st.add_pending(acct, Symbol(pe["symbol"].as<std::string>("")), *side, q, px); !s)
        return fail(pe, name, s.error().message), false;
    }
    return true;
  }

  void run_case(const YAML::Node& c, Timestamp default_now) {
    const std::string name = c["name"].as<std::string>("(unnamed case)");
    ComplianceState st = base;
    Timestamp now = default_now;
    if (c["now"]) {
      auto t = parse_time(c["now"].as<std::string>());
      if (!t) return fail(c["now"], name, "'now' must look like 2026-03-02T10:00:00Z"), void(++failed);
      now = *t;
    }
    const AccountId acct(c["account"].as<std::string>(""));
    if (!apply_portfolio(st, acct, c, name, c)) return void(++failed);
    if (c["portfolios"])
      for (auto it = c["portfolios"].begin(); it != c["portfolios"].end(); ++it)
        if (!apply_portfolio(st, AccountId(it->first.Scalar()), it->second, name, c)) return void(++failed);
    for (const auto& ro : c["recent_orders"]) {
      Quantity q;
      auto side = parse_side(ro["side"].as<std::string>("buy"));
      if (!side || !parse_fixed(ro["quantity"], q)) return fail(ro, name, "recent orders need side and quantity"), void(++failed);
      const auto ago = std::chrono::seconds{ro["seconds_ago"].as<long>(0)};
      if (auto s = st.record_order(AccountId(ro["account"].as<std::string>(acct.value)), Symbol(ro["symbol"].as<std::string>("")), *side, q, now - ago); !s)
        return fail(ro, name, s.error().message), void(++failed);
    }
    const YAML::Node o = c["order"];
    OrderSpec order;
    order.account = acct;
    order.symbol = Symbol(o["symbol"].as<std::string>(""));
    auto side = parse_side(o["side"].as<std::string>("buy"));
    auto type = parse_ord_type(o["type"].as<std::string>(o["price"] ? "limit" : "market"));
    if (!o || !side || !type || !parse_fixed(o["quantity"], order.quantity))
      return fail(c, name, "'order' needs symbol, side (buy/sell/sell_short), quantity and optionally type and price"), void(++failed);
    order.side = *side;
    order.ord_type = *type;
    if (o["price"]) {
      Price px;
      if (!parse_fixed(o["price"], px)) return fail(o["price"], name, "price must be a plain decimal"), void(++failed);
      order.limit_price = px;
    }
    for (const auto& a : o["allocations"]) {
      AllocationSlice sl;
      sl.account = AccountId(a["account"].as<std::string>(""));
      if (!parse_fixed(a["quantity"], sl.quantity)) return fail(a, name, "allocation quantity must be a plain decimal"), void(++failed);
      order.allocations.push_back(sl);
    }
    if (order.is_block()) order.account = AccountId{};

    const Evaluation ev = evaluate(book, st, order, now);
    std::vector<std::string> problems;
    const YAML::Node expect = c["expect"];
    if (!expect) problems.push_back("missing 'expect'");
    if (expect["decision"]) {
      const auto want = expect["decision"].as<std::string>();
      if (want != to_string(ev.decision)) problems.push_back("decision expected " + want + ", got " + std::string(to_string(ev.decision)));
    }
    for (const auto& s : ev.slices)
      if (!s.error.empty()) problems.push_back(s.error);
    // For a block order a rule's outcome is its worst over the slices (a breach in any slice).
    auto find = [&](const std::string& id, const SliceEvaluation*& slice) -> const RuleResult* {
      const RuleResult* found = nullptr;
      for (const auto& s : ev.slices)
        for (const auto& r : s.results)
          if (book.rules()[r.rule_index].id == id && (!found || r.outcome == Outcome::breach)) {
            if (found && found->outcome == Outcome::breach) continue;
            found = &r, slice = &s;
          }
      return found;
    };
    if (expect["rules"])
      for (auto it = expect["rules"].begin(); it != expect["rules"].end(); ++it) {
        const std::string id = it->first.Scalar(), want = it->second.Scalar();
        if (!book.find(id)) {
          problems.push_back("no rule with id '" + id + "' in the rule book");
          continue;
        }
        const SliceEvaluation* slice = nullptr;
        const RuleResult* r = find(id, slice);
        const std::string got = r ? std::string(to_string(r->outcome)) : "skipped";
        if (got != want) {
          std::string why = r ? " (" + describe(book, st, ev, *slice, *r) + ")" : " (not in scope or not in effect)";
          problems.push_back(id + ": expected " + want + ", got " + got + why);
        }
      }
    if (expect["max_quantity"])
      for (auto it = expect["max_quantity"].begin(); it != expect["max_quantity"].end(); ++it) {
        const SliceEvaluation* slice = nullptr;
        const RuleResult* r = find(it->first.Scalar(), slice);
        const std::string got = !r ? "skipped" : r->max_quantity ? r->max_quantity->to_string() : "unlimited";
        if (got != it->second.Scalar())
          problems.push_back(it->first.Scalar() + ": max_quantity expected " + it->second.Scalar() + ", got " + got);
      }
    if (expect["measured"])
      for (auto it = expect["measured"].begin(); it != expect["measured"].end(); ++it) {
        const SliceEvaluation* slice = nullptr;
        const RuleResult* r = find(it->first.Scalar(), slice);
        const std::string got = r && r->has_measure ? r->measured.to_string(4) : "none";
        if (got != it->second.Scalar())
          problems.push_back(it->first.Scalar() + ": measured expected " + it->second.Scalar() + ", got " + got);
      }
    if (problems.empty()) {
      ++passed;
      rep.lines.push_back("PASS " + file + ": " + name);
    } else {
      ++failed;
      for (const auto& p : problems) fail(c, name, p);
    }
  }
};

}  // namespace

ToolReport run_rule_tests(const std::string& dir) {
  ToolReport rep;
  auto res = load_rule_book(dir);
  if (!res.ok()) {
    for (const auto& e : res.errors) rep.lines.push_back(e.to_string());
    rep.lines.push_back("FAILED: the rule book does not load, so its tests cannot run");
    return rep;
  }
  const fs::path tests = fs::path(dir) / "tests";
  ComplianceState base;
  if (fs::exists(tests / "reference.yaml"))
    for (auto& e : load_reference_yaml((tests / "reference.yaml").string(), base)) rep.lines.push_back(e);
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(tests, ec))
    if (e.path().extension() == ".yaml" && e.path().filename() != "reference.yaml") files.push_back(e.path().string());
  std::sort(files.begin(), files.end());
  int passed = 0, failed = static_cast<int>(rep.lines.size());
  const Timestamp default_now = *parse_time("2026-03-02T12:00:00Z");
  for (const auto& f : files) {
    YAML::Node root;
    try {
      root = YAML::LoadFile(f);
    } catch (const YAML::ParserException& e) {
      rep.lines.push_back("FAIL " + f + ":" + std::to_string(e.mark.line + 1) + ": not valid YAML: " + e.msg);
      ++failed;
      continue;
    }
    CaseRunner runner{*res.book, base, fs::relative(f, dir).generic_string(), rep};
    try {
      for (const auto& c : root["cases"]) runner.run_case(c, default_now);
    } catch (const std::exception& e) {
      rep.lines.push_back("FAIL " + runner.file + ": malformed test case: " + e.what());
      ++runner.failed;
    }
    passed += runner.passed;
    failed += runner.failed;
  }
  if (files.empty()) rep.lines.push_back("no test files in " + tests.string()), ++failed;
  rep.ok = failed == 0;
  rep.lines.push_back((rep.ok ? "OK: " : "FAILED: ") + std::to_string(passed) + " passed, " + std::to_string(failed) +
                      " failed (rule book " + res.book->version() + ")");
  return rep;
}

// ---- end-of-day batch ----

std::vector<BatchRow> run_batch(const RuleBook& book, const ComplianceState& live, Timestamp now) {
  const ComplianceState st = live.without_pending();
  std::vector<BatchRow> rows;
  for (const auto& ab : st.accounts()) {
    const Value nav = ab.nav();
    for (std::uint32_t ri = 0; ri < book.rules().size(); ++ri) {
      const Rule& rule = book.rules()[ri];
      const bool holdings = rule.type == RuleType::position_limit || rule.type == RuleType::issuer_concentration ||
                            rule.type == RuleType::group_concentration || rule.type == RuleType::ucits_5_10_40 ||
                            rule.type == RuleType::act40_75_5_10;
      if (!holdings || !rule.in_effect(now)) continue;
      std::set<std::string> done;
      auto emit = [&](const std::string& subject, const RuleResult& r) {
        if (!r.has_measure || !done.insert(subject).second) return;
        const bool breach = r.is_minimum ? r.measured < r.limit : r.measured > r.limit;
        rows.push_back(BatchRow{ab.account.id.value, rule.id, std::string(to_string(rule.type)),
                                std::string(to_string(rule.severity)), subject, breach ? "breach" : "pass",
                                std::string(to_string(r.unit)), r.measured.to_string(4), r.limit.to_string(4),
                                r.headroom().to_string(4)});
      };
      for (std::uint32_t i = 0; i < ab.position.size(); ++i) {
        if (ab.position[i] == 0) continue;
        const InstrumentSlot& ins = st.slot(i);
        if (!detail::in_scope(rule, ab, ins, Side::Buy) && !detail::in_scope(rule, ab, ins, Side::Sell)) continue;
        const std::int64_t lot = std::max<std::int64_t>(ins.instrument.lot_size.raw(), 1);
        const detail::Ctx c{st, ab, ins, i, 1, Side::Buy, OrdType::Market, false, 0, 0,
                            ins.instrument.reference_price, ins.instrument.reference_price, nav, 0, lot, now};
        RuleResult r;
        r.rule_index = ri;
        if (rule.type == RuleType::ucits_5_10_40) {
          // Both legs: the issuer's own weight, and the 40% bucket for the portfolio.
          const bool by_parent = rule.aggregate_by == Aggregate::parent_issuer;
          const std::uint32_t k = by_parent ? ins.parent : ins.issuer;
          const Value v = by_parent ? ab.parent_value[k] : ab.issuer_value[k];
          if (nav > 0) {
            RuleResult w;
            w.has_measure = true;
            w.unit = Unit::percent;
            w.measured = Exact{100 * v, nav};
            w.limit = rule.ucits_max_pct;
            emit(st.issuer_name(k), w);
          }
          detail::evaluate_rule(rule, c, r);
          if (r.detail == detail::kBucketLeg) emit("portfolio", r);
          continue;
        }
        detail::evaluate_rule(rule, c, r);
        std::string subject = ins.instrument.symbol.value;
        if (rule.type == RuleType::issuer_concentration || (rule.type == RuleType::group_concentration && r.subject >= 0)) {
          if (rule.type == RuleType::issuer_concentration) subject = st.issuer_name(static_cast<std::uint32_t>(r.subject));
          else subject = st.attribute_value_name(static_cast<std::uint32_t>(st.attribute_index(rule.attribute)), static_cast<std::uint32_t>(r.subject));
        }
        if (rule.type == RuleType::act40_75_5_10) subject = "portfolio";
        emit(subject, r);
      }
    }
  }
  return rows;
}

std::string batch_to_csv(const std::vector<BatchRow>& rows) {
  auto q = [](const std::string& s) {
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
  };
  std::string out = "account,rule_id,rule_type,severity,subject,outcome,unit,measured,limit,headroom\n";
  for (const auto& r : rows)
    out += q(r.account) + "," + q(r.rule_id) + "," + r.rule_type + "," + r.severity + "," + q(r.subject) + "," +
           r.outcome + "," + r.unit + "," + r.measured + "," + r.limit + "," + r.headroom + "\n";
  return out;
}

nlohmann::json batch_to_json(const RuleBook& book, const std::vector<BatchRow>& rows) {
  nlohmann::json j;
  j["rule_book_version"] = book.version();
  std::size_t breaches = 0;
  auto& arr = j["rows"] = nlohmann::json::array();
  for (const auto& r : rows) {
    breaches += r.outcome == "breach";
    arr.push_back({{"account", r.account}, {"rule", r.rule_id}, {"type", r.rule_type}, {"severity", r.severity},
                   {"subject", r.subject}, {"outcome", r.outcome}, {"unit", r.unit}, {"measured", r.measured},
                   {"limit", r.limit}, {"headroom", r.headroom}});
  }
  j["breaches"] = breaches;
  return j;
}

}  // namespace oms::compliance
