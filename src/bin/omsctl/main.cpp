// omsctl: the OMS from a terminal, over the HTTP API. Human-readable tables by default, --json for
// scripts (the server's JSON as it came).
//
// Exit codes: 0 ok, 1 the server refused the request (HTTP 4xx/5xx; the error is printed) or an offline rule
// book check/test failed, 2 usage (bad arguments, no token), 3 cannot connect (or the connection failed / timed
// out). `rules check|test DIR` run offline (see compliance_commands.hpp).
#include <CLI/CLI.hpp>

#include <cstdlib>
#include <functional>
#include <iostream>

#include "compliance_commands.hpp"
#include "oms/api/client.hpp"
#include "render.hpp"

namespace {

using nlohmann::json;
namespace client = oms::api::client;

constexpr int kOk = 0, kRefused = 1, kUsage = 2, kNoConnection = 3;

struct Options {
  std::string url{"http://127.0.0.1:8080"};
  std::string token;
  bool json_out{false};
  int timeout_s{30};
};

std::string url_encode(const std::string& s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' || c == ':') out.push_back(static_cast<char>(c));
    else out += std::string{'%', hex[c >> 4], hex[c & 15]};
  }
  return out;
}

std::string query(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [k, v] : params)
    if (!v.empty()) out += (out.empty() ? "?" : "&") + k + "=" + url_encode(v);
  return out;
}

class Api {
 public:
  explicit Api(const Options& o) : o_(o) {}

  // Performs the request; prints the answer (render for humans, raw for --json). Returns the exit code.
  int run(const std::string& method, const std::string& path, const json& body,
          const std::function<std::string(const json&)>& render) {
    auto url = client::parse_url(o_.url);
    if (!url) {
      std::cerr << "omsctl: --url " << o_.url << ": " << url.error().message << "\n";
      return kUsage;
    }
    if (o_.token.empty()) {
      std::cerr << "omsctl: no token: pass --token or set OMS_TOKEN\n";
      return kUsage;
    }
    client::HttpClient http(url->host, url->port, std::chrono::seconds(o_.timeout_s));
    auto r = http.request(method, url->base_path + path, body.is_null() ? std::string{} : body.dump(),
                          {{"Authorization", "Bearer " + o_.token}});
    if (!r) {
      std::cerr << "omsctl: cannot reach the OMS at " << o_.url << ": " << r.error().message << "\n";
      return kNoConnection;
    }
    const json answer = json::parse(r->body, nullptr, false);
    if (r->status >= 400) {
      if (o_.json_out) std::cout << r->body << "\n";
      if (answer.is_object() && answer.contains("error")) {
        const auto& e = answer["error"];
        std::cerr << "omsctl: refused (HTTP " << r->status << " " << e.value("code", "") << "): " << e.value("message", "");
        if (e.contains("field")) std::cerr << " [field: " << e["field"].get<std::string>() << "]";
        std::cerr << "\n";
        // e.g. a rule book reload: every file:line:col
        if (answer.contains("errors") && answer["errors"].is_array())
          for (const auto& line : answer["errors"]) std::cerr << "  " << omsctl::text(line) << "\n";
      } else {
        std::cerr << "omsctl: refused (HTTP " << r->status << ")\n";
      }
      return kRefused;
    }
    if (o_.json_out || answer.is_discarded()) {
      std::cout << r->body << (r->body.empty() || r->body.back() != '\n' ? "\n" : "");
    } else {
      std::cout << render(answer);
    }
    return kOk;
  }

