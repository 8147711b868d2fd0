// Every cell of the route x role table in src/api/ROUTES.md. The target of each trading action is a
// GROWTH order (alice is its PM; bob is a PM, of other funds). A forbidden action answers 403 and
// changes nothing: neither the record nor what went to the broker.
#include "api_fixture.hpp"

namespace oms::api::test {
namespace {

// Columns of the table.
const std::vector<std::string> kUsers{"alice", "bob", "dave", "carol", "root", "erin"};
//                                      pm(own) pm(other) trader compliance admin viewer

class RoleMatrix : public ApiFixture {
 protected:
  // Runs `action` for each user on a fresh GROWTH order and checks the status and the state change.
  void row(const std::string& name, const std::vector<int>& expected,
           const std::function<Reply(const std::string& user, std::uint64_t order_id)>& action, bool mutates) {
    ASSERT_EQ(expected.size(), kUsers.size());
    for (std::size_t i = 0; i < kUsers.size(); ++i) {
      const auto id = place(limit_order("GROWTH"), "dave");
      const auto before = snapshot();
      const Reply r = action(kUsers[i], id);
      EXPECT_EQ(r.status, expected[i]) << name << " as " << kUsers[i] << ": " << r.text;
      if (expected[i] == 403) {
        EXPECT_EQ(r.code(), "forbidden") << name << " as " << kUsers[i];
        EXPECT_EQ(snapshot(), before) << name << " as " << kUsers[i] << " changed the state";
      } else if (mutates && expected[i] < 300) {
        EXPECT_NE(snapshot(), before) << name << " as " << kUsers[i] << " did nothing";
      }
    }
  }
  std::string path(std::uint64_t id, const char* tail = "") { return "/api/v1/orders/" + std::to_string(id) + tail; }
};

constexpr int OK = 200, CREATED = 201, ACCEPTED = 202, NO = 403;

TEST_F(RoleMatrix, CreateOrder) {
  row("POST /orders", {CREATED, NO, CREATED, NO, CREATED, NO},
      [&](const std::string& u, std::uint64_t) { return post("/api/v1/orders", u, limit_order("GROWTH")); }, true);
}

TEST_F(RoleMatrix, CancelOrder) {
  row("POST /orders/{id}/cancel", {ACCEPTED, NO, ACCEPTED, NO, ACCEPTED, NO},
      [&](const std::string& u, std::uint64_t id) { return post(path(id, "/cancel"), u, json::object()); }, true);
}

TEST_F(RoleMatrix, ReplaceOrder) {
  row("POST /orders/{id}/replace", {ACCEPTED, NO, ACCEPTED, NO, ACCEPTED, NO},
      [&](const std::string& u, std::uint64_t id) { return post(path(id, "/replace"), u, {{"quantity", "50"}}); }, true);
}

TEST_F(RoleMatrix, CancelAllOfAFund) {
  row("POST /cancel-all {account}", {OK, NO, OK, NO, OK, NO},
      [&](const std::string& u, std::uint64_t) { return post("/api/v1/cancel-all", u, {{"account", "GROWTH"}}); }, true);
}

TEST_F(RoleMatrix, CancelAllOfABroker) {
  row("POST /cancel-all {broker}", {NO, NO, OK, NO, OK, NO},
      [&](const std::string& u, std::uint64_t) { return post("/api/v1/cancel-all", u, {{"broker", "BROKER"}}); }, true);
}

TEST_F(RoleMatrix, CancelEverything) {
  row("POST /cancel-all {all}", {NO, NO, OK, NO, OK, NO},
      [&](const std::string& u, std::uint64_t) { return post("/api/v1/cancel-all", u, {{"all", true}}); }, true);
}

TEST_F(RoleMatrix, ReadRoutesAreOpenToEveryRole) {
  for (const std::string route : {"/api/v1/me", "/api/v1/orders", "/api/v1/orders/{id}", "/api/v1/positions",
                                  "/api/v1/accounts", "/api/v1/instruments", "/api/v1/fix/sessions", "/api/v1/alerts",
                                  "/metrics"}) {
    row("GET " + route, {OK, OK, OK, OK, OK, OK},
        [&](const std::string& u, std::uint64_t id) {
          std::string target = route;
          if (auto p = target.find("{id}"); p != std::string::npos) target.replace(p, 4, std::to_string(id));
          return get(target, u);
        },
        false);
  }
}

TEST_F(RoleMatrix, AuditIsForComplianceAndAdmin) {
  row("GET /audit", {NO, NO, NO, OK, OK, NO},
      [&](const std::string& u, std::uint64_t) { return get("/api/v1/audit", u); }, false);
}

TEST_F(RoleMatrix, StreamIsOpenToEveryRole) {
  for (const auto& u : kUsers) {
    auto ws = client::WsClient::connect("127.0.0.1", server->port(), "/api/v1/stream?token=tok-" + u);
    ASSERT_TRUE(ws.ok()) << u << ": " << ws.error().message;
    EXPECT_EQ(json::parse(*(*ws)->read())["user"], u);
  }
}

TEST_F(RoleMatrix, HealthzNeedsNoRole) {
  row("GET /healthz", {OK, OK, OK, OK, OK, OK}, [&](const std::string& u, std::uint64_t) { return get("/healthz", u); },
      false);
  EXPECT_EQ(call("GET", "/healthz").status, OK);
}

// A PM of both funds may trade a block across them; one fund short of rights and it is refused.
TEST_F(RoleMatrix, BlockOrderRights) {
  const json block{{"allocations", {{{"account", "GROWTH"}, {"quantity", "60"}}, {{"account", "BALANCED"}, {"quantity", "40"}}}},
                   {"symbol", "AAPL"}, {"side", "buy"}, {"limit_price", "190"}};
  row("POST /orders (block GROWTH+BALANCED)", {CREATED, NO, CREATED, NO, CREATED, NO},
      [&](const std::string& u, std::uint64_t) { return post("/api/v1/orders", u, block); }, true);
  const auto id = place(block, "alice");
  const auto before = snapshot();
  EXPECT_EQ(post(path(id, "/cancel"), "bob", json::object()).status, NO);
  EXPECT_EQ(snapshot(), before);
}

}  // namespace
}  // namespace oms::api::test
