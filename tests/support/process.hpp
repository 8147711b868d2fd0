#pragma once
// A child process for integration tests: started with fork/exec, its stdout and stderr captured to a
// file, waited on by condition (a line appears, it exits) with a deadline, and stopped by its PID.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace oms::test {

inline std::filesystem::path temp_dir(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() /
             (name + "-" + std::to_string(::getpid()) + "-" +
              std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  std::filesystem::create_directories(dir);
  return dir;
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// Polls `done` until it is true or the deadline passes (conditions, not sleeps: the poll interval only
// bounds how soon we notice).
template <class Pred>
bool wait_until(Pred done, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return done();
}

class Process {
 public:
  Process(const std::string& exe, const std::vector<std::string>& args, const std::filesystem::path& output,
          const std::map<std::string, std::string>& env = {})
      : output_(output) {
    pid_ = ::fork();
    if (pid_ < 0) throw std::runtime_error("fork failed");
    if (pid_ == 0) {
      const int fd = ::open(output.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      for (const auto& [k, v] : env) ::setenv(k.c_str(), v.c_str(), 1);
      std::vector<char*> argv;
      argv.push_back(const_cast<char*>(exe.c_str()));
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(exe.c_str(), argv.data());
      ::_exit(127);
    }
  }
  ~Process() {
    if (running()) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  pid_t pid() const { return pid_; }
  std::string output() const { return read_file(output_); }
  bool wait_for_output(const std::string& text, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    return wait_until([&] { return output().find(text) != std::string::npos || !running(); }, timeout) &&
           output().find(text) != std::string::npos;
  }
  bool running() {
    if (exited_) return false;
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      exited_ = true;
      status_ = status;
      return false;
    }
    return true;
  }
  // Sends `sig` and waits for the exit; returns the exit code, or 128 + signal when killed.
  int stop(int sig = SIGTERM, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    if (running()) ::kill(pid_, sig);
    if (!wait_until([&] { return !running(); }, timeout)) {
      ::kill(pid_, SIGKILL);
      wait_until([&] { return !running(); });
    }
    return exit_code();
  }
  int wait_exit(std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    wait_until([&] { return !running(); }, timeout);
    return exit_code();
  }
  int exit_code() const {
    if (!exited_) return -1;
    return WIFEXITED(status_) ? WEXITSTATUS(status_) : 128 + WTERMSIG(status_);
  }

 private:
  std::filesystem::path output_;
  pid_t pid_{-1};
  bool exited_{false};
  int status_{0};
};

}  // namespace oms::test
