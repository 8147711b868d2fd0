// oms-broker-sim, end to end: the real executable on 127.0.0.1 (port 0) driven by a QuickFIX initiator
// acting as the OMS; every answer is checked field by field and against the simulator's journal.
#include <gtest/gtest.h>

#include <fstream>

#include "oms/fix/fix_framer.hpp"
#include "sim_config.hpp"
#include "sim_process.hpp"

namespace {

using namespace oms::fix::test;
namespace fs = std::filesystem;

const std::string kSpecs = std::string(OMS_SOURCE_DIR) + "/fix_specs/";

std::string f(const FIX::FieldMap& m, int tag) { return m.isSetField(tag) ? m.getField(tag) : std::string("<absent>"); }

class BrokerSim : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = make_temp_dir("broker-sim-test");
    std::ofstream(dir_ / "sim.yaml") << R"(
listen: {host: 127.0.0.1, port: 0}
store: {type: memory}
sessions:
  - {BeginString: FIX.4.4, SenderCompID: BROKER, TargetCompID: OMS, DataDictionary: )" << kSpecs << R"(FIX44.xml}
  - {BeginString: FIX.4.2, SenderCompID: BROKER42, TargetCompID: OMS42, DataDictionary: )" << kSpecs << R"(FIX42.xml}
default: {action: fill, price: limit}
symbols:
  MSFT: {action: fill, price: reference, reference_price: "410.10"}
  IBM: {action: partial, slices: 3, delay_ms: 20}
  TSLA: {action: reject, reject_reason: 3, reject_text: "exceeds limit"}
  REST: {action: accept}
  NOCXL: {action: accept, cancel_reject: true}
  DFD: {action: partial, slices: 4, delay_ms: 10, done_for_day_after: 2}
  BUST: {action: fill, bust_after_fill: true, bust_delay_ms: 10}
)";
    sim_ = std::make_unique<SimProcess>(OMS_BROKER_SIM_PATH,
                                        std::vector<std::string>{"--config", (dir_ / "sim.yaml").string(), "--journal",
                                                                 (dir_ / "journal.jsonl").string(), "--log-dir",
                                                                 (dir_ / "log").string()});
  }
  void TearDown() override {
    client_.reset();
    if (sim_) {
      EXPECT_EQ(sim_->stop(), 0);
    }
    fs::remove_all(dir_);
  }
  ClientApp& logon44() {
    client_ = std::make_unique<Client>(FIX::SessionID("FIX.4.4", "OMS", "BROKER"), sim_->port(), kSpecs + "FIX44.xml");
    EXPECT_TRUE(client_->app().wait_logon());
    return client_->app();
  }
  ClientApp& logon42() {
    client_ = std::make_unique<Client>(FIX::SessionID("FIX.4.2", "OMS42", "BROKER42"), sim_->port(), kSpecs + "FIX42.xml");
    EXPECT_TRUE(client_->app().wait_logon());
    return client_->app();
  }
  void send_order(const std::string& cl_ord_id, const std::string& symbol, const std::string& qty,
                  const std::string& px, const std::string& begin = "FIX.4.4") {
    FIX::Message m;
    m.getHeader().setField(FIX::BeginString(begin));
    m.getHeader().setField(FIX::MsgType("D"));
    m.setField(11, cl_ord_id);
    m.setField(1, "FUND-A");
    if (begin == "FIX.4.2") m.setField(21, "1");
    m.setField(55, symbol);
    m.setField(54, "1");
    m.setField(FIX::TransactTime(3));
    m.setField(38, qty);
    m.setField(40, px.empty() ? "1" : "2");
    if (!px.empty()) m.setField(44, px);
    m.setField(59, "0");
    ASSERT_TRUE(client_->send(m));
  }
  void send_cancel_or_replace(const std::string& type, const std::string& orig, const std::string& cl_ord_id,
                              const std::string& symbol, const std::string& qty, const std::string& px = {}) {
    FIX::Message m;
    m.getHeader().setField(FIX::BeginString("FIX.4.4"));
    m.getHeader().setField(FIX::MsgType(type));
    m.setField(41, orig);
    m.setField(11, cl_ord_id);
    m.setField(55, symbol);
    m.setField(54, "1");
    m.setField(FIX::TransactTime(3));
    m.setField(38, qty);
    if (type == "G") {
      m.setField(40, "2");
      m.setField(44, px);
    }
    ASSERT_TRUE(client_->send(m));
  }
  std::vector<nlohmann::json> journal(const std::string& event) {
    std::vector<nlohmann::json> out;
    for (auto& j : read_journal(dir_ / "journal.jsonl"))
      if (j["event"] == event) out.push_back(j);
    return out;
  }

  fs::path dir_;
  std::unique_ptr<SimProcess> sim_;
  std::unique_ptr<Client> client_;
};

