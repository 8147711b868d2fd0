// Compliance/100Rules: one order against a 100-rule book over 1,000 instruments and 50 accounts.
// Google Benchmark reports means only, so main() first times every order itself and prints throughput and
// p50/p99/p99.9 for evaluation alone and for what the engine pays (evaluate + to_json().dump()), then runs the
// Google Benchmark cases. Fills are applied between orders (every 8th) so the incremental aggregates are exercised
// as they would be in the engine.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>

#include <nlohmann/json.hpp>

#include "oms/compliance/evaluation.hpp"

namespace {
using namespace oms;
using namespace oms::compliance;

constexpr int kInstruments = 1000, kAccounts = 50, kHoldingsPerAccount = 150;

struct Universe {
  ComplianceState state;
  std::shared_ptr<const RuleBook> book;
  std::vector<OrderSpec> orders;
};

std::string sym(int i) { return "S" + std::to_string(i); }

std::string make_rule_book() {
  std::string y = "rules:\n";
  int n = 0;
  auto add = [&](const std::string& body, const std::string& severity = "block", const std::string& scope = "") {
    y += "  - id: r" + std::to_string(n++) + "\n    description: generated\n    " + body + "\n    severity: " + severity + "\n";
    if (!scope.empty()) y += "    scope: " + scope + "\n";
  };
  const char* groups[] = {"ucits", "40act", "balanced"};
  const char* sectors[] = {"sec0", "sec1", "sec2", "sec3", "sec4"};
  std::string syms, issuers;
  for (int i = 0; i < 20; ++i) syms += (i ? ", " : "") + sym(i * 37 + 5);
  for (int i = 0; i < 5; ++i) issuers += (i ? ", " : "") + std::string("issuer") + std::to_string(i * 97 + 3);
  add("type: restricted_list\n    symbols: [" + syms + "]");
  add("type: restricted_list\n    issuers: [" + issuers + "]", "approval", "{ sides: [buy] }");
  for (int i = 0; i < 5; ++i) add("type: max_order_quantity\n    max_quantity: " + std::to_string(50000 + i * 10000), "block", "{ account_groups: [" + std::string(groups[i % 3]) + "] }");
  for (int i = 0; i < 5; ++i) add("type: max_order_notional\n    max_notional: " + std::to_string(5000000 + i * 1000000), i % 2 ? "approval" : "block");
  for (int i = 0; i < 5; ++i) add("type: price_tolerance\n    max_deviation_pct: " + std::to_string(5 + i), "warn", "{ account_groups: [" + std::string(groups[i % 3]) + "] }");
  for (int i = 0; i < 5; ++i) add("type: position_limit\n    max_shares: " + std::to_string(200000 + i * 1000), "warn", "{ asset_classes: [equity] }");
  for (int i = 0; i < 5; ++i) add("type: position_limit\n    max_notional: " + std::to_string(20000000 + i * 1000000));
  for (int i = 0; i < 5; ++i) add("type: position_limit\n    max_pct_nav: " + std::to_string(5 + i), "block", "{ account_groups: [" + std::string(groups[i % 3]) + "] }");
  for (int i = 0; i < 15; ++i)
    add("type: issuer_concentration\n    limit_pct_nav: " + std::to_string(8 + i) + "\n    aggregate_by: " + (i % 2 ? "parent_issuer" : "issuer"),
        "block", i % 3 == 0 ? "" : "{ account_groups: [" + std::string(groups[i % 3]) + "] }");
  const char* attrs[] = {"sector", "country", "asset_class", "rating"};
  for (int i = 0; i < 20; ++i)
    add("type: group_concentration\n    attribute: " + std::string(attrs[i % 4]) + "\n    limit_pct_nav: " + std::to_string(30 + i),
        i % 5 == 0 ? "warn" : "block", i % 2 ? "{ account_groups: [" + std::string(groups[i % 3]) + "] }" : "");
  add("type: ucits_5_10_40", "block", "{ account_groups: [ucits] }");
  add("type: act40_75_5_10", "block", "{ account_groups: [40act] }");
  add("type: no_short_sale");
  add("type: no_short_sale", "warn", "{ asset_classes: [bond] }");
  add("type: cash_sufficiency");
  add("type: cash_sufficiency", "warn", "{ account_groups: [balanced] }");
  for (int i = 0; i < 5; ++i) add("type: pct_adv\n    max_pct_adv: " + std::to_string(10 + i * 5), "warn");
  add("type: duplicate_order\n    window_seconds: 60", "warn");
  add("type: duplicate_order\n    window_seconds: 5", "block");
  for (int i = 0; i < 20; ++i) {
    const std::string sec = sectors[i % 5];
    switch (i % 4) {
      case 0: add("type: expression\n    require: 'not (instrument.sector == \"" + sec + "\" and account.groups contains \"esg\")'"); break;
      case 1: add("type: expression\n    require: 'order.is_sell or order.notional <= " + std::to_string(2000000 + i) + " or pre_trade.nav >= 1000000000'", "approval"); break;
      case 2: add("type: expression\n    require: 'post_trade.issuer_pct_nav <= " + std::to_string(12 + i) + " or instrument.asset_class in [\"government\", \"fund\"]'"); break;
      case 3: add("type: expression\n    require: 'instrument.attr.rating != \"CCC\" or order.quantity < " + std::to_string(1000 + i) + "'", "warn"); break;
    }
  }
  if (n != 100) std::fprintf(stderr, "generated %d rules, expected 100\n", n);
  return y;
}

Universe make_universe() {
  Universe u;
  std::mt19937_64 rng(42);
  const char* classes[] = {"equity", "equity", "equity", "equity", "equity", "equity", "bond", "bond", "government", "fund"};
  const char* ratings[] = {"AAA", "AA", "A", "BBB", "BB", "B", "CCC"};
  for (int i = 0; i < kInstruments; ++i) {
    Instrument in;
    in.symbol = Symbol(sym(i));
    const int issuer = static_cast<int>(rng() % 600);
    in.issuer = "issuer" + std::to_string(issuer);
    in.parent_issuer = "parent" + std::to_string(issuer % 200);
    in.sector = "sec" + std::to_string(rng() % 11);
    in.country = "c" + std::to_string(rng() % 20);
    in.asset_class = classes[rng() % 10];
    in.attributes["rating"] = ratings[rng() % 7];
    in.reference_price = Price::from_int(10 + static_cast<std::int64_t>(rng() % 190));
    in.adv = Quantity::from_int(100000 + static_cast<std::int64_t>(rng() % 5000000));
    in.shares_outstanding = Quantity::from_int(10000000 + static_cast<std::int64_t>(rng() % 1000000000));
    u.state.upsert_instrument(in);
  }
  for (int a = 0; a < kAccounts; ++a) {
    Account acct;
    acct.id = AccountId("ACCT" + std::to_string(a));
    acct.groups = {a < 20 ? "ucits" : a < 35 ? "40act" : "balanced"};
    acct.cash = Money::from_int(40'000'000);
    u.state.upsert_account(acct);
    for (int h = 0; h < kHoldingsPerAccount; ++h) {
      const int i = static_cast<int>(rng() % kInstruments);
      const auto px = u.state.slot(static_cast<std::uint32_t>(i)).instrument.reference_price.whole();
      // About 400,000 per holding: each ~0.4% of a ~100,000,000 NAV.
      (void)u.state.set_position(acct.id, Symbol(sym(i)), Quantity::from_int(400000 / px));
    }
  }
  auto loaded = load_rule_text(make_rule_book(), "bench.yaml");
  if (!loaded.ok()) {
    for (const auto& e : loaded.errors) std::fprintf(stderr, "%s\n", e.to_string().c_str());
    std::abort();
  }
  u.book = loaded.book;
  for (int k = 0; k < 100000; ++k) {
    OrderSpec o;
    o.account = AccountId("ACCT" + std::to_string(rng() % kAccounts));
    const auto i = static_cast<std::uint32_t>(rng() % kInstruments);
    o.symbol = Symbol(sym(static_cast<int>(i)));
    o.side = rng() % 3 == 0 ? Side::Sell : Side::Buy;
    o.quantity = Quantity::from_int(100 + static_cast<std::int64_t>(rng() % 5000));
    const auto ref = u.state.slot(i).instrument.reference_price;
    if (rng() % 4 == 0) {
      o.ord_type = OrdType::Market;
    } else {
      o.ord_type = OrdType::Limit;
      o.limit_price = Price::from_raw(ref.raw() + static_cast<std::int64_t>(rng() % 2001) * ref.raw() / 100000 - ref.raw() / 100);
    }
    u.orders.push_back(std::move(o));
  }
  return u;
}

Universe& universe() {
  static Universe u = make_universe();
  return u;
}

void apply_some_fill(Universe& u, const OrderSpec& o, std::size_t k) {
  if (k % 8 != 0) return;
  const Price px = o.limit_price ? *o.limit_price : u.state.instrument(o.symbol)->instrument.reference_price;
  (void)u.state.apply_fill(o.account, o.symbol, o.side, Quantity::from_int(10), px);
}

void BM_Compliance_100Rules(benchmark::State& s) {
  Universe& u = universe();
  Evaluation e;
  std::size_t k = 0;
  const Timestamp now{std::chrono::hours(24 * 20500)};
  for (auto _ : s) {
    const OrderSpec& o = u.orders[k++ % u.orders.size()];
    evaluate_into(*u.book, u.state, o, now, e);
    benchmark::DoNotOptimize(e.decision);
  }
  s.SetItemsProcessed(static_cast<std::int64_t>(s.iterations()));
}
BENCHMARK(BM_Compliance_100Rules);

// As the engine does: a fresh evaluation and the audit JSON text, through the tree (to_json().dump()) or direct.
template <bool kDirect>
void BM_Compliance_100Rules_Json(benchmark::State& s) {
  Universe& u = universe();
  Evaluation e;
  std::size_t k = 0;
  const Timestamp now{std::chrono::hours(24 * 20500)};
  for (auto _ : s) {
    const OrderSpec& o = u.orders[k++ % u.orders.size()];
    e = evaluate(*u.book, u.state, o, now);
    if constexpr (kDirect) benchmark::DoNotOptimize(to_json_text(*u.book, u.state, e).size());
    else benchmark::DoNotOptimize(to_json(*u.book, u.state, e).dump().size());
  }
  s.SetItemsProcessed(static_cast<std::int64_t>(s.iterations()));
}
BENCHMARK(BM_Compliance_100Rules_Json<false>)->Name("BM_Compliance_100Rules_WithJson");
BENCHMARK(BM_Compliance_100Rules_Json<true>)->Name("BM_Compliance_100Rules_WithJsonText");

void BM_Compliance_ApplyFill(benchmark::State& s) {
  Universe& u = universe();
  std::size_t k = 0;
  for (auto _ : s) {
    const OrderSpec& o = u.orders[k++ % u.orders.size()];
    benchmark::DoNotOptimize(u.state.apply_fill(o.account, o.symbol, Side::Buy, Quantity::from_int(1), Price::from_int(10)).ok());
  }
}
BENCHMARK(BM_Compliance_ApplyFill);

// Times `kRuns` orders one by one with `step` (one order's work) inside the timed region.
template <class Step>
void percentiles(const char* label, std::size_t kRuns, Step step) {
  Universe& u = universe();
  std::vector<std::int64_t> ns;
  ns.reserve(kRuns);
  std::size_t results = 0, rejected = 0;
  for (std::size_t k = 0; k < 20000; ++k) step(u.orders[k % u.orders.size()]);  // warm up
  const auto start = std::chrono::steady_clock::now();
  for (std::size_t k = 0; k < kRuns; ++k) {
    const OrderSpec& o = u.orders[k % u.orders.size()];
    const auto t0 = std::chrono::steady_clock::now();
    const Evaluation& e = step(o);
    const auto t1 = std::chrono::steady_clock::now();
    ns.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(t1 - t0).count());
    results += e.slices[0].results.size();
    rejected += e.decision == Decision::rejected;
    apply_some_fill(u, o, k);
  }
  const auto total = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count();
  std::sort(ns.begin(), ns.end());
  auto pct = [&](std::size_t num, std::size_t den) { return ns[std::min(ns.size() - 1, ns.size() * num / den)]; };
  std::printf("Compliance/100Rules %s: %zu orders, 1000 instruments, 50 accounts, %zu rules applicable per order on average\n",
              label, kRuns, results / kRuns);
  std::printf("  throughput %lld orders/s (including every 8th order's fill and the timer)\n",
              static_cast<long long>(static_cast<__int128>(kRuns) * 1'000'000'000 / total));
  std::printf("  latency ns: p50 %lld  p99 %lld  p99.9 %lld  max %lld   (rejected %zu)\n",
              static_cast<long long>(pct(50, 100)), static_cast<long long>(pct(99, 100)),
              static_cast<long long>(pct(999, 1000)), static_cast<long long>(ns.back()), rejected);
}

void all_percentiles() {
  Universe& u = universe();
  const Timestamp now{std::chrono::hours(24 * 20500)};
  Evaluation reused;
  percentiles("evaluate only", 300000, [&](const OrderSpec& o) -> const Evaluation& {
    evaluate_into(*u.book, u.state, o, now, reused);
    return reused;
  });
  // What the engine pays per order (src/engine/engine_compliance.cpp): a fresh evaluate() and the audit JSON text.
  Evaluation fresh;
  std::size_t bytes = 0;
  percentiles("evaluate + to_json().dump()", 100000, [&](const OrderSpec& o) -> const Evaluation& {
    fresh = evaluate(*u.book, u.state, o, now);
    bytes += to_json(*u.book, u.state, fresh).dump().size();
    return fresh;
  });
  std::printf("  (%zu bytes of JSON per order on average)\n", bytes / 120000);
  // The same text written directly (to_json_text == to_json().dump(), tested), for the engine to switch to.
  percentiles("evaluate + to_json_text()", 100000, [&](const OrderSpec& o) -> const Evaluation& {
    fresh = evaluate(*u.book, u.state, o, now);
    benchmark::DoNotOptimize(to_json_text(*u.book, u.state, fresh).size());
    return fresh;
  });
}

}  // namespace

// --no_percentiles: only the Google Benchmark cases (for profiling one of them).
int main(int argc, char** argv) {
  bool run_percentiles = true;
  for (int i = 1; i < argc; ++i)
    if (std::string(argv[i]) == "--no_percentiles") {
      run_percentiles = false;
      for (int j = i; j + 1 < argc; ++j) argv[j] = argv[j + 1];
      --argc;
      break;
    }
  if (run_percentiles) all_percentiles();
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
