// One contract, every EventStore implementation.
#include <gtest/gtest.h>

#include <mutex>

#include "store_fixture.hpp"

namespace oms::store {
namespace {

using namespace oms::store::testing;

template <class Impl>
class EventStoreContract : public ::testing::Test {
 protected:
  void SetUp() override { store_ = Impl::open(path_); ASSERT_NE(store_, nullptr); }

  // Persistent stores are closed and opened again; the memory store stays as it is.
  void reopen() {
    if constexpr (Impl::kPersistent) {
      store_.reset();
      store_ = Impl::open(path_);
      ASSERT_NE(store_, nullptr);
    }
  }
  std::vector<EventRecord> load() {
    auto r = store_->load();
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r ? std::move(*r) : std::vector<EventRecord>{};
  }

  TempDir dir_;
  std::string path_ = dir_.file("oms.db");
  std::unique_ptr<engine::EventStore> store_;
};

using Implementations = ::testing::Types<MemoryImpl, SqliteProcessImpl, SqlitePowerImpl>;
TYPED_TEST_SUITE(EventStoreContract, Implementations);

// Expected content of the store: the events with seq assigned from `first`.
std::vector<EventRecord> numbered(std::vector<EventRecord> events, std::uint64_t first = 1) {
  for (auto& e : events) e.seq = first++;
  return events;
}

EventRecord trade(const std::string& exec_id, ExecType type = ExecType::Trade, const std::string& session = "GS",
                  const std::string& day = "20261123") {
  return record(OrderId(1), ExecutionApplied{report(type, exec_id, session, day),
                                             book::PartialFill{ExecID(exec_id), qty("1"), px("10"), std::nullopt}});
}

EventRecord alert(int n) { return record(OrderId(0), Alert{"test", "alert " + std::to_string(n)}); }

TYPED_TEST(EventStoreContract, AppendsAndLoadsEveryKindOfEventWithSeqAssigned) {
  ASSERT_TRUE(append_sync(*this->store_, every_kind()).ok());
  EXPECT_EQ(this->load(), numbered(every_kind()));
  this->reopen();
  EXPECT_EQ(this->load(), numbered(every_kind()));
}

TYPED_TEST(EventStoreContract, SeqIsOneTwoThreeAcrossBatchesAndReopen) {
  ASSERT_TRUE(append_sync(*this->store_, {alert(1), alert(2)}).ok());
  ASSERT_TRUE(append_sync(*this->store_, {alert(3)}).ok());
  ASSERT_TRUE(append_sync(*this->store_, {}).ok());  // an empty batch is a no-op
  this->reopen();
  ASSERT_TRUE(append_sync(*this->store_, {alert(4), alert(5), alert(6)}).ok());
  const auto events = this->load();
  ASSERT_EQ(events.size(), 6u);
  for (std::size_t i = 0; i < events.size(); ++i) EXPECT_EQ(events[i].seq, i + 1);
  EXPECT_EQ(events, numbered({alert(1), alert(2), alert(3), alert(4), alert(5), alert(6)}));
}

TYPED_TEST(EventStoreContract, CallbackRunsOncePerBatchInAppendOrder) {
  std::mutex m;
  std::vector<int> calls;
  constexpr int kBatches = 200;
  for (int i = 0; i < kBatches; ++i) {
    this->store_->append({{alert(i)}, std::nullopt}, [&, i](Status s) {
      EXPECT_TRUE(s.ok());
      std::lock_guard lock(m);
      calls.push_back(i);
    });
  }
  this->store_->flush();
  std::lock_guard lock(m);
  ASSERT_EQ(calls.size(), static_cast<std::size_t>(kBatches));
  for (int i = 0; i < kBatches; ++i) EXPECT_EQ(calls[static_cast<std::size_t>(i)], i);
}

TYPED_TEST(EventStoreContract, DuplicateTradeSkipsTheWholeBatchAndNamesTheExecId) {
  ASSERT_TRUE(append_sync(*this->store_, {alert(1), trade("T-1")}).ok());
  Status dup = append_sync(*this->store_, {alert(2), trade("T-2"), trade("T-1"), alert(3)});
  ASSERT_FALSE(dup.ok());
  EXPECT_EQ(dup.error().code, Errc::duplicate);
  EXPECT_NE(dup.error().message.find("T-1"), std::string::npos) << dup.error().message;
  // Nothing of the skipped batch is recorded (T-2 included), and the next batch continues the seq.
  ASSERT_TRUE(append_sync(*this->store_, {trade("T-2")}).ok());
  this->reopen();
  EXPECT_EQ(this->load(), numbered({alert(1), trade("T-1"), trade("T-2")}));
}

TYPED_TEST(EventStoreContract, EveryTradeExecTypeIsDeduplicated) {
  const ExecType kTrades[] = {ExecType::Trade, ExecType::PartialFill, ExecType::Fill, ExecType::TradeCorrect,
                              ExecType::TradeCancel};
  int n = 0;
  for (ExecType t : kTrades) {
    const std::string id = "D-" + std::to_string(n++);
    ASSERT_TRUE(append_sync(*this->store_, {trade(id, t)}).ok());
    Status again = append_sync(*this->store_, {trade(id, t)});
    ASSERT_FALSE(again.ok()) << id;
    EXPECT_EQ(again.error().code, Errc::duplicate);
  }
  EXPECT_EQ(this->load().size(), 5u);
}

TYPED_TEST(EventStoreContract, SameExecIdInAnotherSessionOrTradingDayIsNotADuplicate) {
  ASSERT_TRUE(append_sync(*this->store_, {trade("T-1", ExecType::Trade, "GS", "20261123")}).ok());
  EXPECT_TRUE(append_sync(*this->store_, {trade("T-1", ExecType::Trade, "MS", "20261123")}).ok());
  EXPECT_TRUE(append_sync(*this->store_, {trade("T-1", ExecType::Trade, "GS", "20261124")}).ok());
  // A different trade ExecType with the same key is still the same trade.
  EXPECT_EQ(append_sync(*this->store_, {trade("T-1", ExecType::Fill, "GS", "20261123")}).error().code, Errc::duplicate);
}

TYPED_TEST(EventStoreContract, StatusReportsAndNonTradesAreNeverDeduplicated) {
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(append_sync(*this->store_, {trade("0", ExecType::OrderStatus)}).ok()) << i;
    ASSERT_TRUE(append_sync(*this->store_, {trade("N-1", ExecType::New)}).ok()) << i;
    ASSERT_TRUE(append_sync(*this->store_, {trade("C-1", ExecType::Canceled)}).ok()) << i;
  }
  // A status report sharing its ExecID with a trade neither blocks nor is blocked by it.
  ASSERT_TRUE(append_sync(*this->store_, {trade("0", ExecType::Trade)}).ok());
  ASSERT_TRUE(append_sync(*this->store_, {trade("0", ExecType::OrderStatus)}).ok());
  this->reopen();
  EXPECT_EQ(this->load().size(), 11u);
}

TYPED_TEST(EventStoreContract, DuplicateWithinOneBatchSkipsIt) {
  Status s = append_sync(*this->store_, {trade("T-9"), alert(1), trade("T-9")});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, Errc::duplicate);
  EXPECT_TRUE(this->load().empty());
  EXPECT_TRUE(append_sync(*this->store_, {trade("T-9")}).ok());
}