 private:
  const Options& o_;
};

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"omsctl: the order management system from a terminal"};
  app.require_subcommand(1);
  Options o;
  if (const char* env = std::getenv("OMS_TOKEN")) o.token = env;
  if (const char* env = std::getenv("OMS_URL")) o.url = env;
  app.add_option("--url", o.url, "the OMS API (default http://127.0.0.1:8080, or OMS_URL)");
  app.add_option("--token", o.token, "API token (default: the OMS_TOKEN environment variable)");
  app.add_flag("--json", o.json_out, "print the server's JSON instead of tables");
  app.add_option("--timeout", o.timeout_s, "seconds to wait for the server")->check(CLI::PositiveNumber);
  Api api(o);
  std::function<int()> action;

  // ---- orders
  auto* orders = app.add_subcommand("orders", "enter, list, show, cancel and amend orders");
  orders->require_subcommand(1);

  auto* neu = orders->add_subcommand("new", "enter an order (single fund, or a block with --alloc)");
  struct {
    std::string account, symbol, side, qty, limit, stop, type, tif, expire, settle, broker, note, decided_by;
    std::vector<std::string> allocs;
    bool acknowledge_warnings{false};
  } n;
  neu->add_option("--account", n.account, "the fund");
  neu->add_option("--alloc", n.allocs, "a block's share: FUND=QTY (repeat for each fund)");
  neu->add_option("--symbol", n.symbol, "instrument")->required();
  neu->add_option("--side", n.side, "buy, sell, sell_short, sell_short_exempt")->required();
  neu->add_option("--qty", n.qty, "quantity (exact decimal; defaults to the sum of --alloc)");
  neu->add_option("--limit", n.limit, "limit price");
  neu->add_option("--stop", n.stop, "stop price");
  neu->add_option("--type", n.type, "market, limit, stop, stop_limit (default from the prices given)");
  neu->add_option("--tif", n.tif, "DAY, GTC, IOC, FOK, GTD");
  neu->add_option("--expire-time", n.expire, "GTD expiry, UTC (2026-11-23T21:00:00Z)");
  neu->add_option("--settlement-date", n.settle, "YYYYMMDD");
  neu->add_option("--broker", n.broker, "FIX counterparty (default: the configured one)");
  neu->add_option("--note", n.note, "free text for the record");
  neu->add_option("--decided-by", n.decided_by, "the PM whose decision this is (traders keying for a PM)");
  neu->add_flag("--acknowledge-warnings", n.acknowledge_warnings,
                "place it despite compliance warnings (without it, a warned order is answered with them)");
  neu->callback([&] {
    json body = json::object();
    if (n.acknowledge_warnings) body["acknowledge_warnings"] = true;
    if (!n.allocs.empty()) {
      json allocs = json::array();
      for (const auto& a : n.allocs) {
        const auto eq = a.find('=');
        if (eq == std::string::npos || eq == 0 || eq + 1 == a.size())
          throw CLI::ValidationError("--alloc", "expected FUND=QTY, got '" + a + "'");
        allocs.push_back({{"account", a.substr(0, eq)}, {"quantity", a.substr(eq + 1)}});
      }
      body["allocations"] = allocs;
    }
    auto put = [&](const char* key, const std::string& v) {
      if (!v.empty()) body[key] = v;
    };
    put("account", n.account);
    put("symbol", n.symbol);
    put("side", n.side);
    put("quantity", n.qty);
    put("limit_price", n.limit);
    put("stop_price", n.stop);
    put("ord_type", n.type);
    put("tif", n.tif);
    put("expire_time", n.expire);
    put("settlement_date", n.settle);
    put("broker", n.broker);
    put("note", n.note);
    put("decided_by", n.decided_by);
    action = [&, body] {
      return api.run("POST", "/api/v1/orders", body, [](const json& a) {
        // 201 means recorded; compliance may still have rejected or held it, which the headline must say.
        const auto workflow = a["order"].value("workflow", std::string{});
        const char* what = workflow == "compliance_rejected" ? " rejected by compliance\n"
                           : workflow == "held_for_approval" ? " held for a compliance officer's approval\n"
                                                             : " accepted\n";
        return "order " + omsctl::text(a["order_id"]) + what + omsctl::render_order(a["order"]);
      });
    };
  });

  auto* list = orders->add_subcommand("list", "list orders, newest first");
  struct {
    std::string status, workflow, account, symbol, broker, limit;
    bool live{false};
  } l;
  list->add_option("--status", l.status, "OrdStatus (New, PartiallyFilled, Filled, ...)");
  list->add_option("--workflow", l.workflow, "routed, not_routed, working, ...");
  list->add_option("--account", l.account, "fund (also matches blocks)");
  list->add_option("--symbol", l.symbol, "instrument");
  list->add_option("--broker", l.broker, "FIX counterparty");
  list->add_option("--limit", l.limit, "at most this many");
  list->add_flag("--live", l.live, "only live orders");
  list->callback([&] {
    const std::string q = query({{"status", l.status}, {"workflow", l.workflow}, {"account", l.account},
                                 {"symbol", l.symbol}, {"broker", l.broker}, {"limit", l.limit},
                                 {"live", l.live ? "true" : ""}});
    action = [&, q] {
      return api.run("GET", "/api/v1/orders" + q, nullptr, [](const json& a) { return omsctl::render_orders(a["orders"]); });
    };
  });

  std::string order_id;
  auto* show = orders->add_subcommand("show", "an order with its fills, alerts and events");
  show->add_option("id", order_id, "order id")->required();
  show->callback([&] {
    action = [&] {
      return api.run("GET", "/api/v1/orders/" + url_encode(order_id), nullptr,
                     [](const json& a) { return omsctl::render_order(a["order"]); });
    };
  });

  auto* cancel = orders->add_subcommand("cancel", "ask the broker to cancel an order");
  cancel->add_option("id", order_id, "order id")->required();
  cancel->callback([&] {
    action = [&] {
      return api.run("POST", "/api/v1/orders/" + url_encode(order_id) + "/cancel", json::object(), [&](const json& a) {
        return "cancel requested for order " + order_id + " (status " + omsctl::text(a["order"]["status"]) + ")\n";
      });
    };
  });

  auto* replace = orders->add_subcommand("replace", "amend quantity, prices or time in force");
  struct {
    std::string qty, limit, stop, tif;
  } rp;
  replace->add_option("id", order_id, "order id")->required();
  replace->add_option("--qty", rp.qty, "new quantity");
  replace->add_option("--limit", rp.limit, "new limit price");
  replace->add_option("--stop", rp.stop, "new stop price");
  replace->add_option("--tif", rp.tif, "new time in force");
  replace->callback([&] {
    json body = json::object();
    if (!rp.qty.empty()) body["quantity"] = rp.qty;
    if (!rp.limit.empty()) body["limit_price"] = rp.limit;
    if (!rp.stop.empty()) body["stop_price"] = rp.stop;
    if (!rp.tif.empty()) body["tif"] = rp.tif;
    if (body.empty()) throw CLI::ValidationError("replace", "give at least one of --qty, --limit, --stop, --tif");
    action = [&, body] {
      return api.run("POST", "/api/v1/orders/" + url_encode(order_id) + "/replace", body, [&](const json&) {
        return "replace requested for order " + order_id + "\n";
      });
    };
  });

  // ---- kill switch
  auto* kill = app.add_subcommand("cancel-all", "cancel every live order of a fund, of a broker, or everything");
  struct {
    std::string account, broker;
    bool all{false};
  } k;
  auto* ka = kill->add_option("--account", k.account, "one fund");
  auto* kb = kill->add_option("--broker", k.broker, "one FIX counterparty");
  auto* kall = kill->add_flag("--all", k.all, "every live order");
  ka->excludes(kb)->excludes(kall);
  kb->excludes(kall);
  kill->callback([&] {
    json body;
    if (!k.account.empty()) body = {{"account", k.account}};
    else if (!k.broker.empty()) body = {{"broker", k.broker}};
    else if (k.all) body = {{"all", true}};
    else throw CLI::ValidationError("cancel-all", "give one of --account, --broker, --all");
    action = [&, body] { return api.run("POST", "/api/v1/cancel-all", body, omsctl::render_cancel_all); };
  });

  // ---- views
  std::string pos_account;
  auto* positions = app.add_subcommand("positions", "positions and cash per fund");
  positions->add_option("--account", pos_account, "one fund");
  positions->callback([&] {
    action = [&] {
      return api.run("GET", "/api/v1/positions" + query({{"account", pos_account}}), nullptr, omsctl::render_positions);
    };
  });
  app.add_subcommand("accounts", "funds, their NAV, cash and PMs")->callback([&] {
    action = [&] {
      return api.run("GET", "/api/v1/accounts", nullptr, [](const json& a) { return omsctl::render_accounts(a["accounts"]); });
    };
  });
  app.add_subcommand("sessions", "FIX sessions and their state")->callback([&] {
    action = [&] {
      return api.run("GET", "/api/v1/fix/sessions", nullptr, [](const json& a) { return omsctl::render_sessions(a["sessions"]); });
    };
  });
  app.add_subcommand("alerts", "alerts raised by the engine (breaks, DKs, rejects)")->callback([&] {
    action = [&] {
      return api.run("GET", "/api/v1/alerts", nullptr, [](const json& a) { return omsctl::render_events(a["alerts"]); });
    };
  });
  app.add_subcommand("whoami", "the user behind the token")->callback([&] {
    action = [&] {
      return api.run("GET", "/api/v1/me", nullptr, [](const json& a) {
        return omsctl::text(a["id"]) + " (" + omsctl::text(a["name"]) + ") roles: " + omsctl::text(a["roles"]) +
               "; may trade: " + omsctl::text(a["tradable_accounts"]) + "\n";
      });
    };
  });
  struct {
    std::string order_id, actor, since, limit;
  } au;
  auto* audit = app.add_subcommand("audit", "the audit trail, newest first");
  audit->add_option("--order", au.order_id, "one order");
  audit->add_option("--actor", au.actor, "one user (or system, broker:<session>)");
  audit->add_option("--since", au.since, "UTC time (2026-11-23T14:00:00Z)");
  audit->add_option("--limit", au.limit, "at most this many (default 100)");
  audit->callback([&] {
    const std::string q = query({{"order_id", au.order_id}, {"actor", au.actor}, {"since", au.since}, {"limit", au.limit}});
    action = [&, q] {
      return api.run("GET", "/api/v1/audit" + q, nullptr, [](const json& a) { return omsctl::render_events(a["events"]); });
    };
  });

  const omsctl::ApiCall call = [&api](const std::string& method, const std::string& path, const json& body,
                                      const std::function<std::string(const json&)>& render) {
    return api.run(method, path, body, render);
  };
  omsctl::add_compliance_commands(app, call, o.json_out, action);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);  // prints the message and the hint
    return kUsage;
  }
  return action ? action() : kUsage;
}
