// Order routes: create (single or block), list, show, cancel, replace, cancel-all (the kill switch).
// Everything a request could get wrong is checked before the engine sees it; the engine's own checks
// (unknown symbol, allocations that do not sum, illegal transitions) come back as its Error, mapped by
// http_status(). Nothing is half-applied: a refused request changes no state.
#include <algorithm>
#include <set>

#include "internal.hpp"
#include "oms/store/event_codec.hpp"
#include "views.hpp"

namespace oms::api {

namespace {

using nlohmann::json;

json parse_body(const Request& req, bool allow_empty = false) {
  if (req.body.empty() || std::all_of(req.body.begin(), req.body.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); })) {
    if (allow_empty) return json::object();
    fail(400, "missing_body", "a JSON object body is required");
  }
  json j = json::parse(req.body, nullptr, false);
  if (j.is_discarded()) fail(400, "malformed_json", "the body is not valid JSON");
  if (!j.is_object()) fail(400, "wrong_type", "the body must be a JSON object");
  return j;
}

void check_fields(const json& j, std::initializer_list<const char*> allowed) {
  for (const auto& [key, value] : j.items()) {
    if (std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return key == a; }))
      fail(400, "unknown_field", "unknown field '" + key + "'", key);
  }
}

const json* opt(const json& j, const char* key) {
  auto it = j.find(key);
  return it == j.end() || it->is_null() ? nullptr : &*it;
}

std::string string_of(const json& v, const std::string& field) {
  if (!v.is_string()) fail(400, "wrong_type", "'" + field + "' must be a string", field);
  return v.get<std::string>();
}

std::optional<std::string> opt_string(const json& j, const char* key) {
  const json* v = opt(j, key);
  if (!v) return std::nullopt;
  return string_of(*v, key);
}

std::string req_string(const json& j, const char* key) {
  auto v = opt_string(j, key);
  if (!v || v->empty()) fail(400, "missing_field", std::string("'") + key + "' is required", key);
  return *v;
}

// Quantities: an exact decimal string ("100", "12.5") or a JSON integer. JSON numbers with a fraction
// are refused: the JSON library would read them through binary fractions.
Quantity quantity_of(const json& v, const std::string& field) {
  std::string text;
  if (v.is_string()) text = v.get<std::string>();
  else if (v.is_number_unsigned()) text = std::to_string(v.get<std::uint64_t>());
  else if (v.is_number_integer()) text = std::to_string(v.get<std::int64_t>());
  else if (v.is_number())
    fail(400, "wrong_type", "'" + field + "' must be an integer or a decimal string such as \"12.5\"", field);
  else fail(400, "wrong_type", "'" + field + "' must be a string or an integer", field);
  auto q = Quantity::parse(text);
  if (!q) fail(400, "invalid_number", "'" + field + "': " + q.error().message, field);
  return *q;
}

// Prices: decimal strings only ("190.25").
Price price_of(const json& v, const std::string& field) {
  if (!v.is_string()) fail(400, "wrong_type", "'" + field + "' must be a decimal string such as \"190.25\"", field);
  auto p = Price::parse(v.get<std::string>());
  if (!p) fail(400, "invalid_number", "'" + field + "': " + p.error().message, field);
  return *p;
}

template <class E>
E enum_of(const json& j, const char* key, std::optional<E> (*parse)(std::string_view)) {
  const std::string text = req_string(j, key);
  auto e = parse(text);
  if (!e) fail(400, "invalid_value", std::string("'") + key + "': unknown value '" + text + "'", key);
  return *e;
}

