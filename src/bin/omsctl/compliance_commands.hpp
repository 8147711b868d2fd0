#pragma once
// omsctl's compliance commands: rule books (check and test offline; list and reload on the server), approvals
// of held orders, and the end-of-day report.
#include <CLI/CLI.hpp>

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

namespace omsctl {

// Performs one API request and prints the answer (render for humans); returns the exit code.
using ApiCall = std::function<int(const std::string& method, const std::string& path, const nlohmann::json& body,
                                  const std::function<std::string(const nlohmann::json&)>& render)>;

// Adds `rules`, `approvals` and `compliance`; a parsed command sets `action`.
void add_compliance_commands(CLI::App& app, const ApiCall& api, const bool& json_out, std::function<int()>& action);

}  // namespace omsctl
