// The order state machine on its hot paths: one report applied to one order.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "oms/book/order_state.hpp"

namespace {
using namespace oms;
using namespace oms::book;

// new -> ack -> N partial fills -> completing fill; the ExecIDs are made before the clock runs.
void BM_Book_NewAckFillsToFilled(benchmark::State& state) {
  const int fills = static_cast<int>(state.range(0));
  std::vector<ExecID> ids;
  for (int i = 0; i < fills; ++i) ids.emplace_back("EXEC-20240101-" + std::to_string(i));
  const Quantity lot = Quantity::from_int(100);
  const Price px = Price::from_raw(101'250'000);
  for (auto _ : state) {
    OrderState s = OrderState::create(ClOrdID{"ORD-000000001"}, lot * fills, px);
    (void)book::apply(s, AckNew{});
    for (int i = 0; i + 1 < fills; ++i) (void)book::apply(s, PartialFill{ids[i], lot, px, std::nullopt});
    (void)book::apply(s, Fill{ids[fills - 1], lot, px, BrokerTotals{lot * fills, Quantity{}, px}});
    benchmark::DoNotOptimize(s.avg_px());
  }
  state.SetItemsProcessed(state.iterations() * (fills + 1));  // events applied
}
BENCHMARK(BM_Book_NewAckFillsToFilled)->Arg(1)->Arg(4)->Arg(16)->Arg(64);

// new -> ack -> cancel request -> PendingCancel -> partial fill -> canceled.
void BM_Book_CancelPath(benchmark::State& state) {
  const Price px = Price::from_raw(101'250'000);
  const ExecID fill_id{"EXEC-20240101-1"};
  for (auto _ : state) {
    OrderState s = OrderState::create(ClOrdID{"ORD-000000001"}, Quantity::from_int(1000), px);
    (void)book::apply(s, AckNew{});
    (void)book::apply(s, CancelRequest{ClOrdID{"ORD-000000002"}});
    (void)book::apply(s, PendingAck{OrdStatus::PendingCancel});
    (void)book::apply(s, PartialFill{fill_id, Quantity::from_int(100), px, std::nullopt});
    (void)book::apply(s, CancelAck{});
    benchmark::DoNotOptimize(s.status);
  }
  state.SetItemsProcessed(state.iterations() * 5);
}
BENCHMARK(BM_Book_CancelPath);

// A resent trade refused as a duplicate on an order holding `n` fills: the ExecID uniqueness check is
// a linear scan per order, and this is its worst case (the match is the last fill).
void BM_Book_DuplicateExecIdScan(benchmark::State& state) {
  const int n = static_cast<int>(state.range(0));
  const Price px = Price::from_raw(101'250'000);
  OrderState s = OrderState::create(ClOrdID{"ORD-1"}, Quantity::from_int(1'000'000), px);
  (void)book::apply(s, AckNew{});
  for (int i = 0; i < n; ++i) {
    (void)book::apply(s, PartialFill{ExecID{"EXEC-20240101-" + std::to_string(i)}, Quantity::from_int(1), px, std::nullopt});
  }
  const PartialFill resent{s.fills.back().exec_id, Quantity::from_int(1), px, std::nullopt};
  for (auto _ : state) benchmark::DoNotOptimize(book::apply(s, resent).ok());
}
BENCHMARK(BM_Book_DuplicateExecIdScan)->Arg(1)->Arg(10)->Arg(100)->Arg(1000);

}  // namespace
BENCHMARK_MAIN();
