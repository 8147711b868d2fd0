#include "oms/engine/engine.hpp"

#include <set>

#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "oms/core/crash_point.hpp"

namespace oms::engine {

namespace {
const UserId kSystem{"system"};
}  // namespace

Engine::Engine(const ReferenceData& ref, EventStore& store, BrokerGateway& gateway, const Clock& clock,
               EngineOptions options)
    : ref_(ref), store_(store), gateway_(gateway), clock_(clock), options_(std::move(options)),
      state_(std::make_unique<EngineState>(ref)) {
  if (options_.cl_ord_id_prefix.empty()) options_.cl_ord_id_prefix = store_.instance_id().substr(0, 8);
}

Engine::~Engine() { stop(); }

Status Engine::recover() {
  auto events = store_.load();
  if (!events) return events.error();
  for (const auto& e : *events)
    if (auto st = state_->apply(e); !st) return st;
  return {};
}

void Engine::add_notifier(Notifier* notifier) { notifiers_.push_back(notifier); }

void Engine::start() {
  if (core_.joinable()) return;
  stopping_ = false;
  core_ = std::thread([this] { run(); });
}

void Engine::stop() {
  if (!core_.joinable()) return;
  sync();
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  core_.join();
}

void Engine::post(std::function<void()> task) {
  {
    std::lock_guard lock(mu_);
    queue_.push_back(std::move(task));
  }
  cv_.notify_one();
}

void Engine::run() {
  for (;;) {
    std::function<void()> task;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      task = std::move(queue_.front());
      queue_.pop_front();
    }
    task();
  }
}

void Engine::sync() {
  // Each round waits for the store, then for the follow-ups its callbacks posted, which may commit more.
  for (;;) {
    store_.flush();
    std::promise<std::uint64_t> pending;
    auto fut = pending.get_future();
    post([&] { pending.set_value(pending_commits_); });
    if (fut.get() == 0) return;
  }
}

EventRecord Engine::make_event(OrderId id, UserId actor, EventPayload payload) const {
  EventRecord e;
  e.time = clock_.now();
  e.actor = std::move(actor);
  e.order_id = id;
  e.payload = std::move(payload);
  return e;
}

void Engine::commit(std::vector<EventRecord> events, std::optional<InboundMark> mark,
                    std::function<void(Status)> after) {
  if (halted_) return;  // nothing is applied, recorded or followed up once the record has failed
  // The core is the only writer, so it numbers events itself, in the order the store will commit them.
  std::uint64_t seq = state_->last_seq();
  for (auto& e : events) {
    e.seq = ++seq;
    if (auto st = state_->apply(e); !st) throw std::logic_error("engine produced an inconsistent event: " + st.error().message);
  }
  ++pending_commits_;
  auto committed = std::make_shared<std::vector<EventRecord>>(events);
  store_.append(AppendBatch{std::move(events), std::move(mark)}, [this, committed, after = std::move(after)](Status st) {
    post([this, committed, after, st] {
      --pending_commits_;
      if (!st) return halt("order book record failed: " + st.error().message);
      if (halted_) return;  // a later batch that still made it: its follow-ups would act on a broken record
      for (const auto& e : *committed)
        for (auto* n : notifiers_) n->on_event(e);
      if (after) after(st);
    });
  });
}

void Engine::halt(const std::string& reason) {
  if (halted_) return;
  halted_ = true;
  if (options_.on_record_failure) return options_.on_record_failure(reason);
  std::fprintf(stderr, "engine halted: %s; nothing more is recorded or sent; restart to recover\n", reason.c_str());
  std::fflush(stderr);
  std::_Exit(74);
}

Error Engine::halted_error() {
  return make_error(Errc::unavailable, "the engine has halted: the order book record failed; restart omsd");
}

// ---------------------------------------------------------------------------------------------- commands

std::future<Result<OrderId>> Engine::submit(NewOrderCommand cmd) {
  auto reply = std::make_shared<std::promise<Result<OrderId>>>();
  auto fut = reply->get_future();
  post([this, cmd = std::move(cmd), reply]() mutable {
    if (halted_) return reply->set_value(halted_error());
    handle_new(std::move(cmd), reply);
  });
  return fut;
}

std::future<Status> Engine::cancel(CancelCommand cmd) {
  auto reply = std::make_shared<std::promise<Status>>();
  auto fut = reply->get_future();
  post([this, cmd = std::move(cmd), reply]() mutable {
    if (halted_) return reply->set_value(halted_error());
    handle_cancel(std::move(cmd), reply);
  });
  return fut;
}

