// When the order book record cannot be written, the engine halts: nothing that is not durable is routed, new
// commands are refused, and a restart recovers exactly what was recorded.
#include <atomic>
#include <future>

#include "engine_fixture.hpp"

namespace oms::engine::test {
namespace {

// The in-memory record, made to fail every append once armed (a full disk, an I/O error).
class FailingStore final : public EventStore {
 public:
  explicit FailingStore(store::InMemoryEventStore& inner) : inner_(inner) {}
  void append(AppendBatch batch, DurableCallback done) override {
    if (failing_) return done(make_error(Errc::io_error, "disk I/O error"));
    inner_.append(std::move(batch), std::move(done));
  }
  Result<std::vector<EventRecord>> load() override { return inner_.load(); }
  void flush() override { inner_.flush(); }
  std::string instance_id() const override { return inner_.instance_id(); }
  void arm() { failing_ = true; }

 private:
  store::InMemoryEventStore& inner_;
  std::atomic<bool> failing_{false};
};

class RecordFailure : public EngineFixture {
 protected:
  void SetUp() override {
    EngineOptions options;
    options.cl_ord_id_prefix = "T";
    options.on_record_failure = [this](const std::string& reason) { halted.set_value(reason); };
    failing_engine = std::make_unique<Engine>(ref, failing, gateway, clock, std::move(options));
    ASSERT_TRUE(failing_engine->recover().ok());
    failing_engine->start();
  }
  void TearDown() override {
    if (failing_engine) failing_engine->stop();
    EngineFixture::TearDown();
  }

  FailingStore failing{store};
  std::promise<std::string> halted;
  std::unique_ptr<Engine> failing_engine;
};

TEST_F(RecordFailure, HaltsWithoutRoutingWhatWasNotRecordedAndRefusesNewOrders) {
  const auto first = failing_engine->submit(NewOrderCommand{limit_buy("100", "190"), UserId{"alice"}}).get();
  ASSERT_TRUE(first.ok());
  failing_engine->sync();
  ASSERT_EQ(gateway.count('D'), 1u);

  failing.arm();
  // Never answered "accepted": the order was not recorded (its reply is abandoned, see below).
  auto lost = failing_engine->submit(NewOrderCommand{limit_buy("200", "190"), UserId{"alice"}});
  const auto reason = halted.get_future().get();
  EXPECT_NE(reason.find("order book record failed: disk I/O error"), std::string::npos) << reason;

  const auto refused = failing_engine->submit(NewOrderCommand{limit_buy("300", "190"), UserId{"alice"}}).get();
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, Errc::unavailable);
  EXPECT_NE(refused.error().message.find("halted"), std::string::npos);
  const auto cancel = failing_engine->cancel(CancelCommand{*first, UserId{"alice"}}).get();
  EXPECT_EQ(cancel.error().code, Errc::unavailable);
  EXPECT_EQ(gateway.count('D'), 1u);  // the unrecorded order never left
  EXPECT_EQ(gateway.count('F'), 0u);
  EXPECT_THROW(lost.get(), std::future_error);  // broken promise: the caller learns nothing was accepted

  // A broker report arriving meanwhile is not applied (and its sequence number not recorded: it will be resent).
  ExecutionReport ack;
  ack.session = BrokerId{"BROKER"};
  ack.exec_id = ExecID{"E1"};
  ack.cl_ord_id = failing_engine->query([id = *first](const EngineState& s) { return s.find(id)->book.cl_ord_id; }).get();
  ack.exec_type = ExecType::New;
  ack.ord_status = OrdStatus::New;
  ack.leaves_qty = qty("100");
  ack.trading_day = "20261123";
  failing_engine->on_execution_report(ack, InboundMark{"BROKER", 7});
  failing_engine->sync();
  EXPECT_FALSE(store.next_target_seq("BROKER").has_value());

  failing_engine->stop();
  failing_engine.reset();
  // Restart over what was durable: the first order only, still waiting for its New.
  restart();
  const auto orders = read([](const EngineState& s) { return s.orders().size(); });
  EXPECT_EQ(orders, 1u);
  EXPECT_EQ(order(*first).book.status, OrdStatus::PendingNew);
}

}  // namespace
}  // namespace oms::engine::test
