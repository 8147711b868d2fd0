// Load generator for the HTTP API: POST /api/v1/orders over keep-alive connections on loopback, each
// request timed on its own (Google Benchmark reports means only; this reports percentiles).
//
// In process (default): Engine + ApiServer on 127.0.0.1:<ephemeral> over the in-memory store or a
// SQLite record (--store sqlite, durability process or power) and a scripted broker that accepts
// everything. Against a running omsd: --url http://127.0.0.1:8080 --token demo-dave.
//
//   bench_api_load [--orders N] [--clients C] [--store memory|sqlite] [--durability process|power]
//                  [--url URL --token T] [--account GROWTH] [--symbol AAPL]
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "oms/api/client.hpp"
#include "oms/api/server.hpp"
#include "oms/engine/testing/scripted_gateway.hpp"
#include "oms/store/memory_store.hpp"
#include "oms/store/sqlite_store.hpp"

namespace {

using Clock = std::chrono::steady_clock;

struct Args {
  int orders = 5000;
  int clients = 4;
  std::string store = "memory";
  std::string durability = "process";
  std::string url;
  std::string token = "bench-token";
  std::string account = "GROWTH";
  std::string symbol = "AAPL";
};

Args parse(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--orders") a.orders = std::stoi(v);
    else if (k == "--clients") a.clients = std::stoi(v);
    else if (k == "--store") a.store = v;
    else if (k == "--durability") a.durability = v;
    else if (k == "--url") a.url = v;
    else if (k == "--token") a.token = v;
    else if (k == "--account") a.account = v;
    else if (k == "--symbol") a.symbol = v;
    else {
      std::cerr << "unknown option " << k << "\n";
      std::exit(2);
    }
  }
  return a;
}

std::string micros(std::int64_t ns) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%03lld", static_cast<long long>(ns / 1000), static_cast<long long>(ns % 1000));
  return buf;
}

// Runs the load against host:port and prints the figures.
int drive(const Args& a, const std::string& host, std::uint16_t port, const std::string& label) {
  std::vector<std::vector<std::int64_t>> latencies(static_cast<std::size_t>(a.clients));
  std::atomic<int> next{0}, errors{0};
  const std::string body = nlohmann::json{{"account", a.account}, {"symbol", a.symbol}, {"side", "buy"},
                                          {"quantity", 100}, {"limit_price", "190.25"}}
                               .dump();
  const auto start = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < a.clients; ++c) {
    threads.emplace_back([&, c] {
      oms::api::client::HttpClient http(host, port);
      const oms::api::client::Headers h{{"Authorization", "Bearer " + a.token}};
      auto& mine = latencies[static_cast<std::size_t>(c)];
      while (next.fetch_add(1) < a.orders) {
        const auto t0 = Clock::now();
        auto r = http.request("POST", "/api/v1/orders", body, h);
        mine.push_back((Clock::now() - t0).count());
        if (!r || r->status != 201) {
          if (errors.fetch_add(1) == 0)
            std::cerr << "first failure: " << (r ? std::to_string(r->status) + " " + r->body : r.error().message) << "\n";
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  const std::int64_t elapsed = (Clock::now() - start).count();
  std::vector<std::int64_t> all;
  for (const auto& v : latencies) all.insert(all.end(), v.begin(), v.end());
  std::sort(all.begin(), all.end());
  auto pct = [&](std::size_t permille) { return all.empty() ? 0 : all[(all.size() - 1) * permille / 1000]; };
  std::printf("Api/PostOrder %s clients=%d orders=%zu errors=%d: %lld orders/s, latency us p50 %s p90 %s p99 %s max %s\n",
              label.c_str(), a.clients, all.size(), errors.load(),
              static_cast<long long>(elapsed > 0 ? static_cast<std::int64_t>(all.size()) * 1'000'000'000 / elapsed : 0),
              micros(pct(500)).c_str(), micros(pct(900)).c_str(), micros(pct(990)).c_str(),
              micros(all.empty() ? 0 : all.back()).c_str());
  return errors.load() == 0 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const Args a = parse(argc, argv);
  if (!a.url.empty()) {
    auto url = oms::api::client::parse_url(a.url);
    if (!url) {
      std::cerr << url.error().message << "\n";
      return 2;
    }
    return drive(a, url->host, url->port, "url=" + a.url);
  }
  spdlog::set_level(spdlog::level::warn);
  oms::engine::ReferenceData ref;
  oms::Instrument inst;
  inst.symbol = oms::Symbol{a.symbol};
  inst.reference_price = *oms::Price::parse("190");
  ref.instruments[inst.symbol] = inst;
  oms::Account acct;
  acct.id = oms::AccountId{a.account};
  acct.cash = *oms::Money::parse("1000000000");
  ref.accounts[acct.id] = acct;
  oms::api::UserDirectory users;
  oms::api::User trader;
  trader.id = oms::UserId{"bench"};
  trader.roles = {oms::api::Role::trader};
  trader.tokens.push_back({oms::api::sha256_hex(a.token), oms::from_nanos(INT64_MAX), "bench"});
  (void)users.add(trader);

  std::unique_ptr<oms::engine::EventStore> store;
  std::filesystem::path db;
  if (a.store == "sqlite") {
    db = std::filesystem::temp_directory_path() / ("bench_api_" + std::to_string(::getpid()) + ".db");
    oms::store::SqliteStoreOptions o;
    o.durability = a.durability == "power" ? oms::store::Durability::power : oms::store::Durability::process;
    auto s = oms::store::SqliteStore::open(db.string(), o);
    if (!s) {
      std::cerr << s.error().message << "\n";
      return 2;
    }
    store = std::move(*s);
  } else {
    store = std::make_unique<oms::store::InMemoryEventStore>("bench");
  }
  oms::engine::testing::ScriptedGateway gateway;
  oms::SystemClock clock;
  int rc = 0;
  {
    oms::engine::Engine engine(ref, *store, gateway, clock, oms::engine::EngineOptions{"B"});
    if (!engine.recover()) return 2;
    oms::api::ApiOptions options;
    options.listen_port = 0;
    oms::api::ApiServer server(options, {engine, ref, users, clock, {}, [&] { return store->load(); }});
    engine.start();
    if (!server.start()) return 2;
    rc = drive(a, "127.0.0.1", server.port(),
               "store=" + a.store + (a.store == "sqlite" ? "(" + a.durability + ")" : std::string{}));
    server.stop();
    engine.stop();
  }
  store.reset();
  if (!db.empty()) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db.string() + suffix, ec);
  }
  return rc;
}
