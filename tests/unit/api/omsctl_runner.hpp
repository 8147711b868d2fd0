#pragma once
// Runs the built omsctl binary (OMSCTL_PATH) with OMS_TOKEN=<token> (none when empty) and captures its exit code,
// stdout and stderr.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace oms::api::test {

struct CliRun {
  int code{-1};
  std::string out, err;
  nlohmann::json body() const { return nlohmann::json::parse(out, nullptr, false); }
};

inline std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// `url` empty: no --url (offline commands); `token` empty: OMS_TOKEN unset.
inline CliRun run_omsctl(const std::string& args, const std::string& token, const std::string& url) {
  // Per process: ctest runs each test as its own process, several at once, all sharing TempDir().
  const std::string base = ::testing::TempDir() + "/omsctl-" + std::to_string(::getpid());
  const std::string out = base + ".out", err = base + ".err";
  const std::string env = token.empty() ? "env -u OMS_TOKEN " : "env OMS_TOKEN=" + token + " ";
  const std::string cmd =
      env + OMSCTL_PATH + (url.empty() ? std::string() : " --url " + url) + " " + args + " >" + out + " 2>" + err;
  const int status = std::system(cmd.c_str());
  CliRun r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(out);
  r.err = slurp(err);
  return r;
}

}  // namespace oms::api::test
