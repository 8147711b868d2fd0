// The HTTP API over real HTTP on loopback: orders, views, errors, limits, the stream, static files.
#include <fstream>
#include <sstream>
#include <thread>

#include "api_fixture.hpp"

namespace oms::api::test {
namespace {

TEST_F(ApiFixture, HealthzNeedsNoToken) {
  auto r = call("GET", "/healthz");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body["status"], "ok");
}

TEST_F(ApiFixture, MissingBadAndExpiredTokensAre401) {
  auto r = call("GET", "/api/v1/orders");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.code(), "unauthenticated");
  EXPECT_EQ(r.headers["www-authenticate"], "Bearer");
  r = call("GET", "/api/v1/orders", "not-a-token");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.code(), "unauthenticated");
  r = call("GET", "/api/v1/orders", "tok-frank");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.code(), "expired_token");
  // The same token is refused for writes too, and nothing happens.
  const auto before = snapshot();
  r = call("POST", "/api/v1/orders", "tok-frank", limit_order().dump());
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(snapshot(), before);
}

TEST_F(ApiFixture, TokenExpiresWithTheClock) {
  EXPECT_EQ(get("/api/v1/me", "alice").status, 200);
  clock.set(at("2030-01-01T00:00:00Z"));
  auto r = get("/api/v1/me", "alice");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.code(), "expired_token");
}

TEST_F(ApiFixture, MeListsRolesAndTradableFunds) {
  auto r = get("/api/v1/me", "alice");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body["roles"], json::array({"pm"}));
  EXPECT_EQ(r.body["tradable_accounts"], json::array({"BALANCED", "GROWTH"}));
  EXPECT_EQ(get("/api/v1/me", "erin").body["tradable_accounts"], json::array());
}

TEST_F(ApiFixture, PmCreatesASingleOrderAndTheRecordNamesHer) {
  auto r = post("/api/v1/orders", "alice", {{"account", "GROWTH"}, {"symbol", "AAPL"}, {"side", "buy"},
                                            {"quantity", 150}, {"limit_price", "190.25"}, {"note", "rebalance"}});
  ASSERT_EQ(r.status, 201) << r.text;
  const auto id = r.body["order_id"].get<std::uint64_t>();
  EXPECT_EQ(r.body["order"]["account"], "GROWTH");
  EXPECT_EQ(r.body["order"]["quantity"], "150");
  EXPECT_EQ(r.body["order"]["limit_price"], "190.25");
  EXPECT_EQ(r.body["order"]["ord_type"], "limit");
  EXPECT_EQ(r.body["order"]["tif"], "DAY");
  const auto o = order(id);
  EXPECT_EQ(o.spec.decided_by.value, "alice");
  EXPECT_EQ(o.spec.entered_by.value, "alice");
  EXPECT_EQ(o.spec.note, "rebalance");
  EXPECT_EQ(o.workflow, Workflow::Routed);
  EXPECT_EQ(gateway.count('D'), 1u);
  const auto events = *store.load();
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.front().actor.value, "alice");
}

TEST_F(ApiFixture, TraderKeysAPmsDecision) {
  auto body = limit_order();
  body["decided_by"] = "alice";
  auto r = post("/api/v1/orders", "dave", body);
  ASSERT_EQ(r.status, 201) << r.text;
  EXPECT_EQ(r.body["order"]["decided_by"], "alice");
  EXPECT_EQ(r.body["order"]["entered_by"], "dave");
  EXPECT_EQ(store.load()->front().actor.value, "dave");
  // Bob holds no rights on GROWTH: he cannot be named as the decider of a GROWTH order.
  body["decided_by"] = "bob";
  const auto before = snapshot();
  r = post("/api/v1/orders", "dave", body);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.field(), "decided_by");
  body["decided_by"] = "nobody";
  r = post("/api/v1/orders", "dave", body);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.code(), "not_found");
  EXPECT_EQ(snapshot(), before);
}

TEST_F(ApiFixture, PmCannotNameAnotherDecider) {
  auto body = limit_order();
  body["decided_by"] = "bob";
  const auto before = snapshot();
  auto r = post("/api/v1/orders", "alice", body);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.field(), "decided_by");
  EXPECT_EQ(snapshot(), before);
}

