// Interoperability with a FIX engine this project did not write: QuickFIX's own example `executor`
// (libquickfix-doc's sources, built by tests/integration/CMakeLists.txt) as the counterparty of the real omsd.
// The executor fills every limit order at once with a single ExecutionReport (no New first) and answers
// everything else it receives (F, G, H) with BusinessMessageReject, UnsupportedMessageType; a market order gets a
// session Reject (IncorrectTagValue on OrdType).
//
// QuickFIX 1.15.1's SocketAcceptor binds every interface, so this binary re-runs itself, before any test
// starts, inside a network namespace of its own where loopback is the only interface (unshare -n, as root).
// The harness starts run_quickfix_executor.sh in the simulator's place (BROKER_SIM_PATH).
#include <sys/types.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>

#include "oms/core/fixed.hpp"
#include "oms_harness.hpp"

namespace oms::test {
namespace {

// argv of this process, from /proc (static initialisers run before main sees it).
std::vector<std::string> own_args() {
  std::vector<std::string> args;
  std::ifstream in("/proc/self/cmdline", std::ios::binary);
  std::string arg;
  while (std::getline(in, arg, '\0')) args.push_back(arg);
  return args;
}

// True once this process runs in its own loopback-only namespace. Listing tests (ctest's discovery) starts
// nothing, so it runs where it is.
const bool kInOwnNetworkNamespace = [] {
  if (std::getenv("OMS_TEST_NETNS")) return true;
  const auto args = own_args();
  for (const auto& a : args)
    if (a.rfind("--gtest_list_tests", 0) == 0) return false;
  ::setenv("OMS_TEST_NETNS", "1", 1);
  const std::string self = fs::read_symlink("/proc/self/exe").string();
  std::vector<std::string> cmd{"unshare", "-n", "--", "sh", "-c", "ip link set lo up && exec \"$0\" \"$@\"", self};
  cmd.insert(cmd.end(), args.begin() + (args.empty() ? 0 : 1), args.end());
  std::vector<char*> argv;
  for (auto& c : cmd) argv.push_back(c.data());
  argv.push_back(nullptr);
  ::execvp("unshare", argv.data());
  std::cerr << "fix_interop_test: cannot run unshare -n (" << std::strerror(errno) << ")\n";
  return false;
}();

class FixInterop : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(kInOwnNetworkNamespace) << "needs a loopback-only network namespace (unshare -n, as root)";
    ::setenv("OMS_EXECUTOR", EXECUTOR_PATH, 1);
    ::setenv("OMS_FIX_SPECS", OMS_SOURCE_DIR "/fix_specs", 1);
    oms_ = std::make_unique<OmsHarness>("fix-interop");
    ASSERT_TRUE(oms_->wait_logged_on()) << oms_->omsd().output() << executor_log();
    executor_pid_ = std::stoi(read_file(oms_->dir() / "executor.pid"));
  }
  void TearDown() override {
    if (paused_) resume_executor();  // a stopped process would not act on the harness's SIGTERM
  }

  // The executor's screen log (incoming and outgoing messages), SOH shown as '|'.
  std::string executor_log() const {
    auto log = read_file(oms_->dir() / "sim.out");
    std::replace(log.begin(), log.end(), '\x01', '|');
    return log;
  }
  // Lines of the executor's log holding every one of `parts`.
  std::size_t executor_lines(const std::vector<std::string>& parts) const {
    std::istringstream in(executor_log());
    std::size_t n = 0;
    for (std::string line; std::getline(in, line);) {
      bool all = true;
      for (const auto& p : parts) all = all && line.find(p) != std::string::npos;
      n += all ? 1 : 0;
    }
    return n;
  }
  // Holds the executor still (SIGSTOP): what omsd sends meanwhile waits in its socket, unanswered.
  void pause_executor() {
    ASSERT_EQ(::kill(executor_pid_, SIGSTOP), 0);
    paused_ = true;
  }
  void resume_executor() {
    ::kill(executor_pid_, SIGCONT);
    paused_ = false;
  }
  std::size_t trades(std::uint64_t id) const {
    return oms_->query("SELECT exec_id FROM executions WHERE is_trade = 1 AND order_id = " + std::to_string(id)).size();
  }
  std::string position(const std::string& account, const std::string& symbol) const {
    const auto rows =
        oms_->query("SELECT quantity FROM positions WHERE account = '" + account + "' AND symbol = '" + symbol + "'");
    return rows.empty() ? "0" : rows[0][0];
  }
  std::size_t alerts_of_kind(const std::string& kind, const std::string& text) {
    std::size_t n = 0;
    const json response = oms_->call("GET", "/api/v1/alerts");
    for (const auto& a : response["alerts"])
      if (a.dump().find(kind) != std::string::npos && a.dump().find(text) != std::string::npos) ++n;
    return n;
  }
  // Waits until the order has nothing in flight (its cancel or replace was answered).
  bool wait_settled(std::uint64_t id) {
    return wait_until([&] { return !oms_->order(id).contains("pending_cl_ord_id"); });
  }