std::future<Status> Engine::replace(ReplaceCommand cmd) {
  auto reply = std::make_shared<std::promise<Status>>();
  auto fut = reply->get_future();
  post([this, cmd = std::move(cmd), reply]() mutable {
    if (halted_) return reply->set_value(halted_error());
    handle_replace(std::move(cmd), reply);
  });
  return fut;
}

Status Engine::validate(const OrderSpec& spec) const {
  if (spec.symbol.empty()) return make_error(Errc::invalid_argument, "symbol is required", "symbol");
  if (!ref_.instruments.count(spec.symbol))
    return make_error(Errc::not_found, "unknown symbol " + spec.symbol.value, "symbol");
  if (!spec.quantity.is_positive()) return make_error(Errc::invalid_argument, "quantity must be positive", "quantity");
  const bool needs_limit = spec.ord_type == OrdType::Limit || spec.ord_type == OrdType::StopLimit;
  const bool needs_stop = spec.ord_type == OrdType::Stop || spec.ord_type == OrdType::StopLimit;
  if (needs_limit && !spec.limit_price)
    return make_error(Errc::invalid_argument, "a limit price is required for this order type", "limit_price");
  if (!needs_limit && spec.limit_price)
    return make_error(Errc::invalid_argument, "a limit price is not allowed for this order type", "limit_price");
  if (spec.limit_price && !spec.limit_price->is_positive())
    return make_error(Errc::invalid_argument, "limit price must be positive", "limit_price");
  if (needs_stop && !spec.stop_price)
    return make_error(Errc::invalid_argument, "a stop price is required for this order type", "stop_price");
  if (!needs_stop && spec.stop_price)
    return make_error(Errc::invalid_argument, "a stop price is not allowed for this order type", "stop_price");
  if (spec.stop_price && !spec.stop_price->is_positive())
    return make_error(Errc::invalid_argument, "stop price must be positive", "stop_price");
  if (spec.tif == TimeInForce::GTD && !spec.expire_time)
    return make_error(Errc::invalid_argument, "GTD orders need an expire time", "expire_time");
  if (spec.tif != TimeInForce::GTD && spec.expire_time)
    return make_error(Errc::invalid_argument, "an expire time is only allowed for GTD orders", "expire_time");
  if (spec.expire_time && *spec.expire_time <= clock_.now())
    return make_error(Errc::invalid_argument, "the expire time has already passed", "expire_time");
  if (spec.is_block()) {
    if (!spec.account.empty())
      return make_error(Errc::invalid_argument, "a block order names its accounts in allocations only", "account");
    std::set<AccountId> seen;
    Quantity total;
    for (const auto& slice : spec.allocations) {
      if (!ref_.accounts.count(slice.account))
        return make_error(Errc::not_found, "unknown account " + slice.account.value, "allocations");
      if (!seen.insert(slice.account).second)
        return make_error(Errc::invalid_argument, "account " + slice.account.value + " appears twice", "allocations");
      if (!slice.quantity.is_positive())
        return make_error(Errc::invalid_argument, "allocation quantities must be positive", "allocations");
      auto sum = Quantity::checked_add(total, slice.quantity);
      if (!sum) return make_error(Errc::invalid_argument, "allocations overflow", "allocations");
      total = *sum;
    }
    if (total != spec.quantity)
      return make_error(Errc::invalid_argument,
                        "allocations sum to " + total.to_string() + ", not the order quantity " +
                            spec.quantity.to_string(),
                        "allocations");
  } else {
    if (spec.account.empty()) return make_error(Errc::invalid_argument, "account is required", "account");
    if (!ref_.accounts.count(spec.account))
      return make_error(Errc::not_found, "unknown account " + spec.account.value, "account");
  }
  return {};
}

ClOrdID Engine::next_cl_ord_id(const OrderRecord& r) const {
  // prefix-orderid-link: OrderIds are never reused and the prefix is fixed per record, so ClOrdIDs are
  // unique across restarts (and across re-created databases).
  return ClOrdID{options_.cl_ord_id_prefix + "-" + std::to_string(r.id.value) + "-" +
                 std::to_string(r.book.chain.size() + (r.book.pending_cl_ord_id ? 2 : 1))};
}

// handle_new (pre-trade compliance, approvals, what-if): engine_compliance.cpp

void Engine::route_new(OrderId id) {
  const OrderRecord* r = state_->find(id);
  if (!r || r->workflow != Workflow::Working) return;
  RoutedOrder out{r->id, r->book.cl_ord_id, ClOrdID{}, &r->spec, ReplaceSpec{}, r->book.order_qty};
  crash_point(kCrashAfterOrderStoredBeforeSend);
  const Status sent = gateway_.send_new_order(out);
  crash_point(kCrashAfterSendBeforeRouted);
  WorkflowChanged change = sent ? WorkflowChanged{Workflow::Routed, "sent to " + r->spec.broker.value}
                                : WorkflowChanged{Workflow::NotRouted, sent.error().message};
  commit({make_event(id, kSystem, std::move(change))}, std::nullopt, nullptr);
}