TEST_F(ApiFixture, BlockOrderNeedsRightsOnEveryFund) {
  const json block{{"allocations", {{{"account", "GROWTH"}, {"quantity", "60"}}, {{"account", "BALANCED"}, {"quantity", 40}}}},
                   {"symbol", "MSFT"}, {"side", "sell"}, {"ord_type", "market"}};
  auto r = post("/api/v1/orders", "alice", block);
  ASSERT_EQ(r.status, 201) << r.text;
  EXPECT_EQ(r.body["order"]["quantity"], "100");  // defaults to the sum of the allocations
  EXPECT_EQ(r.body["order"]["allocations"].size(), 2u);
  EXPECT_TRUE(r.body["order"]["account"].is_null());
  // Bob is PM of BALANCED but not of GROWTH.
  const auto before = snapshot();
  r = post("/api/v1/orders", "bob", block);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.code(), "forbidden");
  EXPECT_EQ(r.field(), "allocations");
  EXPECT_EQ(snapshot(), before);
}

TEST_F(ApiFixture, MalformedBodiesAre400AndChangeNothing) {
  const auto before = snapshot();
  struct Case {
    std::string body;
    const char* code;
    const char* field;
  };
  auto with = [](const char* key, json value) {
    json j = limit_order();
    j[key] = std::move(value);
    return j.dump();
  };
  auto without = [](const char* key) {
    json j = limit_order();
    j.erase(key);
    return j.dump();
  };
  const std::vector<Case> cases{
      {"{\"account\": \"GROWTH\",", "malformed_json", ""},
      {"not json at all", "malformed_json", ""},
      {"", "missing_body", ""},
      {"[1,2,3]", "wrong_type", ""},
      {"\"GROWTH\"", "wrong_type", ""},
      {without("symbol"), "missing_field", "symbol"},
      {without("side"), "missing_field", "side"},
      {without("quantity"), "missing_field", "quantity"},
      {without("account"), "missing_field", "account"},
      {with("limit_price", 190.25), "wrong_type", "limit_price"},
      {with("limit_price", 190), "wrong_type", "limit_price"},
      {with("quantity", 1.5), "wrong_type", "quantity"},
      {with("quantity", true), "wrong_type", "quantity"},
      {with("quantity", "12abc"), "invalid_number", "quantity"},
      {with("quantity", "1e3"), "invalid_number", "quantity"},
      {with("limit_price", "190.1234567"), "invalid_number", "limit_price"},
      {with("symbol", 42), "wrong_type", "symbol"},
      {with("side", "sideways"), "invalid_value", "side"},
      {with("tif", "forever"), "invalid_value", "tif"},
      {with("expire_time", "tomorrow"), "invalid_value", "expire_time"},
      {with("settlement_date", "2026-11-25"), "invalid_value", "settlement_date"},
      {with("allocations", "GROWTH"), "wrong_type", "allocations"},
      {with("price", "190"), "unknown_field", "price"},
      {with("entered_by", "mallory"), "unknown_field", "entered_by"},
  };
  for (const auto& c : cases) {
    auto r = call("POST", "/api/v1/orders", "tok-alice", c.body);
    EXPECT_EQ(r.status, 400) << c.body << " -> " << r.text;
    EXPECT_EQ(r.code(), c.code) << c.body << " -> " << r.text;
    EXPECT_EQ(r.field(), c.field) << c.body << " -> " << r.text;
    ASSERT_TRUE(r.body["error"]["message"].is_string());
  }
  EXPECT_EQ(snapshot(), before);
}

TEST_F(ApiFixture, DomainValidationIs422AndChangesNothing) {
  const auto before = snapshot();
  auto j = limit_order();
  j["symbol"] = "NOPE";
  auto r = post("/api/v1/orders", "alice", j);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.code(), "not_found");
  EXPECT_EQ(r.field(), "symbol");
  r = post("/api/v1/orders", "dave", limit_order("NOFUND"));
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.field(), "account");
  r = post("/api/v1/orders", "alice", limit_order("GROWTH", "-5"));
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.code(), "invalid_argument");
  EXPECT_EQ(r.field(), "quantity");
  j = limit_order();
  j["ord_type"] = "market";
  r = post("/api/v1/orders", "alice", j);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.field(), "limit_price");
  const json block{{"allocations", {{{"account", "GROWTH"}, {"quantity", "60"}}, {{"account", "BALANCED"}, {"quantity", "30"}}}},
                   {"symbol", "MSFT"}, {"side", "buy"}, {"quantity", "100"}, {"limit_price", "400"}};
  r = post("/api/v1/orders", "alice", block);
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(r.field(), "allocations");
  EXPECT_EQ(snapshot(), before);
}