TEST_F(BrokerSim, Fix44NewOrderIsAcknowledgedThenFilledAtTheLimit) {
  auto& app = logon44();
  send_order("C1", "AAPL", "100", "187.25");

  const auto ack = app.next();
  EXPECT_EQ(f(ack.getHeader(), 35), "8");
  EXPECT_EQ(f(ack, 11), "C1");
  EXPECT_EQ(f(ack, 150), "0");
  EXPECT_EQ(f(ack, 39), "0");
  EXPECT_EQ(f(ack, 38), "100");
  EXPECT_EQ(f(ack, 151), "100");
  EXPECT_EQ(f(ack, 14), "0");
  EXPECT_EQ(f(ack, 20), "<absent>");  // no ExecTransType in 4.4

  const auto fill = app.next();
  EXPECT_EQ(f(fill, 150), "F");
  EXPECT_EQ(f(fill, 39), "2");
  EXPECT_EQ(f(fill, 32), "100");
  EXPECT_EQ(f(fill, 31), "187.25");
  EXPECT_EQ(f(fill, 14), "100");
  EXPECT_EQ(f(fill, 151), "0");
  EXPECT_EQ(f(fill, 6), "187.25");
  EXPECT_EQ(f(fill, 37), f(ack, 37));
  EXPECT_NE(f(fill, 17), f(ack, 17));

  // The journal holds the order and both reports, with the ExecIDs the OMS received.
  const auto orders = journal("order");
  ASSERT_EQ(orders.size(), 1u);
  EXPECT_EQ(orders[0]["ClOrdID"], "C1");
  EXPECT_EQ(orders[0]["OrderQty"], "100");
  EXPECT_EQ(orders[0]["accepted"], true);
  const auto reports = journal("report");
  ASSERT_EQ(reports.size(), 2u);
  EXPECT_EQ(reports[0]["ExecID"], f(ack, 17));
  EXPECT_EQ(reports[1]["ExecID"], f(fill, 17));
  EXPECT_EQ(reports[1]["LastQty"], "100");
  EXPECT_EQ(reports[1]["LastPx"], "187.25");
  EXPECT_EQ(reports[1]["session"], "FIX.4.4:BROKER->OMS");
}

TEST_F(BrokerSim, MarketOrderFillsAtTheReferencePrice) {
  auto& app = logon44();
  send_order("C2", "MSFT", "10", "");
  EXPECT_EQ(f(app.next(), 150), "0");
  const auto fill = app.next();
  EXPECT_EQ(f(fill, 31), "410.1");
  EXPECT_EQ(f(fill, 6), "410.1");
}

TEST_F(BrokerSim, PartialFillsInSlices) {
  auto& app = logon44();
  send_order("C3", "IBM", "100", "150.5");
  EXPECT_EQ(f(app.next(), 150), "0");
  const char* last[] = {"34", "33", "33"};
  const char* cum[] = {"34", "67", "100"};
  const char* status[] = {"1", "1", "2"};
  for (int i = 0; i < 3; ++i) {
    const auto r = app.next();
    EXPECT_EQ(f(r, 150), "F") << i;
    EXPECT_EQ(f(r, 32), last[i]) << i;
    EXPECT_EQ(f(r, 14), cum[i]) << i;
    EXPECT_EQ(f(r, 39), status[i]) << i;
    EXPECT_EQ(f(r, 31), "150.5") << i;
  }
}