  std::unique_ptr<OmsHarness> oms_;
  pid_t executor_pid_{0};
  bool paused_{false};
};

TEST_F(FixInterop, LimitOrdersAreFilledAndRecordedOnFix44AndFix42) {
  const std::string aapl_before = position("GROWTH", "AAPL");
  const auto a = oms_->place(limit_order("AAPL", "buy", 100, "190.25"));
  const auto b = oms_->place(limit_order("MSFT", "sell", 30, "420.5", "GROWTH", "BROKER42"));
  ASSERT_TRUE(oms_->wait_order(a, "status", "Filled")) << oms_->order(a).dump() << executor_log();
  ASSERT_TRUE(oms_->wait_order(b, "status", "Filled")) << oms_->order(b).dump() << executor_log();

  EXPECT_EQ(oms_->order(a)["cum_qty"], "100");
  EXPECT_EQ(oms_->order(a)["avg_px"], "190.25");
  EXPECT_EQ(oms_->order(b)["cum_qty"], "30");
  EXPECT_EQ(oms_->order(b)["avg_px"], "420.5");
  EXPECT_FALSE(oms_->order(a)["broken"].get<bool>());
  // The record: one trade each, with the executor's quantity and price, and the position moved by it.
  const auto exec = oms_->query("SELECT session, last_qty, last_px, cum_qty, leaves_qty FROM executions "
                                "WHERE is_trade = 1 AND order_id = " + std::to_string(a));
  ASSERT_EQ(exec.size(), 1u);
  EXPECT_EQ(exec[0][0], "BROKER");
  EXPECT_EQ(exec[0][1], std::to_string(Quantity::from_int(100).raw()));
  EXPECT_EQ(exec[0][2], std::to_string(Price::parse("190.25")->raw()));
  EXPECT_EQ(exec[0][4], "0");
  EXPECT_EQ(trades(b), 1u);
  const auto orders = oms_->query("SELECT status, cum_qty FROM orders WHERE order_id = " + std::to_string(a));
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0][1], std::to_string(Quantity::from_int(100).raw()));
  EXPECT_EQ(std::stoll(position("GROWTH", "AAPL")) - std::stoll(aapl_before), Quantity::from_int(100).raw());
  // Each order reached the executor once, on the session it was routed to.
  EXPECT_EQ(executor_lines({"|35=D|", "|11=" + oms_->order(a)["cl_ord_id"].get<std::string>() + "|", "FIX.4.4"}), 1u);
  EXPECT_EQ(executor_lines({"|35=D|", "|11=" + oms_->order(b)["cl_ord_id"].get<std::string>() + "|", "FIX.4.2"}), 1u);
}

TEST_F(FixInterop, CancelAndReplaceRejectedByBusinessMessageRejectAreWithdrawn) {
  // While the executor is held, orders and then a cancel and a replace for them are all sent; when it runs
  // again it fills each order and rejects the F and the G (j, RefMsgType F / G).
  pause_executor();
  const auto a = oms_->place(limit_order("AAPL", "buy", 10, "190"));
  int status = 0;
  oms_->call("POST", "/api/v1/orders/" + std::to_string(a) + "/cancel", json::object(), &status);
  EXPECT_EQ(status, 202);
  const auto b = oms_->place(limit_order("MSFT", "buy", 20, "410", "GROWTH", "BROKER42"));
  oms_->call("POST", "/api/v1/orders/" + std::to_string(b) + "/replace",
             json{{"quantity", 25}, {"limit_price", "411"}}, &status);
  EXPECT_EQ(status, 202);
  EXPECT_TRUE(oms_->order(a).contains("pending_cl_ord_id"));
  EXPECT_TRUE(oms_->order(b).contains("pending_cl_ord_id"));
  resume_executor();

  ASSERT_TRUE(oms_->wait_order(a, "status", "Filled")) << oms_->order(a).dump() << executor_log();
  ASSERT_TRUE(oms_->wait_order(b, "status", "Filled")) << oms_->order(b).dump() << executor_log();
  ASSERT_TRUE(wait_until([&] { return executor_lines({"|35=j|", "|372=F|"}) == 1 &&
                                      executor_lines({"|35=j|", "|372=G|"}) == 1; }))
      << executor_log();
  // The rejected requests are withdrawn: nothing left in flight, the order as the executor filled it.
  ASSERT_TRUE(wait_settled(a)) << oms_->order(a).dump();
  ASSERT_TRUE(wait_settled(b)) << oms_->order(b).dump();
  EXPECT_EQ(oms_->order(a)["cum_qty"], "10");
  EXPECT_EQ(oms_->order(b)["quantity"], "20");
  EXPECT_EQ(oms_->order(b)["limit_price"], "410");
  EXPECT_EQ(oms_->order(b)["cum_qty"], "20");
  EXPECT_FALSE(oms_->order(a)["broken"].get<bool>());
  EXPECT_FALSE(oms_->order(b)["broken"].get<bool>());
  EXPECT_EQ(trades(a), 1u);
  EXPECT_EQ(trades(b), 1u);
  EXPECT_TRUE(wait_until([&] { return alerts_of_kind("business_reject", "of F") == 1; }))
      << oms_->call("GET", "/api/v1/alerts").dump();
  EXPECT_EQ(alerts_of_kind("business_reject", "of G"), 1u);
  // Withdrawn in the audit trail, by the broker.
  const auto history = oms_->call("GET", "/api/v1/audit?order_id=" + std::to_string(b));
  EXPECT_NE(history.dump().find("ReplaceReject"), std::string::npos) << history.dump();
  EXPECT_TRUE(oms_->omsd().running());
}