TEST_F(ApiFixture, OversizedBodyIs413AndTheServerCarriesOn) {
  std::string big = limit_order().dump();
  big.insert(big.size() - 1, ",\"note\":\"" + std::string(70 * 1024, 'x') + "\"");
  const auto before = snapshot();
  auto r = call("POST", "/api/v1/orders", "tok-alice", big);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.code(), "body_too_large");
  EXPECT_EQ(snapshot(), before);
  EXPECT_EQ(get("/api/v1/orders", "alice").status, 200);
}

TEST_F(ApiFixture, MalformedHttpGets400AndTheServerCarriesOn) {
  const std::vector<std::string> garbage{"HELLO\r\n\r\n", "GET /x HTTP/1.1\r\nHost: a\r\nContent-Length: zz\r\n\r\n",
                                        "GET /x HTTP/1.1\r\nBad Header\r\n\r\n",
                                        std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11)};
  for (const auto& g : garbage) {
    auto out = client::raw_exchange("127.0.0.1", server->port(), g);
    ASSERT_TRUE(out.ok());
    EXPECT_TRUE(out->rfind("HTTP/1.1 400", 0) == 0) << g << " -> " << *out;
  }
  EXPECT_EQ(call("GET", "/healthz").status, 200);
}

TEST_F(ApiFixture, SlowClientIsDisconnectedAfterTheReadTimeout) {
  const auto start = std::chrono::steady_clock::now();
  auto out = client::raw_exchange("127.0.0.1", server->port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n",
                                  std::chrono::seconds(10));
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(*out, "");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(8));
}

TEST_F(ApiFixture, KeepAliveServesManyRequestsOnOneConnection) {
  for (int i = 0; i < 20; ++i) ASSERT_EQ(call("GET", "/healthz").status, 200);
  auto out = client::raw_exchange("127.0.0.1", server->port(),
                                  "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(out.ok());
  EXPECT_NE(out->find("HTTP/1.1 200"), out->rfind("HTTP/1.1 200"));  // two answers
}

TEST_F(ApiFixture, UnknownRoutesAndMethods) {
  auto r = get("/api/v1/nope", "alice");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.code(), "not_found");
  r = call("DELETE", "/api/v1/orders", "tok-alice");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.code(), "method_not_allowed");
  r = get("/api/v1/orders/abc", "alice");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.field(), "order_id");
  r = get("/api/v1/orders/999", "alice");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.field(), "order_id");
}

TEST_F(ApiFixture, ListOrdersWithFilters) {
  const auto a = place(limit_order("GROWTH"));
  const auto b = place(limit_order("BALANCED"), "bob");
  auto j = limit_order("INCOME");
  j["symbol"] = "MSFT";
  const auto c = place(j, "bob");
  fill(a, "100", "190", "x1");
  auto ids = [&](const std::string& q) {
    auto r = get("/api/v1/orders" + q, "erin");
    EXPECT_EQ(r.status, 200) << r.text;
    std::vector<std::uint64_t> out;
    for (const auto& o : r.body["orders"]) out.push_back(o["order_id"].get<std::uint64_t>());
    return out;
  };
  EXPECT_EQ(ids(""), (std::vector<std::uint64_t>{c, b, a}));  // newest first
  EXPECT_EQ(ids("?account=GROWTH"), (std::vector<std::uint64_t>{a}));
  EXPECT_EQ(ids("?symbol=MSFT"), (std::vector<std::uint64_t>{c}));
  EXPECT_EQ(ids("?status=Filled"), (std::vector<std::uint64_t>{a}));
  EXPECT_EQ(ids("?live=true"), (std::vector<std::uint64_t>{c, b}));
  EXPECT_EQ(ids("?workflow=routed&limit=1"), (std::vector<std::uint64_t>{c}));
  EXPECT_EQ(get("/api/v1/orders?status=Bogus", "erin").status, 400);
  EXPECT_EQ(get("/api/v1/orders?colour=red", "erin").code(), "unknown_field");
}