TEST_F(BrokerSim, RejectedSymbol) {
  auto& app = logon44();
  send_order("C4", "TSLA", "5", "200");
  const auto r = app.next();
  EXPECT_EQ(f(r, 150), "8");
  EXPECT_EQ(f(r, 39), "8");
  EXPECT_EQ(f(r, 103), "3");
  EXPECT_EQ(f(r, 58), "exceeds limit");
  EXPECT_EQ(journal("order").at(0)["accepted"], false);
}

TEST_F(BrokerSim, ReplaceThenCancelARestingOrder) {
  auto& app = logon44();
  send_order("C5", "REST", "100", "10");
  EXPECT_EQ(f(app.next(), 150), "0");
  send_cancel_or_replace("G", "C5", "C5-R", "REST", "150", "10.25");
  const auto replaced = app.next();
  EXPECT_EQ(f(replaced, 150), "5");
  EXPECT_EQ(f(replaced, 11), "C5-R");
  EXPECT_EQ(f(replaced, 41), "C5");
  EXPECT_EQ(f(replaced, 38), "150");
  EXPECT_EQ(f(replaced, 44), "10.25");
  EXPECT_EQ(f(replaced, 151), "150");
  send_cancel_or_replace("F", "C5-R", "C5-C", "REST", "150");
  const auto canceled = app.next();
  EXPECT_EQ(f(canceled, 150), "4");
  EXPECT_EQ(f(canceled, 39), "4");
  EXPECT_EQ(f(canceled, 41), "C5-R");
  EXPECT_EQ(f(canceled, 151), "0");
  // Cancelling again is too late.
  send_cancel_or_replace("F", "C5-C", "C5-C2", "REST", "150");
  const auto rej = app.next();
  EXPECT_EQ(f(rej.getHeader(), 35), "9");
  EXPECT_EQ(f(rej, 102), "0");
  EXPECT_EQ(f(rej, 434), "1");
}

TEST_F(BrokerSim, CancelRejectedByBehaviour) {
  auto& app = logon44();
  send_order("C6", "NOCXL", "100", "10");
  EXPECT_EQ(f(app.next(), 150), "0");
  send_cancel_or_replace("F", "C6", "C6-C", "NOCXL", "100");
  const auto rej = app.next();
  EXPECT_EQ(f(rej.getHeader(), 35), "9");
  EXPECT_EQ(f(rej, 11), "C6-C");
  EXPECT_EQ(f(rej, 41), "C6");
  EXPECT_EQ(f(rej, 39), "0");
  EXPECT_EQ(journal("cancel_reject").size(), 1u);
}

TEST_F(BrokerSim, DoneForDayAfterTwoSlices) {
  auto& app = logon44();
  send_order("C7", "DFD", "100", "10");
  EXPECT_EQ(f(app.next(), 150), "0");
  EXPECT_EQ(f(app.next(), 32), "25");
  EXPECT_EQ(f(app.next(), 32), "25");
  const auto dfd = app.next();
  EXPECT_EQ(f(dfd, 150), "3");
  EXPECT_EQ(f(dfd, 39), "3");
  EXPECT_EQ(f(dfd, 14), "50");
  EXPECT_EQ(f(dfd, 151), "0");
}

TEST_F(BrokerSim, TradeBustAfterFill) {
  auto& app = logon44();
  send_order("C8", "BUST", "100", "20");
  EXPECT_EQ(f(app.next(), 150), "0");
  const auto fill = app.next();
  EXPECT_EQ(f(fill, 150), "F");
  const auto bust = app.next();
  EXPECT_EQ(f(bust, 150), "H");
  EXPECT_EQ(f(bust, 19), f(fill, 17));
  EXPECT_EQ(f(bust, 14), "0");
  EXPECT_EQ(f(bust, 32), "100");
  EXPECT_EQ(f(bust, 39), "0");
}