TEST_F(FixInterop, StatusRequestAfterARestartIsRejectedAndTheResentFillRecorded) {
  // An order handed to the session but unanswered when omsd dies: after the restart omsd asks about it (H),
  // the executor rejects the H (j) and resends the fill it made meanwhile; the fill is recorded once.
  pause_executor();
  const auto c = oms_->place(limit_order("AAPL", "sell", 7, "191"));
  ASSERT_TRUE(oms_->wait_order(c, "workflow", "routed")) << oms_->order(c).dump();
  const std::string cl_ord_id = oms_->order(c)["cl_ord_id"];
  oms_->stop_omsd(SIGKILL);
  resume_executor();
  // The executor fills the order into the closed connection (stored, sent again on ResendRequest).
  ASSERT_TRUE(wait_until([&] { return executor_lines({"|35=8|", "|11=" + cl_ord_id + "|"}) == 1; })) << executor_log();

  oms_->start_omsd();
  ASSERT_TRUE(oms_->wait_logged_on()) << oms_->omsd().output();
  ASSERT_TRUE(oms_->wait_order(c, "status", "Filled")) << oms_->order(c).dump() << executor_log();
  ASSERT_TRUE(wait_until([&] { return executor_lines({"|35=j|", "|372=H|"}) >= 1; })) << executor_log();
  EXPECT_GE(executor_lines({"|35=H|", "|11=" + cl_ord_id + "|"}), 1u);
  EXPECT_EQ(trades(c), 1u);
  EXPECT_EQ(oms_->order(c)["cum_qty"], "7");
  EXPECT_FALSE(oms_->order(c)["broken"].get<bool>());
  EXPECT_TRUE(wait_until([&] { return alerts_of_kind("business_reject", "of H") >= 1; }));
  EXPECT_TRUE(oms_->omsd().running());
}

TEST_F(FixInterop, MarketOrderRefusedWithASessionRejectEndsRejected) {
  // The executor fills limit orders only: a market order's OrdType gets a session Reject (3, reason 5, RefTagID 40),
  // never an ExecutionReport. The order must not stay PendingNew.
  json market = limit_order("AAPL", "buy", 5, "0");
  market.erase("limit_price");
  market["ord_type"] = "market";
  const auto m = oms_->place(market);
  ASSERT_TRUE(oms_->wait_order(m, "status", "Rejected")) << oms_->order(m).dump() << executor_log();
  const std::string cl_ord_id = oms_->order(m)["cl_ord_id"];
  EXPECT_EQ(executor_lines({"|35=D|", "|11=" + cl_ord_id + "|"}), 1u);
  EXPECT_EQ(executor_lines({"|35=3|", "|372=D|", "|373=5|"}), 1u) << executor_log();
  EXPECT_EQ(trades(m), 0u);
  EXPECT_EQ(oms_->query("SELECT status FROM orders WHERE order_id = " + std::to_string(m)).at(0).at(0), "Rejected");
  EXPECT_TRUE(wait_until([&] { return alerts_of_kind("session_reject", cl_ord_id) == 1; }))
      << oms_->call("GET", "/api/v1/alerts").dump();
  // The session goes on: a limit order after it is filled.
  const auto a = oms_->place(limit_order("AAPL", "buy", 5, "190"));
  EXPECT_TRUE(oms_->wait_order(a, "status", "Filled")) << oms_->order(a).dump() << executor_log();
}

}  // namespace
}  // namespace oms::test