TEST_F(ApiFixture, ShowOrderWithEventsFillsAndAlerts) {
  const auto id = place();
  fill(id, "40", "190.10", "x1");
  auto r = get("/api/v1/orders/" + std::to_string(id), "erin");
  ASSERT_EQ(r.status, 200) << r.text;
  const auto& o = r.body["order"];
  EXPECT_EQ(o["status"], "PartiallyFilled");
  EXPECT_EQ(o["cum_qty"], "40");
  EXPECT_EQ(o["leaves_qty"], "60");
  EXPECT_EQ(o["avg_px"], "190.1");
  ASSERT_EQ(o["fills"].size(), 1u);
  EXPECT_EQ(o["fills"][0]["exec_id"], "x1");
  EXPECT_EQ(o["fills"][0]["price"], "190.1");
  ASSERT_GE(o["events"].size(), 4u);
  EXPECT_EQ(o["events"][0]["type"], "OrderAccepted");
  EXPECT_EQ(o["events"][0]["actor"], "alice");
  EXPECT_TRUE(o["alerts"].is_array());
  EXPECT_EQ(o["chain"].size(), 1u);
}

TEST_F(ApiFixture, CancelAndReplaceGoToTheBroker) {
  const auto id = place();
  auto r = post("/api/v1/orders/" + std::to_string(id) + "/replace", "alice", {{"quantity", 80}, {"limit_price", "190.5"}});
  ASSERT_EQ(r.status, 202) << r.text;
  EXPECT_EQ(gateway.count('G'), 1u);
  EXPECT_EQ(gateway.sent().back().replace.quantity, Quantity::from_int(80));
  EXPECT_EQ(r.body["order"]["replace_pending"], true);
  // A second request while the first is in flight is an illegal transition.
  const auto before = snapshot();
  r = post("/api/v1/orders/" + std::to_string(id) + "/cancel", "alice", json::object());
  EXPECT_EQ(r.status, 409) << r.text;  // the book's refusal of a second request in flight
  EXPECT_EQ(snapshot(), before);

  const auto id2 = place();
  r = call("POST", "/api/v1/orders/" + std::to_string(id2) + "/cancel", "tok-alice");
  ASSERT_EQ(r.status, 202) << r.text;
  EXPECT_EQ(gateway.count('F'), 1u);
  const auto events = *store.load();
  EXPECT_EQ(events.back().actor.value, "alice");
  EXPECT_EQ(events.back().order_id.value, id2);
}

TEST_F(ApiFixture, ReplaceNeedsSomethingToChange) {
  const auto id = place();
  const auto before = snapshot();
  auto r = post("/api/v1/orders/" + std::to_string(id) + "/replace", "alice", json::object());
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.code(), "missing_field");
  r = post("/api/v1/orders/" + std::to_string(id) + "/replace", "alice", {{"limit_price", 191}});
  EXPECT_EQ(r.code(), "wrong_type");
  r = post("/api/v1/orders/" + std::to_string(id) + "/replace", "alice", {{"quantity", "0"}});
  EXPECT_EQ(r.status, 422);
  r = post("/api/v1/orders/999/replace", "alice", {{"quantity", "10"}});
  EXPECT_EQ(r.status, 404);
  r = call("POST", "/api/v1/orders/" + std::to_string(id) + "/cancel", "tok-alice", "{\"why\":1}");
  EXPECT_EQ(r.code(), "unknown_field");
  EXPECT_EQ(snapshot(), before);
}

TEST_F(ApiFixture, CancelOfAFilledOrderIs409) {
  const auto id = place();
  fill(id, "100", "190", "x1");
  const auto before = snapshot();
  auto r = post("/api/v1/orders/" + std::to_string(id) + "/cancel", "alice", json::object());
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(snapshot(), before);
}

