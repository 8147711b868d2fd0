#include "sim_config.hpp"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <set>

namespace oms::sim {
namespace {

namespace fs = std::filesystem;

struct ConfigError {
  std::string message;
};

std::string where(const YAML::Node& node) {
  const auto mark = node.Mark();
  return mark.line >= 0 ? " (line " + std::to_string(mark.line + 1) + ")" : "";
}

// Refuses keys outside `allowed` and keys given twice.
void check_keys(const YAML::Node& map, const std::set<std::string>& allowed, const std::string& context) {
  if (!map.IsMap()) throw ConfigError{context + " must be a mapping" + where(map)};
  std::set<std::string> seen;
  for (const auto& kv : map) {
    const auto key = kv.first.as<std::string>();
    if (!allowed.empty() && !allowed.count(key)) throw ConfigError{"unknown key '" + key + "' in " + context + where(kv.first)};
    if (!seen.insert(key).second) throw ConfigError{"duplicate key '" + key + "' in " + context + where(kv.first)};
  }
}

std::string resolve(const fs::path& base, const std::string& p) {
  if (p.empty()) return p;
  fs::path path(p);
  return (path.is_absolute() ? path : base / path).lexically_normal().string();
}

Behaviour parse_behaviour(const YAML::Node& n, Behaviour b, const std::string& context) {
  check_keys(n, {"action", "slices", "delay_ms", "price", "reference_price", "reject_reason", "reject_text",
                 "ignore_cancels", "cancel_reject", "session_reject_cancels", "done_for_day_after", "bust_after_fill",
                 "bust_delay_ms", "overfill_qty", "alloc", "alloc_rej_code", "alloc_text", "late_fill_after_cancel"},
             context);
  if (n["action"]) {
    const auto a = n["action"].as<std::string>();
    if (a == "fill") b.action = Action::fill;
    else if (a == "partial") b.action = Action::partial;
    else if (a == "reject") b.action = Action::reject;
    else if (a == "accept") b.action = Action::accept;
    else if (a == "overfill") b.action = Action::overfill;
    else if (a == "garble") b.action = Action::garble;
    else if (a == "invalid_report") b.action = Action::invalid_report;
    else if (a == "wrong_comp_id") b.action = Action::wrong_comp_id;
    else if (a == "unknown_order") b.action = Action::unknown_order;
    else if (a == "session_reject") b.action = Action::session_reject;
    else
      throw ConfigError{"action must be fill, partial, reject, accept, overfill, garble, invalid_report, wrong_comp_id "
                        "unknown_order or session_reject in " + context + where(n["action"])};
  }
  if (n["slices"]) b.slices = n["slices"].as<int>();
  if (b.slices < 1) throw ConfigError{"slices must be at least 1 in " + context};
  if (n["delay_ms"]) b.delay_ms = n["delay_ms"].as<int>();
  if (n["price"]) {
    const auto p = n["price"].as<std::string>();
    if (p == "limit") b.price = PriceSource::limit;
    else if (p == "reference") b.price = PriceSource::reference;
    else throw ConfigError{"price must be limit or reference in " + context + where(n["price"])};
  }
  if (n["reference_price"]) {
    auto px = Price::parse(n["reference_price"].as<std::string>());
    if (!px || !px->is_positive()) throw ConfigError{"reference_price must be a positive decimal in " + context};
    b.reference_price = *px;
  }
  if (n["reject_reason"]) b.reject_reason = n["reject_reason"].as<int>();
  if (n["reject_text"]) b.reject_text = n["reject_text"].as<std::string>();
  if (n["ignore_cancels"]) b.ignore_cancels = n["ignore_cancels"].as<bool>();
  if (n["cancel_reject"]) b.cancel_reject = n["cancel_reject"].as<bool>();
  if (n["session_reject_cancels"]) b.session_reject_cancels = n["session_reject_cancels"].as<bool>();
  if (n["done_for_day_after"]) b.done_for_day_after = n["done_for_day_after"].as<int>();
  if (n["bust_after_fill"]) b.bust_after_fill = n["bust_after_fill"].as<bool>();
  if (n["bust_delay_ms"]) b.bust_delay_ms = n["bust_delay_ms"].as<int>();
  if (n["overfill_qty"]) {
    auto q = Quantity::parse(n["overfill_qty"].as<std::string>());
    if (!q || !q->is_positive()) throw ConfigError{"overfill_qty must be a positive decimal in " + context};
    b.overfill_qty = *q;
  }
  if (n["alloc"]) {
    const auto a = n["alloc"].as<std::string>();
    if (a == "accept") b.alloc = AllocAction::accept;
    else if (a == "reject") b.alloc = AllocAction::reject;
    else if (a == "received") b.alloc = AllocAction::received;
    else if (a == "hold") b.alloc = AllocAction::hold;
    else throw ConfigError{"alloc must be accept, reject, received or hold in " + context + where(n["alloc"])};
  }
  if (n["alloc_rej_code"]) b.alloc_rej_code = n["alloc_rej_code"].as<int>();
  if (b.alloc_rej_code < 0 || b.alloc_rej_code > 7)  // AllocRejCode 0..7 in both 4.2 and 4.4
    throw ConfigError{"alloc_rej_code must be 0 to 7 in " + context};
  if (n["alloc_text"]) b.alloc_text = n["alloc_text"].as<std::string>();
  if (n["late_fill_after_cancel"]) b.late_fill_after_cancel = n["late_fill_after_cancel"].as<bool>();
  return b;
}

SimConfig parse(const YAML::Node& root, const fs::path& base) {
  SimConfig c;
  check_keys(root, {"listen", "store", "journal", "log_dir", "sessions", "default", "symbols"}, "the top level");
  if (auto l = root["listen"]) {
    check_keys(l, {"host", "port"}, "listen");
    if (l["host"]) c.host = l["host"].as<std::string>();
    if (l["port"]) c.port = l["port"].as<int>();
  }
  if (auto s = root["store"]) {
    check_keys(s, {"type", "dir"}, "store");
    if (s["type"]) c.store_type = s["type"].as<std::string>();
    if (s["dir"]) c.store_dir = resolve(base, s["dir"].as<std::string>());
    if (c.store_type != "memory" && c.store_type != "file") throw ConfigError{"store.type must be memory or file"};
    if (c.store_type == "file" && c.store_dir.empty()) throw ConfigError{"store.dir is required for store.type file"};
  }
  if (root["journal"]) c.journal = resolve(base, root["journal"].as<std::string>());
  if (root["log_dir"]) c.log_dir = resolve(base, root["log_dir"].as<std::string>());
  const auto sessions = root["sessions"];
  if (!sessions || !sessions.IsSequence() || sessions.size() == 0) throw ConfigError{"sessions: at least one session is required"};
  std::set<std::string> ids;
  for (const auto& s : sessions) {
    check_keys(s, {"BeginString", "SenderCompID", "TargetCompID", "DataDictionary", "settings"}, "a session");
    SessionConfig sc;
    for (const char* key : {"BeginString", "SenderCompID", "TargetCompID"})
      if (!s[key]) throw ConfigError{std::string("session needs ") + key + where(s)};
    sc.begin_string = s["BeginString"].as<std::string>();
    if (sc.begin_string != "FIX.4.2" && sc.begin_string != "FIX.4.4")
      throw ConfigError{"BeginString must be FIX.4.2 or FIX.4.4" + where(s["BeginString"])};
    sc.sender_comp_id = s["SenderCompID"].as<std::string>();
    sc.target_comp_id = s["TargetCompID"].as<std::string>();
    if (s["DataDictionary"]) sc.data_dictionary = resolve(base, s["DataDictionary"].as<std::string>());
    if (auto extra = s["settings"]) {
      check_keys(extra, {}, "session settings");
      for (const auto& kv : extra) sc.settings[kv.first.as<std::string>()] = kv.second.as<std::string>();
    }
    if (!ids.insert(sc.begin_string + ":" + sc.sender_comp_id + "->" + sc.target_comp_id).second)
      throw ConfigError{"session " + sc.sender_comp_id + "->" + sc.target_comp_id + " is defined twice"};
    c.sessions.push_back(std::move(sc));
  }
  if (auto d = root["default"]) c.default_behaviour = parse_behaviour(d, Behaviour{}, "default");
  if (auto syms = root["symbols"]) {
    check_keys(syms, {}, "symbols");
    for (const auto& kv : syms) {
      const auto symbol = kv.first.as<std::string>();
      c.symbols[symbol] = parse_behaviour(kv.second, c.default_behaviour, "symbols." + symbol);
    }
  }
  return c;
}

}  // namespace

Result<SimConfig> load_config(const std::string& path) {
  try {
    const auto root = YAML::LoadFile(path);
    return parse(root, fs::absolute(fs::path(path)).parent_path());
  } catch (const ConfigError& e) {
    return make_error(Errc::invalid_argument, path + ": " + e.message);
  } catch (const YAML::Exception& e) {
    return make_error(Errc::parse_error, path + ": " + e.what());
  }
}

}  // namespace oms::sim
