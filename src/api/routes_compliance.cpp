// Pre-trade compliance over HTTP: what-if, approvals, rule book (see include/oms/api/compliance_routes.hpp).
#include <algorithm>
#include <cctype>

#include "internal.hpp"
#include "oms/api/compliance_routes.hpp"
#include "oms/compliance/tools.hpp"

namespace oms::api {

namespace {

using nlohmann::json;

json body_of(const Request& req) {
  if (std::all_of(req.body.begin(), req.body.end(), [](char c) { return std::isspace(static_cast<unsigned char>(c)); }))
    return json::object();
  json j = json::parse(req.body, nullptr, false);
  if (j.is_discarded()) fail(400, "malformed_json", "the body is not valid JSON");
  if (!j.is_object()) fail(400, "wrong_type", "the body must be a JSON object");
  return j;
}

std::string str(const json& j, const char* key, bool required) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) {
    if (required) fail(400, "missing_field", std::string("'") + key + "' is required", key);
    return {};
  }
  if (!it->is_string()) fail(400, "wrong_type", std::string("'") + key + "' must be a string", key);
  return it->get<std::string>();
}

// Quantities: decimal strings or JSON integers (never numbers with a fraction).
Quantity qty_of(const json& v, const char* field) {
  std::string text;
  if (v.is_string()) text = v.get<std::string>();
  else if (v.is_number_integer()) text = v.dump();
  else fail(400, "wrong_type", std::string("'") + field + "' must be an integer or a decimal string", field);
  auto q = Quantity::parse(text);
  if (!q) fail(400, "invalid_number", std::string("'") + field + "': " + q.error().message, field);
  return *q;
}

std::optional<Price> price_of(const json& j, const char* key) {
  const std::string text = str(j, key, false);
  if (text.empty()) return std::nullopt;
  auto p = Price::parse(text);
  if (!p) fail(400, "invalid_number", std::string("'") + key + "': " + p.error().message, key);
  return *p;
}

template <class E>
E enum_of(const std::string& text, const char* key, std::optional<E> (*parse)(std::string_view)) {
  auto e = parse(text);
  if (!e) fail(400, "invalid_value", std::string("'") + key + "': unknown value '" + text + "'", key);
  return *e;
}

// The order fields that matter to compliance, named as in POST /api/v1/orders.
OrderSpec order_of(const json& j, const User& caller) {
  OrderSpec spec;
  spec.account = AccountId{str(j, "account", false)};
  if (auto it = j.find("allocations"); it != j.end() && !it->is_null()) {
    if (!it->is_array()) fail(400, "wrong_type", "'allocations' must be a list of {account, quantity}", "allocations");
    for (const auto& slice : *it) {
      if (!slice.is_object() || !slice.contains("quantity"))
        fail(400, "wrong_type", "each allocation is {account, quantity}", "allocations");
      spec.allocations.push_back({AccountId{str(slice, "account", true)}, qty_of(slice.at("quantity"), "allocations")});
    }
  }
  spec.symbol = Symbol{str(j, "symbol", true)};
  spec.side = enum_of<Side>(str(j, "side", true), "side", parse_side);
  if (auto it = j.find("quantity"); it != j.end() && !it->is_null()) {
    spec.quantity = qty_of(*it, "quantity");
  } else {
    for (const auto& slice : spec.allocations) spec.quantity += slice.quantity;
  }
  spec.limit_price = price_of(j, "limit_price");
  spec.stop_price = price_of(j, "stop_price");
  if (const std::string t = str(j, "ord_type", false); !t.empty()) spec.ord_type = enum_of<OrdType>(t, "ord_type", parse_ord_type);
  else if (spec.limit_price) spec.ord_type = spec.stop_price ? OrdType::StopLimit : OrdType::Limit;
  else spec.ord_type = spec.stop_price ? OrdType::Stop : OrdType::Market;
  if (const std::string t = str(j, "tif", false); !t.empty()) spec.tif = enum_of<TimeInForce>(t, "tif", parse_tif);
  spec.entered_by = spec.decided_by = caller.id;
  return spec;
}