TEST_F(ApiFixture, CancelWithTheBrokerDownIs503AndTheOrderStaysLive) {
  const auto id = place();
  gateway.set_down(BrokerId{"BROKER"}, true);
  auto r = post("/api/v1/orders/" + std::to_string(id) + "/cancel", "alice", json::object());
  EXPECT_EQ(r.status, 503) << r.text;
  EXPECT_EQ(r.code(), "unavailable");
  EXPECT_FALSE(order(id).book.cancel_pending);
}

TEST_F(ApiFixture, CancelAllByAccountBrokerAndEverything) {
  const auto g1 = place(limit_order("GROWTH"));
  const auto g2 = place(limit_order("GROWTH", "5"));
  const auto i1 = place(limit_order("INCOME"), "bob");
  auto r = post("/api/v1/cancel-all", "alice", {{"account", "GROWTH"}});
  ASSERT_EQ(r.status, 200) << r.text;
  EXPECT_EQ(r.body["requested"], json::array({g1, g2}));
  EXPECT_EQ(r.body["failed"], json::array());
  EXPECT_EQ(gateway.count('F'), 2u);
  // Already pending cancel: reported, not fatal.
  r = post("/api/v1/cancel-all", "dave", {{"broker", "BROKER"}});
  ASSERT_EQ(r.status, 200) << r.text;
  EXPECT_EQ(r.body["requested"], json::array({i1}));
  EXPECT_EQ(r.body["failed"].size(), 2u);
  const auto i2 = place(limit_order("INCOME"), "bob");
  r = post("/api/v1/cancel-all", "root", {{"all", true}});
  EXPECT_EQ(r.body["requested"], json::array({i2}));
  EXPECT_EQ(post("/api/v1/cancel-all", "root", json::object()).code(), "invalid_value");
  EXPECT_EQ(post("/api/v1/cancel-all", "root", {{"all", true}, {"account", "GROWTH"}}).code(), "invalid_value");
  EXPECT_EQ(post("/api/v1/cancel-all", "root", {{"account", "NOFUND"}}).status, 422);
}

