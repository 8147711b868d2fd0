// omsd: the OMS daemon. Loads configuration and reference data, opens the order book record, rebuilds
// the engine's state from it, connects the FIX sessions and runs until SIGINT or SIGTERM.
#include <signal.h>

#include <CLI/CLI.hpp>
#include <spdlog/spdlog.h>

#include <filesystem>
#include <memory>
#include <optional>

#include "oms/api/compliance_routes.hpp"
#include "oms/api/server.hpp"
#include "oms/app/config.hpp"
#include "oms/engine/engine.hpp"
#include "oms/fix/gateway.hpp"
#include "oms/store/sqlite_store.hpp"
#include "rules_watcher.hpp"

namespace {

void log_reload(const std::string& dir, const oms::engine::RulesReload& reload) {
  const auto& r = reload.result;
  if (r.ok()) {
    if (reload.recorded)
      spdlog::info("rule book {} loaded from {} after a file change: {} rules (version recorded)", r.book->version(),
                   dir, r.book->rules().size());
    else
      spdlog::info("rule book {} in {} unchanged after a file change: nothing new recorded", r.book->version(), dir);
    return;
  }
  for (const auto& e : r.errors) spdlog::error("rule book {}: {}", dir, e.to_string());
  spdlog::error("rule book {} not reloaded: the previous one stays in force", dir);
}

int run(const std::string& config_path, const std::vector<std::string>& port_overrides, int api_port,
        int rules_poll_ms) {
  auto config = oms::app::load_config(config_path);
  if (!config) {
    spdlog::error("configuration: {}", config.error().message);
    return 2;
  }
  // --fix-port NAME=PORT lets tests point a session at a broker on an ephemeral port.
  for (const auto& o : port_overrides) {
    const auto eq = o.find('=');
    bool found = false;
    for (auto& s : config->fix.sessions)
      if (eq != std::string::npos && s.name == o.substr(0, eq)) s.port = std::stoi(o.substr(eq + 1)), found = true;
    if (!found) {
      spdlog::error("--fix-port {}: no such session", o);
      return 2;
    }
  }
  auto ref = oms::app::load_reference_data(*config);
  if (!ref) {
    spdlog::error("reference data: {}", ref.error().message);
    return 2;
  }
  spdlog::info("loaded {} instruments and {} accounts", ref->instruments.size(), ref->accounts.size());

  std::filesystem::create_directories(config->database.parent_path());
  oms::store::SqliteStoreOptions store_options;
  store_options.durability =
      config->durability == oms::app::Durability::power ? oms::store::Durability::power : oms::store::Durability::process;
  auto store = oms::store::SqliteStore::open(config->database.string(), store_options);
  if (!store) {
    spdlog::error("order book record {}: {}", config->database.string(), store.error().message);
    return 3;
  }
  spdlog::info("order book record {} (durability {})", config->database.string(),
               oms::store::to_string(store_options.durability));

  oms::api::UserDirectory users;
  if (!config->api.users_file.empty()) {
    auto loaded = oms::api::UserDirectory::load(config->api.users_file);
    if (!loaded) {
      spdlog::error("users: {}", loaded.error().message);
      return 2;
    }
    users = std::move(*loaded);
  }

  oms::SystemClock clock;
  // The rule book every order is checked against. No compliance section: no pre-trade checks (each order
  // records rule book "none"). A broken book at start is a startup error; a broken reload keeps the old one.
  std::unique_ptr<oms::compliance::RuleBookHolder> rules;
  if (!config->rules_dir.empty()) {
    rules = std::make_unique<oms::compliance::RuleBookHolder>();
    auto loaded = rules->reload(config->rules_dir.string(), "startup", clock.now());
    if (!loaded.ok()) {
      for (const auto& e : loaded.errors) spdlog::error("rule book {}: {}", config->rules_dir.string(), e.to_string());
      return 2;
    }
    spdlog::info("rule book {} loaded from {}: {} rules", loaded.book->version(), config->rules_dir.string(),
                 loaded.book->rules().size());
  } else {
    spdlog::warn("no compliance rules_dir configured: orders are not checked pre-trade");
  }
  oms::fix::FixGateway gateway(config->fix.sessions, config->fix.default_broker, **store, config->fix.log_dir, clock);
  gateway.use_transport(config->fix.transport);
  oms::engine::EngineOptions engine_options;
  engine_options.rules = rules.get();
  oms::engine::Engine engine(*ref, **store, gateway, clock, engine_options);
  if (auto st = engine.recover(); !st) {
    spdlog::error("recovery failed: {}", st.error().message);
    return 4;
  }
  auto orders = engine.query([](const oms::engine::EngineState& s) { return s.orders().size(); });

  oms::api::ApiOptions api_options;
  api_options.listen_host = config->api.listen_host;
  api_options.listen_port = static_cast<std::uint16_t>(api_port >= 0 ? api_port : config->api.listen_port);
  api_options.web_root = config->api.web_root;
  api_options.tls_certificate = config->api.tls_certificate;
  api_options.tls_private_key = config->api.tls_private_key;
  auto sessions = [&gateway] {
    std::vector<oms::api::FixSessionInfo> out;
    for (const auto& s : gateway.sessions())
      out.push_back({s.name, s.session_id, s.logged_on, s.next_sender_seq, s.next_target_seq, s.last_error});
    return out;
  };
  oms::store::SqliteStore* record = store->get();
  auto history = [record] { return record->load(); };
  // Declared before the server so that it outlives the handlers that point at it.
  std::optional<oms::api::ComplianceRoutesContext> compliance_api;
  if (rules) compliance_api.emplace(oms::api::ComplianceRoutesContext{engine, *ref, *rules, config->rules_dir.string(), clock});
  // Constructed before the engine starts: it registers the stream's notifier.
  oms::api::ApiServer api(api_options, oms::api::ApiContext{engine, *ref, users, clock, sessions, history});
  if (compliance_api)
    for (auto& route : oms::api::compliance_routes(*compliance_api)) api.add_route(std::move(route));
  engine.start();
  spdlog::info("recovered {} orders from the record", orders.get());
  if (rules) {
    // The version in force is recorded before any order is taken, unless the record already ends with it.
    const auto recorded = engine.record_rules_in_force(config->rules_dir.string(), "startup").get();
    if (recorded.recorded)
      spdlog::info("rule book version {} recorded", rules->current()->version());
    else
      spdlog::info("rule book version {} unchanged since it was recorded: nothing new recorded",
                   rules->current()->version());
  }
  gateway.attach(&engine);
  if (auto st = gateway.start(); !st) {
    spdlog::error("{}", st.error().message);
    return 5;
  }
  for (const auto& s : gateway.sessions()) spdlog::info("fix session {} ({}) configured", s.name, s.session_id);
  if (auto st = api.start(); !st) {
    spdlog::error("api: {}", st.error().message);
    gateway.stop();
    engine.stop();
    return 6;
  }
  // Edits to the rule files take effect without a restart (all or nothing; see rules_watcher.hpp).
  std::optional<omsd::RulesWatcher> watcher;
  if (rules && rules_poll_ms > 0) {
    const std::string dir = config->rules_dir.string();
    watcher.emplace(config->rules_dir, std::chrono::milliseconds(rules_poll_ms),
                    [&engine, dir] { log_reload(dir, engine.reload_rules(dir, "file change").get()); });
    spdlog::info("watching rule book {} for changes ({})", dir,
                 watcher->uses_inotify() ? "inotify" : "polling every " + std::to_string(rules_poll_ms) + " ms");
  }
  // Tests read this line to learn the ephemeral port.
  spdlog::info("api listening on {}:{}", api_options.listen_host, api.port());

  // Wait for SIGINT/SIGTERM synchronously; signals were blocked in every thread before any started.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int sig = 0;
  sigwait(&set, &sig);
  spdlog::info("received {}, shutting down", sig == SIGINT ? "SIGINT" : "SIGTERM");
  watcher.reset();  // its reloads wait on the engine
  api.stop();
  gateway.stop();
  engine.stop();
  spdlog::info("stopped cleanly");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"omsd: buy-side order management system daemon"};
  std::string config_path = "config/oms.yaml";
  std::vector<std::string> port_overrides;
  app.add_option("-c,--config", config_path, "configuration file")->capture_default_str();
  app.add_option("--fix-port", port_overrides, "override a FIX session's port: NAME=PORT");
  int api_port = -1;
  app.add_option("--api-port", api_port, "override the API port (0: ephemeral)");
  int rules_poll_ms = 1000;
  app.add_option("--rules-poll-ms", rules_poll_ms, "how often to look for changed rule files (0: never)")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%fZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  return run(config_path, port_overrides, api_port, rules_poll_ms);
}
