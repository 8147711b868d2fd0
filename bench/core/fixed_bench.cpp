// Fixed-point arithmetic: the operations on every order's hot path.
#include <benchmark/benchmark.h>

#include "oms/core/fixed.hpp"

namespace {

void BM_Fixed_Parse(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(oms::Price::parse("12345.678901"));
}
BENCHMARK(BM_Fixed_Parse);

void BM_Fixed_Format(benchmark::State& state) {
  const auto p = *oms::Price::parse("12345.678901");
  for (auto _ : state) benchmark::DoNotOptimize(p.to_string());
}
BENCHMARK(BM_Fixed_Format);

void BM_Fixed_CheckedAdd(benchmark::State& state) {
  auto a = oms::Money::from_raw(123456789);
  const auto b = oms::Money::from_raw(987);
  for (auto _ : state) {
    a = a + b;
    benchmark::DoNotOptimize(a);
  }
}
BENCHMARK(BM_Fixed_CheckedAdd);

void BM_Fixed_Notional(benchmark::State& state) {
  const auto p = *oms::Price::parse("101.250001");
  auto q = *oms::Quantity::parse("333.5");
  for (auto _ : state) {
    benchmark::DoNotOptimize(oms::notional(p, q));
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_Fixed_Notional);

}  // namespace

BENCHMARK_MAIN();