TEST_F(ApiFixture, CancelAllOfAFundSkipsBlocksThePmDoesNotFullyOwn) {
  const json block{{"allocations", {{{"account", "INCOME"}, {"quantity", "60"}}, {{"account", "BALANCED"}, {"quantity", "40"}}}},
                   {"symbol", "MSFT"}, {"side", "buy"}, {"limit_price", "400"}};
  const auto b = place(block, "dave");
  const auto before = snapshot();
  auto r = post("/api/v1/cancel-all", "alice", {{"account", "BALANCED"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body["requested"], json::array());
  ASSERT_EQ(r.body["failed"].size(), 1u);
  EXPECT_EQ(r.body["failed"][0]["order_id"], b);
  EXPECT_EQ(r.body["failed"][0]["error"]["code"], "forbidden");
  EXPECT_EQ(snapshot(), before);
}

TEST_F(ApiFixture, PositionsAccountsInstrumentsSessions) {
  const auto id = place();
  fill(id, "100", "190", "x1");
  auto r = get("/api/v1/positions?account=GROWTH", "erin");
  ASSERT_EQ(r.status, 200) << r.text;
  ASSERT_EQ(r.body["positions"].size(), 1u);
  EXPECT_EQ(r.body["positions"][0]["quantity"], "200");
  EXPECT_EQ(r.body["cash"][0]["cash"], "981000");
  EXPECT_EQ(get("/api/v1/positions?account=NOFUND", "erin").status, 404);
  r = get("/api/v1/accounts", "erin");
  ASSERT_EQ(r.body["accounts"].size(), 3u);
  EXPECT_EQ(r.body["accounts"][2]["id"], "INCOME");
  EXPECT_EQ(r.body["accounts"][1]["pms"], json::array({"alice"}));
  EXPECT_EQ(r.body["accounts"][1]["cash"], "981000");
  r = get("/api/v1/instruments", "erin");
  ASSERT_EQ(r.body["instruments"].size(), 2u);
  EXPECT_EQ(r.body["instruments"][0]["symbol"], "AAPL");
  EXPECT_EQ(r.body["instruments"][0]["reference_price"], "190");
  r = get("/api/v1/fix/sessions", "erin");
  ASSERT_EQ(r.body["sessions"].size(), 2u);
  EXPECT_EQ(r.body["sessions"][0]["logged_on"], true);
  EXPECT_EQ(r.body["sessions"][1]["last_error"], "connection refused");
}

TEST_F(ApiFixture, AuditIsNewestFirstWithFilters) {
  const auto a = place();
  clock.advance(std::chrono::hours(1));
  const auto b = place(limit_order("INCOME"), "bob");
  auto r = get("/api/v1/audit", "carol");
  ASSERT_EQ(r.status, 200) << r.text;
  const auto& ev = r.body["events"];
  ASSERT_EQ(ev.size(), store.size());
  EXPECT_GT(ev[0]["seq"].get<std::uint64_t>(), ev[1]["seq"].get<std::uint64_t>());
  r = get("/api/v1/audit?order_id=" + std::to_string(a), "carol");
  for (const auto& e : r.body["events"]) EXPECT_EQ(e["order_id"], a);
  r = get("/api/v1/audit?actor=bob", "root");
  ASSERT_FALSE(r.body["events"].empty());
  for (const auto& e : r.body["events"]) {
    EXPECT_EQ(e["actor"], "bob");
    EXPECT_EQ(e["order_id"], b);
  }
  r = get("/api/v1/audit?since=2026-11-23T14:30:00Z&limit=1", "carol");
  ASSERT_EQ(r.body["events"].size(), 1u);
  EXPECT_EQ(r.body["events"][0]["order_id"], b);
  EXPECT_EQ(get("/api/v1/audit?since=yesterday", "carol").field(), "since");
  EXPECT_EQ(get("/api/v1/audit?limit=0", "carol").status, 400);
}

TEST_F(ApiFixture, AlertsList) {
  const auto id = place();
  fill(id, "150", "190", "x1");  // more than ordered: an overfill alert
  auto r = get("/api/v1/alerts", "erin");
  ASSERT_EQ(r.status, 200);
  ASSERT_FALSE(r.body["alerts"].empty()) << r.text;
  EXPECT_EQ(r.body["alerts"][0]["type"], "Alert");
  EXPECT_FALSE(get("/api/v1/orders/" + std::to_string(id), "erin").body["order"]["alerts"].empty());
}

TEST_F(ApiFixture, MetricsInPrometheusText) {
  place();
  get("/api/v1/orders", "alice");
  auto r = get("/metrics", "erin");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"].rfind("text/plain", 0), 0u);
  EXPECT_NE(r.text.find("oms_orders{status=\"PendingNew\",workflow=\"routed\"} 1"), std::string::npos) << r.text;
  EXPECT_NE(r.text.find("oms_fix_session_logged_on{session=\"BROKER\"} 1"), std::string::npos);
  EXPECT_NE(r.text.find("oms_fix_session_logged_on{session=\"BROKER42\"} 0"), std::string::npos);
  EXPECT_NE(r.text.find("oms_http_requests_total{route=\"POST /api/v1/orders\",status=\"201\"} 1"), std::string::npos);
  EXPECT_NE(r.text.find("oms_http_request_duration_seconds{quantile=\"0.99\"}"), std::string::npos);
  EXPECT_EQ(call("GET", "/metrics").status, 401);
}

TEST_F(ApiFixture, StreamPushesCommittedEventsAndSessionState) {
  auto ws = client::WsClient::connect("127.0.0.1", server->port(), "/api/v1/stream?token=tok-erin");
  ASSERT_TRUE(ws.ok()) << ws.error().message;
  auto hello = json::parse(*(*ws)->read());
  EXPECT_EQ(hello["type"], "hello");
  EXPECT_EQ(hello["user"], "erin");
  const auto id = place();
  bool accepted = false, routed = false, sessions_seen = false;
  for (int i = 0; i < 50 && !(accepted && routed && sessions_seen); ++i) {
    auto msg = (*ws)->read();
    ASSERT_TRUE(msg.ok()) << msg.error().message;
    auto m = json::parse(*msg);
    if (m["type"] == "sessions") sessions_seen = m["sessions"][0]["name"] == "BROKER";
    if (m["type"] != "event") continue;
    EXPECT_EQ(m["event"]["order_id"], id);
    if (m["event"]["type"] == "OrderAccepted") {
      accepted = true;
      EXPECT_EQ(m["event"]["actor"], "alice");
      EXPECT_EQ(m["event"]["payload"]["spec"]["limit_price"], "190.25");
    }
    if (m["event"]["type"] == "WorkflowChanged" && m["event"]["payload"]["workflow"] == "routed") routed = true;
  }
  EXPECT_TRUE(accepted);
  EXPECT_TRUE(routed);
  EXPECT_TRUE(sessions_seen);
}

TEST_F(ApiFixture, StreamWithBearerHeader) {
  auto ws = client::WsClient::connect("127.0.0.1", server->port(), "/api/v1/stream", {{"Authorization", "Bearer tok-carol"}});
  ASSERT_TRUE(ws.ok()) << ws.error().message;
  EXPECT_EQ(json::parse(*(*ws)->read())["user"], "carol");
}

TEST_F(ApiFixture, StreamRefusesMissingOrExpiredTokens) {
  auto ws = client::WsClient::connect("127.0.0.1", server->port(), "/api/v1/stream");
  ASSERT_FALSE(ws.ok());
  EXPECT_EQ(ws.error().code, Errc::forbidden);
  EXPECT_NE(ws.error().message.find("401"), std::string::npos);
  ws = client::WsClient::connect("127.0.0.1", server->port(), "/api/v1/stream?token=tok-frank");
  ASSERT_FALSE(ws.ok());
  EXPECT_NE(ws.error().message.find("expired_token"), std::string::npos);
}

TEST_F(ApiFixture, StaticFilesWithContentTypesAndNoTraversal) {
  auto r = call("GET", "/");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.headers["content-type"], "text/html; charset=utf-8");
  EXPECT_NE(r.text.find("blotter"), std::string::npos);
  r = call("GET", "/app.js");
  EXPECT_EQ(r.headers["content-type"], "text/javascript; charset=utf-8");
  r = call("GET", "/css/site.css");
  EXPECT_EQ(r.headers["content-type"], "text/css; charset=utf-8");
  for (const char* evil : {"/../api_test.cpp", "/css/../../api_test.cpp", "/%2e%2e/api_test.cpp", "/..%2fapi_test.cpp",
                           "/css/..%5c..%5capi_test.cpp", "/nope.html"}) {
    r = call("GET", evil);
    EXPECT_EQ(r.status, 404) << evil;
    EXPECT_EQ(r.code(), "not_found") << evil;
  }
  EXPECT_EQ(call("POST", "/index.html").status, 405);
  auto raw = client::raw_exchange("127.0.0.1", server->port(), "GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  ASSERT_TRUE(raw.ok());
  EXPECT_EQ(raw->find("root:"), std::string::npos);
}

TEST(UsersFile, DemoUsersAndTokensLoad) {
  auto dir = UserDirectory::load(std::filesystem::path(OMS_SOURCE_DIR) / "config/users.yaml");
  ASSERT_TRUE(dir.ok()) << dir.error().message;
  const auto now = at("2026-11-23T14:00:00Z");
  for (const char* id : {"alice", "bob", "carol", "dave", "erin", "root"}) {
    auto a = dir->authenticate(std::string("demo-") + id, now);
    ASSERT_EQ(a.outcome, AuthOutcome::ok) << id;
    EXPECT_EQ(a.user->id.value, id);
  }
  EXPECT_TRUE(dir->find(UserId{"alice"})->has(Role::pm));
  EXPECT_TRUE(dir->find(UserId{"carol"})->has(Role::compliance));
  EXPECT_TRUE(dir->find(UserId{"root"})->has(Role::admin));
  EXPECT_EQ(dir->authenticate("demo-mallory", now).outcome, AuthOutcome::unknown_token);
}

TEST(UsersFile, BadFilesNameTheProblem) {
  auto check = [](const char* yaml, const char* needle) {
    auto dir = UserDirectory::parse(yaml, "users.yaml");
    ASSERT_FALSE(dir.ok()) << yaml;
    EXPECT_NE(dir.error().message.find(needle), std::string::npos) << dir.error().message;
  };
  check("users:\n  - id: a\n    roles: [wizard]\n", "unknown role 'wizard'");
  check("users:\n  - id: a\n    roles: [pm]\n    tokens:\n      - sha256: abc\n        expires: 2030-01-01\n", "64 lower-case hex");
  check("users:\n  - id: a\n    roles: [pm]\n    tokens:\n      - sha256: " 
        "0000000000000000000000000000000000000000000000000000000000000000\n", "expiry");
  check("users:\n  - id: a\n    roles: [pm]\n  - id: a\n    roles: [pm]\n", "duplicate user a");
  check("users:\n  - id: a\n    role: [pm]\n", "unknown key 'role'");
  check("people: []\n", "users:");
}

TEST(Tokens, Sha256AndTimes) {
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(to_iso8601(at("2030-12-31T23:59:59.5Z")), "2030-12-31T23:59:59.500000000Z");
  EXPECT_EQ(to_iso8601(at("2030-12-31")), "2030-12-31T00:00:00.000000000Z");
  EXPECT_FALSE(parse_iso8601("2030-02-30T00:00:00Z").ok());
  EXPECT_FALSE(parse_iso8601("2030-12-31T23:59:59").ok());
}

}  // namespace
}  // namespace oms::api::test