OrderId order_id_param(const Request& req) {
  const std::string& s = req.params.at(0);
  std::uint64_t v = 0;
  bool ok = !s.empty() && s.size() <= 19;
  for (char c : s) {
    if (c < '0' || c > '9') ok = false;
    else v = v * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (!ok || v == 0) fail(400, "invalid_value", "order id must be a positive integer", "order_id");
  return OrderId{v};
}

std::optional<engine::OrderRecord> find_order(Services& s, OrderId id) {
  return s.ctx.engine
      .query([id](const engine::EngineState& st) -> std::optional<engine::OrderRecord> {
        if (const auto* r = st.find(id)) return *r;
        return std::nullopt;
      })
      .get();
}

engine::OrderRecord order_or_404(Services& s, OrderId id) {
  auto r = find_order(s, id);
  if (!r) fail(404, "not_found", std::string("unknown order ").append(std::to_string(id.value)), "order_id");
  return *r;
}

// Funds the user lacks rights on; unknown funds are left to the engine (422 not_found).
void require_trading_rights(Services& s, const User& u, const OrderSpec& spec) {
  auto check = [&](const AccountId& a, const char* field) {
    if (s.ctx.reference.accounts.count(a) && !can_trade_account(u, a, s.ctx.reference))
      fail(403, "forbidden", "user " + u.id.value + " may not trade fund " + a.value, field);
  };
  if (spec.is_block())
    for (const auto& slice : spec.allocations) check(slice.account, "allocations");
  else check(spec.account, "account");
}

bool acknowledge_warnings(const json& j) {
  const json* a = opt(j, "acknowledge_warnings");
  if (!a) return false;
  if (!a->is_boolean()) fail(400, "wrong_type", "'acknowledge_warnings' must be true or false", "acknowledge_warnings");
  return a->get<bool>();
}

OrderSpec parse_order(Services& s, const json& j, const User& caller) {
  check_fields(j, {"account", "allocations", "symbol", "side", "ord_type", "quantity", "limit_price", "stop_price", "tif",
                   "expire_time", "settlement_date", "broker", "note", "decided_by", "acknowledge_warnings"});
  OrderSpec spec;
  const json* allocs = opt(j, "allocations");
  if (auto a = opt_string(j, "account")) spec.account = AccountId{*a};
  if (allocs) {
    if (!allocs->is_array()) fail(400, "wrong_type", "'allocations' must be a list of {account, quantity}", "allocations");
    if (allocs->empty()) fail(400, "missing_field", "'allocations' must not be empty", "allocations");
    for (const auto& slice : *allocs) {
      if (!slice.is_object()) fail(400, "wrong_type", "each allocation must be an object", "allocations");
      check_fields(slice, {"account", "quantity"});
      const json* q = opt(slice, "quantity");
      if (!q) fail(400, "missing_field", "each allocation needs a quantity", "allocations");
      spec.allocations.push_back({AccountId{req_string(slice, "account")}, quantity_of(*q, "allocations")});
    }
    if (!spec.account.empty()) fail(400, "invalid_value", "give either 'account' or 'allocations', not both", "account");
  } else if (spec.account.empty()) {
    fail(400, "missing_field", "'account' (or 'allocations' for a block) is required", "account");
  }
  spec.symbol = Symbol{req_string(j, "symbol")};
  spec.side = enum_of<Side>(j, "side", parse_side);
  const json* qty = opt(j, "quantity");
  if (!qty) {
    if (!allocs) fail(400, "missing_field", "'quantity' is required", "quantity");
    // A block's quantity defaults to the sum of its allocations.
    for (const auto& slice : spec.allocations) spec.quantity += slice.quantity;
  } else {
    spec.quantity = quantity_of(*qty, "quantity");
  }
  if (const json* p = opt(j, "limit_price")) spec.limit_price = price_of(*p, "limit_price");
  if (const json* p = opt(j, "stop_price")) spec.stop_price = price_of(*p, "stop_price");
  if (opt(j, "ord_type")) spec.ord_type = enum_of<OrdType>(j, "ord_type", parse_ord_type);
  else if (spec.limit_price) spec.ord_type = spec.stop_price ? OrdType::StopLimit : OrdType::Limit;
  else spec.ord_type = spec.stop_price ? OrdType::Stop : OrdType::Market;
  if (opt(j, "tif")) spec.tif = enum_of<TimeInForce>(j, "tif", parse_tif);
  if (auto t = opt_string(j, "expire_time")) {
    auto ts = parse_iso8601(*t);
    if (!ts) fail(400, "invalid_value", "'expire_time': " + ts.error().message, "expire_time");
    spec.expire_time = *ts;
  }
  if (auto d = opt_string(j, "settlement_date")) {
    if (d->size() != 8 || !std::all_of(d->begin(), d->end(), [](char c) { return c >= '0' && c <= '9'; }) ||
        !parse_iso8601(d->substr(0, 4) + "-" + d->substr(4, 2) + "-" + d->substr(6, 2)))
      fail(400, "invalid_value", "'settlement_date' must be a date YYYYMMDD", "settlement_date");
    spec.settlement_date = *d;
  }
  if (auto b = opt_string(j, "broker")) spec.broker = BrokerId{*b};
  if (auto n = opt_string(j, "note")) spec.note = *n;
  spec.entered_by = caller.id;
  spec.decided_by = caller.id;
  if (auto d = opt_string(j, "decided_by"); d && *d != caller.id.value) {
    // Keying an order for a PM's decision is a trader's (or admin's) job; the PM named must hold the
    // rights on every fund of the order.
    if (!can_cancel_firmwide(caller))
      fail(403, "forbidden", "only a trader or admin may enter an order decided by someone else", "decided_by");
    const User* pm = s.ctx.users.find(UserId{*d});
    if (!pm) fail(422, "not_found", "unknown user " + *d, "decided_by");
    if (!can_trade_order(*pm, spec, s.ctx.reference))
      fail(422, "invalid_argument", "user " + *d + " has no rights on every fund of this order", "decided_by");
    spec.decided_by = pm->id;
  }
  return spec;
}

Response order_view(Services& s, OrderId id, int status) {
  auto r = find_order(s, id);
  json body{{"order_id", id.value}};
  if (r) body["order"] = order_json(*r);
  return json_response(status, body);
}

Response post_order(Services& s, Request& req) {
  const json j = parse_body(req);
  OrderSpec spec = parse_order(s, j, *req.user);
  require_trading_rights(s, *req.user, spec);
  // Compliance warnings place the order only when the caller says they have seen them.
  const bool acknowledged = acknowledge_warnings(j);
  auto result = s.ctx.engine.submit(engine::NewOrderCommand{std::move(spec), req.user->id, acknowledged}).get();
  if (!result) fail(result.error());
  return order_view(s, *result, 201);
}

bool matches(const engine::OrderRecord& r, const AccountId& account) {
  if (r.spec.account == account) return true;
  return std::any_of(r.spec.allocations.begin(), r.spec.allocations.end(),
                     [&](const AllocationSlice& a) { return a.account == account; });
}

Response list_orders(Services& s, Request& req) {
  std::optional<OrdStatus> status;
  std::optional<Workflow> workflow;
  std::optional<bool> live;
  std::size_t limit = 1000;
  for (const auto& [k, v] : req.query) {
    if (k == "status") {
      if (!(status = parse_ord_status(v))) fail(400, "invalid_value", "unknown status '" + v + "'", "status");
    } else if (k == "workflow") {
      if (!(workflow = parse_workflow(v))) fail(400, "invalid_value", "unknown workflow '" + v + "'", "workflow");
    } else if (k == "live") {
      if (v != "true" && v != "false") fail(400, "invalid_value", "live must be true or false", "live");
      live = v == "true";
    } else if (k == "limit") {
      if (v.empty() || v.size() > 6 || !std::all_of(v.begin(), v.end(), ::isdigit) || std::stoul(v) == 0)
        fail(400, "invalid_value", "limit must be a positive integer", "limit");
      limit = std::stoul(v);
    } else if (k != "account" && k != "symbol" && k != "broker" && k != "token") {
      fail(400, "unknown_field", "unknown filter '" + k + "'", k);
    }
  }
  const auto q = req.query;
  auto orders = s.ctx.engine
                    .query([&](const engine::EngineState& st) {
                      json out = json::array();
                      for (auto it = st.orders().rbegin(); it != st.orders().rend() && out.size() < limit; ++it) {
                        const auto& r = it->second;
                        if (status && shown_status(r) != *status) continue;
                        if (workflow && r.workflow != *workflow) continue;
                        if (live && r.is_live() != *live) continue;
                        if (auto a = q.find("account"); a != q.end() && !matches(r, AccountId{a->second})) continue;
                        if (auto sy = q.find("symbol"); sy != q.end() && r.spec.symbol.value != sy->second) continue;
                        if (auto b = q.find("broker"); b != q.end() && r.broker.value != b->second &&
                                                         r.spec.broker.value != b->second)
                          continue;
                        out.push_back(order_json(r));
                      }
                      return out;
                    })
                    .get();
  return json_response(200, json{{"orders", orders}});
}

Response show_order(Services& s, Request& req) {
  const OrderId id = order_id_param(req);
  const auto r = order_or_404(s, id);
  json body = order_json(r);
  json chain = json::array();
  for (const auto& c : r.book.chain) chain.push_back(c.value);
  body["chain"] = chain;
  json fills = json::array();
  for (const auto& f : r.book.fills)
    fills.push_back({{"exec_id", f.exec_id.value}, {"quantity", f.qty.to_string()}, {"price", f.px.to_string()},
                     {"busted", f.busted}});
  body["fills"] = fills;
  body["alerts"] = s.ctx.engine
                       .query([id](const engine::EngineState& st) {
                         json out = json::array();
                         for (const auto& a : st.alerts())
                           if (a.order_id == id) out.push_back(store::to_json(a));
                         return out;
                       })
                       .get();
  if (s.ctx.history) {
    auto events = s.ctx.history();
    if (!events) fail(events.error());
    json ev = json::array();
    for (const auto& e : *events)
      if (e.order_id == id) ev.push_back(store::to_json(e));
    body["events"] = ev;
  } else {
    body["events"] = nullptr;  // no event log wired: unknown, not empty
  }
  return json_response(200, json{{"order", body}});
}

Response cancel_order(Services& s, Request& req) {
  const OrderId id = order_id_param(req);
  const json j = parse_body(req, true);
  check_fields(j, {});
  const auto r = order_or_404(s, id);
  if (!can_trade_order(*req.user, r.spec, s.ctx.reference))
    fail(403, "forbidden", "user " + req.user->id.value + " may not trade every fund of order " + std::to_string(id.value));
  if (auto st = s.ctx.engine.cancel(engine::CancelCommand{id, req.user->id}).get(); !st) fail(st.error());
  return order_view(s, id, 202);
}

Response replace_order(Services& s, Request& req) {
  const OrderId id = order_id_param(req);
  const json j = parse_body(req);
  check_fields(j, {"quantity", "limit_price", "stop_price", "tif", "acknowledge_warnings"});
  ReplaceSpec spec;
  if (const json* q = opt(j, "quantity")) spec.quantity = quantity_of(*q, "quantity");
  if (const json* p = opt(j, "limit_price")) spec.limit_price = price_of(*p, "limit_price");
  if (const json* p = opt(j, "stop_price")) spec.stop_price = price_of(*p, "stop_price");
  if (opt(j, "tif")) spec.tif = enum_of<TimeInForce>(j, "tif", parse_tif);
  if (!spec.quantity && !spec.limit_price && !spec.stop_price && !spec.tif)
    fail(400, "missing_field", "give at least one of quantity, limit_price, stop_price, tif", "quantity");
  const auto r = order_or_404(s, id);
  if (!can_trade_order(*req.user, r.spec, s.ctx.reference))
    fail(403, "forbidden", "user " + req.user->id.value + " may not trade every fund of order " + std::to_string(id.value));
  if (auto st = s.ctx.engine.replace(engine::ReplaceCommand{id, spec, req.user->id, acknowledge_warnings(j)}).get(); !st)
    fail(st.error());
  return order_view(s, id, 202);
}

// The kill switch: cancels every live order of one fund, of one broker, or everything.
Response cancel_all(Services& s, Request& req) {
  const json j = parse_body(req);
  check_fields(j, {"account", "broker", "all"});
  const auto account = opt_string(j, "account");
  const auto broker = opt_string(j, "broker");
  bool all = false;
  if (const json* a = opt(j, "all")) {
    if (!a->is_boolean()) fail(400, "wrong_type", "'all' must be true or false", "all");
    all = a->get<bool>();
  }
  const int scopes = (account ? 1 : 0) + (broker ? 1 : 0) + (all ? 1 : 0);
  if (scopes != 1) fail(400, "invalid_value", "give exactly one of account, broker or all: true", "account");
  const User& u = *req.user;
  json scope;
  if (account) {
    if (!s.ctx.reference.accounts.count(AccountId{*account}))
      fail(422, "not_found", "unknown account " + *account, "account");
    if (!can_trade_account(u, AccountId{*account}, s.ctx.reference))
      fail(403, "forbidden", "user " + u.id.value + " may not trade fund " + *account, "account");
    scope = {{"account", *account}};
  } else {
    if (!can_cancel_firmwide(u))
      fail(403, "forbidden", "only a trader or admin may cancel across funds", broker ? "broker" : "all");
    scope = broker ? json{{"broker", *broker}} : json{{"all", true}};
  }
  const auto targets = s.ctx.engine
                           .query([&](const engine::EngineState& st) {
                             std::vector<engine::OrderRecord> out;
                             for (const auto& [id, r] : st.orders()) {
                               if (!r.is_live()) continue;
                               if (account && !matches(r, AccountId{*account})) continue;
                               if (broker && r.broker.value != *broker && r.spec.broker.value != *broker) continue;
                               out.push_back(r);
                             }
                             return out;
                           })
                           .get();
  json requested = json::array(), failed = json::array();
  std::vector<std::pair<OrderId, std::future<Status>>> pending;
  for (const auto& r : targets) {
    if (!can_trade_order(u, r.spec, s.ctx.reference)) {
      failed.push_back({{"order_id", r.id.value},
                        {"error", {{"code", "forbidden"}, {"message", "a fund of this block is not yours"}}}});
      continue;
    }
    pending.emplace_back(r.id, s.ctx.engine.cancel(engine::CancelCommand{r.id, u.id}));
  }
  for (auto& [id, fut] : pending) {
    const Status st = fut.get();
    if (st) requested.push_back(id.value);
    else failed.push_back({{"order_id", id.value}, {"error", {{"code", to_string(st.error().code)}, {"message", st.error().message}}}});
  }
  return json_response(200, json{{"scope", scope}, {"requested", requested}, {"failed", failed}});
}

}  // namespace

