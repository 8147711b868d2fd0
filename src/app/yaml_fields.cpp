#include "yaml_fields.hpp"

namespace oms::app {

YamlFields::YamlFields(const YAML::Node& node, std::filesystem::path file, std::string context)
    : node_(node), file_(std::move(file)), context_(std::move(context)) {}

std::string YamlFields::where(const YAML::Node& n) const {
  const auto mark = n.Mark();
  if (mark.line < 0) return file_.string();
  return file_.string() + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

Error YamlFields::fail(const std::string& key, const std::string& message) const {
  const YAML::Node at = node_.IsMap() && node_[key] ? node_[key] : node_;
  const std::string path = context_.empty() ? key : context_ + "." + key;
  return make_error(Errc::invalid_argument, where(at) + ": " + path + ": " + message, path);
}

Status YamlFields::check(const std::set<std::string>& allowed) const {
  if (!node_.IsMap()) return make_error(Errc::invalid_argument, where(node_) + ": " + context_ + ": expected a mapping", context_);
  for (const auto& kv : node_) {
    const auto key = kv.first.as<std::string>();
    if (!allowed.count(key)) {
      std::string known;
      for (const auto& a : allowed) known += (known.empty() ? "" : ", ") + a;
      const std::string path = context_.empty() ? key : context_ + "." + key;
      return make_error(Errc::invalid_argument, where(kv.first) + ": unknown key '" + path + "' (known: " + known + ")", path);
    }
  }
  return {};
}

bool YamlFields::has(const std::string& key) const { return node_.IsMap() && node_[key]; }

Result<std::string> YamlFields::string(const std::string& key, bool required, const std::string& fallback) const {
  if (!has(key)) {
    if (required) return fail(key, "is required");
    return fallback;
  }
  const YAML::Node v = node_[key];
  if (!v.IsScalar()) return fail(key, "expected a single value");
  return v.Scalar();
}

Result<int> YamlFields::integer(const std::string& key, bool required, int fallback) const {
  auto text = string(key, required, std::to_string(fallback));
  if (!text) return text.error();
  try {
    std::size_t used = 0;
    const int v = std::stoi(*text, &used);
    if (used != text->size()) throw std::invalid_argument("trailing");
    return v;
  } catch (const std::exception&) {
    return fail(key, "expected an integer, got '" + *text + "'");
  }
}

Result<bool> YamlFields::boolean(const std::string& key, bool required, bool fallback) const {
  auto text = string(key, required, fallback ? "true" : "false");
  if (!text) return text.error();
  if (*text == "true" || *text == "yes") return true;
  if (*text == "false" || *text == "no") return false;
  return fail(key, "expected true or false, got '" + *text + "'");
}

Result<std::vector<std::string>> YamlFields::strings(const std::string& key) const {
  std::vector<std::string> out;
  if (!has(key)) return out;
  const YAML::Node v = node_[key];
  if (!v.IsSequence()) return fail(key, "expected a list");
  for (const auto& item : v) {
    if (!item.IsScalar()) return fail(key, "expected a list of values");
    out.push_back(item.Scalar());
  }
  return out;
}

Result<YAML::Node> load_yaml_file(const std::filesystem::path& file) {
  try {
    return YAML::LoadFile(file.string());
  } catch (const YAML::BadFile&) {
    return make_error(Errc::not_found, file.string() + ": cannot open file");
  } catch (const YAML::ParserException& e) {
    return make_error(Errc::parse_error, file.string() + ":" + std::to_string(e.mark.line + 1) + ":" +
                                             std::to_string(e.mark.column + 1) + ": " + e.msg);
  }
}

}  // namespace oms::app
