// Read-only routes: who am I, positions and cash, accounts, instruments, FIX sessions, audit trail,
// alerts, health and metrics.
#include <algorithm>
#include <map>

#include "internal.hpp"
#include "oms/store/event_codec.hpp"
#include "views.hpp"

namespace oms::api {

using nlohmann::json;

json sessions_json(const std::vector<FixSessionInfo>& sessions) {
  json out = json::array();
  for (const auto& s : sessions)
    out.push_back({{"name", s.name},
                   {"session_id", s.session_id},
                   {"logged_on", s.logged_on},
                   {"next_sender_seq", s.next_sender_seq},
                   {"next_target_seq", s.next_target_seq},
                   {"last_error", s.last_error}});
  return out;
}

namespace {

void only_filters(const Request& req, std::initializer_list<const char*> allowed) {
  for (const auto& [k, v] : req.query)
    if (k != "token" && std::none_of(allowed.begin(), allowed.end(), [&](const char* a) { return k == a; }))
      fail(400, "unknown_field", "unknown filter '" + k + "'", k);
}

std::uint64_t positive_int(const std::string& v, const char* field) {
  if (v.empty() || v.size() > 18 || !std::all_of(v.begin(), v.end(), [](char c) { return c >= '0' && c <= '9'; }))
    fail(400, "invalid_value", std::string(field) + " must be a non-negative integer", field);
  return std::stoull(v);
}

Response me(Services& s, Request& req) {
  const User& u = *req.user;
  json roles = json::array(), funds = json::array();
  for (auto r : u.roles) roles.push_back(to_string(r));
  for (const auto& [id, a] : s.ctx.reference.accounts)
    if (can_trade_account(u, id, s.ctx.reference)) funds.push_back(id.value);
  return json_response(200, json{{"id", u.id.value}, {"name", u.name}, {"roles", roles}, {"tradable_accounts", funds}});
}

Response positions(Services& s, Request& req) {
  only_filters(req, {"account"});
  std::optional<AccountId> account;
  if (auto it = req.query.find("account"); it != req.query.end()) {
    account = AccountId{it->second};
    if (!s.ctx.reference.accounts.count(*account)) fail(404, "not_found", "unknown account " + it->second, "account");
  }
  auto body = s.ctx.engine
                  .query([&](const engine::EngineState& st) {
                    json pos = json::array(), cash = json::array();
                    for (const auto& [key, p] : st.positions())
                      if (!account || key.account == *account) pos.push_back(position_json(p));
                    for (const auto& [id, m] : st.cash())
                      if (!account || id == *account) cash.push_back({{"account", id.value}, {"cash", m.to_string()}});
                    return json{{"positions", pos}, {"cash", cash}};
                  })
                  .get();
  return json_response(200, body);
}

Response accounts(Services& s, Request& req) {
  only_filters(req, {});
  auto cash = s.ctx.engine.query([](const engine::EngineState& st) { return st.cash(); }).get();
  json out = json::array();
  for (const auto& [id, a] : s.ctx.reference.accounts) {
    auto it = cash.find(id);
    out.push_back(account_json(a, it == cash.end() ? nullptr : &it->second));
  }
  return json_response(200, json{{"accounts", out}});
}

Response instruments(Services& s, Request& req) {
  only_filters(req, {"symbol"});
  std::vector<const Instrument*> list;
  for (const auto& [sym, i] : s.ctx.reference.instruments)
    if (!req.query.count("symbol") || sym.value == req.query.at("symbol")) list.push_back(&i);
  std::sort(list.begin(), list.end(), [](auto* a, auto* b) { return a->symbol < b->symbol; });
  json out = json::array();
  for (const auto* i : list) out.push_back(instrument_json(*i));
  return json_response(200, json{{"instruments", out}});
}

Response sessions(Services& s, Request& req) {
  only_filters(req, {});
  return json_response(200, json{{"sessions", sessions_json(s.ctx.sessions ? s.ctx.sessions() : std::vector<FixSessionInfo>{})}});
}

// Newest first. Filters: order_id, actor, since (ISO 8601 UTC or integer nanoseconds), limit (<= 10000).
Response audit(Services& s, Request& req) {
  only_filters(req, {"order_id", "actor", "since", "limit"});
  if (!s.ctx.history) fail(503, "unavailable", "no event log is wired to the API");
  std::optional<std::uint64_t> order_id;
  std::optional<Timestamp> since;
  std::size_t limit = 100;
  if (auto it = req.query.find("order_id"); it != req.query.end()) order_id = positive_int(it->second, "order_id");
  if (auto it = req.query.find("since"); it != req.query.end()) {
    if (!it->second.empty() && std::all_of(it->second.begin(), it->second.end(), [](char c) { return c >= '0' && c <= '9'; }))
      since = from_nanos(static_cast<std::int64_t>(positive_int(it->second, "since")));
    else if (auto t = parse_iso8601(it->second)) since = *t;
    else fail(400, "invalid_value", "since: " + t.error().message, "since");
  }
  if (auto it = req.query.find("limit"); it != req.query.end()) {
    limit = positive_int(it->second, "limit");
    if (limit == 0 || limit > 10000) fail(400, "invalid_value", "limit must be between 1 and 10000", "limit");
  }
  const std::string* actor = req.query.count("actor") ? &req.query.at("actor") : nullptr;
  auto events = s.ctx.history();
  if (!events) fail(events.error());
  json out = json::array();
  for (auto it = events->rbegin(); it != events->rend() && out.size() < limit; ++it) {
    if (order_id && it->order_id.value != *order_id) continue;
    if (actor && it->actor.value != *actor) continue;
    if (since && it->time < *since) continue;
    out.push_back(store::to_json(*it));
  }
  return json_response(200, json{{"events", out}});
}

Response alerts(Services& s, Request& req) {
  only_filters(req, {});
  auto out = s.ctx.engine
                 .query([](const engine::EngineState& st) {
                   json a = json::array();
                   for (auto it = st.alerts().rbegin(); it != st.alerts().rend(); ++it) a.push_back(store::to_json(*it));
                   return a;
                 })
                 .get();
  return json_response(200, json{{"alerts", out}});
}

Response metrics(Services& s, Request&) {
  const auto counts = s.ctx.engine
                          .query([](const engine::EngineState& st) {
                            std::map<std::pair<std::string, std::string>, std::uint64_t> c;
                            for (const auto& [id, r] : st.orders())
                              ++c[{std::string(to_string(shown_status(r))), std::string(to_string(r.workflow))}];
                            return c;
                          })
                          .get();
  std::string out;
  out += "# HELP oms_orders Orders by OrdStatus and workflow.\n# TYPE oms_orders gauge\n";
  for (const auto& [k, n] : counts)
    out += "oms_orders{status=\"" + k.first + "\",workflow=\"" + k.second + "\"} " + std::to_string(n) + "\n";
  out += "# HELP oms_fix_session_logged_on 1 when the FIX session is logged on.\n# TYPE oms_fix_session_logged_on gauge\n";
  if (s.ctx.sessions)
    for (const auto& fs : s.ctx.sessions())
      out += "oms_fix_session_logged_on{session=\"" + fs.name + "\"} " + (fs.logged_on ? "1" : "0") + "\n";
  out += "# HELP oms_stream_clients Connected WebSocket stream clients.\n# TYPE oms_stream_clients gauge\n";
  out += std::string("oms_stream_clients ").append(std::to_string(s.hub.clients())) + "\n";
  out += s.metrics.render();
  Response r;
  r.content_type = "text/plain; version=0.0.4; charset=utf-8";
  r.body = std::move(out);
  return r;
}

}  // namespace

void add_view_routes(Router& router, Services& s) {
  Services* sp = &s;
  auto add = [&](const char* method, const char* pattern, Access access, Response (*fn)(Services&, Request&)) {
    router.add({method, pattern, access, [sp, fn](Request& r) { return fn(*sp, r); }, {}});
  };
  router.add({"GET", "/healthz", Access::open, [](Request&) { return json_response(200, json{{"status", "ok"}}); }, {}});
  add("GET", "/api/v1/healthz", Access::open, [](Services&, Request&) { return json_response(200, json{{"status", "ok"}}); });
  add("GET", "/api/v1/me", Access::read, me);
  add("GET", "/api/v1/positions", Access::read, positions);
  add("GET", "/api/v1/accounts", Access::read, accounts);
  add("GET", "/api/v1/instruments", Access::read, instruments);
  add("GET", "/api/v1/fix/sessions", Access::read, sessions);
  add("GET", "/api/v1/audit", Access::audit, audit);
  add("GET", "/api/v1/alerts", Access::read, alerts);
  add("GET", "/metrics", Access::read, metrics);
  add("GET", "/api/v1/metrics", Access::read, metrics);
}

}  // namespace oms::api