// A block's allocation: where each fund stands (target, allocated so far), the final average-price allocation
// and its status at the broker.
json allocation_view(Services& s, OrderId id) {
  return s.ctx.engine
      .query([id](const engine::EngineState& st) {
        const auto* block = st.block(id);
        if (!block) return json(nullptr);
        json accounts = json::array();
        for (const auto& a : block->accounts())
          accounts.push_back({{"account", a.account.value}, {"target", a.target.to_string()},
                              {"allocated", a.allocated.to_string()}});
        json out{{"order_id", id.value}, {"state", std::string(allocation::to_string(block->status()))},
                 {"cum_qty", block->cum_qty().to_string()}, {"accounts", accounts}, {"allocation", nullptr}};
        if (const auto* rec = st.allocation(id)) {
          json lines = json::array();
          const allocation::FinalAllocation& f = rec->fixed.allocation;
          for (const auto& l : f.accounts)
            lines.push_back({{"account", l.account.value}, {"quantity", l.quantity.to_string()},
                             {"gross", l.gross.to_string(2)}, {"commission", l.commission.to_string(2)},
                             {"fees", l.fees.to_string(2)}});
          out["allocation"] = {{"alloc_id", rec->fixed.alloc_id}, {"ref_alloc_id", rec->fixed.ref_alloc_id},
                               {"version", f.version}, {"amended", f.amended},
                               {"reason", rec->fixed.reason}, {"status", rec->status}, {"rej_code", rec->rej_code},
                               {"text", rec->text}, {"fixed_by", rec->fixed_by.value},
                               {"fixed_at", to_iso8601(rec->fixed_at)}, {"quantity", f.quantity.to_string()},
                               {"avg_px", f.avg_px.to_string()}, {"gross", f.gross.to_string(2)},
                               {"commission", f.commission.to_string(2)}, {"lines", lines},
                               {"alloc_ids", rec->alloc_ids}};
        }
        return out;
      })
      .get();
}

