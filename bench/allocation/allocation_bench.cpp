// Allocation hot paths: one fill allocated across a block's accounts, and a pre-trade pro-rata split.
#include <benchmark/benchmark.h>

#include <string>
#include <unordered_map>
#include <vector>

#include "oms/allocation/block_allocation.hpp"
#include "oms/allocation/split.hpp"

namespace {

using namespace oms;
using namespace oms::allocation;

std::vector<AllocationSlice> targets(int n) {
  std::vector<AllocationSlice> out;
  for (int i = 0; i < n; ++i)  // uneven targets so every fill leaves remainders to place
    out.push_back(AllocationSlice{AccountId{"FUND-" + std::to_string(i)}, Quantity::from_int(10'000 + 137 * i)});
  return out;
}

// Allocation/Fill/N: one 997-share fill of a block of N accounts (the block is refilled when complete,
// outside the timing).
void BM_Allocation_Fill(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const auto t = targets(n);
  auto block = *BlockAllocation::create(t, Quantity::from_int(100));
  const Price px = *Price::parse("101.25");
  std::uint64_t seq = 0;
  std::vector<ExecID> ids;
  for (int i = 0; i < 4096; ++i) ids.emplace_back("EXEC-" + std::to_string(i));
  for (auto _ : state) {
    if (block.order_qty().raw() - block.cum_qty().raw() < Quantity::from_int(997).raw() || seq == ids.size()) {
      state.PauseTiming();
      block = *BlockAllocation::create(t, Quantity::from_int(100));
      seq = 0;
      state.ResumeTiming();
    }
    auto pieces = block.on_fill(Fill{ids[seq++], Quantity::from_int(997), px});
    benchmark::DoNotOptimize(pieces);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Allocation_Fill)->Arg(3)->Arg(50);

// Allocation/Finalize/N: final lot-rounded allocation with money of a filled block of N accounts.
void BM_Allocation_Finalize(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  auto base = *BlockAllocation::create(targets(n), Quantity::from_int(100));
  (void)base.on_fill(Fill{ExecID{"E1"}, Quantity::from_int(123'457), *Price::parse("99.98")});
  (void)base.on_fill(Fill{ExecID{"E2"}, Quantity::from_int(200'001), *Price::parse("100.01")});
  for (auto _ : state) {
    state.PauseTiming();
    BlockAllocation b = base;
    state.ResumeTiming();
    auto fin = b.finalize(Charges{*Money::parse("1234.56"), *Money::parse("12.34")});
    benchmark::DoNotOptimize(fin);
  }
}
BENCHMARK(BM_Allocation_Finalize)->Arg(50);

// Split/ProRataNav/N: a block split across N accounts by NAV in lots of 100.
void BM_Split_ProRataNav(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  std::unordered_map<AccountId, Account> book;
  std::vector<AccountId> ids;
  for (int i = 0; i < n; ++i) {
    Account a;
    a.id = AccountId{"FUND-" + std::to_string(i)};
    a.nav = Money::from_int(1'000'000 + 7'919LL * i * i);
    ids.push_back(a.id);
    book.emplace(a.id, a);
  }
  const AccountLookup lookup = [&](const AccountId& id) -> const Account* {
    const auto it = book.find(id);
    return it == book.end() ? nullptr : &it->second;
  };
  const Quantity qty = Quantity::from_int(1'234'567);
  const Quantity lot = Quantity::from_int(100);
  for (auto _ : state) {
    auto split = split_pro_rata_nav(qty, lot, ids, lookup);
    benchmark::DoNotOptimize(split);
  }
}
BENCHMARK(BM_Split_ProRataNav)->Arg(50)->Arg(500);

}  // namespace

BENCHMARK_MAIN();
