#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "fixture.hpp"
#include "oms/compliance/rule_book.hpp"

namespace oms::compliance {
namespace {
namespace fs = std::filesystem;

// The single error of loading `yaml`, as "file:line:col: message".
std::string only_error(const std::string& yaml) {
  auto r = load_rule_text(yaml, "bad.yaml");
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(r.errors.size(), 1u);
  std::string all;
  for (const auto& e : r.errors) all += e.to_string() + "\n";
  if (r.errors.size() != 1) ADD_FAILURE() << all;
  return r.errors.empty() ? "" : r.errors[0].to_string();
}

const char* kGood = R"(rules:
  - id: max-qty
    description: at most 1000
    type: max_order_quantity
    max_quantity: 1000
    severity: block
)";

TEST(Loader, LoadsAValidRuleWithEveryCommonField) {
  auto r = load_rule_text(R"yaml(rules:
  - id: issuer-10pct
    description: No single issuer above 10% of fund NAV after the trade
    type: issuer_concentration
    limit_pct_nav: 10.5
    aggregate_by: parent_issuer
    severity: approval
    scope: { accounts: [F1], account_groups: [ucits], asset_classes: [equity], sides: [buy, sell_short] }
    source: "Prospectus 4.2(a)"
    effective: { from: 2026-01-01, until: 2026-12-31 }
)yaml");
  ASSERT_TRUE(r.ok());
  const Rule& rule = r.book->rules()[0];
  EXPECT_EQ(rule.type, RuleType::issuer_concentration);
  EXPECT_EQ(rule.severity, Severity::approval);
  EXPECT_EQ(rule.aggregate_by, Aggregate::parent_issuer);
  EXPECT_EQ(rule.limit_pct, (Exact{105, 10}));
  EXPECT_EQ(rule.scope.sides, kBuy | kSellShort);
  EXPECT_EQ(rule.source, "Prospectus 4.2(a)");
  EXPECT_EQ(rule.location.line, 2);
  EXPECT_TRUE(rule.in_effect(testing::at(2026, 12, 31)));
  EXPECT_FALSE(rule.in_effect(testing::at(2027, 1, 1)));
  EXPECT_FALSE(rule.in_effect(testing::at(2025, 12, 31)));
}

TEST(Loader, UnknownTypeNamesTheLineAndTheKnownTypes) {
  const auto e = only_error("rules:\n  - id: a\n    description: d\n    type: issuer_limit\n    severity: block\n");
  EXPECT_EQ(e.rfind("bad.yaml:4:11: unknown rule type 'issuer_limit'; known types: restricted_list,", 0), 0u) << e;
}

TEST(Loader, MissingParameter) {
  EXPECT_EQ(only_error("rules:\n  - id: a\n    description: d\n    type: pct_adv\n    severity: warn\n"),
            "bad.yaml:2:5: rule 'a' is missing 'max_pct_adv'");
}

TEST(Loader, BadValues) {
  EXPECT_EQ(only_error("rules:\n  - id: a\n    description: d\n    type: pct_adv\n    max_pct_adv: lots\n    severity: warn\n"),
            "bad.yaml:5:18: 'max_pct_adv' must be a percentage number like 10 or 2.5, not 'lots'");
  EXPECT_EQ(only_error("rules:\n  - id: a\n    description: d\n    type: pct_adv\n    max_pct_adv: 101\n    severity: warn\n"),
            "bad.yaml:5:18: 'max_pct_adv' is a percentage and must be between 0 and 100, not 101");
  EXPECT_EQ(only_error("rules:\n  - id: a\n    description: d\n    type: max_order_quantity\n    max_quantity: -5\n    severity: warn\n"),
            "bad.yaml:5:19: 'max_quantity' must be greater than zero, not -5");
  EXPECT_EQ(only_error("rules:\n  - id: a\n    description: d\n    type: no_short_sale\n    severity: fatal\n"),
            "bad.yaml:5:15: unknown severity 'fatal'; use block, approval or warn");
  EXPECT_EQ(only_error("rules:\n  - id: a\n    description: d\n    type: no_short_sale\n    severity: block\n    effective: { from: 2026-02-30 }\n"),
            "bad.yaml:6:24: 'effective.from' must be a date written YYYY-MM-DD, not '2026-02-30'");
  EXPECT_EQ(only_error("rules:\n  - id: a\n    description: d\n    type: no_short_sale\n    severity: block\n    scope: { sides: [up] }\n"),
            "bad.yaml:6:21: unknown side 'up'; use buy, sell, sell_short, sell_short_exempt or any_sell");
}

TEST(Loader, UnknownParameterCatchesTypos) {
  // A misspelt parameter is named, and the parameter it should have been is reported missing.
  auto r = load_rule_text("rules:\n  - id: a\n    description: d\n    type: max_order_quantity\n    max_qty: 5\n    severity: block\n", "bad.yaml");
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_EQ(r.errors[0].to_string(), "bad.yaml:5:5: unknown parameter 'max_qty' for a max_order_quantity rule; its parameters are: max_quantity");
  EXPECT_EQ(r.errors[1].to_string(), "bad.yaml:2:5: rule 'a' is missing 'max_quantity'");
}

TEST(Loader, DuplicateKeyIsAnErrorEvenThoughYamlCppAcceptsIt) {
  EXPECT_EQ(only_error("rules:\n  - id: a\n    description: d\n    type: max_order_quantity\n    max_quantity: 5\n"
                       "    severity: block\n    max_quantity: 500\n"),
            "bad.yaml:7:5: duplicate key 'max_quantity' (already given at line 5); each key may appear only once");
}

TEST(Loader, DuplicateIdAcrossRules) {
  const std::string two = std::string(kGood) + "  - id: max-qty\n    description: again\n    type: no_short_sale\n    severity: warn\n";
  EXPECT_EQ(only_error(two), "bad.yaml:7:5: duplicate rule id 'max-qty' (already defined at bad.yaml:2); ids must be unique");
}

TEST(Loader, YamlSyntaxError) {
  const auto e = only_error("rules:\n  - id: a\n    scope: { sides: [buy\n    severity: block\n");
  EXPECT_EQ(e.rfind("bad.yaml:", 0), 0u);
  EXPECT_NE(e.find("the file is not valid YAML"), std::string::npos) << e;
}

TEST(Loader, ExpressionErrorPointsInsideTheCondition) {
  // Column of 'qty' in the file: `    require: order.qty > 1` -> 'o' at column 14.
  EXPECT_EQ(only_error("rules:\n  - id: a\n    description: d\n    type: expression\n    require: order.qty > 1\n    severity: warn\n"),
            "bad.yaml:5:14: in the 'require' condition: unknown name 'order.qty' (see the expression reference in README.md)");
  // Quoted: the quote shifts by one; the error is at '>' (offset 15).
  EXPECT_EQ(only_error("rules:\n  - id: a\n    description: d\n    type: expression\n    require: \"order.quantity > 'x'\"\n    severity: warn\n"),
            "bad.yaml:5:30: in the 'require' condition: '>' compares numbers, not a number and text");
}

TEST(Loader, PositionLimitNeedsExactlyOneMeasure) {
  EXPECT_EQ(only_error("rules:\n  - id: a\n    description: d\n    type: position_limit\n    max_shares: 5\n    max_pct_nav: 5\n    severity: warn\n"),
            "bad.yaml:2:5: position_limit rule 'a' needs exactly one of max_shares, max_notional, max_pct_nav");
}

TEST(Loader, EveryErrorIsReportedNotJustTheFirst) {
  auto r = load_rule_text("rules:\n  - id: a\n    type: nope\n    severity: block\n    description: d\n  - id: b\n    description: d\n"
                          "    type: pct_adv\n    severity: warn\n", "bad.yaml");
  EXPECT_EQ(r.errors.size(), 2u);
}

class TempDir {
 public:
  TempDir() : path_(fs::temp_directory_path() / ("oms-rules-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
                                                  ::testing::UnitTest::GetInstance()->current_test_info()->name())) {
    fs::remove_all(path_);
    fs::create_directories(path_ / "tests");
  }
  ~TempDir() { fs::remove_all(path_); }
  void write(const std::string& rel, const std::string& text) const { std::ofstream(path_ / rel) << text; }
  std::string str() const { return path_.string(); }

