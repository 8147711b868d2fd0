#pragma once
// Offline tools over a rule book directory, for `omsctl rules check|test DIR` and `oms-rules`:
// validation, the rule book's own test cases (DIR/tests/*.yaml), and the end-of-day holdings report.
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "oms/compliance/rule_book.hpp"
#include "oms/compliance/state.hpp"

namespace oms::compliance {

struct ToolReport {
  bool ok{false};
  std::vector<std::string> lines;  // human-readable, one finding per line
  std::string text() const;        // lines joined with '\n'
};

// Validates the rule book: "OK: 17 rules in 9 files, version fnv1a64:..." or every error as file:line:col.
ToolReport check_rule_book(const std::string& dir);
// Runs DIR/tests/*.yaml (reference data in DIR/tests/reference.yaml, shared by every test file): each case gives a
// portfolio, an order and the expected decision and per-rule outcomes. ok when every case passes.
ToolReport run_rule_tests(const std::string& dir);
// Loads instruments/accounts from YAML (the shape of tests/reference.yaml) into `state`; errors as messages.
std::vector<std::string> load_reference_yaml(const std::string& path, ComplianceState& state);

// End-of-day: every holdings-based rule (position, issuer, group, UCITS, 1940 Act) over current positions of every
// account (pending orders excluded), with measured value, limit and headroom per subject.
struct BatchRow {
  std::string account;
  std::string rule_id;
  std::string rule_type;
  std::string severity;
  std::string subject;  // symbol, issuer, group value, or "portfolio"
  std::string outcome;  // pass | breach
  std::string unit;
  std::string measured, limit, headroom;  // 4 decimals, half-up
};
std::vector<BatchRow> run_batch(const RuleBook& book, const ComplianceState& state, Timestamp now);
std::string batch_to_csv(const std::vector<BatchRow>& rows);
nlohmann::json batch_to_json(const RuleBook& book, const std::vector<BatchRow>& rows);

}  // namespace oms::compliance
