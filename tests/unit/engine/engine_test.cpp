#include "engine_fixture.hpp"

namespace oms::engine::test {
namespace {

TEST_F(EngineFixture, OrderIsDurableBeforeItIsSentAndSentOnce) {
  const OrderId id = place(limit_buy("100", "190.50"));
  ASSERT_EQ(gateway.count('D'), 1u);
  EXPECT_EQ(gateway.sent()[0].cl_ord_id.value, "T-1-1");
  // The acceptance, its compliance check (no rule book: "none") and the routing are in the record.
  auto events = *store.load();
  ASSERT_EQ(events.size(), 4u);
  EXPECT_TRUE(std::holds_alternative<OrderAccepted>(events[0].payload));
  EXPECT_EQ(std::get<ComplianceChecked>(events[1].payload).rule_book_version, "none");
  EXPECT_EQ(std::get<ComplianceChecked>(events[1].payload).decision, "accepted");
  EXPECT_EQ(std::get<WorkflowChanged>(events[2].payload).workflow, Workflow::Working);
  EXPECT_EQ(std::get<WorkflowChanged>(events[3].payload).workflow, Workflow::Routed);
  EXPECT_EQ(order(id).workflow, Workflow::Routed);
  EXPECT_EQ(order(id).book.status, OrdStatus::PendingNew);
}

TEST_F(EngineFixture, BadOrdersAreRefusedAndChangeNothing) {
  auto expect_refused = [&](OrderSpec spec, Errc code, const std::string& field) {
    auto r = engine->submit(NewOrderCommand{spec, UserId{"alice"}}).get();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, code) << r.error().message;
    EXPECT_EQ(r.error().field, field) << r.error().message;
  };
  auto s = limit_buy("100", "190");
  s.symbol = Symbol{"NOPE"};
  expect_refused(s, Errc::not_found, "symbol");
  s = limit_buy("100", "190", "NOFUND");
  expect_refused(s, Errc::not_found, "account");
  s = limit_buy("-5", "190");
  expect_refused(s, Errc::invalid_argument, "quantity");
  s = limit_buy("100", "190");
  s.limit_price.reset();
  expect_refused(s, Errc::invalid_argument, "limit_price");
  s = limit_buy("100", "190");
  s.ord_type = OrdType::Market;
  expect_refused(s, Errc::invalid_argument, "limit_price");
  s = limit_buy("100", "190");
  s.account = AccountId{};
  s.allocations = {{AccountId{"GROWTH"}, qty("60")}, {AccountId{"INCOME"}, qty("30")}};
  expect_refused(s, Errc::invalid_argument, "allocations");
  s = limit_buy("100", "190");
  s.tif = TimeInForce::GTD;
  expect_refused(s, Errc::invalid_argument, "expire_time");  // GTD without an expiry
  s.expire_time = clock.now();
  expect_refused(s, Errc::invalid_argument, "expire_time");  // an expiry that has passed
  s.tif = TimeInForce::Day;
  s.expire_time = clock.now() + std::chrono::hours(1);
  expect_refused(s, Errc::invalid_argument, "expire_time");  // an expiry on a DAY order
  engine->sync();
  EXPECT_EQ(store.size(), 0u);
  EXPECT_EQ(gateway.sent().size(), 0u);
}

TEST_F(EngineFixture, GoodTillDateOrderCarriesItsExpiryToTheBroker) {
  auto s = limit_buy("100", "190");
  s.tif = TimeInForce::GTD;
  s.expire_time = clock.now() + std::chrono::hours(30);
  const auto id = place(s);
  ASSERT_EQ(gateway.count('D'), 1u);
  EXPECT_EQ(order(id).spec.expire_time, s.expire_time);
}

TEST_F(EngineFixture, FillsMoveTheOrderPositionAndCashExactly) {
  const OrderId id = place(limit_buy("300", "191"));
  deliver(report(id, ExecType::New, "e0"));
  EXPECT_EQ(order(id).book.status, OrdStatus::New);
  deliver(trade(id, "e1", "100", "190.10", "100", "200", "190.10"));
  deliver(trade(id, "e2", "200", "190.25", "300", "0", "190.2"));
  const auto o = order(id);
  EXPECT_EQ(o.book.status, OrdStatus::Filled);
  EXPECT_EQ(o.book.cum_qty, qty("300"));
  EXPECT_EQ(o.book.avg_px(), px("190.2"));
  EXPECT_FALSE(o.book.broken);
  // 100 start-of-day + 300 bought; cash - (19010 + 38050)
  EXPECT_EQ(read([](const EngineState& s) { return s.position(AccountId{"GROWTH"}, Symbol{"AAPL"}); }), qty("400"));
  EXPECT_EQ(read([](const EngineState& s) { return s.cash().at(AccountId{"GROWTH"}); }), money("942940"));
}

TEST_F(EngineFixture, DuplicateExecIDIsAppliedOnceButTheInboundNumberStillMoves) {
  const OrderId id = place(limit_buy("300", "191"));
  const auto fill = trade(id, "e1", "100", "190", "100", "200", "190");
  deliver(fill, InboundMark{"BROKER", 5});
  auto resent = fill;
  resent.poss_dup = true;
  deliver(resent, InboundMark{"BROKER", 9});
  EXPECT_EQ(order(id).book.cum_qty, qty("100"));
  EXPECT_EQ(store.next_target_seq("BROKER"), 9);
  EXPECT_EQ(read([](const EngineState& s) { return s.position(AccountId{"GROWTH"}, Symbol{"AAPL"}); }), qty("200"));
}

TEST_F(EngineFixture, StatusReportsWithExecIdZeroAreNeverDeduplicated) {
  const OrderId id = place(limit_buy("300", "191"));
  auto status = report(id, ExecType::OrderStatus, "0");
  status.ord_status = OrdStatus::PendingNew;
  deliver(status);
  deliver(status);
  EXPECT_EQ(order(id).event_seqs.size(), 6u);  // accepted, compliance checked, working, routed + both status reports
}

TEST_F(EngineFixture, ReportForAnUnknownOrderIsAnsweredWithDontKnowAndChangesNothing) {
  const OrderId id = place(limit_buy("300", "191"));
  auto r = trade(id, "e1", "100", "190", "100", "200", "190");
  r.cl_ord_id = ClOrdID{"SOMEONE-ELSES"};
  deliver(r);
  EXPECT_EQ(gateway.count('Q'), 1u);
  EXPECT_EQ(order(id).book.cum_qty, qty("0"));
  const auto alerts = read([](const EngineState& s) { return s.alerts(); });
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(std::get<Alert>(alerts[0].payload).kind, "dk");
}

TEST_F(EngineFixture, OverfillIsRecordedFlaggedAndAlerted) {
  const OrderId id = place(limit_buy("100", "191"));
  deliver(trade(id, "e1", "150", "190", "150", "0", "190"));
  const auto o = order(id);
  EXPECT_EQ(o.book.cum_qty, qty("150"));
  EXPECT_TRUE(o.book.broken);
  const auto alerts = read([](const EngineState& s) { return s.alerts(); });
  ASSERT_FALSE(alerts.empty());
  EXPECT_EQ(std::get<Alert>(alerts.back().payload).kind, "break");
  EXPECT_EQ(read([](const EngineState& s) { return s.position(AccountId{"GROWTH"}, Symbol{"AAPL"}); }), qty("250"));
}

TEST_F(EngineFixture, LoggedOutBrokerIsAClearRejectionAndNothingIsQueued) {
  gateway.set_down(BrokerId{"BROKER"}, true);
  const OrderId id = place(limit_buy("100", "191"));
  const auto o = order(id);
  EXPECT_EQ(o.workflow, Workflow::NotRouted);
  EXPECT_NE(o.workflow_reason.find("logged out"), std::string::npos);
  gateway.set_down(BrokerId{"BROKER"}, false);
  engine->on_session_logon(BrokerId{"BROKER"});
  engine->sync();
  EXPECT_EQ(gateway.count('D'), 0u);  // never sent later behind the PM's back
}

TEST_F(EngineFixture, CancelGoesOutAfterItIsDurableAndTheAckCancels) {
  const OrderId id = place(limit_buy("300", "191"));
  deliver(report(id, ExecType::New, "e0"));
  ASSERT_TRUE(engine->cancel(CancelCommand{id, UserId{"alice"}}).get().ok());
  ASSERT_EQ(gateway.count('F'), 1u);
  const auto f = gateway.sent().back();
  EXPECT_EQ(f.orig_cl_ord_id.value, "T-1-1");
  EXPECT_EQ(f.cl_ord_id.value, "T-1-2");
  // A fill racing the cancel is still applied.
  deliver(trade(id, "e1", "100", "190", "100", "200", "190"));
  auto ack = report(id, ExecType::Canceled, "e2");
  ack.cl_ord_id = f.cl_ord_id;
  ack.orig_cl_ord_id = f.orig_cl_ord_id;
  deliver(ack);
  EXPECT_EQ(order(id).book.status, OrdStatus::Canceled);
  EXPECT_EQ(order(id).book.cum_qty, qty("100"));
  // Once canceled, another cancel is refused.
  EXPECT_EQ(engine->cancel(CancelCommand{id, UserId{"alice"}}).get().error().code, Errc::illegal_transition);
}

TEST_F(EngineFixture, CancelRejectRestoresTheOrder) {
  const OrderId id = place(limit_buy("300", "191"));
  deliver(report(id, ExecType::New, "e0"));
  ASSERT_TRUE(engine->cancel(CancelCommand{id, UserId{"alice"}}).get().ok());
  const auto f = gateway.sent().back();
  engine->on_cancel_reject(CancelRejectReport{BrokerId{"BROKER"}, f.cl_ord_id, f.orig_cl_ord_id, false, "too late"});
  engine->sync();
  const auto o = order(id);
  EXPECT_EQ(o.book.status, OrdStatus::New);
  EXPECT_FALSE(o.book.pending_cl_ord_id.has_value());
}

TEST_F(EngineFixture, SessionRejectOfTheNewOrderEndsItRejectedOnceDurablyWithAnAlert) {
  const OrderId id = place(limit_buy("300", "191"));
  const OrderId other = place(limit_buy("100", "191", "INCOME"));
  const ClOrdID cl = cl_ord_id(id);
  engine->on_order_rejected(BrokerId{"BROKER"}, cl, "session Reject (SessionRejectReason 1): Required tag missing",
                            InboundMark{"BROKER", 7});
  engine->sync();
  auto o = order(id);
  EXPECT_EQ(o.book.status, OrdStatus::Rejected);
  EXPECT_EQ(store.next_target_seq("BROKER"), 7);
  EXPECT_EQ(order(other).book.status, OrdStatus::PendingNew);  // only the referenced order
  auto alerts = read([](const EngineState& s) { return s.alerts(); });
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(std::get<Alert>(alerts[0].payload).kind, "session_reject");
  EXPECT_EQ(alerts[0].order_id, id);
  EXPECT_NE(std::get<Alert>(alerts[0].payload).message.find("Required tag missing"), std::string::npos);
  // The order's own trail holds the rejection (the audit reads it) with the Reject's text as the reason.
  const auto events = *store.load();
  const auto& rejected = events[o.event_seqs[o.event_seqs.size() - 2] - 1];
  EXPECT_EQ(rejected.actor.value, "broker:BROKER");
  EXPECT_NE(std::get<book::Reject>(std::get<OrderRequest>(rejected.payload).event).reason.find("Required tag missing"),
            std::string::npos);
  // Resent or replayed: nothing doubles, only the inbound number moves.
  const auto size = store.size();
  engine->on_order_rejected(BrokerId{"BROKER"}, cl, "again", InboundMark{"BROKER", 9});
  engine->sync();
  EXPECT_EQ(store.size(), size);
  EXPECT_EQ(store.next_target_seq("BROKER"), 9);
  // The record survives a restart.
  restart();
  EXPECT_EQ(order(id).book.status, OrdStatus::Rejected);
  EXPECT_EQ(read([](const EngineState& s) { return s.alerts().size(); }), 1u);
  // A Reject naming an order that has traded does not unwind it: alert only.
  deliver(trade(other, "e1", "50", "190", "50", "50", "190"));
  engine->on_order_rejected(BrokerId{"BROKER"}, cl_ord_id(other), "late");
  engine->sync();
  EXPECT_EQ(order(other).book.status, OrdStatus::PartiallyFilled);
  EXPECT_EQ(read([](const EngineState& s) { return s.alerts().size(); }), 2u);
}

TEST_F(EngineFixture, ReplaceChangesQuantityAndPriceAndLinksTheChain) {
  const OrderId id = place(limit_buy("300", "191"));
  deliver(report(id, ExecType::New, "e0"));
  deliver(trade(id, "e1", "100", "190", "100", "200", "190"));
  ReplaceSpec change;
  change.quantity = qty("500");
  change.limit_price = px("192");
  ASSERT_TRUE(engine->replace(ReplaceCommand{id, change, UserId{"alice"}}).get().ok());
  const auto g = gateway.sent().back();
  ASSERT_EQ(g.msg_type, 'G');
  auto ack = report(id, ExecType::Replaced, "e2");
  ack.cl_ord_id = g.cl_ord_id;
  ack.orig_cl_ord_id = g.orig_cl_ord_id;
  ack.order_qty = qty("500");
  ack.limit_price = px("192");
  ack.leaves_qty = qty("400");
  deliver(ack);
  auto o = order(id);
  EXPECT_EQ(o.book.cl_ord_id, g.cl_ord_id);
  EXPECT_EQ(o.book.order_qty, qty("500"));
  EXPECT_EQ(o.book.leaves_qty, qty("400"));
  deliver(trade(id, "e3", "400", "192", "500", "0", "191.6"));
  EXPECT_EQ(order(id).book.status, OrdStatus::Filled);
}

TEST_F(EngineFixture, TradeBustReversesThePosition) {
  const OrderId id = place(limit_buy("100", "191"));
  deliver(trade(id, "e1", "100", "190", "100", "0", "190"));
  auto bust = report(id, ExecType::TradeCancel, "e2");
  bust.ref_exec_id = ExecID{"e1"};
  bust.cum_qty = qty("0");
  bust.leaves_qty = qty("100");
  deliver(bust);
  EXPECT_EQ(order(id).book.cum_qty, qty("0"));
  EXPECT_EQ(read([](const EngineState& s) { return s.position(AccountId{"GROWTH"}, Symbol{"AAPL"}); }), qty("100"));
  EXPECT_EQ(read([](const EngineState& s) { return s.cash().at(AccountId{"GROWTH"}); }), money("1000000"));
}

TEST_F(EngineFixture, RestartRebuildsTheExactState) {
  const OrderId a = place(limit_buy("300", "191"));
  const OrderId b = place(limit_buy("50", "191", "INCOME"));
  deliver(trade(a, "e1", "100", "190.123456", "100", "200", "190.123456"));
  deliver(trade(b, "e2", "50", "189", "50", "0", "189"));
  const auto before = read([](const EngineState& s) { return std::make_tuple(s.orders().size(), s.positions(), s.cash()); });
  const auto order_a = order(a);
  restart();
  const auto after = read([](const EngineState& s) { return std::make_tuple(s.orders().size(), s.positions(), s.cash()); });
  EXPECT_EQ(std::get<0>(before), std::get<0>(after));
  EXPECT_EQ(std::get<1>(before), std::get<1>(after));
  EXPECT_EQ(std::get<2>(before), std::get<2>(after));
  EXPECT_EQ(order(a).book, order_a.book);
  // Order ids continue, never reused.
  EXPECT_EQ(place(limit_buy("1", "191")).value, 3u);
}

TEST_F(EngineFixture, AfterACrashAnOrderNeverHandedOverIsSentOnceAndAHandedOverOneIsAskedAbout) {
  // Simulate a crash between "durable" and "handed to the session": the log holds the order as Working.
  gateway.set_down(BrokerId{"BROKER"}, true);
  engine->stop();
  {
    std::vector<EventRecord> events;
    auto spec = limit_buy("100", "191");
    spec.broker = BrokerId{"BROKER"};
    EventRecord accepted{0, clock.now(), UserId{"alice"}, OrderId{1}, OrderAccepted{ClOrdID{"T-1-1"}, spec}};
    EventRecord working{0, clock.now(), UserId{"alice"}, OrderId{1}, WorkflowChanged{Workflow::Working, ""}};
    EventRecord accepted2{0, clock.now(), UserId{"alice"}, OrderId{2}, OrderAccepted{ClOrdID{"T-2-1"}, spec}};
    EventRecord working2{0, clock.now(), UserId{"alice"}, OrderId{2}, WorkflowChanged{Workflow::Working, ""}};
    store.append(AppendBatch{{accepted, working, accepted2, working2}, std::nullopt}, [](Status) {});
  }
  gateway.mark_journaled(ClOrdID{"T-2-1"});
  gateway.set_down(BrokerId{"BROKER"}, false);
  restart();
  engine->on_session_logon(BrokerId{"BROKER"});
  engine->sync();
  const auto sent = gateway.sent();
  ASSERT_EQ(sent.size(), 2u);
  EXPECT_EQ(sent[0].msg_type, 'D');
  EXPECT_EQ(sent[0].cl_ord_id.value, "T-1-1");
  EXPECT_EQ(sent[1].msg_type, 'H');
  EXPECT_EQ(sent[1].cl_ord_id.value, "T-2-1");
  EXPECT_EQ(order(OrderId{1}).workflow, Workflow::Routed);
  EXPECT_EQ(order(OrderId{2}).workflow, Workflow::Routed);
  // A second logon asks about open orders but never re-sends.
  engine->on_session_logon(BrokerId{"BROKER"});
  engine->sync();
  EXPECT_EQ(gateway.count('D'), 1u);
}

TEST_F(EngineFixture, IllegalBrokerTransitionIsAlertedAndChangesNothing) {
  const OrderId id = place(limit_buy("100", "191"));
  deliver(trade(id, "e1", "100", "190", "100", "0", "190"));
  const auto before = order(id).book;
  deliver(report(id, ExecType::New, "e9"));  // New after Filled
  EXPECT_EQ(order(id).book, before);
  const auto alerts = read([](const EngineState& s) { return s.alerts(); });
  ASSERT_FALSE(alerts.empty());
  EXPECT_EQ(std::get<Alert>(alerts.back().payload).kind, "illegal_transition");
}

}  // namespace
}  // namespace oms::engine::test