namespace oms::api::test {
namespace {

// HTTPS when a certificate is configured: a self-signed one made with the openssl tool, checked with
// curl (both Debian packages; the test is skipped without them).
class TlsApi : public ApiFixture {
 protected:
  void SetUp() override {
    if (std::system("command -v openssl >/dev/null 2>&1 && command -v curl >/dev/null 2>&1") != 0)
      GTEST_SKIP() << "openssl or curl not installed";
    dir = std::filesystem::path(::testing::TempDir()) / "api_tls";
    std::filesystem::create_directories(dir);
    const std::string cmd = "openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -addext "
                            "subjectAltName=IP:127.0.0.1 -keyout " + (dir / "key.pem").string() + " -out " +
                            (dir / "cert.pem").string() + " >/dev/null 2>&1";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    ApiFixture::SetUp();
  }
  void customize(ApiOptions& o) override {
    o.tls_certificate = dir / "cert.pem";
    o.tls_private_key = dir / "key.pem";
  }
  std::string curl(const std::string& path, const std::string& token) {
    const auto out = dir / "curl.out";
    const std::string cmd = "curl -s --max-time 10 --cacert " + (dir / "cert.pem").string() +
                            " -H 'Authorization: Bearer " + token + "' -o " + out.string() + " -w '%{http_code}' https://127.0.0.1:" +
                            std::to_string(server->port()) + path + " > " + (dir / "curl.code").string();
    EXPECT_EQ(std::system(cmd.c_str()), 0);
    std::ifstream code(dir / "curl.code"), body(out);
    std::stringstream c, b;
    c << code.rdbuf();
    b << body.rdbuf();
    return c.str() + " " + b.str();
  }
  std::filesystem::path dir;
};

TEST_F(TlsApi, ServesHttpsAndRefusesPlainHttp) {
  EXPECT_EQ(curl("/healthz", ""), "200 {\"status\":\"ok\"}");
  EXPECT_EQ(curl("/api/v1/orders", "tok-frank").substr(0, 4), "401 ");
  const auto me = curl("/api/v1/me", "tok-alice");
  EXPECT_EQ(me.substr(0, 4), "200 ");
  EXPECT_NE(me.find("\"id\":\"alice\""), std::string::npos) << me;
  auto plain = client::raw_exchange("127.0.0.1", server->port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->find("HTTP/1.1 200"), std::string::npos);
}

TEST_F(TlsApi, UnreadableKeyRefusesToStart) {
  store::InMemoryEventStore other_store;
  engine::Engine other(ref, other_store, gateway, clock);
  ApiOptions o;
  o.listen_port = 0;
  o.tls_certificate = dir / "cert.pem";
  o.tls_private_key = dir / "missing.pem";
  ApiServer s(o, ApiContext{other, ref, directory, clock, {}, {}});
  auto st = s.start();
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("TLS private key"), std::string::npos) << st.error().message;
  o.tls_private_key.clear();
  ApiServer s2(o, ApiContext{other, ref, directory, clock, {}, {}});
  EXPECT_FALSE(s2.start().ok());
}

}  // namespace
}  // namespace oms::api::test
