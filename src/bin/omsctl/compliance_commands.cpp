#include "compliance_commands.hpp"

#include <iostream>
#include <memory>

#include "oms/compliance/tools.hpp"
#include "render.hpp"

namespace omsctl {

using nlohmann::json;

namespace {

// Offline tools print their report (stdout when fine, stderr otherwise); exit 1 when the book or a test fails.
int offline(const oms::compliance::ToolReport& report, bool json_out) {
  if (json_out) {
    std::cout << json{{"ok", report.ok}, {"lines", report.lines}}.dump() << "\n";
  } else {
    (report.ok ? std::cout : std::cerr) << report.text();
  }
  return report.ok ? 0 : 1;
}

bool is_id(const std::string& s) {
  return !s.empty() && s.size() <= 18 && s.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

void add_compliance_commands(CLI::App& app, const ApiCall& api, const bool& json_out, std::function<int()>& action) {
  // Owned by the app's lifetime (CLI11 keeps pointers to them).
  static std::string dir, order_id, reason;
  static bool csv = false;

  auto* rules = app.add_subcommand("rules", "the compliance rule book");
  rules->require_subcommand(1);
  auto* check = rules->add_subcommand("check", "validate a rule book directory (offline: no omsd needed)");
  check->add_option("DIR", dir, "rule book directory")->required();
  check->callback([&] { action = [&] { return offline(oms::compliance::check_rule_book(dir), json_out); }; });
  auto* test = rules->add_subcommand("test", "run a rule book's own test cases, DIR/tests/*.yaml (offline)");
  test->add_option("DIR", dir, "rule book directory")->required();
  test->callback([&] { action = [&] { return offline(oms::compliance::run_rule_tests(dir), json_out); }; });
  rules->add_subcommand("list", "the rule book in force: version, rules, load history, last errors")->callback([&] {
    action = [&] { return api("GET", "/api/v1/rules", nullptr, render_rules); };
  });
  rules->add_subcommand("versions", "every recorded rule book version, newest first")->callback([&] {
    action = [&] { return api("GET", "/api/v1/rules/versions", nullptr, render_rule_versions); };
  });
  rules->add_subcommand("reload", "reload the server's rule book (a broken one leaves the current one in force)")
      ->callback([&] {
        action = [&] {
          return api("POST", "/api/v1/rules/reload", json::object(), [](const json& a) {
            if (a.contains("recorded") && !a["recorded"].get<bool>())
              return "rule book " + text(a["version"]) + " unchanged (same content hash): nothing new recorded\n";
            return "rule book " + text(a["version"]) + " loaded: " + text(a["rule_count"]) + " rules\n";
          });
        };
      });

  auto* approvals = app.add_subcommand("approvals", "orders held for a compliance officer's approval");
  approvals->require_subcommand(1);
  approvals->add_subcommand("list", "orders waiting for a decision")->callback([&] {
    action = [&] { return api("GET", "/api/v1/approvals", nullptr, render_approvals); };
  });
  auto decide = [&](const char* name, const char* what, bool reason_required) {
    auto* cmd = approvals->add_subcommand(name, what);
    cmd->add_option("id", order_id, "order id")->required();
    auto* r = cmd->add_option("--reason", reason, reason_required ? "why (required)" : "why (optional)");
    if (reason_required) r->required();
    cmd->callback([&, name] {
      if (!is_id(order_id)) throw CLI::ValidationError("id", "expected an order number, got '" + order_id + "'");
      json body = json::object();
      if (!reason.empty()) body["reason"] = reason;
      const std::string verb = std::string(name) == "approve" ? "approved" : "rejected";
      action = [&, body, verb] {
        return api("POST", "/api/v1/orders/" + order_id + "/" + (verb == "approved" ? "approve" : "reject"), body,
                   [verb](const json& a) { return "order " + text(a["order_id"]) + " " + verb + "\n"; });
      };
    });
  };
  decide("approve", "release a held order to the broker", false);
  decide("reject", "reject a held order (it never reaches the broker)", true);

  auto* compliance = app.add_subcommand("compliance", "compliance reports");
  compliance->require_subcommand(1);
  auto* eod = compliance->add_subcommand("eod", "end-of-day check of every holdings rule over current positions");
  eod->add_flag("--csv", csv, "the report as CSV");
  eod->callback([&] {
    action = [&] {
      // CSV is not JSON: the client prints it as it came.
      return api("GET", std::string("/api/v1/compliance/eod") + (csv ? "?format=csv" : ""), nullptr, render_eod);
    };
  });
}

}  // namespace omsctl
