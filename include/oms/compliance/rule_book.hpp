#pragma once
// Rules as loaded from the YAML files of a rule book, the loader (all-or-nothing, errors as file:line:col) and a
// holder that swaps rule books atomically and keeps the previous one when a reload fails.
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "oms/compliance/expression.hpp"
#include "oms/compliance/types.hpp"
#include "oms/core/clock.hpp"
#include "oms/domain/enums.hpp"

namespace oms::compliance {

// Side sets for scopes: bit per Side.
enum SideBit : std::uint8_t { kBuy = 1, kSell = 2, kSellShort = 4, kSellShortExempt = 8, kAllSides = 15 };
std::uint8_t side_bit(Side s);

struct Scope {
  std::vector<std::string> accounts;        // empty: every account
  std::vector<std::string> account_groups;  // empty: every group; else the account must be in one of them
  std::vector<std::string> asset_classes;   // empty: every asset class
  std::uint8_t sides{kAllSides};
};

enum class Aggregate : std::uint8_t { issuer, parent_issuer };
enum class PositionMeasure : std::uint8_t { shares, notional, pct_nav };

struct SourceLocation {
  std::string file;  // relative to the rule book directory
  int line{0};       // 1-based
  int column{0};     // 1-based
};

struct Rule {
  std::string id;
  std::string description;
  RuleType type{RuleType::expression};
  Severity severity{Severity::block};
  Scope scope;
  std::string source;                               // prospectus or regulation clause
  std::optional<std::chrono::sys_days> effective_from;   // inclusive (UTC date)
  std::optional<std::chrono::sys_days> effective_until;  // inclusive
  SourceLocation location;

  // Parameters; which are used depends on `type` (see compliance_rules/README.md).
  std::unordered_set<std::string> symbols, issuers;  // restricted_list
  Quantity max_quantity;                            // max_order_quantity; position_limit (shares)
  Money max_notional;                               // max_order_notional; position_limit (notional)
  Exact limit_pct;  // price_tolerance, position_limit (pct_nav), issuer/group concentration, pct_adv
  PositionMeasure position_measure{PositionMeasure::shares};
  Aggregate aggregate_by{Aggregate::issuer};
  std::string attribute;                 // group_concentration
  std::int32_t attribute_slot{-1};       // fixed_attribute_index(attribute), -1 for a custom attribute
  std::vector<std::string> group_values; // group_concentration: only these groups (empty: every group)
  Exact ucits_single_pct{5, 1}, ucits_max_pct{10, 1}, ucits_bucket_pct{40, 1};
  Exact act40_diversified_pct{75, 1}, act40_issuer_pct{5, 1}, act40_voting_pct{10, 1};
  std::chrono::seconds window{0};        // duplicate_order
  std::optional<Expression> condition;   // expression (`require`)

  bool in_effect(Timestamp now) const;
};

struct LoadError {
  SourceLocation location;  // line/column 0 when unknown
  std::string message;
  std::string to_string() const;  // "file:line:col: message"
};

class RuleBook {
 public:
  RuleBook() = default;
  RuleBook(std::vector<Rule> rules, std::string version, std::vector<std::string> files,
           std::vector<std::string> file_hashes = {});
  const std::vector<Rule>& rules() const { return rules_; }
  // Content hash of the rule files ("fnv1a64:<16 hex>"), the rule book version recorded with every evaluation.
  const std::string& version() const { return version_; }
  const std::vector<std::string>& files() const { return files_; }
  // Content hash of each file ("fnv1a64:<16 hex>"), in files() order: of the bytes this book was loaded from.
  const std::vector<std::string>& file_hashes() const { return file_hashes_; }
  const Rule* find(std::string_view id) const;

 private:
  std::vector<Rule> rules_;
  std::string version_{"empty"};
  std::vector<std::string> files_;
  std::vector<std::string> file_hashes_;
};

struct LoadResult {
  std::shared_ptr<const RuleBook> book;  // null when errors is non-empty
  std::vector<LoadError> errors;
  bool ok() const { return book != nullptr; }
};

// Loads every *.yaml / *.yml under `dir` (recursively, skipping the tests/ folder) into a new rule book, or
// returns every error found. Never throws for bad input.
LoadResult load_rule_book(const std::string& dir);
// Loads one rule file's text (for tests and fuzzing); `file` names it in errors; list files resolve under `dir`.
LoadResult load_rule_text(const std::string& text, const std::string& file = "rules.yaml",
                          const std::string& dir = ".");

struct RuleBookRecord {
  std::string version;
  Timestamp loaded_at{};
  std::string loaded_by;  // the API user, or "file change"
  std::size_t rule_count{0};
};

// Holds the rule book in force. Thread-safe: readers get a shared_ptr snapshot that stays valid while they use it.
class RuleBookHolder {
 public:
  RuleBookHolder();
  std::shared_ptr<const RuleBook> current() const;
  // Loads `dir`; on success swaps it in and records it; on failure keeps the current book and returns the errors.
  LoadResult reload(const std::string& dir, const std::string& loaded_by, Timestamp now);
  void install(std::shared_ptr<const RuleBook> book, const std::string& loaded_by, Timestamp now);
  std::vector<LoadError> last_errors() const;
  std::vector<RuleBookRecord> history() const;

 private:
  mutable std::mutex mu_;
  std::shared_ptr<const RuleBook> current_;
  std::vector<LoadError> last_errors_;
  std::vector<RuleBookRecord> history_;
};

}  // namespace oms::compliance
