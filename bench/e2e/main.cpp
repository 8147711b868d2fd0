// bench_e2e: the end-to-end round trip order -> NewOrderSingle -> ExecutionReport fill -> recorded, through
// the OMS (engine + SQLite record + FIX gateway) at both durability levels, side by side with a bare
// QuickFIX initiator sending the same orders to the same oms-broker-sim. See README.md in this folder.
#include <CLI/CLI.hpp>
#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <map>
#include <regex>
#include <thread>

#include "bare_initiator.hpp"
#include "harness.hpp"
#include "oms_initiator.hpp"
#include "process.hpp"

namespace {

using namespace oms::bench;
namespace fs = std::filesystem;

struct Totals {
  std::vector<Nanos> latencies;
  Nanos elapsed{0};
  std::size_t orders{0};
  void add(const RunResult& r) {
    latencies.insert(latencies.end(), r.latencies.begin(), r.latencies.end());
    elapsed += r.elapsed;
    orders += r.latencies.size();
  }
  Nanos p(int per_mille) const { return percentile(latencies, per_mille); }
  std::int64_t rate() const { return elapsed > 0 ? static_cast<std::int64_t>(orders) * 1'000'000'000 / elapsed : 0; }
};

std::string us(Nanos ns) { return fmt::format("{}.{}", ns / 1000, ns % 1000 / 100); }
// a / b with two decimals, in integers.
std::string ratio(std::int64_t a, std::int64_t b) {
  if (b <= 0) return "-";
  const std::int64_t x100 = (a * 100 + b / 2) / b;
  return fmt::format("{}.{:02}x", x100 / 100, x100 % 100);
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

void write_sim_config(const fs::path& file, const fs::path& dictionary, const std::vector<std::string>& clients) {
  std::ofstream out(file);
  out << "listen: {host: 127.0.0.1, port: 0}\nstore: {type: memory}\nsessions:\n";
  for (const auto& c : clients)
    out << "  - {BeginString: FIX.4.4, SenderCompID: BROKER, TargetCompID: " << c
        << ", DataDictionary: " << dictionary.string() << "}\n";
  out << "default: {action: fill, price: limit, reference_price: \"10\"}\n";
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"bench_e2e: OMS round trip vs a bare QuickFIX initiator, against oms-broker-sim"};
  std::size_t latency_orders = 2000, throughput_orders = 5000, window = 64, warmup = 200;
  int rounds = 3, timeout_s = 30;
  std::string sim_path = BROKER_SIM_PATH;
  std::string dictionary = OMS_SOURCE_DIR "/fix_specs/FIX44.xml";
  std::string bare_store = "file";
  std::string oms_transport = "asio";
  bool keep = false;
  std::vector<std::string> only;
  cli.add_option("--latency-orders", latency_orders, "orders per round, one in flight (latency)")->capture_default_str();
  cli.add_option("--throughput-orders", throughput_orders, "orders per round, --window in flight (throughput)")
      ->capture_default_str();
  cli.add_option("--window", window, "orders in flight in the throughput runs")->capture_default_str();
  cli.add_option("--rounds", rounds, "rounds; each runs every target in turn, so load drifts hit all alike")
      ->capture_default_str();
  cli.add_option("--warmup", warmup, "orders per target before measuring")->capture_default_str();
  cli.add_option("--timeout", timeout_s, "seconds to wait for any one fill")->capture_default_str();
  cli.add_option("--broker-sim", sim_path, "oms-broker-sim executable")->capture_default_str();
  cli.add_option("--dictionary", dictionary, "FIX 4.4 data dictionary")->capture_default_str();
  cli.add_option("--bare-store", bare_store, "bare initiator's QuickFIX store: file | memory")
      ->check(CLI::IsMember({"file", "memory"}))
      ->capture_default_str();
  cli.add_option("--oms-transport", oms_transport, "the OMS's FIX transport (fix.transport): asio | quickfix")
      ->check(CLI::IsMember({"asio", "quickfix"}))
      ->capture_default_str();
  cli.add_option("--only", only, "run only these initiators (bare, process, power), e.g. for a profiler; the bare one "
                 "is the reference for the ratios")
      ->check(CLI::IsMember({"bare", "process", "power"}));
  cli.add_flag("--keep", keep, "keep the temporary directory (FIX logs, databases)");
  CLI11_PARSE(cli, argc, argv);

  std::signal(SIGPIPE, SIG_IGN);
  spdlog::set_level(spdlog::level::warn);  // the gateway's logon lines would interleave with the table
  const fs::path dir = oms::test::temp_dir("bench-e2e");
  fmt::print("bench_e2e: {} cores, load average {} (start), data in {}\n", std::thread::hardware_concurrency(),
             load_average(), dir.string());

  // The shared acceptor: one FIX session per initiator, memory store, no journal and no message log, so the
  // acceptor costs every initiator the same and writes nothing.
  write_sim_config(dir / "sim.yaml", dictionary, {"BARE", "OMSPROC", "OMSPOWER"});
  oms::test::Process sim(sim_path, {"--config", (dir / "sim.yaml").string(), "--port", "0"}, dir / "sim.out");
  if (!sim.wait_for_output("LISTENING ")) {
    fmt::print(stderr, "broker-sim did not start: {}\n", sim.output());
    return 1;
  }
  std::smatch match;
  const std::string sim_out = sim.output();
  std::regex_search(sim_out, match, std::regex("LISTENING (\\d+)"));
  const int port = std::stoi(match[1]);

  BareInitiator bare({"BARE", "BROKER", port, dir / "bare", dictionary, bare_store == "file"});
  const auto transport = oms_transport == "asio" ? oms::fix::Transport::asio : oms::fix::Transport::quickfix;
  OmsInitiator oms_process(
      {"OMSPROC", "BROKER", port, dir / "oms-process", dictionary, oms::store::Durability::process, transport});
  OmsInitiator oms_power({"OMSPOWER", "BROKER", port, dir / "oms-power", dictionary, oms::store::Durability::power, transport});
  std::vector<Target*> targets;
  auto wanted = [&](const std::string& n) { return only.empty() || std::find(only.begin(), only.end(), n) != only.end(); };
  if (wanted("bare")) targets.push_back(&bare);
  if (wanted("process")) targets.push_back(&oms_process);
  if (wanted("power")) targets.push_back(&oms_power);
  std::vector<std::unique_ptr<Harness>> harnesses;
  int rc = 0;
  auto fail = [&](const std::string& why) {
    fmt::print(stderr, "bench_e2e: {}\n", why);
    rc = 1;
  };
  for (auto* t : targets) {
    harnesses.push_back(std::make_unique<Harness>(*t));
    if (auto err = harnesses.back()->start(); !err.empty()) {
      fail(err);
      break;
    }
  }

  const auto timeout = std::chrono::seconds(timeout_s);
  struct Mode {
    std::string name;
    std::size_t orders, window;
  };
  const std::vector<Mode> modes{{"latency (1 in flight)", latency_orders, 1},
                                {fmt::format("throughput ({} in flight)", window), throughput_orders, window}};
  std::map<std::pair<std::size_t, std::size_t>, Totals> totals;  // (mode, target)
  std::map<std::size_t, std::string> stages;                      // target -> closed-loop stage medians
  for (std::size_t t = 0; rc == 0 && t < targets.size(); ++t)
    if (auto r = harnesses[t]->run(warmup, window, timeout); !r.error.empty()) fail(r.error);
  for (int round = 0; rc == 0 && round < rounds; ++round)
    for (std::size_t m = 0; rc == 0 && m < modes.size(); ++m)
      for (std::size_t t = 0; rc == 0 && t < targets.size(); ++t) {
        auto* oms = dynamic_cast<OmsInitiator*>(targets[t]);
        if (oms) oms->stage_medians();  // forget the stages of earlier runs
        auto r = harnesses[t]->run(modes[m].orders, modes[m].window, timeout);
        if (!r.error.empty()) fail(r.error);
        else totals[{m, t}].add(r);
        if (oms && m == 0) stages[t] = oms->stage_medians();  // the last round's closed-loop orders
      }

  if (rc == 0) {
    fmt::print("\n| mode | initiator | orders | p50 us | p99 us | p99.9 us | orders/s | p50 vs bare | orders/s vs bare |\n");
    fmt::print("|---|---|---|---|---|---|---|---|---|\n");
    for (std::size_t m = 0; m < modes.size(); ++m) {
      auto& base = totals[{m, 0}];
      std::sort(base.latencies.begin(), base.latencies.end());
      for (std::size_t t = 0; t < targets.size(); ++t) {
        auto& x = totals[{m, t}];
        std::sort(x.latencies.begin(), x.latencies.end());
        fmt::print("| {} | {} | {} | {} | {} | {} | {} | {} | {} |\n", modes[m].name, targets[t]->name(), x.orders,
                   us(x.p(500)), us(x.p(990)), us(x.p(999)), x.rate(), ratio(x.p(500), base.p(500)),
                   ratio(x.rate(), base.rate()));
      }
    }
    fmt::print("\nWhere an OMS order's time goes, closed loop, median per stage (each ends when its events are "
               "durable):\n");
    for (const auto& [t, text] : stages) fmt::print("  {}: {}\n", targets[t]->name(), text);
    // The acceptance targets of issue 3, item 5.
    if (targets.size() == 3) {
      const auto& lat_bare = totals[{0, 0}];
      const auto& lat_proc = totals[{0, 1}];
      const auto& tp_bare = totals[{1, 0}];
      const auto& tp_power = totals[{1, 2}];
      const bool p50_ok = lat_proc.p(500) * 100 <= lat_bare.p(500) * 130;
      const bool rate_ok = tp_power.rate() * 100 >= tp_bare.rate() * 80;
      fmt::print("\ntarget p50 at process durability <= 1.30x bare: {} ({})\n", ratio(lat_proc.p(500), lat_bare.p(500)),
                 p50_ok ? "met" : "MISSED");
      fmt::print("target orders/s at power durability >= 0.80x bare: {} ({})\n", ratio(tp_power.rate(), tp_bare.rate()),
                 rate_ok ? "met" : "MISSED");
    }
  }
  fmt::print("load average {} (end)\n", load_average());

  // QuickFIX's Initiator::stop waits in whole seconds for the logout: stop them side by side.
  std::vector<std::thread> stopping;
  for (auto* t : targets) stopping.emplace_back([t] { t->stop(); });
  for (auto& s : stopping) s.join();
  sim.stop(SIGTERM);
  if (!keep && rc == 0) fs::remove_all(dir);
  return rc;
}
