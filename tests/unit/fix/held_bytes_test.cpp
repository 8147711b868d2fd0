// Held bytes: a message's bytes leave only once its outgoing journal record is durable, in order.
#include <gtest/gtest.h>

#include <boost/asio.hpp>

#include <chrono>
#include <condition_variable>
#include <mutex>

#include "asio_transport.hpp"
#include "journal_store.hpp"
#include "oms/core/clock.hpp"

namespace {

using namespace oms;
using oms::fix::HeldBytes;
using oms::fix::JournalStore;
using oms::fix::JournalTickets;

// A journal whose asynchronous writes become durable only when the test says so.
class FakeJournal final : public engine::SessionJournal {
 public:
  struct Pending {
    int seq;
    std::string raw;
    engine::DurableCallback done;
  };
  // Created now: an older creation time is outside today's session and QuickFIX would reset it first.
  Result<engine::SessionRecord> load_session(const std::string&) override {
    return engine::SessionRecord{1, 1, std::chrono::system_clock::now().time_since_epoch().count()};
  }
  Status record_outgoing(const std::string&, int seq, const std::string&) override {
    std::lock_guard lock(mu);
    sync_writes.push_back(seq);
    return {};
  }
  void record_outgoing_async(const std::string&, int seq, const std::string& raw, engine::DurableCallback done) override {
    {
      std::lock_guard lock(mu);
      pending.push_back({seq, raw, std::move(done)});
    }
    cv.notify_all();
  }
  Status set_next_sender_seq(const std::string&, int) override { return {}; }
  Status set_next_target_seq(const std::string&, int) override { return {}; }
  Result<std::vector<std::string>> outgoing(const std::string&, int, int) override { return std::vector<std::string>{}; }
  Status reset_session(const std::string&, std::int64_t) override { return {}; }

  // Waits until `n` asynchronous writes were queued.
  bool wait_pending(std::size_t n) {
    std::unique_lock lock(mu);
    return cv.wait_for(lock, std::chrono::seconds(10), [&] { return pending.size() >= n; });
  }
  void complete(std::size_t i, Status st = {}) {
    engine::DurableCallback done;
    {
      std::lock_guard lock(mu);
      done = std::move(pending.at(i).done);
    }
    done(std::move(st));
  }

