#pragma once
// Human-readable output of omsctl: aligned tables and key/value blocks built from the API's JSON.
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace omsctl {

struct Column {
  std::string title;
  std::string key;  // a field of each row object; "a.b" reaches into a nested object
};

// One row per element of `rows`; a missing or null field prints as "-".
std::string table(const nlohmann::json& rows, const std::vector<Column>& columns);
// A scalar as text: strings unquoted, null as "-".
std::string text(const nlohmann::json& v);

std::string render_orders(const nlohmann::json& orders);
std::string render_order(const nlohmann::json& order);
std::string render_positions(const nlohmann::json& body);
std::string render_accounts(const nlohmann::json& accounts);
std::string render_sessions(const nlohmann::json& sessions);
std::string render_events(const nlohmann::json& events);
std::string render_cancel_all(const nlohmann::json& body);
std::string render_rules(const nlohmann::json& body);
std::string render_rule_versions(const nlohmann::json& body);
std::string render_approvals(const nlohmann::json& body);
std::string render_eod(const nlohmann::json& body);

}  // namespace omsctl
