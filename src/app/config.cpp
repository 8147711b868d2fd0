#include "oms/app/config.hpp"

#include "yaml_fields.hpp"

namespace oms::app {

namespace fs = std::filesystem;

namespace {

#define OMS_TRY(var, expr)            \
  auto var##_r = (expr);              \
  if (!var##_r) return var##_r.error(); \
  auto var = std::move(*var##_r)

fs::path resolve(const fs::path& base_file, const std::string& p) {
  if (p.empty()) return {};
  fs::path path(p);
  return path.is_absolute() ? path : (base_file.parent_path() / path).lexically_normal();
}

Result<FixSessionConfig> read_session(const YAML::Node& n, const fs::path& file, std::size_t index) {
  YamlFields f(n, file, "fix.sessions[" + std::to_string(index) + "]");
  if (auto st = f.check({"name", "begin_string", "sender_comp_id", "target_comp_id", "host", "port", "heartbeat",
                         "reconnect_interval", "start_time", "end_time", "data_dictionary", "validate_incoming"});
      !st)
    return st.error();
  FixSessionConfig s;
  OMS_TRY(name, f.string("name", true));
  OMS_TRY(begin, f.string("begin_string", false, "FIX.4.4"));
  if (begin != "FIX.4.4" && begin != "FIX.4.2") return f.fail("begin_string", "must be FIX.4.2 or FIX.4.4");
  OMS_TRY(sender, f.string("sender_comp_id", true));
  OMS_TRY(target, f.string("target_comp_id", true));
  OMS_TRY(host, f.string("host", false, "127.0.0.1"));
  OMS_TRY(port, f.integer("port", true, 0));
  if (port <= 0 || port > 65535) return f.fail("port", "must be between 1 and 65535");
  OMS_TRY(hb, f.integer("heartbeat", false, 30));
  OMS_TRY(reconnect, f.integer("reconnect_interval", false, 5));
  OMS_TRY(start, f.string("start_time", false, "00:00:00"));
  OMS_TRY(end, f.string("end_time", false, "00:00:00"));
  OMS_TRY(dict, f.string("data_dictionary", false));
  OMS_TRY(validate, f.boolean("validate_incoming", false, true));
  s.name = name;
  s.begin_string = begin;
  s.sender_comp_id = sender;
  s.target_comp_id = target;
  s.host = host;
  s.port = port;
  s.heartbeat_seconds = hb;
  s.reconnect_seconds = reconnect;
  s.start_time = start;
  s.end_time = end;
  s.data_dictionary = resolve(file, dict);
  s.validate_incoming = validate;
  return s;
}

Result<std::pair<std::string, int>> split_listen(const YamlFields& f, const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) return f.fail("listen", "expected host:port, got '" + text + "'");
  try {
    const int port = std::stoi(text.substr(colon + 1));
    if (port < 0 || port > 65535) throw std::out_of_range("port");
    return std::make_pair(text.substr(0, colon), port);
  } catch (const std::exception&) {
    return f.fail("listen", "expected host:port, got '" + text + "'");
  }
}

}  // namespace

Result<Config> load_config(const fs::path& file) {
  OMS_TRY(root, load_yaml_file(file));
  Config c;
  c.source = file;
  YamlFields top(root, file, "");
  if (auto st = top.check({"database", "reference", "compliance", "api", "fix"}); !st) return st.error();

  YamlFields db(top.node("database"), file, "database");
  if (auto st = db.check({"path", "durability"}); !st) return st.error();
  OMS_TRY(db_path, db.string("path", true));
  OMS_TRY(durability, db.string("durability", false, "process"));
  if (durability == "process") c.durability = Durability::process;
  else if (durability == "power") c.durability = Durability::power;
  else return db.fail("durability", "must be 'process' or 'power', got '" + durability + "'");
  c.database = resolve(file, db_path);

  YamlFields ref(top.node("reference"), file, "reference");
  if (auto st = ref.check({"instruments", "accounts"}); !st) return st.error();
  OMS_TRY(instruments, ref.string("instruments", true));
  OMS_TRY(accounts, ref.string("accounts", true));
  c.instruments_file = resolve(file, instruments);
  c.accounts_file = resolve(file, accounts);

  if (top.has("compliance")) {
    YamlFields comp(top.node("compliance"), file, "compliance");
    if (auto st = comp.check({"rules_dir"}); !st) return st.error();
    OMS_TRY(rules, comp.string("rules_dir", true));
    c.rules_dir = resolve(file, rules);
  }

  if (top.has("api")) {
    YamlFields api(top.node("api"), file, "api");
    if (auto st = api.check({"listen", "users", "web_root", "tls_certificate", "tls_private_key"}); !st)
      return st.error();
    OMS_TRY(listen, api.string("listen", false, "127.0.0.1:8080"));
    OMS_TRY(hp, split_listen(api, listen));
    c.api.listen_host = hp.first;
    c.api.listen_port = hp.second;
    OMS_TRY(users, api.string("users", false));
    OMS_TRY(web, api.string("web_root", false));
    OMS_TRY(cert, api.string("tls_certificate", false));
    OMS_TRY(key, api.string("tls_private_key", false));
    c.api.users_file = resolve(file, users);
    c.api.web_root = resolve(file, web);
    c.api.tls_certificate = resolve(file, cert);
    c.api.tls_private_key = resolve(file, key);
    if (c.api.tls_certificate.empty() != c.api.tls_private_key.empty())
      return api.fail("tls_certificate", "tls_certificate and tls_private_key go together");
  }

  if (top.has("fix")) {
    YamlFields fix(top.node("fix"), file, "fix");
    if (auto st = fix.check({"default_broker", "log_dir", "sessions", "transport"}); !st) return st.error();
    OMS_TRY(transport, fix.string("transport", false, "asio"));
    if (transport == "quickfix") c.fix.transport = fix::Transport::quickfix;
    else if (transport == "asio") c.fix.transport = fix::Transport::asio;
    else return fix.fail("transport", "must be 'quickfix' or 'asio', got '" + transport + "'");
    OMS_TRY(def, fix.string("default_broker", false));
    OMS_TRY(log_dir, fix.string("log_dir", false));
    c.fix.default_broker = def;
    c.fix.log_dir = resolve(file, log_dir);
    const YAML::Node sessions = fix.node("sessions");
    if (sessions && !sessions.IsSequence()) return fix.fail("sessions", "expected a list of sessions");
    std::size_t i = 0;
    for (const auto& s : sessions) {
      OMS_TRY(session, read_session(s, file, i++));
      for (const auto& other : c.fix.sessions)
        if (other.name == session.name) return fix.fail("sessions", "two sessions are named '" + session.name + "'");
      c.fix.sessions.push_back(std::move(session));
    }
    if (!c.fix.default_broker.empty()) {
      bool known = false;
      for (const auto& s : c.fix.sessions) known |= s.name == c.fix.default_broker;
      if (!known) return fix.fail("default_broker", "names no configured session: '" + c.fix.default_broker + "'");
    } else if (!c.fix.sessions.empty()) {
      c.fix.default_broker = c.fix.sessions.front().name;
    }
  }
  if (c.fix.log_dir.empty()) c.fix.log_dir = c.database.parent_path() / "fix-log";
  return c;
}

Result<engine::ReferenceData> load_reference_data(const Config& config) {
  engine::ReferenceData ref;
  OMS_TRY(instruments, load_instruments(config.instruments_file));
  OMS_TRY(accounts, load_accounts(config.accounts_file, &ref.start_of_day));
  ref.instruments = std::move(instruments);
  ref.accounts = std::move(accounts);
  for (const auto& p : ref.start_of_day.positions)
    if (!ref.instruments.count(p.symbol))
      return make_error(Errc::not_found, config.accounts_file.string() + ": position in unknown symbol " +
                                             p.symbol.value + " (account " + p.account.value + ")");
  return ref;
}

}  // namespace oms::app
