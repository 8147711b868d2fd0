#include "render.hpp"

#include <algorithm>

namespace omsctl {

using nlohmann::json;

namespace {
const json* lookup(const json& row, const std::string& key) {
  const json* cur = &row;
  std::size_t start = 0;
  while (true) {
    const auto dot = key.find('.', start);
    const std::string part = key.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (!cur->is_object()) return nullptr;
    auto it = cur->find(part);
    if (it == cur->end()) return nullptr;
    cur = &*it;
    if (dot == std::string::npos) return cur;
    start = dot + 1;
  }
}
}  // namespace

std::string text(const json& v) {
  if (v.is_null()) return "-";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "yes" : "no";
  if (v.is_array()) {
    std::string out;
    for (const auto& e : v) {
      if (!out.empty()) out += ',';
      out += text(e);
    }
    return out.empty() ? "-" : out;
  }
  return v.dump();
}

std::string table(const json& rows, const std::vector<Column>& columns) {
  std::vector<std::vector<std::string>> cells;
  std::vector<std::size_t> width;
  for (const auto& c : columns) width.push_back(c.title.size());
  for (const auto& row : rows) {
    std::vector<std::string> line;
    for (std::size_t i = 0; i < columns.size(); ++i) {
      const json* v = lookup(row, columns[i].key);
      line.push_back(v ? text(*v) : "-");
      width[i] = std::max(width[i], line.back().size());
    }
    cells.push_back(std::move(line));
  }
  auto emit = [&](const std::vector<std::string>& line) {
    std::string out;
    for (std::size_t i = 0; i < line.size(); ++i) {
      out += line[i];
      if (i + 1 < line.size()) out += std::string(width[i] - line[i].size() + 2, ' ');
    }
    return out + "\n";
  };
  std::vector<std::string> titles;
  for (const auto& c : columns) titles.push_back(c.title);
  std::string out = emit(titles);
  for (const auto& line : cells) out += emit(line);
  return out;
}

std::string render_orders(const json& orders) {
  json rows = orders;
  for (auto& o : rows) {
    if (o["account"].is_null() && o.contains("allocations")) {
      std::string accounts;
      for (const auto& a : o["allocations"]) {
        if (!accounts.empty()) accounts += '+';
        accounts += a["account"].get<std::string>();
      }
      o["account"] = accounts;
    }
  }
  if (rows.empty()) return "no orders\n";
  return table(rows, {{"ID", "order_id"}, {"ACCOUNT", "account"}, {"SYMBOL", "symbol"}, {"SIDE", "side"},
                      {"QTY", "quantity"}, {"TYPE", "ord_type"}, {"LIMIT", "limit_price"}, {"STATUS", "status"},
                      {"WORKFLOW", "workflow"}, {"CUM", "cum_qty"}, {"AVG_PX", "avg_px"}, {"DECIDED_BY", "decided_by"}});
}

std::string render_order(const json& o) {
  std::string out;
  for (const char* key : {"order_id", "cl_ord_id", "account", "symbol", "side", "ord_type", "quantity", "limit_price",
                          "stop_price", "tif", "expire_time", "broker", "status", "workflow", "workflow_reason", "cum_qty",
                          "leaves_qty", "avg_px", "decided_by", "entered_by", "created", "updated", "note", "break_reason"}) {
    if (!o.contains(key) || o[key].is_null()) continue;
    out += std::string(key) + std::string(17 - std::min<std::size_t>(16, std::string(key).size()), ' ') + text(o[key]) + "\n";
  }
  if (o.contains("allocations")) out += "\nallocations\n" + table(o["allocations"], {{"ACCOUNT", "account"}, {"QTY", "quantity"}});
  if (o.contains("fills") && !o["fills"].empty())
    out += "\nfills\n" + table(o["fills"], {{"EXEC_ID", "exec_id"}, {"QTY", "quantity"}, {"PRICE", "price"}, {"BUSTED", "busted"}});
  if (o.contains("alerts") && !o["alerts"].empty()) out += "\nalerts\n" + render_events(o["alerts"]);
  if (o.contains("events") && o["events"].is_array()) out += "\nevents\n" + render_events(o["events"]);
  return out;
}

std::string render_positions(const json& body) {
  std::string out = "no positions\n";
  if (!body["positions"].empty())
    out = table(body["positions"], {{"ACCOUNT", "account"}, {"SYMBOL", "symbol"}, {"QUANTITY", "quantity"}, {"COST", "cost"}});
  out += '\n';
  out += table(body["cash"], {{"ACCOUNT", "account"}, {"CASH", "cash"}});
  return out;
}

std::string render_accounts(const json& accounts) {
  return table(accounts, {{"ID", "id"}, {"NAME", "name"}, {"NAV", "nav"}, {"CASH", "cash"}, {"PMS", "pms"}, {"GROUPS", "groups"}});
}

std::string render_sessions(const json& sessions) {
  if (sessions.empty()) return "no FIX sessions\n";
  return table(sessions, {{"NAME", "name"}, {"SESSION", "session_id"}, {"LOGGED_ON", "logged_on"},
                          {"NEXT_OUT", "next_sender_seq"}, {"NEXT_IN", "next_target_seq"}, {"LAST_ERROR", "last_error"}});
}

std::string render_events(const json& events) {
  if (events.empty()) return "no events\n";
  json rows = json::array();
  for (const auto& e : events) {
    std::string detail = e.contains("payload") ? e["payload"].dump() : "";
    if (detail.size() > 80) detail = detail.substr(0, 77) + "...";
    rows.push_back({{"seq", e.value("seq", 0)}, {"actor", e.value("actor", "")}, {"order_id", e.value("order_id", 0)},
                    {"type", e.value("type", "")}, {"detail", detail}});
  }
  return table(rows, {{"SEQ", "seq"}, {"ACTOR", "actor"}, {"ORDER", "order_id"}, {"TYPE", "type"}, {"DETAIL", "detail"}});
}

std::string render_cancel_all(const json& body) {
  std::string out = std::string("cancel requested for ").append(std::to_string(body["requested"].size())) + " order(s): " +
                    text(body["requested"]) + "\n";
  for (const auto& f : body["failed"])
    out += "  order " + text(f["order_id"]) + " not canceled: " + text(f["error"]["code"]) + ": " +
           text(f["error"]["message"]) + "\n";
  return out;
}

std::string render_rules(const json& body) {
  std::string out = "rule book " + text(body["version"]) + ": " + text(body["rule_count"]) + " rules\n";
  if (body.contains("loaded_at") && !body["loaded_at"].is_null())
    out += "loaded " + text(body["loaded_at"]) + " by " + text(body["loaded_by"]) + "\n";
  if (!body["rules"].empty())
    out += table(body["rules"], {{"ID", "id"}, {"TYPE", "type"}, {"SEVERITY", "severity"}, {"SOURCE", "source"},
                                 {"LOCATION", "location"}});
  if (body.contains("history") && !body["history"].empty()) {
    json rows = body["history"];
    for (auto& h : rows) h["loaded"] = h.value("loaded_ns", std::int64_t{0});
    out += "\nloaded\n" + table(rows, {{"VERSION", "version"}, {"BY", "loaded_by"}, {"RULES", "rule_count"},
                                        {"AT_NS", "loaded"}});
  }
  if (body.contains("last_errors") && !body["last_errors"].empty()) {
    out += "\nlast reload failed (the version above stays in force):\n";
    for (const auto& e : body["last_errors"]) out += "  " + text(e) + "\n";
  }
  return out;
}

std::string render_rule_versions(const json& body) {
  json rows = body["versions"];
  if (rows.empty()) return "no rule book version recorded\n";
  for (auto& v : rows) {
    std::string files;
    for (const auto& f : v["files"]) files += (files.empty() ? "" : " ") + f["name"].get<std::string>();
    v["file_list"] = files;
  }
  return table(rows, {{"VERSION", "version"}, {"LOADED_AT", "loaded_at"}, {"BY", "loaded_by"}, {"RULES", "rule_count"},
                      {"PREVIOUS", "previous"}, {"FILES", "file_list"}});
}

std::string render_approvals(const json& body) {
  json rows = body["approvals"];
  if (rows.empty()) return "no orders held for approval\n";
  for (auto& o : rows) {
    if (o["account"].get<std::string>().empty() && o.contains("allocations")) {
      std::string accounts;
      for (const auto& a : o["allocations"]) {
        if (!accounts.empty()) accounts += '+';
        accounts += a["account"].get<std::string>();
      }
      o["account"] = accounts;
    }
  }
  return table(rows, {{"ID", "order_id"}, {"ACCOUNT", "account"}, {"SYMBOL", "symbol"}, {"SIDE", "side"},
                      {"QTY", "quantity"}, {"LIMIT", "limit_price"}, {"BY", "created_by"}, {"REASON", "reason"}});
}

std::string render_eod(const json& body) {
  std::string out = "end-of-day compliance, rule book " + text(body["rule_book_version"]) + ": " +
                    text(body["breaches"]) + " breach(es) in " + std::to_string(body["rows"].size()) + " checks\n";
  if (!body["rows"].empty())
    out += table(body["rows"], {{"ACCOUNT", "account"}, {"RULE", "rule"}, {"SEVERITY", "severity"}, {"SUBJECT", "subject"},
                                {"OUTCOME", "outcome"}, {"UNIT", "unit"}, {"MEASURED", "measured"}, {"LIMIT", "limit"},
                                {"HEADROOM", "headroom"}});
  return out;
}

}  // namespace omsctl