TYPED_TEST(EventStoreContract, HundredThousandEventsSurviveReopenIdentical) {
  constexpr int kEvents = 100'000;
  constexpr int kPerBatch = 100;
  const auto kinds = every_kind();
  std::vector<EventRecord> expected;
  expected.reserve(kEvents);
  std::atomic<int> ok{0};
  for (int b = 0; b < kEvents / kPerBatch; ++b) {
    std::vector<EventRecord> batch;
    for (int i = 0; i < kPerBatch; ++i) {
      const int n = b * kPerBatch + i;
      EventRecord e = kinds[static_cast<std::size_t>(n) % kinds.size()];
      e.time = from_nanos(1'790'000'000'000'000'000 + n);
      e.order_id = OrderId(static_cast<std::uint64_t>(n) + 1);  // OrderAccepted needs distinct order ids
      if (auto* x = std::get_if<ExecutionApplied>(&e.payload)) x->report.exec_id = ExecID("X-" + std::to_string(n));
      expected.push_back(e);
      batch.push_back(std::move(e));
    }
    this->store_->append({std::move(batch), std::nullopt}, [&](Status s) {
      EXPECT_TRUE(s.ok()) << s.error().message;
      ++ok;
    });
  }
  this->store_->flush();
  EXPECT_EQ(ok.load(), kEvents / kPerBatch);
  this->reopen();
  const auto loaded = this->load();
  ASSERT_EQ(loaded.size(), expected.size());
  EXPECT_TRUE(loaded == numbered(std::move(expected)));  // one comparison, not 100k failure lines
}

TYPED_TEST(EventStoreContract, InstanceIdIsSetAndStable) {
  const std::string id = this->store_->instance_id();
  EXPECT_FALSE(id.empty());
  this->reopen();
  EXPECT_EQ(this->store_->instance_id(), id);
}

TYPED_TEST(EventStoreContract, ConcurrentAppendersGetGaplessSeqs) {
  constexpr int kThreads = 4;
  constexpr int kBatches = 100;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kBatches; ++i) EXPECT_TRUE(append_sync(*this->store_, {alert(t * 1000 + i), alert(-1)}).ok());
    });
  }
  for (auto& t : threads) t.join();
  const auto events = this->load();
  ASSERT_EQ(events.size(), static_cast<std::size_t>(kThreads * kBatches * 2));
  for (std::size_t i = 0; i < events.size(); ++i) {
    EXPECT_EQ(events[i].seq, i + 1);
    // Batches are never interleaved: each batch's marker follows its own alert.
    if (i % 2 == 1) {
      EXPECT_EQ(events[i], [&] { auto e = alert(-1); e.seq = i + 1; return e; }());
    }
  }
}

}  // namespace
}  // namespace oms::store
