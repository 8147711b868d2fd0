#pragma once
// The interfaces the engine needs from the outside world. Adapters (store, fix, api) implement them;
// the engine never includes SQLite, QuickFIX or Beast. Each interface states its threading contract.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "oms/core/result.hpp"
#include "oms/engine/events.hpp"

namespace oms::engine {

// Called exactly once when an append is durable (ok) or failed/duplicate (error). Runs on the store's
// writer thread: it must not block; post to the core instead.
using DurableCallback = std::function<void(Status)>;

// "Messages up to and including MsgSeqNum N of this session have been applied": committed in the same
// transaction as the events they produced, so the inbound number is never ahead of the record.
struct InboundMark {
  std::string session;
  int next_target_seq{1};
  friend bool operator==(const InboundMark&, const InboundMark&) = default;
};

struct AppendBatch {
  std::vector<EventRecord> events;  // seq is assigned by the store
  std::optional<InboundMark> inbound;
};

// The order book record. Thread-safe. Batches are committed in the order append() was called; each
// batch is atomic (all its events or none). Group commit: many batches may share one transaction.
// A batch holding an ExecutionApplied whose (session, trading_day, exec_id) is already recorded for a
// trade (ExecType Trade/PartialFill/Fill/TradeCorrect/TradeCancel) is skipped as a whole and its
// callback gets Errc::duplicate. Status reports (ExecType OrderStatus) are never de-duplicated.
// There is no API to delete or rewrite events.
class EventStore {
 public:
  virtual ~EventStore() = default;
  virtual void append(AppendBatch batch, DurableCallback done) = 0;
  // Every event in seq order. Called once, before the engine starts.
  virtual Result<std::vector<EventRecord>> load() = 0;
  // Blocks until every batch appended so far is durable (or failed).
  virtual void flush() = 0;
  // A random id fixed when the record was created: makes ClOrdIDs unique across database re-creation.
  virtual std::string instance_id() const = 0;
};

struct SessionRecord {
  int next_sender_seq{1};
  int next_target_seq{1};
  std::int64_t creation_time_ns{0};
};

// FIX session persistence, committed in the same ordered stream as EventStore batches (the store
// implements both on one writer). Thread-safe. record_outgoing must be durable before the message's
// bytes reach the socket: it blocks until then.
class SessionJournal {
 public:
  virtual ~SessionJournal() = default;
  virtual Result<SessionRecord> load_session(const std::string& session) = 0;
  virtual Status record_outgoing(const std::string& session, int seq_num, const std::string& raw) = 0;
  // The same write without waiting: queued in the same ordered stream as everything else, `done` is called
  // once when it is durable (or failed), with DurableCallback's rules. The caller holds the message's bytes
  // until then (a transport that can: src/fix/asio_transport). Default: the blocking write, then `done`.
  virtual void record_outgoing_async(const std::string& session, int seq_num, const std::string& raw,
                                     DurableCallback done) {
    done(record_outgoing(session, seq_num, raw));
  }
  virtual Status set_next_sender_seq(const std::string& session, int next) = 0;
  // Used when a session resets or when QuickFIX moves the number itself (e.g. SequenceReset).
  virtual Status set_next_target_seq(const std::string& session, int next) = 0;
  virtual Result<std::vector<std::string>> outgoing(const std::string& session, int begin, int end) = 0;
  virtual Status reset_session(const std::string& session, std::int64_t creation_time_ns) = 0;
};

// What the engine hands to a broker. Called on the core thread only. Must not wait for the network;
// an unknown or logged-out broker is an immediate error (Errc::unavailable / not_found) and nothing
// is queued for later.
struct RoutedOrder {
  OrderId order_id;
  ClOrdID cl_ord_id;
  ClOrdID orig_cl_ord_id;  // cancel / replace: the link being replaced
  const OrderSpec* spec{nullptr};
  ReplaceSpec replace;     // replace only
  Quantity order_qty;      // current quantity of the order
};

// A block's final allocation for the broker (AllocationInstruction J). Pointers valid for the call only.
struct RoutedAllocation {
  OrderId order_id;
  const OrderSpec* spec{nullptr};
  std::vector<ClOrdID> cl_ord_ids;  // every ClOrdID of the order (NoOrders)
  const AllocationFixed* allocation{nullptr};
  std::string trade_date;  // YYYYMMDD
  bool cancel{false};      // withdraw `allocation` (every fill was busted): AllocTransType 2
};

class BrokerGateway {
 public:
  virtual ~BrokerGateway() = default;
  virtual Status send_new_order(const RoutedOrder& order) = 0;
  virtual Status send_cancel(const RoutedOrder& order) = 0;
  virtual Status send_replace(const RoutedOrder& order) = 0;
  virtual Status send_status_request(const RoutedOrder& order) = 0;
  // Answers a report for an order the OMS does not know (FIX DontKnowTrade, Q).
  virtual Status send_dont_know(const ExecutionReport& report, const std::string& reason) = 0;
  virtual BrokerId default_broker() const = 0;
  // Whether a NewOrderSingle with this ClOrdID was ever handed to the broker's session (its outgoing
  // journal holds it). Used after a crash to decide between sending an order once and asking about it.
  virtual bool has_sent(const BrokerId& broker, const ClOrdID& cl_ord_id) = 0;
  // Sends a block's allocation (new, or a replacement naming RefAllocID) to the order's broker. Gateways
  // that cannot send allocations keep this default.
  virtual Status send_allocation(const RoutedAllocation&) {
    return make_error(Errc::unavailable, "this gateway does not send allocations");
  }
};

// Observers of committed events (the API's live stream). Called on the core thread after the event is
// durable; must not block.
class Notifier {
 public:
  virtual ~Notifier() = default;
  virtual void on_event(const EventRecord& event) = 0;
};

}  // namespace oms::engine
