#pragma once
// Test helpers: runs oms-broker-sim as a child process and drives it with a QuickFIX SocketInitiator.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <fstream>
#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "oms/fix/quickfix.hpp"

namespace oms::fix::test {

inline std::filesystem::path make_temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / (name + "-" + std::to_string(::getpid()) + "-" +
                                                      std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  std::filesystem::create_directories(dir);
  return dir;
}

// Starts the simulator with --port 0 and reads "LISTENING <port>" from its stdout.
class SimProcess {
 public:
  SimProcess(const std::string& exe, const std::vector<std::string>& args) {
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe");
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(out[1], 1);
      ::close(out[0]);
      ::close(out[1]);
      std::vector<char*> argv;
      argv.push_back(const_cast<char*>(exe.c_str()));
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(exe.c_str(), argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    stdout_fd_ = out[0];
    const auto line = read_line(std::chrono::seconds(10));
    if (line.rfind("LISTENING ", 0) != 0) throw std::runtime_error("broker-sim did not start: '" + line + "'");
    port_ = std::stoi(line.substr(10));
  }
  ~SimProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (stdout_fd_ >= 0) ::close(stdout_fd_);
  }
  int port() const { return port_; }
  // SIGTERM and wait; returns the exit status (or -1 when killed by a signal).
  int stop() {
    ::kill(pid_, SIGTERM);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  std::string read_line(std::chrono::milliseconds timeout) {
    std::string line;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    char c = 0;
    while (std::chrono::steady_clock::now() < deadline) {
      pollfd p{stdout_fd_, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      if (::read(stdout_fd_, &c, 1) != 1) break;
      if (c == '\n') return line;
      line += c;
    }
    return line;
  }
  pid_t pid_{-1};
  int stdout_fd_{-1};
  int port_{0};
};

// A FIX::Application that queues what it receives; tests wait on the queue with a deadline.
class ClientApp final : public FIX::Application {
 public:
  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID&) override {
    std::lock_guard lock(mu_);
    logged_on_ = true;
    cv_.notify_all();
  }
  void onLogout(const FIX::SessionID&) override {
    std::lock_guard lock(mu_);
    logged_on_ = false;
    cv_.notify_all();
  }
  void toAdmin(FIX::Message&, const FIX::SessionID&) override {}
  void toApp(FIX::Message&, const FIX::SessionID&) override {}
  void fromAdmin(const FIX::Message&, const FIX::SessionID&) override {}
  void fromApp(const FIX::Message& m, const FIX::SessionID&) override {
    std::lock_guard lock(mu_);
    received_.push_back(m);
    cv_.notify_all();
  }

  bool wait_logon(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mu_);
    return cv_.wait_for(lock, timeout, [&] { return logged_on_; });
  }
  // The next application message received, in order; throws on timeout.
  FIX::Message next(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mu_);
    if (!cv_.wait_for(lock, timeout, [&] { return !received_.empty(); }))
      throw std::runtime_error("no message from broker-sim in time");
    auto m = received_.front();
    received_.pop_front();
    return m;
  }
  std::size_t pending() {
    std::lock_guard lock(mu_);
    return received_.size();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool logged_on_{false};
  std::deque<FIX::Message> received_;
};

// An OMS-side QuickFIX initiator for one session against 127.0.0.1:<port>.
class Client {
 public:
  // store_dir empty: MemoryStore; else a FileStore there, so a second Client continues the sequence numbers.
  Client(const FIX::SessionID& id, int port, const std::string& dictionary, const std::string& store_dir = {})
      : id_(id) {
    FIX::Dictionary d;
    d.setString("ConnectionType", "initiator");
    d.setString("SocketConnectHost", "127.0.0.1");
    d.setString("SocketConnectPort", std::to_string(port));
    d.setString("HeartBtInt", "30");
    d.setString("ReconnectInterval", "1");
    d.setString("StartTime", "00:00:00");
    d.setString("EndTime", "00:00:00");
    d.setString("UseDataDictionary", "Y");
    d.setString("DataDictionary", dictionary);
    settings_.set(id, d);
    if (store_dir.empty()) store_ = std::make_unique<FIX::MemoryStoreFactory>();
    else store_ = std::make_unique<FIX::FileStoreFactory>(store_dir);
    initiator_ = std::make_unique<FIX::SocketInitiator>(app_, *store_, settings_);
    initiator_->start();
  }
  ~Client() { initiator_->stop(true); }
  // Logs out and disconnects (the session's store stays on disk for the next Client).
  void stop() { initiator_->stop(); }
  ClientApp& app() { return app_; }
  bool send(FIX::Message& m) { return FIX::Session::sendToTarget(m, id_); }

 private:
  FIX::SessionID id_;
  ClientApp app_;
  std::unique_ptr<FIX::MessageStoreFactory> store_;
  FIX::SessionSettings settings_;
  std::unique_ptr<FIX::SocketInitiator> initiator_;
};

inline std::vector<nlohmann::json> read_journal(const std::filesystem::path& path) {
  std::vector<nlohmann::json> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) out.push_back(nlohmann::json::parse(line));
  return out;
}

}  // namespace oms::fix::test
