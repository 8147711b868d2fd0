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

// A FIX AllocationInstructionAck (4.4) / AllocationAck (4.2), P.
struct AllocationAck {
  BrokerId session;
  std::string alloc_id;
  char alloc_status{'0'};  // AllocStatus (87): 0 accepted, 1 rejected, 2 rejected by account (4.2: partial), 3 received
  std::string rej_code;    // AllocRejCode (88)
  std::string text;
};

// A PM's amendment of a block's final allocation (before the broker accepted it): the new quantity per account,
// summing to the filled quantity; accounts not listed get none.
struct AmendAllocationCommand {
  OrderId order_id;
  std::vector<AllocationSlice> quantities;
  UserId user;
  bool acknowledge_warnings{false};
};

// The outcome of a rule book load through the engine.
struct RulesReload {
  compliance::LoadResult result;  // the load itself (errors: nothing recorded but an Alert)
  // The recorded version in force after the load (its RuleBookLoaded); nullopt when none is recorded.
  std::optional<EventRecord> in_force;
  bool recorded{false};  // false on success: the content hash equals the version in force, nothing new recorded
};

struct EngineOptions {
  std::string cl_ord_id_prefix;  // empty: derived from the store's instance id
  // The rule book every order is checked against before it is routed. nullptr: no pre-trade compliance (each
  // order's ComplianceChecked says version "none"). Not owned; must outlive the engine.
  compliance::RuleBookHolder* rules{nullptr};
  // Called on the core thread when the order book record cannot be written (disk full, I/O error). Memory is then
  // ahead of the record, so the engine halts first: it records, routes and applies nothing more, and refuses new
  // commands. Empty: the reason goes to stderr and the process exits with 74 (EX_IOERR), so that a supervisor
  // restarts it and recovery rebuilds the state from what is durable (the broker resends what was not recorded).
  std::function<void(const std::string& reason)> on_record_failure{};
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
  // Amends a block's final allocation (errors: not_found, conflict when there is none to amend or it was
  // accepted, invalid_argument, rejected by compliance). Records it and sends a replacement allocation.
  std::future<Status> amend_allocation(AmendAllocationCommand cmd);
  // The compliance evaluation of `spec` as JSON (compliance::to_json), without placing anything.
  std::future<Result<std::string>> what_if(OrderSpec spec);
  // Reloads the rule book from `dir` on the core thread, so the swap falls between two evaluations. On error the
  // book in force stays and an Alert (kind "rule_book") naming each file:line:col is recorded with `loaded_by`
  // (the API user, or "file change") as its actor. On success a RuleBookLoaded is recorded unless the content hash
  // equals the recorded version in force; the future resolves once it is durable. No rule book holder: an empty
  // result.
  std::future<RulesReload> reload_rules(std::string dir, std::string loaded_by);
  // Records the rule book already in the holder (loaded from `dir` by omsd before recovery) as a RuleBookLoaded by
  // `loaded_by` ("startup"), unless the last recorded version has the same content hash. Call after recover().
  std::future<RulesReload> record_rules_in_force(std::string dir, std::string loaded_by);

  // ---- broker events (thread-safe, never block: safe from QuickFIX callbacks) ----
  void on_execution_report(ExecutionReport report, std::optional<InboundMark> mark = std::nullopt);
  void on_cancel_reject(CancelRejectReport report, std::optional<InboundMark> mark = std::nullopt);
  // Any other inbound application message (BusinessMessageReject, session Reject) worth an alert.
  void on_broker_alert(BrokerId session, std::string kind, std::string message,
                       std::optional<InboundMark> mark = std::nullopt);
  void on_allocation_ack(AllocationAck ack, std::optional<InboundMark> mark = std::nullopt);
  // Our NewOrderSingle `cl_ord_id` was refused before any ExecutionReport (a session Reject 3 of the D): the order
  // ends Rejected with `reason` and an alert is raised, together. Already Rejected (a Reject resent or replayed):
  // only the inbound number moves.
  void on_order_rejected(BrokerId session, ClOrdID cl_ord_id, std::string reason,
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
  void halt(const std::string& reason);
  static Error halted_error();
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
  // Position events of a block's trade event (each fill's pieces at its price with its commission, reversed on
  // a bust), then the rebooking of every account to its final allocation and the AllocationFixed, when the
  // event fixed or changed it (engine_allocation.cpp).
  std::vector<EventRecord> block_events(const OrderRecord& r, const book::OrderEvent& ev, const book::OrderState& after,
                                        Money commission, const EventRecord& base) const;
  // Position events that bring each account of block `r` from what is booked (plus `pending`) to `target`.
  void rebook(const OrderRecord& r, const allocation::FinalAllocation* target, std::map<AccountId, Booking> pending,
              const EventRecord& base, std::vector<EventRecord>& out) const;
  AllocationFixed allocation_event(const OrderRecord& r, const allocation::FinalAllocation& f, std::string reason) const;
  void send_allocation(OrderId id, bool cancel = false);
  void resend_allocations(const BrokerId& session);
  void handle_allocation_ack(AllocationAck ack, std::optional<InboundMark> mark);
  void handle_amend_allocation(AmendAllocationCommand cmd, std::shared_ptr<std::promise<Status>> reply);
  // Compliance re-check of the shares an amendment moves to accounts (each slice as an order of the block's side
  // at its AvgPx). Returns a line for the audit trail; errors as for a replace.
  Result<std::string> check_amendment(const OrderRecord& r, const std::vector<AllocationSlice>& added, Price avg_px,
                                      bool acknowledge_warnings) const;
  void resume_after_recovery();
  // Commits a RuleBookLoaded for `book` unless it is the recorded version in force, then resolves `reply`.
  void record_rule_book(std::shared_ptr<const compliance::RuleBook> book, const std::string& dir, UserId loaded_by,
                        compliance::LoadResult result, std::shared_ptr<std::promise<RulesReload>> reply);

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
  bool halted_{false};                 // core thread only: the record failed; see on_record_failure
};

// Maps a normalised ExecutionReport onto the book event it means for `order` (pure; exposed for tests).
Result<book::OrderEvent> to_book_event(const ExecutionReport& report, const book::OrderState& order);

}  // namespace oms::engine
