// New orders through pre-trade compliance, approval of held orders, and what-if evaluations.
#include <algorithm>

#include <nlohmann/json.hpp>

#include "oms/compliance/evaluation.hpp"
#include "oms/engine/engine.hpp"

namespace oms::engine {

namespace {

struct Checked {
  compliance::Decision decision{compliance::Decision::accepted};
  ComplianceChecked event;
  std::string breaches;  // "rule-id: reason; ..." of every breached rule
};

Price default_price(const ReferenceData& ref, const OrderSpec& spec) {
  if (spec.limit_price) return *spec.limit_price;
  auto it = ref.instruments.find(spec.symbol);
  return it == ref.instruments.end() ? Price{} : it->second.reference_price;
}

// Evaluates `spec` against `state` with the rule book in force (none: accepted, nothing evaluated). A replace
// ignores duplicate_order rules: the order it replaces is the "duplicate".
Checked check(const compliance::RuleBookHolder* holder, const ReferenceData& ref,
              const compliance::ComplianceState& state, const OrderSpec& spec, Timestamp now, bool replace = false) {
  Checked out;
  auto book = holder ? holder->current() : nullptr;
  if (!book) {
    out.event = ComplianceChecked{"none", "accepted", default_price(ref, spec), false, ""};
    return out;
  }
  compliance::Evaluation eval = compliance::evaluate(*book, state, spec, now);
  if (replace) {
    eval.decision = compliance::Decision::accepted;
    for (auto& slice : eval.slices) {
      std::erase_if(slice.results, [&](const compliance::RuleResult& r) {
        return book->rules()[r.rule_index].type == compliance::RuleType::duplicate_order;
      });
      slice.decision = slice.error.empty() ? compliance::decide(*book, slice.results) : compliance::Decision::rejected;
      eval.decision = std::max(eval.decision, slice.decision);
    }
  }
  out.decision = eval.decision;
  out.event = ComplianceChecked{eval.rule_book_version, std::string(compliance::to_string(eval.decision)),
                                eval.order_price, false, compliance::to_json_text(*book, state, eval)};
  for (const auto& slice : eval.slices) {
    if (!slice.error.empty()) {
      if (!out.breaches.empty()) out.breaches += "; ";
      out.breaches += slice.account.value + ": " + slice.error;
    }
    for (const auto& result : slice.results) {
      if (result.outcome != compliance::Outcome::breach) continue;
      if (!out.breaches.empty()) out.breaches += "; ";
      out.breaches += book->rules()[result.rule_index].id + " (" + slice.account.value +
                      "): " + compliance::describe(*book, state, eval, slice, result);
    }
  }
  return out;
}

}  // namespace

void Engine::handle_new(NewOrderCommand cmd, std::shared_ptr<std::promise<Result<OrderId>>> reply) {
  if (auto st = validate(cmd.spec); !st) {
    reply->set_value(st.error());
    return;
  }
  if (cmd.spec.broker.empty()) cmd.spec.broker = gateway_.default_broker();
  Checked checked = check(options_.rules, ref_, state_->compliance(), cmd.spec, clock_.now());
  using compliance::Decision;
  if (checked.decision == Decision::warn && !cmd.acknowledge_warnings) {
    // Nothing is recorded: the user resubmits with the warnings acknowledged, or does not.
    reply->set_value(make_error(Errc::conflict, "compliance warnings need acknowledgement: " + checked.breaches,
                                "acknowledge_warnings"));
    return;
  }
  checked.event.warnings_acknowledged = checked.decision == Decision::warn;
  const OrderId id = state_->next_order_id();
  const ClOrdID cl_ord_id{options_.cl_ord_id_prefix + "-" + std::to_string(id.value) + "-1"};
  WorkflowChanged outcome{Workflow::Working, "accepted"};
  if (checked.decision == Decision::rejected)
    outcome = WorkflowChanged{Workflow::ComplianceRejected, checked.breaches};
  else if (checked.decision == Decision::held)
    outcome = WorkflowChanged{Workflow::HeldForApproval, checked.breaches};
  else if (checked.decision == Decision::warn)
    outcome.reason = "accepted with acknowledged warnings: " + checked.breaches;
  std::vector<EventRecord> events;
  events.push_back(make_event(id, cmd.user, OrderAccepted{cl_ord_id, cmd.spec}));
  events.push_back(make_event(id, cmd.user, std::move(checked.event)));
  events.push_back(make_event(id, cmd.user, std::move(outcome)));
  commit(std::move(events), std::nullopt, [this, id, reply](Status) {
    reply->set_value(id);
    route_new(id);  // only a Working order is routed
  });
}

Result<std::optional<ComplianceChecked>> Engine::check_replace(const OrderRecord& r, const ReplaceSpec& spec,
                                                               bool acknowledge_warnings) const {
  OrderSpec next = r.spec;
  if (spec.limit_price) next.limit_price = spec.limit_price;
  if (spec.stop_price) next.stop_price = spec.stop_price;
  if (spec.tif) next.tif = *spec.tif;
  const CompliancePending* pending = state_->compliance_pending(r.id);
  const bool reprice = pending && default_price(ref_, next) != pending->order_price;
  if (!options_.rules && !reprice) return std::optional<ComplianceChecked>{};
  // What stays open after the replace is checked as a new order against the portfolio without this order's
  // own pending quantity (it would otherwise count twice).
  const Quantity new_qty = spec.quantity.value_or(r.book.order_qty);
  if (const auto* b = state_->block(r.id)) {
    next.allocations.clear();
    next.quantity = Quantity{};
    for (const auto& a : b->accounts())
      if (a.target > a.allocated) {
        next.allocations.push_back({a.account, a.target - a.allocated});
        next.quantity += a.target - a.allocated;
      }
  } else {
    next.quantity = new_qty > r.book.cum_qty ? new_qty - r.book.cum_qty : Quantity{};
  }
  if (!next.quantity.is_positive()) return std::optional<ComplianceChecked>{};
  compliance::ComplianceState without = state_->compliance();
  if (pending)
    for (const auto& [account, q] : pending->open)
      (void)without.remove_pending(account, r.spec.symbol, r.spec.side, q, pending->order_price);
  Checked checked = check(options_.rules, ref_, without, next, clock_.now(), true);
  using compliance::Decision;
  if (checked.decision == Decision::rejected)
    return make_error(Errc::rejected, "the replaced order would breach compliance: " + checked.breaches);
  if (checked.decision == Decision::held)
    return make_error(Errc::rejected, "the replaced order would need approval (cancel it and enter a new order): " +
                                          checked.breaches);
  if (checked.decision == Decision::warn && !acknowledge_warnings)
    return make_error(Errc::conflict, "compliance warnings need acknowledgement: " + checked.breaches,
                      "acknowledge_warnings");
  checked.event.warnings_acknowledged = checked.decision == Decision::warn;
  return std::optional<ComplianceChecked>{std::move(checked.event)};
}

Result<std::string> Engine::check_amendment(const OrderRecord& r, const std::vector<AllocationSlice>& added,
                                           Price avg_px, bool acknowledge_warnings) const {
  if (added.empty()) return std::string("no account receives more shares");
  if (!options_.rules) return std::string("no rule book");
  OrderSpec next = r.spec;
  next.ord_type = OrdType::Limit;
  next.limit_price = avg_px;
  next.stop_price.reset();
  next.allocations = added;
  next.quantity = Quantity{};
  for (const auto& a : added) next.quantity += a.quantity;
  // The shares are already filled and booked elsewhere in the block: the order's own pending is not counted.
  compliance::ComplianceState without = state_->compliance();
  if (const CompliancePending* pending = state_->compliance_pending(r.id))
    for (const auto& [account, q] : pending->open)
      (void)without.remove_pending(account, r.spec.symbol, r.spec.side, q, pending->order_price);
  Checked checked = check(options_.rules, ref_, without, next, clock_.now(), true);
  using compliance::Decision;
  if (checked.decision == Decision::rejected || checked.decision == Decision::held)
    return make_error(Errc::rejected, "the amended allocation would breach compliance: " + checked.breaches);
  if (checked.decision == Decision::warn && !acknowledge_warnings)
    return make_error(Errc::conflict, "compliance warnings need acknowledgement: " + checked.breaches,
                      "acknowledge_warnings");
  return "compliance " + checked.event.decision + " (rule book " + checked.event.rule_book_version + ")" +
         (checked.breaches.empty() ? std::string{} : ": " + checked.breaches);
}

std::future<Status> Engine::approve(OrderId id, UserId user, std::string reason) {
  auto reply = std::make_shared<std::promise<Status>>();
  auto fut = reply->get_future();
  post([this, id, user = std::move(user), reason = std::move(reason), reply]() mutable {
    handle_decision(id, std::move(user), std::move(reason), true, reply);
  });
  return fut;
}

std::future<Status> Engine::reject(OrderId id, UserId user, std::string reason) {
  auto reply = std::make_shared<std::promise<Status>>();
  auto fut = reply->get_future();
  post([this, id, user = std::move(user), reason = std::move(reason), reply]() mutable {
    handle_decision(id, std::move(user), std::move(reason), false, reply);
  });
  return fut;
}

void Engine::handle_decision(OrderId id, UserId user, std::string reason, bool approved,
                             std::shared_ptr<std::promise<Status>> reply) {
  const OrderRecord* r = state_->find(id);
  if (!r) {
    reply->set_value(make_error(Errc::not_found, "unknown order " + std::to_string(id.value), "order_id"));
    return;
  }
  if (r->workflow != Workflow::HeldForApproval || !r->is_live()) {  // e.g. canceled while held
    reply->set_value(make_error(Errc::illegal_transition, "order is not held for approval", "order_id"));
    return;
  }
  if (!approved && reason.empty()) {
    reply->set_value(make_error(Errc::invalid_argument, "a rejection needs a reason", "reason"));
    return;
  }
  std::string rechecked;
  if (approved && options_.rules) {
    // The rule book or the portfolio may have moved while the order was held: it is released only if it still
    // passes every block rule (its own entry in the recent orders is not a duplicate, hence the replace mode).
    const Checked again = check(options_.rules, ref_, state_->compliance(), r->spec, clock_.now(), true);
    if (again.decision == compliance::Decision::rejected) {
      reply->set_value(make_error(Errc::rejected, "the order now breaches compliance and stays held: " + again.breaches,
                                  "order_id"));
      return;
    }
    rechecked = " (re-checked against " + again.event.rule_book_version + ": " + again.event.decision + ")";
  }
  WorkflowChanged change = approved ? WorkflowChanged{Workflow::Working, "approved by " + user.value + rechecked}
                                    : WorkflowChanged{Workflow::ComplianceRejected, "rejected by " + user.value + ": " + reason};
  std::vector<EventRecord> events;
  events.push_back(make_event(id, user, ApprovalDecided{approved, reason}));
  events.push_back(make_event(id, user, std::move(change)));
  commit(std::move(events), std::nullopt, [this, id, reply](Status) {
    route_new(id);  // before the reply: whoever approved can see the order handed to its broker
    reply->set_value(Status{});
  });
}

std::future<Result<std::string>> Engine::what_if(OrderSpec spec) {
  auto reply = std::make_shared<std::promise<Result<std::string>>>();
  auto fut = reply->get_future();
  post([this, spec = std::move(spec), reply]() mutable {
    if (auto st = validate(spec); !st) {
      reply->set_value(st.error());
      return;
    }
    auto book = options_.rules ? options_.rules->current() : nullptr;
    if (!book) {
      reply->set_value(nlohmann::json{{"rule_book_version", "none"}, {"decision", "accepted"}, {"slices", nlohmann::json::array()}}.dump());
      return;
    }
    const auto eval = compliance::evaluate(*book, state_->compliance(), spec, clock_.now());
    reply->set_value(compliance::to_json_text(*book, state_->compliance(), eval));
  });
  return fut;
}

std::future<RulesReload> Engine::reload_rules(std::string dir, std::string loaded_by) {
  auto reply = std::make_shared<std::promise<RulesReload>>();
  auto fut = reply->get_future();
  post([this, dir = std::move(dir), loaded_by = std::move(loaded_by), reply] {
    if (!options_.rules) {
      reply->set_value(RulesReload{});
      return;
    }
    if (halted_) {
      RulesReload out;
      out.result.errors.push_back({{dir, 0, 0}, halted_error().message});
      reply->set_value(std::move(out));
      return;
    }
    auto result = options_.rules->reload(dir, loaded_by, clock_.now());
    if (result.ok()) {
      auto book = result.book;
      record_rule_book(std::move(book), dir, UserId{loaded_by}, std::move(result), reply);
      return;
    }
    std::string message = "rule book in " + dir + " not loaded (the previous one stays in force):";
    for (const auto& e : result.errors) message += " " + e.to_string() + ";";
    message.pop_back();
    const auto& versions = state_->rule_books();
    std::optional<EventRecord> in_force;
    if (!versions.empty()) in_force = versions.back();
    commit({make_event(OrderId{}, UserId{loaded_by}, Alert{"rule_book", std::move(message)})}, std::nullopt,
           [reply, out = RulesReload{std::move(result), std::move(in_force), false}](Status) mutable {
             reply->set_value(std::move(out));
           });
  });
  return fut;
}

std::future<RulesReload> Engine::record_rules_in_force(std::string dir, std::string loaded_by) {
  auto reply = std::make_shared<std::promise<RulesReload>>();
  auto fut = reply->get_future();
  post([this, dir = std::move(dir), loaded_by = std::move(loaded_by), reply] {
    auto book = options_.rules ? options_.rules->current() : nullptr;
    if (!book || halted_) {
      reply->set_value(RulesReload{});
      return;
    }
    compliance::LoadResult result;
    result.book = book;
    record_rule_book(std::move(book), dir, UserId{loaded_by}, std::move(result), reply);
  });
  return fut;
}

void Engine::record_rule_book(std::shared_ptr<const compliance::RuleBook> book, const std::string& dir,
                              UserId loaded_by, compliance::LoadResult result,
                              std::shared_ptr<std::promise<RulesReload>> reply) {
  const auto& versions = state_->rule_books();
  const RuleBookLoaded* last = versions.empty() ? nullptr : &std::get<RuleBookLoaded>(versions.back().payload);
  if (last && last->version == book->version()) {
    // A touched file, or a restart on the same files: the version in force is already recorded.
    reply->set_value(RulesReload{std::move(result), versions.back(), false});
    return;
  }
  RuleBookLoaded loaded{book->version(), dir, book->rules().size(), {}, loaded_by.value, last ? last->version : ""};
  for (std::size_t i = 0; i < book->files().size(); ++i)
    loaded.files.push_back({book->files()[i], i < book->file_hashes().size() ? book->file_hashes()[i] : ""});
  // commit() numbers and applies the event at once; the reply waits until it is durable.
  auto recorded = std::make_shared<EventRecord>();
  commit({make_event(OrderId{}, std::move(loaded_by), std::move(loaded))}, std::nullopt,
         [reply, recorded, result = std::move(result)](Status) mutable {
           reply->set_value(RulesReload{std::move(result), *recorded, true});
         });
  if (!state_->rule_books().empty()) *recorded = state_->rule_books().back();
}

}  // namespace oms::engine
