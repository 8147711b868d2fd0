#pragma once
// The real omsd against the real oms-broker-sim on 127.0.0.1, both on ephemeral ports, driven over the
// HTTP API; the record (SQLite) and the broker's journal are read back for assertions.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <memory>
#include <regex>
#include <set>

#include "../support/process.hpp"
#include "oms/api/client.hpp"

namespace oms::test {

namespace fs = std::filesystem;
using nlohmann::json;

inline const std::string kSimBehaviour = R"(
default: {action: fill, price: limit, reference_price: "100"}
symbols:
  AAPL: {action: fill}
  PARTIAL: {action: partial, slices: 4, delay_ms: 20}
  REJECTME: {action: reject, reject_reason: 3, reject_text: "order exceeds limit"}
  MSFT: {action: accept}
  GOOGL: {action: accept, cancel_reject: true}
  XOM: {action: fill, done_for_day_after: 0}
  JPM: {action: fill, bust_after_fill: true, bust_delay_ms: 20}
  AMZN: {action: partial, slices: 2, delay_ms: 20}
  SLOWFILL: {action: partial, slices: 4, delay_ms: 400}
  OVERFILL: {action: overfill, overfill_qty: "5"}
  GARBLE: {action: garble}
  BADREPORT: {action: invalid_report}
  WRONGCOMP: {action: wrong_comp_id}
  GHOST: {action: unknown_order}
  SESSREJ: {action: session_reject, reject_text: "OrdType not supported"}
  SESSREJCXL: {action: accept, session_reject_cancels: true}
  GOOG: {action: fill, alloc: reject, alloc_rej_code: 0, alloc_text: "unknown account INCOME"}
  NESN: {action: partial, slices: 2, alloc: hold}
  TM: {action: fill, alloc: received}
  SAP: {action: partial, slices: 2, done_for_day_after: 1, late_fill_after_cancel: true}
)";

class OmsHarness {
 public:
  // rules_dir: the compliance rule book omsd loads (empty: no compliance section, orders are not checked).
  explicit OmsHarness(const std::string& name, std::map<std::string, std::string> omsd_env = {},
                      const fs::path& rules_dir = {})
      : dir_(temp_dir(name)), omsd_env_(std::move(omsd_env)) {
    std::ofstream(dir_ / "sim.yaml") << "listen: {host: 127.0.0.1, port: 0}\nstore: {type: memory}\n"
                                     << "sessions:\n"
                                     << "  - {BeginString: FIX.4.4, SenderCompID: BROKER, TargetCompID: OMS, DataDictionary: "
                                     << OMS_SOURCE_DIR << "/fix_specs/FIX44.xml}\n"
                                     << "  - {BeginString: FIX.4.2, SenderCompID: BROKER42, TargetCompID: OMS42, DataDictionary: "
                                     << OMS_SOURCE_DIR << "/fix_specs/FIX42.xml}\n"
                                     << kSimBehaviour;
    sim_ = std::make_unique<Process>(BROKER_SIM_PATH,
                                     std::vector<std::string>{"--config", (dir_ / "sim.yaml").string(), "--port", "0",
                                                              "--journal", (dir_ / "journal.jsonl").string(),
                                                              "--log-dir", (dir_ / "sim-log").string()},
                                     dir_ / "sim.out");
    if (!sim_->wait_for_output("LISTENING ")) throw std::runtime_error("broker-sim did not start: " + sim_->output());
    std::smatch m;
    const std::string out = sim_->output();
    std::regex_search(out, m, std::regex("LISTENING (\\d+)"));
    sim_port_ = std::stoi(m[1]);
    std::ofstream(dir_ / "oms.yaml")
        << "database: {path: " << (dir_ / "oms.db").string() << ", durability: process}\n"
        << "reference: {instruments: " << OMS_SOURCE_DIR << "/config/instruments.csv, accounts: " << OMS_SOURCE_DIR
        << "/config/accounts.yaml}\n"
        << "api: {listen: 127.0.0.1:0, users: " << OMS_SOURCE_DIR << "/config/users.yaml}\n"
        << (rules_dir.empty() ? std::string() : "compliance: {rules_dir: " + rules_dir.string() + "}\n")
        << "fix:\n  default_broker: BROKER\n  log_dir: " << (dir_ / "fix-log").string() << "\n"
        << fix_transport_line() << "  sessions:\n"
        << "    - {name: BROKER, begin_string: FIX.4.4, sender_comp_id: OMS, target_comp_id: BROKER, port: "
        << sim_port_ << ", heartbeat: 5, reconnect_interval: 1, data_dictionary: " << OMS_SOURCE_DIR
        << "/fix_specs/FIX44.xml}\n"
        << "    - {name: BROKER42, begin_string: FIX.4.2, sender_comp_id: OMS42, target_comp_id: BROKER42, port: "
        << sim_port_ << ", heartbeat: 5, reconnect_interval: 1, data_dictionary: " << OMS_SOURCE_DIR
        << "/fix_specs/FIX42.xml}\n";
    start_omsd();
  }
  ~OmsHarness() {
    client_.reset();
    if (omsd_) omsd_->stop(SIGKILL);
    if (sim_) sim_->stop();
    if (!::testing::Test::HasFailure()) fs::remove_all(dir_);
  }

  // OMS_TEST_FIX_TRANSPORT=asio|quickfix runs omsd with that fix.transport (unset: omsd's default).
  static std::string fix_transport_line() {
    const char* t = std::getenv("OMS_TEST_FIX_TRANSPORT");
    return t && *t ? std::string("  transport: ") + t + "\n" : std::string();
  }

