// oms-rules: offline rule book tools for compliance officers.
//   oms-rules check DIR   validate every rule file (errors as file:line:col: message)
//   oms-rules test DIR    run the rule book's own test cases in DIR/tests/
// Exit code 0 when everything is fine, 1 otherwise.
#include <CLI/CLI.hpp>
#include <iostream>

#include "oms/compliance/tools.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Pre-trade compliance rule book tools"};
  app.require_subcommand(1);
  std::string dir;
  auto* check = app.add_subcommand("check", "validate a rule book directory");
  check->add_option("DIR", dir, "rule book directory")->required();
  auto* test = app.add_subcommand("test", "run the rule book's test cases (DIR/tests/*.yaml)");
  test->add_option("DIR", dir, "rule book directory")->required();
  CLI11_PARSE(app, argc, argv);
  const auto report = check->parsed() ? oms::compliance::check_rule_book(dir) : oms::compliance::run_rule_tests(dir);
  (report.ok ? std::cout : std::cerr) << report.text();
  return report.ok ? 0 : 1;
}