OrderId order_id_of(const Request& req) {
  const std::string& s = req.params.at(0);
  if (s.empty() || s.size() > 18 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    fail(404, "not_found", "unknown order " + s, "order_id");
  return OrderId{std::stoull(s)};
}

Response what_if(const ComplianceRoutesContext& c, Request& req) {
  const OrderSpec spec = order_of(body_of(req), *req.user);
  if (!can_trade_order(*req.user, spec, c.reference))
    fail(403, "forbidden", "no trading rights on every fund of this order", "account");
  auto r = c.engine.what_if(spec).get();
  if (!r) return error_response(r.error());
  return json_response(200, json::parse(*r));
}

Response approvals(const ComplianceRoutesContext& c, Request&) {
  auto held = c.engine
                  .query([](const engine::EngineState& s) {
                    std::vector<engine::OrderRecord> out;
                    for (const auto& [id, r] : s.orders())
                      if (r.workflow == Workflow::HeldForApproval && r.is_live()) out.push_back(r);
                    return out;
                  })
                  .get();
  json list = json::array();
  for (const auto& r : held) {
    json allocations = json::array();
    for (const auto& a : r.spec.allocations)
      allocations.push_back({{"account", a.account.value}, {"quantity", a.quantity.to_string()}});
    list.push_back({{"order_id", r.id.value},
                    {"account", r.spec.account.value},
                    {"allocations", std::move(allocations)},
                    {"symbol", r.spec.symbol.value},
                    {"side", to_string(r.spec.side)},
                    {"quantity", r.spec.quantity.to_string()},
                    {"limit_price", r.spec.limit_price ? json(r.spec.limit_price->to_string()) : json(nullptr)},
                    {"created_by", r.created_by.value},
                    {"created_ns", to_nanos(r.created)},
                    {"reason", r.workflow_reason}});
  }
  return json_response(200, {{"approvals", std::move(list)}});
}

Response decide(const ComplianceRoutesContext& c, Request& req, bool approve) {
  const OrderId id = order_id_of(req);
  const json body = body_of(req);
  const std::string reason = str(body, "reason", !approve);
  auto st = approve ? c.engine.approve(id, req.user->id, reason).get() : c.engine.reject(id, req.user->id, reason).get();
  if (!st) return error_response(st.error());
  return json_response(200, {{"order_id", id.value}, {"approved", approve}});
}

json book_json(const compliance::RuleBook& book) {
  json rules = json::array();
  for (const auto& r : book.rules())
    rules.push_back({{"id", r.id},
                     {"type", std::string(compliance::to_string(r.type))},
                     {"severity", std::string(compliance::to_string(r.severity))},
                     {"description", r.description},
                     {"source", r.source},
                     {"location", r.location.file + ":" + std::to_string(r.location.line)}});
  return {{"version", book.version()}, {"rule_count", book.rules().size()}, {"rules", std::move(rules)}};
}

json version_json(const engine::EventRecord& e) {
  const auto& v = std::get<engine::RuleBookLoaded>(e.payload);
  json files = json::array();
  for (const auto& f : v.files) files.push_back({{"name", f.name}, {"hash", f.hash}});
  return {{"seq", e.seq},
          {"version", v.version},
          {"loaded_ns", to_nanos(e.time)},
          {"loaded_at", to_iso8601(e.time)},
          {"loaded_by", v.loaded_by},
          {"rule_count", v.rule_count},
          {"directory", v.directory},
          {"files", std::move(files)},
          {"previous", v.previous_version}};
}

std::vector<engine::EventRecord> recorded_versions(const ComplianceRoutesContext& c) {
  return c.engine.query([](const engine::EngineState& s) { return s.rule_books(); }).get();
}

// When and by whom the version `book` was recorded (null fields when it is not the recorded version in force).
void add_loaded(json& j, const std::optional<engine::EventRecord>& in_force, const compliance::RuleBook& book) {
  const bool known = in_force && std::get<engine::RuleBookLoaded>(in_force->payload).version == book.version();
  j["loaded_ns"] = known ? json(to_nanos(in_force->time)) : json(nullptr);
  j["loaded_at"] = known ? json(to_iso8601(in_force->time)) : json(nullptr);
  j["loaded_by"] = known ? json(std::get<engine::RuleBookLoaded>(in_force->payload).loaded_by) : json(nullptr);
}

Response reload(const ComplianceRoutesContext& c, Request& req) {
  // Through the engine's core thread: the swap falls between two evaluations, and the outcome is recorded.
  auto reload = c.engine.reload_rules(c.rules_dir, req.user->id.value).get();
  const auto& result = reload.result;
  if (!result.ok()) {
    json errors = json::array();
    for (const auto& e : result.errors) errors.push_back(e.to_string());
    return json_response(422, {{"error", {{"code", "invalid_argument"},
                                          {"message", "rule book not loaded; the current one stays in force"}}},
                               {"errors", std::move(errors)},
                               {"version", c.rules.current()->version()}});
  }
  json j = book_json(*result.book);
  add_loaded(j, reload.in_force, *result.book);
  j["recorded"] = reload.recorded;
  j["message"] = reload.recorded ? "new version recorded"
                                 : "unchanged: same content hash as the version in force, nothing new recorded";
  return json_response(200, j);
}

Response show_rules(const ComplianceRoutesContext& c, Request&) {
  const auto book = c.rules.current();
  json j = book_json(*book);
  const auto versions = recorded_versions(c);
  add_loaded(j, versions.empty() ? std::nullopt : std::optional<engine::EventRecord>(versions.back()), *book);
  json history = json::array();
  for (const auto& h : c.rules.history())
    history.push_back({{"version", h.version}, {"loaded_ns", to_nanos(h.loaded_at)}, {"loaded_by", h.loaded_by},
                       {"rule_count", h.rule_count}});
  j["history"] = std::move(history);
  json errors = json::array();
  for (const auto& e : c.rules.last_errors()) errors.push_back(e.to_string());
  j["last_errors"] = std::move(errors);
  return json_response(200, j);
}

// Every recorded rule book version, newest first (from the event log, so it survives restarts).
Response versions(const ComplianceRoutesContext& c, Request&) {
  const auto recorded = recorded_versions(c);
  json list = json::array();
  for (auto it = recorded.rbegin(); it != recorded.rend(); ++it) list.push_back(version_json(*it));
  return json_response(200, {{"versions", std::move(list)}});
}

// End of day: every holdings-based rule over the current positions of every account (pending orders excluded).
Response end_of_day(const ComplianceRoutesContext& c, Request& req) {
  bool csv = false;
  for (const auto& [k, v] : req.query) {
    if (k != "format") fail(400, "unknown_field", "unknown filter '" + k + "'", k);
    if (v == "csv") csv = true;
    else if (v != "json") fail(400, "invalid_value", "'format' is json or csv, not '" + v + "'", "format");
  }
  const auto book = c.rules.current();
  // A copy taken on the core thread; the batch then runs on this HTTP worker without holding the engine.
  const auto state = c.engine.query([](const engine::EngineState& s) { return s.compliance(); }).get();
  const auto rows = compliance::run_batch(*book, state, c.clock.now());
  if (!csv) {
    json j = compliance::batch_to_json(*book, rows);
    j["as_of"] = to_iso8601(c.clock.now());
    return json_response(200, j);
  }
  Response r;
  r.content_type = "text/csv";
  r.body = compliance::batch_to_csv(rows);
  r.headers.emplace_back("Content-Disposition", "attachment; filename=\"compliance-eod.csv\"");
  return r;
}

}  // namespace

std::vector<Route> compliance_routes(const ComplianceRoutesContext& ctx) {
  const ComplianceRoutesContext* c = &ctx;
  return {
      {"POST", "/api/v1/compliance/what-if", Access::trade, [c](Request& r) { return what_if(*c, r); }, {}},
      {"GET", "/api/v1/approvals", Access::compliance, [c](Request& r) { return approvals(*c, r); }, {}},
      {"POST", "/api/v1/orders/{id}/approve", Access::compliance, [c](Request& r) { return decide(*c, r, true); }, {}},
      {"POST", "/api/v1/orders/{id}/reject", Access::compliance, [c](Request& r) { return decide(*c, r, false); }, {}},
      {"POST", "/api/v1/rules/reload", Access::compliance, [c](Request& r) { return reload(*c, r); }, {}},
      {"GET", "/api/v1/rules", Access::read, [c](Request& r) { return show_rules(*c, r); }, {}},
      {"GET", "/api/v1/rules/versions", Access::read, [c](Request& r) { return versions(*c, r); }, {}},
      {"GET", "/api/v1/compliance/eod", Access::compliance, [c](Request& r) { return end_of_day(*c, r); }, {}},
  };
}

}  // namespace oms::api
