// Append throughput of the SQLite store at both durability levels.
//
//   Append/Pipelined   one producer appends without waiting, then flushes: the writer's ceiling.
//   Append/WaitEach    one producer waits for each batch to be durable: one commit per batch.
//   Append/Producers   N producers each append 1-event batches and wait for durability, as the engine's
//                      callers do; group commit puts many of them into one transaction (and one fsync).
// items_per_second counts events; batches_per_second counts batches. The database lives in a fresh
// directory under $TMPDIR (use a real disk: tmpfs makes fsync free).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <future>
#include <memory>

#include "oms/store/sqlite_store.hpp"

namespace {

using namespace oms;
using namespace oms::engine;

class Scratch {
 public:
  Scratch() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "oms-bench-XXXXXX").string();
    dir_ = ::mkdtemp(tmpl.data());
  }
  ~Scratch() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string db() const { return (dir_ / "bench.db").string(); }

 private:
  std::filesystem::path dir_;
};

store::Durability durability_of(const benchmark::State& state) {
  return state.range(0) == 1 ? store::Durability::power : store::Durability::process;
}

std::unique_ptr<store::SqliteStore> open_store(const std::string& path, store::Durability d) {
  auto r = store::SqliteStore::open(path, {.durability = d});
  if (!r) std::abort();
  return std::move(*r);
}

// A realistic event: an execution report applied to an order (JSON payload of ~700 bytes).
EventRecord fill_event(std::uint64_t n) {
  ExecutionReport r;
  r.session = BrokerId("GS");
  r.exec_id = ExecID("E-" + std::to_string(n));
  r.cl_ord_id = ClOrdID("c-1-1");
  r.symbol = Symbol("AAPL");
  r.exec_type = ExecType::Trade;
  r.ord_status = OrdStatus::PartiallyFilled;
  r.last_qty = Quantity::from_int(10);
  r.last_px = Price::from_int(100);
  r.cum_qty = Quantity::from_int(10);
  r.leaves_qty = Quantity::from_int(90);
  r.avg_px = Price::from_int(100);
  r.trading_day = "20261123";
  return EventRecord{.seq = 0, .time = from_nanos(static_cast<std::int64_t>(n)), .actor = UserId("broker:GS"),
                     .order_id = OrderId(1),
                     .payload = ExecutionApplied{r, book::PartialFill{r.exec_id, r.last_qty, r.last_px, std::nullopt}}};
}

AppendBatch batch_of(std::uint64_t& next, std::int64_t events) {
  AppendBatch b;
  for (std::int64_t i = 0; i < events; ++i) b.events.push_back(fill_event(next++));
  return b;
}

void set_counters(benchmark::State& state, std::int64_t batches, std::int64_t events_per_batch) {
  state.SetItemsProcessed(batches * events_per_batch);
  state.counters["batches_per_second"] = benchmark::Counter(batches, benchmark::Counter::kIsRate);
}

void Append_Pipelined(benchmark::State& state) {
  Scratch scratch;
  auto store = open_store(scratch.db(), durability_of(state));
  std::uint64_t next = 1;
  std::int64_t batches = 0;
  for (auto _ : state) {
    store->append(batch_of(next, state.range(1)), [](Status s) {
      if (!s) std::abort();
    });
    ++batches;
    if (batches % 4096 == 0) store->flush();  // bound the queue
  }
  store->flush();
  set_counters(state, batches, state.range(1));
}
BENCHMARK(Append_Pipelined)->ArgNames({"power", "events"})->ArgsProduct({{0, 1}, {1, 10}})->UseRealTime()->Unit(benchmark::kMicrosecond);

Status append_wait(store::SqliteStore& store, AppendBatch batch) {
  std::promise<Status> done;
  auto f = done.get_future();
  store.append(std::move(batch), [&done](Status s) { done.set_value(std::move(s)); });
  return f.get();
}

void Append_WaitEach(benchmark::State& state) {
  Scratch scratch;
  auto store = open_store(scratch.db(), durability_of(state));
  std::uint64_t next = 1;
  std::int64_t batches = 0;
  for (auto _ : state) {
    if (!append_wait(*store, batch_of(next, 1))) std::abort();
    ++batches;
  }
  set_counters(state, batches, 1);
}
BENCHMARK(Append_WaitEach)->ArgNames({"power"})->Arg(0)->Arg(1)->UseRealTime()->Unit(benchmark::kMicrosecond);

// Shared by the producer threads of one run; created and destroyed outside the timed region.
std::unique_ptr<Scratch> g_scratch;
std::unique_ptr<store::SqliteStore> g_store;
std::atomic<std::uint64_t> g_next{1};

void open_shared(const benchmark::State& state) {
  g_scratch = std::make_unique<Scratch>();
  g_store = open_store(g_scratch->db(), durability_of(state));
}
void close_shared(const benchmark::State&) {
  g_store.reset();
  g_scratch.reset();
}

void Append_Producers(benchmark::State& state) {
  std::int64_t batches = 0;
  for (auto _ : state) {
    std::uint64_t n = g_next.fetch_add(1);
    if (!append_wait(*g_store, batch_of(n, 1))) std::abort();
    ++batches;
  }
  set_counters(state, batches, 1);
}
BENCHMARK(Append_Producers)
    ->ArgNames({"power"})
    ->Arg(0)
    ->Arg(1)
    ->ThreadRange(1, 64)
    ->Setup(open_shared)
    ->Teardown(close_shared)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