  void set_omsd_env(std::map<std::string, std::string> env) { omsd_env_ = std::move(env); }
  // Starts omsd and waits for its API; false if it died first (e.g. at an armed crash point).
  void start_omsd() {
    ++generation_;
    const auto log = dir_ / ("omsd-" + std::to_string(generation_) + ".log");
    omsd_ = std::make_unique<Process>(OMSD_PATH, std::vector<std::string>{"--config", (dir_ / "oms.yaml").string()},
                                      log, omsd_env_);
    if (!omsd_->wait_for_output("api listening on")) throw std::runtime_error("omsd did not start: " + omsd_->output());
    std::smatch m;
    const std::string out = omsd_->output();
    std::regex_search(out, m, std::regex("api listening on 127.0.0.1:(\\d+)"));
    api_port_ = std::stoi(m[1]);
    client_ = std::make_unique<api::client::HttpClient>("127.0.0.1", static_cast<std::uint16_t>(api_port_));
  }
  bool wait_logged_on() {
    return omsd_->wait_for_output("BROKER logged on") && omsd_->wait_for_output("BROKER42 logged on");
  }
  // Stops omsd: SIGTERM (clean) or SIGKILL (crash).
  int stop_omsd(int sig) {
    client_.reset();
    const int rc = omsd_->stop(sig);
    omsd_.reset();
    return rc;
  }
  Process& omsd() { return *omsd_; }
  int api_port() const { return api_port_; }
  // The trade ExecIDs the broker reported (journal) and the ones the record holds.
  std::set<std::string> broker_trade_ids() const {
    std::set<std::string> out;
    for (const auto& j : journal())
      if (j["event"] == "report" && (j["ExecType"] == "F" || j["ExecType"] == "1" || j["ExecType"] == "2" ||
                                     j["ExecType"] == "H" || j["ExecType"] == "G"))
        out.insert(j["ExecID"].get<std::string>());
    return out;
  }
  std::set<std::string> recorded_trade_ids() const {
    std::set<std::string> out;
    for (const auto& row : query("SELECT exec_id FROM executions WHERE is_trade = 1")) out.insert(row[0]);
    return out;
  }
  // How many times the broker accepted a NewOrderSingle with this ClOrdID.
  int broker_orders(const std::string& cl_ord_id) const {
    int n = 0;
    for (const auto& j : journal())
      if (j["event"] == "order" && j["ClOrdID"] == cl_ord_id && j.value("accepted", true)) ++n;
    return n;
  }
  std::map<std::string, int> broker_order_counts() const {
    std::map<std::string, int> out;
    for (const auto& j : journal())
      if (j["event"] == "order" && j.value("accepted", true)) ++out[j["ClOrdID"].get<std::string>()];
    return out;
  }

  json call(const std::string& method, const std::string& target, const json& body = nullptr, int* status = nullptr,
            const std::string& token = "demo-root") {
    auto r = client_->request(method, target, body.is_null() ? "" : body.dump(),
                              {{"Authorization", "Bearer " + token}});
    if (!r) throw std::runtime_error("HTTP " + method + " " + target + ": " + r.error().message);
    if (status) *status = r->status;
    return r->body.empty() ? json{} : json::parse(r->body);
  }
  std::uint64_t place(const json& order) {
    int status = 0;
    auto r = call("POST", "/api/v1/orders", order, &status);
    if (status != 201) throw std::runtime_error("order refused: " + r.dump());
    return r["order_id"].get<std::uint64_t>();
  }
  json order(std::uint64_t id) { return call("GET", "/api/v1/orders/" + std::to_string(id))["order"]; }
  // Waits until the order's field equals `value`.
  bool wait_order(std::uint64_t id, const std::string& field, const std::string& value) {
    return wait_until([&] {
      auto o = order(id);
      return o.contains(field) && o[field].is_string() && o[field].get<std::string>() == value;
    });
  }

  // Rows of a query on the record (opened read-only).
  std::vector<std::vector<std::string>> query(const std::string& sql) const {
    sqlite3* db = nullptr;
    sqlite3_open_v2((dir_ / "oms.db").c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
    sqlite3_stmt* st = nullptr;
    std::vector<std::vector<std::string>> rows;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK) {
      while (sqlite3_step(st) == SQLITE_ROW) {
        std::vector<std::string> row;
        for (int c = 0; c < sqlite3_column_count(st); ++c) {
          const auto* t = sqlite3_column_text(st, c);
          row.push_back(t ? reinterpret_cast<const char*>(t) : "");
        }
        rows.push_back(std::move(row));
      }
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return rows;
  }
  // The broker's journal: every order it accepted and report it sent.
  std::vector<json> journal() const {
    std::vector<json> out;
    std::ifstream in(dir_ / "journal.jsonl");
    std::string line;
    while (std::getline(in, line))
      if (!line.empty()) out.push_back(json::parse(line));
    return out;
  }
  const fs::path& dir() const { return dir_; }

 private:
  fs::path dir_;
  std::map<std::string, std::string> omsd_env_;
  std::unique_ptr<Process> sim_;
  std::unique_ptr<Process> omsd_;
  std::unique_ptr<api::client::HttpClient> client_;
  int sim_port_{0};
  int api_port_{0};
  int generation_{0};
};

inline json limit_order(const std::string& symbol, const std::string& side, int qty, const std::string& px,
                        const std::string& account = "GROWTH", const std::string& broker = "") {
  json o{{"account", account}, {"symbol", symbol}, {"side", side}, {"ord_type", "limit"},
         {"quantity", qty},    {"limit_price", px},  {"tif", "DAY"}};
  if (!broker.empty()) o["broker"] = broker;
  return o;
}

}  // namespace oms::test
