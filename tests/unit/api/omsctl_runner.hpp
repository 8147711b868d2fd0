#pragma once
// Runs the built omsctl binary (OMSCTL_PATH) with OMS_TOKEN=<token> (none when empty) and captures its exit code,
// stdout and stderr.
#include <sys/wait.h>

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
  const std::string dir = ::testing::TempDir();
  const std::string out = dir + "/omsctl.out", err = dir + "/omsctl.err";
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