TEST_F(BrokerSim, OrderStatusRequestAnswersWithExecTypeI) {
  auto& app = logon44();
  send_order("C9", "AAPL", "100", "187.25");
  app.next();
  app.next();
  FIX::Message h;
  h.getHeader().setField(FIX::BeginString("FIX.4.4"));
  h.getHeader().setField(FIX::MsgType("H"));
  h.setField(11, "C9");
  h.setField(55, "AAPL");
  h.setField(54, "1");
  ASSERT_TRUE(client_->send(h));
  const auto s = app.next();
  EXPECT_EQ(f(s, 150), "I");
  EXPECT_EQ(f(s, 17), "0");
  EXPECT_EQ(f(s, 39), "2");
  EXPECT_EQ(f(s, 14), "100");
  EXPECT_EQ(f(s, 6), "187.25");
  // Unknown order: status Rejected with OrdRejReason 5.
  h.setField(11, "NOPE");
  ASSERT_TRUE(client_->send(h));
  const auto u = app.next();
  EXPECT_EQ(f(u, 39), "8");
  EXPECT_EQ(f(u, 103), "5");
}

TEST_F(BrokerSim, AllocationInstructionIsAcknowledged) {
  auto& app = logon44();
  FIX::Message j;
  j.getHeader().setField(FIX::BeginString("FIX.4.4"));
  j.getHeader().setField(FIX::MsgType("J"));
  j.setField(70, "AL1");
  j.setField(71, "0");
  j.setField(626, "5");
  j.setField(857, "0");
  j.setField(54, "1");
  j.setField(55, "AAPL");
  j.setField(53, "100");
  j.setField(6, "187.25");
  j.setField(75, "20240115");
  FIX::Group alloc(78, 79);
  alloc.setField(79, "FUND-A");
  alloc.setField(80, "60");
  j.addGroup(alloc);
  alloc.setField(79, "FUND-B");
  alloc.setField(80, "40");
  j.addGroup(alloc);
  ASSERT_TRUE(client_->send(j));
  const auto p = app.next();
  EXPECT_EQ(f(p.getHeader(), 35), "P");
  EXPECT_EQ(f(p, 70), "AL1");
  EXPECT_EQ(f(p, 87), "0");
  EXPECT_EQ(f(p, 75), "20240115");
  const auto allocs = journal("allocation");
  ASSERT_EQ(allocs.size(), 1u);
  EXPECT_EQ(allocs[0]["NoAllocs"].size(), 2u);
  EXPECT_EQ(allocs[0]["NoAllocs"][1]["AllocQty"], "40");
}

TEST_F(BrokerSim, Fix42NewOrderIsAcknowledgedThenFilled) {
  auto& app = logon42();
  send_order("K1", "AAPL", "200", "99.5", "FIX.4.2");
  const auto ack = app.next();
  EXPECT_EQ(f(ack.getHeader(), 8), "FIX.4.2");
  EXPECT_EQ(f(ack, 20), "0");
  EXPECT_EQ(f(ack, 150), "0");
  const auto fill = app.next();
  EXPECT_EQ(f(fill, 20), "0");
  EXPECT_EQ(f(fill, 150), "2");
  EXPECT_EQ(f(fill, 39), "2");
  EXPECT_EQ(f(fill, 32), "200");
  EXPECT_EQ(f(fill, 31), "99.5");
  EXPECT_EQ(journal("report").at(1)["session"], "FIX.4.2:BROKER42->OMS42");
}

