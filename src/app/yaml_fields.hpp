#pragma once
// Strict reading of a YAML mapping: every key must be known, every value of the expected type, and
// every error names the file, the line and the key.
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "oms/core/fixed.hpp"
#include "oms/core/result.hpp"

namespace oms::app {

class YamlFields {
 public:
  YamlFields(const YAML::Node& node, std::filesystem::path file, std::string context);

  // Fails if the node is not a mapping or has a key outside `allowed`.
  Status check(const std::set<std::string>& allowed) const;
  bool has(const std::string& key) const;

  Result<std::string> string(const std::string& key, bool required, const std::string& fallback = {}) const;
  Result<int> integer(const std::string& key, bool required, int fallback) const;
  Result<bool> boolean(const std::string& key, bool required, bool fallback) const;
  Result<std::vector<std::string>> strings(const std::string& key) const;  // optional list of scalars
  template <class F>
  Result<F> fixed(const std::string& key, bool required) const {
    auto text = string(key, required, "0");
    if (!text) return text.error();
    auto v = F::parse(*text);
    if (!v) return fail(key, "'" + *text + "' is not a valid decimal: " + v.error().message);
    return *v;
  }
  YAML::Node node(const std::string& key) const { return node_[key]; }
  Error fail(const std::string& key, const std::string& message) const;
  std::string where(const YAML::Node& n) const;

 private:
  YAML::Node node_;
  std::filesystem::path file_;
  std::string context_;
};

// Loads a YAML file; a parse error names file:line:col.
Result<YAML::Node> load_yaml_file(const std::filesystem::path& file);

}  // namespace oms::app