Response show_allocation(Services& s, Request& req) {
  const OrderId id = order_id_param(req);
  (void)order_or_404(s, id);
  json view = allocation_view(s, id);
  if (view.is_null()) fail(404, "not_found", "order " + std::to_string(id.value) + " is not a block order", "order_id");
  return json_response(200, json{{"allocation", view}});
}

// A PM amends the final allocation before the broker accepts it: {"allocations": [{"account", "quantity"}, ...],
// "acknowledge_warnings"}. The caller must trade every fund of the order.
Response amend_allocation(Services& s, Request& req) {
  const OrderId id = order_id_param(req);
  const json j = parse_body(req);
  check_fields(j, {"allocations", "acknowledge_warnings"});
  const json* list = opt(j, "allocations");
  if (!list) fail(400, "missing_field", "'allocations' is required", "allocations");
  if (!list->is_array() || list->empty()) fail(400, "wrong_type", "'allocations' must be a non-empty array", "allocations");
  std::vector<AllocationSlice> quantities;
  for (const auto& item : *list) {
    if (!item.is_object()) fail(400, "wrong_type", "each allocation must be an object", "allocations");
    check_fields(item, {"account", "quantity"});
    const json* q = opt(item, "quantity");
    if (!q) fail(400, "missing_field", "'quantity' is required in each allocation", "allocations");
    quantities.push_back({AccountId{req_string(item, "account")}, quantity_of(*q, "quantity")});
  }
  const auto r = order_or_404(s, id);
  if (!can_trade_order(*req.user, r.spec, s.ctx.reference))
    fail(403, "forbidden", "user " + req.user->id.value + " may not trade every fund of order " + std::to_string(id.value));
  engine::AmendAllocationCommand cmd{id, std::move(quantities), req.user->id, acknowledge_warnings(j)};
  if (auto st = s.ctx.engine.amend_allocation(std::move(cmd)).get(); !st) fail(st.error());
  return json_response(202, json{{"allocation", allocation_view(s, id)}});
}

void add_order_routes(Router& router, Services& s) {
  Services* sp = &s;
  router.add({"POST", "/api/v1/orders", Access::trade, [sp](Request& r) { return post_order(*sp, r); }, {}});
  router.add({"GET", "/api/v1/orders", Access::read, [sp](Request& r) { return list_orders(*sp, r); }, {}});
  router.add({"GET", "/api/v1/orders/{id}", Access::read, [sp](Request& r) { return show_order(*sp, r); }, {}});
  router.add({"POST", "/api/v1/orders/{id}/cancel", Access::trade, [sp](Request& r) { return cancel_order(*sp, r); }, {}});
  router.add({"POST", "/api/v1/orders/{id}/replace", Access::trade, [sp](Request& r) { return replace_order(*sp, r); }, {}});
  router.add({"GET", "/api/v1/orders/{id}/allocation", Access::read, [sp](Request& r) { return show_allocation(*sp, r); }, {}});
  router.add({"POST", "/api/v1/orders/{id}/allocation", Access::trade, [sp](Request& r) { return amend_allocation(*sp, r); }, {}});
  router.add({"POST", "/api/v1/cancel-all", Access::trade, [sp](Request& r) { return cancel_all(*sp, r); }, {}});
}

}  // namespace oms::api
