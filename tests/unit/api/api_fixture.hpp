#pragma once
// An ApiServer on 127.0.0.1 (ephemeral port) over a real Engine with the in-memory store and the
// scripted gateway; tests talk real HTTP to it.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <mutex>

#include <nlohmann/json.hpp>

#include "oms/api/client.hpp"
#include "oms/api/server.hpp"
#include "oms/engine/engine.hpp"
#include "oms/engine/testing/scripted_gateway.hpp"
#include "oms/store/memory_store.hpp"

namespace oms::api::test {

using nlohmann::json;

inline Timestamp at(const char* iso) { return *parse_iso8601(iso); }

// Funds as in config/accounts.yaml: GROWTH (alice), INCOME (bob), BALANCED (alice, bob).
inline engine::ReferenceData reference() {
  engine::ReferenceData ref;
  for (auto [sym, px] : {std::pair{"AAPL", "190"}, std::pair{"MSFT", "410"}}) {
    Instrument i;
    i.symbol = Symbol{sym};
    i.name = std::string(sym) + " Inc";
    i.reference_price = *Price::parse(px);
    ref.instruments[i.symbol] = i;
  }
  auto fund = [&](const char* id, std::vector<const char*> pms) {
    Account a;
    a.id = AccountId{id};
    a.name = std::string(id) + " Fund";
    a.cash = *Money::parse("1000000");
    a.nav = *Money::parse("2000000");
    for (auto* p : pms) a.pms.push_back(UserId{p});
    ref.accounts[a.id] = a;
  };
  fund("GROWTH", {"alice"});
  fund("INCOME", {"bob"});
  fund("BALANCED", {"alice", "bob"});
  ref.start_of_day.positions.push_back(
      Position{AccountId{"GROWTH"}, Symbol{"AAPL"}, *Quantity::parse("100"), *Money::parse("19000")});
  return ref;
}

// Token "tok-<id>" for each user; frank's token expired in 2020.
inline UserDirectory users() {
  UserDirectory dir;
  auto add = [&](const char* id, Role role, const char* expires = "2030-01-01T00:00:00Z") {
    User u;
    u.id = UserId{id};
    u.name = id;
    u.roles = {role};
    u.tokens.push_back(ApiToken{sha256_hex(std::string("tok-") + id), at(expires), "test"});
    EXPECT_TRUE(dir.add(std::move(u)).ok());
  };
  add("alice", Role::pm);
  add("bob", Role::pm);
  add("carol", Role::compliance);
  add("dave", Role::trader);
  add("erin", Role::viewer);
  add("root", Role::admin);
  add("frank", Role::pm, "2020-01-01T00:00:00Z");
  return dir;
}

struct Reply {
  int status{0};
  json body;
  std::string text;
  std::map<std::string, std::string> headers;
  std::string code() const { return body.contains("error") ? body["error"].value("code", "") : ""; }
  std::string field() const { return body.contains("error") ? body["error"].value("field", "") : ""; }
};

class ApiFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    engine::EngineOptions engine_options{"T"};
    engine_options.rules = rules;
    engine = std::make_unique<engine::Engine>(ref, store, gateway, clock, engine_options);
    ASSERT_TRUE(engine->recover().ok());
    ApiOptions options;
    options.listen_port = 0;
    options.web_root = web_root;
    options.read_timeout = std::chrono::seconds(2);
    options.session_push_interval = std::chrono::milliseconds(200);
    options.worker_threads = 2;
    customize(options);
    ApiContext ctx{*engine, ref, directory, clock,
                   [this] {
                     std::lock_guard lock(sessions_mu);
                     return sessions;
                   },
                   [this] { return store.load(); }};
    server = std::make_unique<ApiServer>(options, ctx);
    add_routes(*server);
    engine->start();
    ASSERT_TRUE(server->start().ok());
    ASSERT_NE(server->port(), 0);
    http = std::make_unique<client::HttpClient>("127.0.0.1", server->port());
  }

  void TearDown() override {
    http.reset();
    if (server) server->stop();
    if (engine) engine->stop();
  }

  virtual void customize(ApiOptions&) {}
  // Extra routes (e.g. compliance), added before the server starts.
  virtual void add_routes(ApiServer&) {}

  Reply call(const std::string& method, const std::string& target, const std::string& token = "",
             const std::string& body = "") {
    client::Headers h;
    if (!token.empty()) h.emplace_back("Authorization", "Bearer " + token);
    auto r = http->request(method, target, body, h);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
    Reply out;
    if (!r) return out;
    out.status = r->status;
    out.text = r->body;
    out.headers = r->headers;
    out.body = json::parse(r->body, nullptr, false);
    return out;
  }
  Reply get(const std::string& target, const std::string& user) { return call("GET", target, "tok-" + user); }
  Reply post(const std::string& target, const std::string& user, const json& body) {
    return call("POST", target, "tok-" + user, body.dump());
  }

  static json limit_order(const char* account = "GROWTH", const char* qty = "100", const char* px = "190.25") {
    return {{"account", account}, {"symbol", "AAPL"}, {"side", "buy"}, {"quantity", qty}, {"limit_price", px}};
  }

  // Places an order as `user` and returns its id (fails the test otherwise).
  std::uint64_t place(const json& order = limit_order(), const std::string& user = "alice") {
    auto r = post("/api/v1/orders", user, order);
    EXPECT_EQ(r.status, 201) << r.text;
    engine->sync();
    return r.status == 201 ? r.body["order_id"].get<std::uint64_t>() : 0;
  }

  // Everything a refused request must leave alone: the record and what went to the broker.
  struct Snapshot {
    std::size_t events;
    std::size_t sent;
    bool operator==(const Snapshot&) const = default;
  };
  Snapshot snapshot() {
    engine->sync();
    return {store.size(), gateway.sent().size()};
  }

  engine::OrderRecord order(std::uint64_t id) {
    engine->sync();
    return engine->query([id](const engine::EngineState& s) { return *s.find(OrderId{id}); }).get();
  }

  // Plays the broker: a fill of the whole order at `px`.
  void fill(std::uint64_t id, const char* qty, const char* px, const char* exec_id) {
    const auto o = order(id);
    ExecutionReport r;
    r.session = BrokerId{"BROKER"};
    r.exec_id = ExecID{exec_id};
    r.cl_ord_id = o.book.cl_ord_id;
    r.symbol = o.spec.symbol;
    r.exec_type = ExecType::Trade;
    r.last_qty = *Quantity::parse(qty);
    r.last_px = *Price::parse(px);
    r.cum_qty = o.book.cum_qty + r.last_qty;
    r.leaves_qty = o.book.order_qty - r.cum_qty;
    r.avg_px = *Price::parse(px);
    r.ord_status = r.leaves_qty.is_zero() ? OrdStatus::Filled : OrdStatus::PartiallyFilled;
    r.trading_day = "20261123";
    engine->on_execution_report(r);
    engine->sync();
  }

  std::filesystem::path web_root = std::filesystem::path(OMS_SOURCE_DIR) / "tests/unit/api/web_fixture";
  engine::ReferenceData ref = reference();
  UserDirectory directory = users();
  store::InMemoryEventStore store{"test"};
  engine::testing::ScriptedGateway gateway;
  ManualClock clock{at("2026-11-23T14:00:00Z")};
  std::mutex sessions_mu;
  std::vector<FixSessionInfo> sessions{{"BROKER", "FIX.4.4:OMS->BROKER", true, 5, 7, ""},
                                       {"BROKER42", "FIX.4.2:OMS42->BROKER42", false, 1, 1, "connection refused"}};
  compliance::RuleBookHolder* rules{nullptr};  // set before SetUp() for pre-trade compliance
  std::unique_ptr<engine::Engine> engine;
  std::unique_ptr<ApiServer> server;
  std::unique_ptr<client::HttpClient> http;
};

}  // namespace oms::api::test