void Engine::handle_cancel(CancelCommand cmd, std::shared_ptr<std::promise<Status>> reply) {
  const OrderRecord* r = state_->find(cmd.order_id);
  if (!r) {
    reply->set_value(make_error(Errc::not_found, "unknown order " + std::to_string(cmd.order_id.value), "order_id"));
    return;
  }
  if (!r->is_live()) {
    reply->set_value(make_error(Errc::illegal_transition, "order is no longer live", "order_id"));
    return;
  }
  if (!r->routed()) {
    // Never reached the broker: cancel it here; nothing goes out.
    book::OrderState probe = r->book;
    if (auto st = book::apply(probe, book::CancelAck{}); !st) {
      reply->set_value(st);
      return;
    }
    commit({make_event(r->id, cmd.user, OrderRequest{book::CancelAck{}})}, std::nullopt,
           [reply](Status) { reply->set_value(Status{}); });
    return;
  }
  const ClOrdID cl_ord_id = next_cl_ord_id(*r);
  book::OrderState probe = r->book;
  const book::OrderEvent request = book::CancelRequest{cl_ord_id};
  if (auto st = book::apply(probe, request); !st) {
    reply->set_value(st);
    return;
  }
  const OrderId id = r->id;
  commit({make_event(id, cmd.user, OrderRequest{request})}, std::nullopt, [this, id, cl_ord_id, reply](Status) {
    const OrderRecord* rec = state_->find(id);
    RoutedOrder out{id, cl_ord_id, rec->book.cl_ord_id, &rec->spec, ReplaceSpec{}, rec->book.order_qty};
    const Status sent = gateway_.send_cancel(out);
    if (!sent) {
      // Nothing left: withdraw the request so the order is not stuck "cancel pending".
      commit({make_event(id, kSystem, OrderRequest{book::CancelReject{"not sent: " + sent.error().message}})},
             std::nullopt, nullptr);
    }
    reply->set_value(sent);
  });
}

void Engine::handle_replace(ReplaceCommand cmd, std::shared_ptr<std::promise<Status>> reply) {
  const OrderRecord* r = state_->find(cmd.order_id);
  if (!r) {
    reply->set_value(make_error(Errc::not_found, "unknown order " + std::to_string(cmd.order_id.value), "order_id"));
    return;
  }
  if (!r->routed() || !r->is_live()) {
    reply->set_value(make_error(Errc::illegal_transition, "only a live order at the broker can be replaced", "order_id"));
    return;
  }
  if (cmd.spec.quantity && !cmd.spec.quantity->is_positive()) {
    reply->set_value(make_error(Errc::invalid_argument, "quantity must be positive", "quantity"));
    return;
  }
  if (cmd.spec.limit_price && !cmd.spec.limit_price->is_positive()) {
    reply->set_value(make_error(Errc::invalid_argument, "limit price must be positive", "limit_price"));
    return;
  }
  if (r->spec.is_block() && cmd.spec.quantity) {
    reply->set_value(make_error(Errc::invalid_argument, "a block's quantity changes with its allocations", "quantity"));
    return;
  }
  const ClOrdID cl_ord_id = next_cl_ord_id(*r);
  book::OrderState probe = r->book;
  const book::OrderEvent request = book::ReplaceRequest{cl_ord_id, cmd.spec};
  if (auto st = book::apply(probe, request); !st) {
    reply->set_value(st);
    return;
  }
  auto recheck = check_replace(*r, cmd.spec, cmd.acknowledge_warnings);
  if (!recheck) {
    reply->set_value(recheck.error());
    return;
  }
  const OrderId id = r->id;
  const ReplaceSpec spec = cmd.spec;
  std::vector<EventRecord> events;
  if (*recheck) events.push_back(make_event(id, cmd.user, std::move(**recheck)));
  events.push_back(make_event(id, cmd.user, OrderRequest{request}));
  commit(std::move(events), std::nullopt, [this, id, cl_ord_id, spec, reply](Status) {
    const OrderRecord* rec = state_->find(id);
    RoutedOrder out{id, cl_ord_id, rec->book.cl_ord_id, &rec->spec, spec, rec->book.order_qty};
    const Status sent = gateway_.send_replace(out);
    if (!sent) {
      commit({make_event(id, kSystem, OrderRequest{book::ReplaceReject{"not sent: " + sent.error().message}})},
             std::nullopt, nullptr);
    }
    reply->set_value(sent);
  });
}

}  // namespace oms::engine
