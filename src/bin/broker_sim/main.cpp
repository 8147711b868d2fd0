// oms-broker-sim: a FIX 4.2 / 4.4 acceptor that behaves like a broker, for the demo and the tests.
//   oms-broker-sim --config config/broker-sim.yaml [--port N] [--port-file F] [--journal F] [--log-dir D]
// Prints "LISTENING <port>" on stdout once it accepts connections; stops cleanly on SIGTERM / SIGINT.
#include <CLI/CLI.hpp>
#include <boost/asio.hpp>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "acceptor.hpp"
#include "broker.hpp"
#include "journal.hpp"
#include "oms/fix/quickfix.hpp"
#include "sim_config.hpp"

namespace {

FIX::Dictionary session_settings(const oms::sim::SessionConfig& s) {
  FIX::Dictionary d;
  d.setString("ConnectionType", "acceptor");
  d.setString("StartTime", "00:00:00");  // equal start and end: the session never ends
  d.setString("EndTime", "00:00:00");
  if (s.data_dictionary.empty()) {
    d.setString("UseDataDictionary", "N");
  } else {
    d.setString("UseDataDictionary", "Y");
    d.setString("DataDictionary", s.data_dictionary);
  }
  for (const auto& [key, value] : s.settings) d.setString(key, value);
  return d;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App cli{"oms-broker-sim: a FIX acceptor that behaves like a broker"};
  std::string config_path;
  int port = -1;
  std::string port_file;
  std::string journal_path;
  std::string log_dir;
  cli.add_option("--config", config_path, "YAML configuration")->required();
  cli.add_option("--port", port, "listening port (0 = ephemeral); overrides listen.port");
  cli.add_option("--port-file", port_file, "write the bound port to this file");
  cli.add_option("--journal", journal_path, "JSON-lines journal of orders and reports; overrides journal");
  cli.add_option("--log-dir", log_dir, "QuickFIX message and event logs; overrides log_dir");
  CLI11_PARSE(cli, argc, argv);

  auto config = oms::sim::load_config(config_path);
  if (!config) {
    std::cerr << "broker-sim: " << config.error().message << std::endl;
    return 2;
  }
  if (port >= 0) config->port = port;
  if (!journal_path.empty()) config->journal = journal_path;
  if (!log_dir.empty()) config->log_dir = log_dir;

  try {
    boost::asio::io_context io;
    oms::sim::Journal journal;
    std::unique_ptr<oms::sim::Journal> journal_file;
    if (!config->journal.empty()) journal_file = std::make_unique<oms::sim::Journal>(config->journal);
    oms::sim::Journal& j = journal_file ? *journal_file : journal;

    oms::sim::Broker broker(*config, j, io);
    // The store lives as long as the process: the OMS may reconnect and ask for a resend at any time.
    std::unique_ptr<FIX::MessageStoreFactory> store;
    if (config->store_type == "file") {
      std::filesystem::create_directories(config->store_dir);
      store = std::make_unique<FIX::FileStoreFactory>(config->store_dir);
    } else {
      store = std::make_unique<FIX::MemoryStoreFactory>();
    }
    std::unique_ptr<FIX::LogFactory> logs;
    if (!config->log_dir.empty()) {
      std::filesystem::create_directories(config->log_dir);
      logs = std::make_unique<FIX::FileLogFactory>(config->log_dir);
    }
    FIX::SessionFactory factory(broker, *store, logs.get());
    std::vector<FIX::Session*> sessions;
    for (const auto& s : config->sessions) {
      const FIX::SessionID id(s.begin_string, s.sender_comp_id, s.target_comp_id);
      sessions.push_back(factory.create(id, session_settings(s)));
    }

    oms::sim::Acceptor acceptor(io, config->host, static_cast<unsigned short>(config->port));
    broker.set_raw_sender([&acceptor](const FIX::SessionID& id, const std::string& bytes) {
      return acceptor.send_raw(id, bytes);
    });
    acceptor.start();
    const auto bound = acceptor.port();
    if (!port_file.empty()) {
      const auto tmp = port_file + ".tmp";
      std::ofstream(tmp) << bound << "\n";
      std::filesystem::rename(tmp, port_file);  // readers never see a half-written file
    }
    j.write({{"event", "listening"}, {"host", config->host}, {"port", bound}});
    std::cout << "LISTENING " << bound << std::endl;

    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code&, int signo) {
      std::cerr << "broker-sim: signal " << signo << ", stopping" << std::endl;
      acceptor.stop();
      io.stop();
    });
    io.run();

    for (auto* s : sessions) factory.destroy(s);
    j.write({{"event", "stopped"}});
  } catch (const std::exception& e) {
    std::cerr << "broker-sim: " << e.what() << std::endl;
    return 1;
  }
  return 0;
}
