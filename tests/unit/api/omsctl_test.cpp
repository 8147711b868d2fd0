// The built omsctl binary against the in-process server: every command, tables and --json, error
// messages and exit codes (0 ok, 1 refused, 2 usage, 3 cannot connect).
#include "api_fixture.hpp"
#include "omsctl_runner.hpp"

namespace oms::api::test {
namespace {

class Omsctl : public ApiFixture {
 protected:
  // Runs omsctl with OMS_TOKEN=<token> (none when empty) against the test server.
  CliRun omsctl(const std::string& args, const std::string& token, const std::string& url = "") {
    return run_omsctl(args, token, url.empty() ? "http://127.0.0.1:" + std::to_string(server->port()) : url);
  }
};

TEST_F(Omsctl, Whoami) {
  auto r = omsctl("whoami", "tok-alice");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "alice (alice) roles: pm; may trade: BALANCED,GROWTH\n");
}

TEST_F(Omsctl, OrdersNewSingleAndBlock) {
  auto r = omsctl("orders new --account GROWTH --symbol AAPL --side buy --qty 100 --limit 190.25 --note 'from the cli'",
                  "tok-alice");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("order 1 accepted"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("limit_price      190.25"), std::string::npos) << r.out;
  const auto o = order(1);
  EXPECT_EQ(o.spec.limit_price, Price::parse("190.25").value());
  EXPECT_EQ(o.spec.note, "from the cli");
  EXPECT_EQ(o.spec.entered_by.value, "alice");

  r = omsctl("--json orders new --alloc GROWTH=60 --alloc BALANCED=40.5 --symbol MSFT --side sell", "tok-alice");
  ASSERT_EQ(r.code, 0) << r.err;
  const auto body = r.body();
  ASSERT_TRUE(body.is_object()) << r.out;
  EXPECT_EQ(body["order"]["quantity"], "100.5");
  EXPECT_EQ(body["order"]["ord_type"], "market");

  r = omsctl("orders new --account GROWTH --symbol AAPL --side buy --qty 10 --limit 190 --decided-by alice", "tok-dave");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(order(3).spec.decided_by.value, "alice");
  EXPECT_EQ(order(3).spec.entered_by.value, "dave");
}

TEST_F(Omsctl, OrdersListAndShow) {
  const auto id = place();
  fill(id, "30", "190", "x1");
  auto r = omsctl("orders list", "tok-erin");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("ID  ACCOUNT  SYMBOL  SIDE  QTY  TYPE   LIMIT   STATUS", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("1   GROWTH   AAPL    buy   100  limit  190.25  PartiallyFilled"), std::string::npos) << r.out;
  r = omsctl("--json orders list --account INCOME", "tok-erin");
  ASSERT_EQ(r.code, 0);
  EXPECT_EQ(r.body()["orders"], json::array());
  r = omsctl("orders list --status Filled", "tok-erin");
  EXPECT_EQ(r.out, "no orders\n");
  r = omsctl("orders show 1", "tok-erin");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("status           PartiallyFilled"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("fills\nEXEC_ID  QTY  PRICE  BUSTED\nx1       30   190    no\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("OrderAccepted"), std::string::npos);
  r = omsctl("orders show 42", "tok-erin");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "omsctl: refused (HTTP 404 not_found): unknown order 42 [field: order_id]\n");
}

TEST_F(Omsctl, CancelReplaceAndKillSwitch) {
  const auto id = place();
  auto r = omsctl("orders replace " + std::to_string(id) + " --qty 50 --limit 190.5", "tok-alice");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "replace requested for order 1\n");
  EXPECT_EQ(gateway.count('G'), 1u);
  const auto id2 = place();
  r = omsctl("orders cancel " + std::to_string(id2), "tok-alice");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(gateway.count('F'), 1u);
  place(limit_order("INCOME"), "bob");
  r = omsctl("cancel-all --broker BROKER", "tok-dave");
  ASSERT_EQ(r.code, 0) << r.err;
  // Order 1 has its replace in flight and order 2 its cancel: both are reported, order 3 goes.
  EXPECT_EQ(r.out.rfind("cancel requested for 1 order(s): 3\n", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("  order 1 not canceled: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  order 2 not canceled: "), std::string::npos) << r.out;
}

TEST_F(Omsctl, Views) {
  const auto id = place();
  fill(id, "100", "190", "x1");
  auto r = omsctl("positions --account GROWTH", "tok-erin");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("GROWTH   AAPL    200       38000"), std::string::npos) << r.out;
  r = omsctl("accounts", "tok-erin");
  EXPECT_NE(r.out.find("INCOME    INCOME Fund"), std::string::npos) << r.out;
  r = omsctl("sessions", "tok-erin");
  EXPECT_NE(r.out.find("BROKER42  FIX.4.2:OMS42->BROKER42  no"), std::string::npos) << r.out;
  r = omsctl("alerts", "tok-erin");
  EXPECT_EQ(r.code, 0);
  r = omsctl("audit --actor alice --limit 1", "tok-carol");
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("alice  1      WorkflowChanged"), std::string::npos) << r.out;
  r = omsctl("--json audit --order 1", "tok-carol");
  EXPECT_GE(r.body()["events"].size(), 3u);
}

