#pragma once
// The single writer. One core thread owns all mutable OMS state; every other thread (HTTP handlers,
// QuickFIX callbacks) posts to it. Commands are decided against the state, turned into events, applied
// in memory and appended to the EventStore; replies and orders to the broker go out only once those
// events are durable.
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>

#include "oms/compliance/rule_book.hpp"
#include "oms/core/clock.hpp"
#include "oms/engine/ports.hpp"
#include "oms/engine/state.hpp"

namespace oms::engine {

struct NewOrderCommand {
  OrderSpec spec;
  UserId user;
  // Warn-severity breaches only place the order when the user has seen them and said so.
  bool acknowledge_warnings{false};
};

struct CancelCommand {
  OrderId order_id;
  UserId user;
};

struct ReplaceCommand {
  OrderId order_id;
  ReplaceSpec spec;
  UserId user;
  bool acknowledge_warnings{false};  // as for a new order: the replaced order is re-checked
};

// A FIX OrderCancelReject (9) for one of our cancel or replace requests.
struct CancelRejectReport {
  BrokerId session;
  ClOrdID cl_ord_id;       // the request's ClOrdID
  ClOrdID orig_cl_ord_id;
  bool for_replace{false};  // CxlRejResponseTo = 2
  std::string reason;
};

struct EngineOptions {
  std::string cl_ord_id_prefix;  // empty: derived from the store's instance id
  // The rule book every order is checked against before it is routed. nullptr: no pre-trade compliance (each
  // order's ComplianceChecked says version "none"). Not owned; must outlive the engine.
  compliance::RuleBookHolder* rules{nullptr};
};

class Engine {
 public:
  Engine(const ReferenceData& ref, EventStore& store, BrokerGateway& gateway, const Clock& clock,
         EngineOptions options = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // Rebuilds the state from the store. Call once, before start().
  Status recover();
  // Starts the core thread, then resumes routing: orders durable but never handed to the gateway are
  // sent once; orders already handed over get an OrderStatusRequest.
  void start();
  // Drains queued work, waits for durability, joins the core thread.
  void stop();

  void add_notifier(Notifier* notifier);  // before start()

  // ---- commands (thread-safe; the future resolves once the outcome is durable) ----
  std::future<Result<OrderId>> submit(NewOrderCommand cmd);
  std::future<Status> cancel(CancelCommand cmd);
  std::future<Status> replace(ReplaceCommand cmd);
  // Decide an order held for approval (else illegal_transition). Approve routes it; reject needs a reason.
  std::future<Status> approve(OrderId id, UserId user, std::string reason);
  std::future<Status> reject(OrderId id, UserId user, std::string reason);
  // The compliance evaluation of `spec` as JSON (compliance::to_json), without placing anything.
  std::future<Result<std::string>> what_if(OrderSpec spec);

  // ---- broker events (thread-safe, never block: safe from QuickFIX callbacks) ----
  void on_execution_report(ExecutionReport report, std::optional<InboundMark> mark = std::nullopt);
  void on_cancel_reject(CancelRejectReport report, std::optional<InboundMark> mark = std::nullopt);
  // Any other inbound application message (BusinessMessageReject, session Reject) worth an alert.
  void on_broker_alert(BrokerId session, std::string kind, std::string message,
                       std::optional<InboundMark> mark = std::nullopt);
  // Re-sends OrderStatusRequest for every routed open order of `session` (after a reconnect).
  void on_session_logon(BrokerId session);

  // Runs `fn` on the core thread against the current state and returns its result. Never call from a
  // QuickFIX callback.
  template <class Fn>
  auto query(Fn fn) -> std::future<decltype(fn(std::declval<const EngineState&>()))> {
    using R = decltype(fn(std::declval<const EngineState&>()));
    auto promise = std::make_shared<std::promise<R>>();
    auto fut = promise->get_future();
    post([this, promise, fn = std::move(fn)]() mutable { promise->set_value(fn(*state_)); });
    return fut;
  }

  // Blocks until every event appended so far is durable and its follow-ups have run (tests).
  void sync();

 private:
  void post(std::function<void()> task);
  void run();
  // Appends, applying to memory at once; `after` runs on the core thread once durable.
  void commit(std::vector<EventRecord> events, std::optional<InboundMark> mark, std::function<void(Status)> after);
  EventRecord make_event(OrderId id, UserId actor, EventPayload payload) const;
  void route_new(OrderId id);
  void handle_new(NewOrderCommand cmd, std::shared_ptr<std::promise<Result<OrderId>>> reply);
  Status validate(const OrderSpec& spec) const;
  // Compliance re-check of what a replace would make the order. nullopt: nothing to record (no rule book and
  // no change of price). Errors: the replace is refused (rejected, needs approval, unacknowledged warnings).
  Result<std::optional<ComplianceChecked>> check_replace(const OrderRecord& r, const ReplaceSpec& spec,
                                                         bool acknowledge_warnings) const;
  void handle_decision(OrderId id, UserId user, std::string reason, bool approved,
                       std::shared_ptr<std::promise<Status>> reply);
  void handle_cancel(CancelCommand cmd, std::shared_ptr<std::promise<Status>> reply);
  void handle_replace(ReplaceCommand cmd, std::shared_ptr<std::promise<Status>> reply);
  void handle_report(ExecutionReport report, std::optional<InboundMark> mark);
  void handle_cancel_reject(CancelRejectReport report, std::optional<InboundMark> mark);
  std::vector<EventRecord> position_events(const OrderRecord& r, const book::OrderEvent& ev, const EventRecord& base,
                                           Money commission) const;
  ClOrdID next_cl_ord_id(const OrderRecord& r) const;
  void resume_after_recovery();

  const ReferenceData& ref_;
  EventStore& store_;
  BrokerGateway& gateway_;
  const Clock& clock_;
  EngineOptions options_;
  std::unique_ptr<EngineState> state_;
  std::vector<Notifier*> notifiers_;

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_{false};
  std::thread core_;
  std::uint64_t pending_commits_{0};  // core thread only
};

// Maps a normalised ExecutionReport onto the book event it means for `order` (pure; exposed for tests).
Result<book::OrderEvent> to_book_event(const ExecutionReport& report, const book::OrderState& order);

}  // namespace oms::engine