TEST_F(BrokerSim, ReportsTheOmsDidNotRecordAreResentAfterItReconnects) {
  // The OMS records "applied up to MsgSeqNum N" with its events; after a crash its store may be behind what
  // the broker sent. On reconnect the broker must resend the gap from its own store, as PossDup.
  const auto store = (dir_ / "oms-store").string();
  const FIX::SessionID id("FIX.4.4", "OMS", "BROKER");
  client_ = std::make_unique<Client>(id, sim_->port(), kSpecs + "FIX44.xml", store);
  ASSERT_TRUE(client_->app().wait_logon());
  send_order("R1", "IBM", "100", "10");
  const auto ack = client_->app().next();
  const int applied_up_to = FIX::IntConvertor::convert(ack.getHeader().getField(FIX::FIELD::MsgSeqNum));
  std::vector<std::string> fills;
  for (int i = 0; i < 3; ++i) fills.push_back(f(client_->app().next(), 17));
  client_->stop();
  client_.reset();
  {
    // The OMS "crashed" having applied only the New: its next expected incoming number is right after it.
    FIX::FileStoreFactory factory(store);
    FIX::MessageStore* s = factory.create(id);
    s->setNextTargetMsgSeqNum(applied_up_to + 1);
    factory.destroy(s);
  }

  client_ = std::make_unique<Client>(id, sim_->port(), kSpecs + "FIX44.xml", store);
  auto& app = client_->app();
  ASSERT_TRUE(app.wait_logon());
  const char* cum[] = {"34", "67", "100"};
  for (int i = 0; i < 3; ++i) {
    const auto fill = app.next();
    EXPECT_EQ(f(fill.getHeader(), 43), "Y") << i;
    EXPECT_EQ(f(fill, 17), fills[static_cast<std::size_t>(i)]) << i;
    EXPECT_EQ(f(fill, 14), cum[i]) << i;
  }
  // The journal has each fill once: a resend is not a new execution.
  EXPECT_EQ(journal("report").size(), 4u);
}

TEST_F(BrokerSim, DuplicateClOrdIDIsRejected) {
  auto& app = logon44();
  send_order("D1", "REST", "100", "10");
  EXPECT_EQ(f(app.next(), 150), "0");
  send_order("D1", "REST", "100", "10");
  const auto r = app.next();
  EXPECT_EQ(f(r, 150), "8");
  EXPECT_EQ(f(r, 103), "6");
  EXPECT_EQ(journal("order").size(), 2u);
  EXPECT_EQ(journal("order").at(1)["accepted"], false);
}

TEST(FixFramer, SplitsAStreamIntoMessagesAcrossReadsAndSkipsGarbage) {
  const std::string a = "8=FIX.4.4\x01" "9=5\x01" "35=0\x01" "10=123\x01";
  const std::string b = "8=FIX.4.4\x01" "9=12\x01" "35=1\x01" "112=AB\x01" "10=045\x01";
  oms::fix::FixFramer framer;
  framer.append("garbage" + a + b.substr(0, 10));
  EXPECT_EQ(framer.next(), a);
  EXPECT_FALSE(framer.next());
  framer.append(b.substr(10));
  EXPECT_EQ(framer.next(), b);
  EXPECT_FALSE(framer.next());
  EXPECT_EQ(framer.discarded(), 7u);
  // A BodyLength that does not land on "10=" is garbled: dropped up to the next message.
  framer.append("8=FIX.4.4\x01" "9=3\x01" "35=0\x01" "10=123\x01" + a);
  EXPECT_EQ(framer.next(), a);
}

TEST(SimConfig, RefusesDuplicateAndUnknownKeys) {
  const auto dir = make_temp_dir("sim-config");
  std::ofstream(dir / "dup.yaml") << "sessions:\n  - {BeginString: FIX.4.4, SenderCompID: B, TargetCompID: O}\n"
                                     "symbols:\n  AAPL: {action: fill}\n  AAPL: {action: reject}\n";
  std::ofstream(dir / "typo.yaml") << "sessions:\n  - {BeginString: FIX.4.4, SenderCompID: B, TargetCompID: O}\n"
                                      "default: {actoin: fill}\n";
  const auto dup = oms::sim::load_config((dir / "dup.yaml").string());
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.error().message.find("duplicate key 'AAPL'"), std::string::npos) << dup.error().message;
  const auto typo = oms::sim::load_config((dir / "typo.yaml").string());
  ASSERT_FALSE(typo.ok());
  EXPECT_NE(typo.error().message.find("unknown key 'actoin'"), std::string::npos) << typo.error().message;
  fs::remove_all(dir);
}

}  // namespace