TEST_F(Omsctl, RefusalsExitOneWithTheServersReason) {
  const auto id = place();
  const auto before = snapshot();
  auto r = omsctl("orders cancel " + std::to_string(id), "tok-bob");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "omsctl: refused (HTTP 403 forbidden): user bob may not trade every fund of order 1\n");
  EXPECT_EQ(r.out, "");
  r = omsctl("--json orders new --account GROWTH --symbol NOPE --side buy --qty 1 --limit 1", "tok-alice");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.body()["error"]["code"], "not_found");
  EXPECT_EQ(r.body()["error"]["field"], "symbol");
  r = omsctl("audit", "tok-alice");
  EXPECT_EQ(r.code, 1);
  r = omsctl("whoami", "tok-frank");
  EXPECT_EQ(r.code, 1);
  EXPECT_EQ(r.err, "omsctl: refused (HTTP 401 expired_token): the API token has expired\n");
  EXPECT_EQ(snapshot(), before);
}

TEST_F(Omsctl, UsageErrorsExitTwo) {
  auto r = omsctl("whoami", "");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "omsctl: no token: pass --token or set OMS_TOKEN\n");
  r = omsctl("--token tok-alice whoami", "");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(omsctl("frobnicate", "tok-alice").code, 2);
  EXPECT_EQ(omsctl("", "tok-alice").code, 2);
  r = omsctl("orders new --account GROWTH --side buy", "tok-alice");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--symbol is required"), std::string::npos) << r.err;
  r = omsctl("orders replace 1", "tok-alice");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("at least one of --qty"), std::string::npos) << r.err;
  EXPECT_EQ(omsctl("orders new --alloc GROWTH --symbol AAPL --side buy", "tok-alice").code, 2);
  EXPECT_EQ(omsctl("cancel-all", "tok-root").code, 2);
  EXPECT_EQ(omsctl("cancel-all --all --broker B", "tok-root").code, 2);
  EXPECT_EQ(omsctl("whoami", "tok-alice", "ftp://127.0.0.1:1").code, 2);
  r = omsctl("--help", "");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("orders"), std::string::npos);
  EXPECT_EQ(snapshot().events, 0u);
}

TEST_F(Omsctl, NoServerExitsThree) {
  // A port nobody listens on: the one this fixture's server had, after it stopped.
  const auto port = server->port();
  server->stop();
  auto r = omsctl("orders list", "tok-alice", "http://127.0.0.1:" + std::to_string(port));
  EXPECT_EQ(r.code, 3);
  EXPECT_NE(r.err.find("omsctl: cannot reach the OMS at http://127.0.0.1:"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace oms::api::test
