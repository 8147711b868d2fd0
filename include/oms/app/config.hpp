#pragma once
// omsd configuration: config/oms.yaml plus the reference data files it names. Relative paths are
// resolved against the directory of the file that names them. Unknown keys and wrong types are errors
// that name the key and the file (and the line where yaml-cpp knows it).
#include <filesystem>
#include <string>
#include <vector>

#include "oms/core/result.hpp"
#include "oms/engine/state.hpp"
#include "oms/fix/gateway.hpp"

namespace oms::app {

enum class Durability { process, power };

// A FIX session as the gateway takes it: the configuration is read straight into the adapter's type.
using FixSessionConfig = fix::SessionSpec;

struct FixConfig {
  std::string default_broker;
  std::filesystem::path log_dir;
  std::vector<FixSessionConfig> sessions;
  fix::Transport transport{fix::Transport::asio};  // fix.transport
};

struct ApiConfig {
  std::string listen_host{"127.0.0.1"};
  int listen_port{8080};
  std::filesystem::path users_file;
  std::filesystem::path web_root;
  std::filesystem::path tls_certificate;  // empty: plain HTTP
  std::filesystem::path tls_private_key;
};

struct Config {
  std::filesystem::path source;  // the oms.yaml it came from
  std::filesystem::path database;
  Durability durability{Durability::process};
  std::filesystem::path instruments_file;
  std::filesystem::path accounts_file;
  std::filesystem::path rules_dir;
  ApiConfig api;
  FixConfig fix;
};

Result<Config> load_config(const std::filesystem::path& file);
// Instruments from CSV (header row names the columns) or YAML (`instruments:` list).
Result<std::unordered_map<Symbol, Instrument>> load_instruments(const std::filesystem::path& file);
// Accounts with start-of-day cash and positions.
Result<std::map<AccountId, Account>> load_accounts(const std::filesystem::path& file, engine::StartOfDay* sod);
Result<engine::ReferenceData> load_reference_data(const Config& config);

}  // namespace oms::app