 private:
  fs::path path_;
};

TEST(Loader, DirectoryLoadSkipsTestsFolderAndReadsListFiles) {
  TempDir d;
  d.write("a.yaml", kGood);
  d.write("b.yml", "rules:\n  - id: r\n    description: d\n    type: restricted_list\n    list_file: list.txt\n    severity: block\n");
  d.write("list.txt", "# comment\nXYZ\nissuer: Bad Corp  # trailing comment\n");
  d.write("notes.txt", "not a rule file");
  d.write("tests/case.yaml", "cases: [not, rules]\n");
  auto r = load_rule_book(d.str());
  ASSERT_TRUE(r.ok()) << (r.errors.empty() ? "" : r.errors[0].to_string());
  EXPECT_EQ(r.book->rules().size(), 2u);
  const Rule* rl = r.book->find("r");
  ASSERT_NE(rl, nullptr);
  EXPECT_TRUE(rl->symbols.count("XYZ"));
  EXPECT_TRUE(rl->issuers.count("Bad Corp"));
  EXPECT_EQ(r.book->version().rfind("fnv1a64:", 0), 0u);
}

TEST(Loader, VersionIsAContentHash) {
  TempDir d;
  d.write("a.yaml", kGood);
  const auto v1 = load_rule_book(d.str()).book->version();
  EXPECT_EQ(load_rule_book(d.str()).book->version(), v1);
  d.write("a.yaml", std::string(kGood) + "# a comment changes the content\n");
  EXPECT_NE(load_rule_book(d.str()).book->version(), v1);
}

TEST(RuleBookHolder, AFailedReloadKeepsThePreviousBookInForce) {
  TempDir d;
  d.write("a.yaml", kGood);
  RuleBookHolder holder;
  ASSERT_TRUE(holder.reload(d.str(), "alice", testing::at(2026, 3, 2)).ok());
  const auto good = holder.current();
  EXPECT_EQ(good->rules().size(), 1u);

  d.write("b.yaml", "rules:\n  - id: x\n    description: d\n    type: teleport\n    severity: block\n");
  const auto res = holder.reload(d.str(), "file change", testing::at(2026, 3, 3));
  EXPECT_FALSE(res.ok());
  EXPECT_EQ(holder.current(), good);  // same object: the old book stays in force
  ASSERT_EQ(holder.last_errors().size(), 1u);
  EXPECT_EQ(holder.last_errors()[0].location.file, "b.yaml");
  EXPECT_EQ(holder.last_errors()[0].location.line, 4);
  ASSERT_EQ(holder.history().size(), 1u);
  EXPECT_EQ(holder.history()[0].loaded_by, "alice");
  EXPECT_EQ(holder.history()[0].version, good->version());

  d.write("b.yaml", "rules:\n  - id: x\n    description: d\n    type: no_short_sale\n    severity: block\n");
  ASSERT_TRUE(holder.reload(d.str(), "file change", testing::at(2026, 3, 4)).ok());
  EXPECT_EQ(holder.current()->rules().size(), 2u);
  EXPECT_TRUE(holder.last_errors().empty());
  EXPECT_EQ(holder.history().size(), 2u);
}

TEST(Loader, MissingDirectoryIsAnError) {
  auto r = load_rule_book("/nonexistent/rules");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.errors[0].to_string(), "/nonexistent/rules: the rule book directory does not exist");
}

}  // namespace
}  // namespace oms::compliance