  std::mutex mu;
  std::condition_variable cv;
  std::vector<Pending> pending;
  std::vector<int> sync_writes;
};

TEST(HeldBytes, ReleasesInOrderOnlyWhatIsDurable) {
  HeldBytes held;
  held.hold(0, "a");
  held.hold(1, "b");
  held.hold(3, "c");
  held.hold(2, "d");  // a resend behind an earlier ticket still waits for "c"
  std::string out;
  EXPECT_EQ(held.release(0, out), 1u);
  EXPECT_EQ(out, "a");
  EXPECT_EQ(held.release(2, out), 1u);
  EXPECT_EQ(out, "ab");
  EXPECT_EQ(held.release(3, out), 2u);
  EXPECT_EQ(out, "abcd");
  EXPECT_TRUE(held.empty());
}

TEST(JournalTickets, DurableThroughAdvancesOnlyOverAContiguousPrefix) {
  JournalTickets t;
  int progress = 0;
  t.on_progress([&] { ++progress; });
  EXPECT_EQ(t.issue(), 1u);
  EXPECT_EQ(t.issue(), 2u);
  EXPECT_EQ(t.issue(), 3u);
  t.complete(2, {});
  EXPECT_EQ(t.durable_through(), 0u);
  t.complete(1, {});
  EXPECT_EQ(t.durable_through(), 2u);
  t.complete(3, {});
  EXPECT_EQ(t.durable_through(), 3u);
  EXPECT_EQ(progress, 3);
  EXPECT_EQ(t.failures(), 0u);
}

TEST(JournalTickets, AFailedWriteIsNeverDurableAndIsCounted) {
  JournalTickets t;
  t.issue();
  t.issue();
  t.complete(1, make_error(Errc::io_error, "disk full"));
  EXPECT_EQ(t.failures(), 1u);
  EXPECT_EQ(t.durable_through(), 0u);
  t.complete(2, {});  // later writes are not blocked for ever by the failed one
  EXPECT_EQ(t.durable_through(), 2u);
}

TEST(JournalStore, HeldModeQueuesWritesWithoutWaitingAndTicketsFollowSetOrder) {
  FakeJournal journal;
  SystemClock clock;
  JournalStore store(journal, "BROKER", clock);
  ASSERT_TRUE(store.set(1, "first"));  // blocking mode: a synchronous write
  EXPECT_EQ(journal.sync_writes, std::vector<int>{1});
  auto tickets = store.hold_bytes();
  ASSERT_TRUE(store.set(2, "second"));
  ASSERT_TRUE(store.set(3, "third"));
  EXPECT_EQ(journal.sync_writes.size(), 1u);  // nothing else waited
  ASSERT_EQ(journal.pending.size(), 2u);
  EXPECT_EQ(journal.pending[0].seq, 2);
  EXPECT_EQ(journal.pending[1].raw, "third");
  EXPECT_EQ(tickets->last_issued(), 2u);
  EXPECT_EQ(tickets->durable_through(), 0u);
  journal.complete(0);
  EXPECT_EQ(tickets->durable_through(), 1u);
  journal.complete(1);
  EXPECT_EQ(tickets->durable_through(), 2u);
}

// The transport end to end on 127.0.0.1: the session's Logon reaches the socket only after its record is durable.
class NullApplication final : public FIX::Application {
 public:
  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID&) override {}
  void onLogout(const FIX::SessionID&) override {}
  void toAdmin(FIX::Message&, const FIX::SessionID&) override {}
  void toApp(FIX::Message&, const FIX::SessionID&) override {}
  void fromAdmin(const FIX::Message&, const FIX::SessionID&) override {}
  void fromApp(const FIX::Message&, const FIX::SessionID&) override {}
};

class NullLogs final : public FIX::LogFactory {
 public:
  FIX::Log* create() override { return new FIX::NullLog; }
  FIX::Log* create(const FIX::SessionID&) override { return new FIX::NullLog; }
  void destroy(FIX::Log* log) override { delete log; }
};

TEST(AsioTransport, HoldsTheLogonUntilItsRecordIsDurable) {
  namespace asio = boost::asio;
  using asio::ip::tcp;
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));

  FakeJournal journal;
  SystemClock clock;
  fix::JournalStoreFactory stores(journal, clock);
  NullApplication app;
  FIX::SessionSettings settings;
  FIX::Dictionary defaults;
  defaults.setString("ConnectionType", "initiator");
  defaults.setString("PersistMessages", "Y");
  defaults.setString("UseDataDictionary", "N");
  settings.set(defaults);
  const FIX::SessionID id("FIX.4.4", "OMS", "BROKER");
  FIX::Dictionary d;
  d.setString("SocketConnectHost", "127.0.0.1");
  d.setInt("SocketConnectPort", acceptor.local_endpoint().port());
  d.setInt("HeartBtInt", 30);
  d.setInt("ReconnectInterval", 1);
  d.setString("StartTime", "00:00:00");
  d.setString("EndTime", "00:00:00");
  settings.set(id, d);
  NullLogs logs;
  fix::AsioTransport transport(app, stores, settings, logs);
  transport.start();

  tcp::socket peer = acceptor.accept();
  ASSERT_TRUE(journal.wait_pending(1));  // the Logon was journaled (asynchronously)...
  EXPECT_NE(journal.pending[0].raw.find("\x01" "35=A\x01"), std::string::npos) << journal.pending[0].raw;
  EXPECT_EQ(peer.available(), 0u);  // ...and is held: not durable yet
  journal.complete(0);
  std::string got(journal.pending[0].raw.size(), '\0');
  asio::read(peer, asio::buffer(got));  // released once durable
  EXPECT_EQ(got, journal.pending[0].raw);
  transport.stop();
}

}  // namespace
