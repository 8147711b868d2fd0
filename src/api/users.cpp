#include "oms/api/users.hpp"

#include <openssl/evp.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <fstream>
#include <set>
#include <sstream>

namespace oms::api {

namespace {

constexpr std::pair<Role, std::string_view> kRoles[] = {
    {Role::pm, "pm"}, {Role::trader, "trader"}, {Role::compliance, "compliance"}, {Role::admin, "admin"},
    {Role::viewer, "viewer"}};

Error bad(const std::string& source, const YAML::Node& node, const std::string& message) {
  const auto mark = node.Mark();
  std::string where = source;
  if (!node.IsNull() && mark.line >= 0) where += std::string(":").append(std::to_string(mark.line + 1));
  return make_error(Errc::invalid_argument, where + ": " + message);
}

bool is_hex64(const std::string& s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) && !std::isupper(static_cast<unsigned char>(c)); });
}

// Every key of a mapping must be one of `allowed` (yaml-cpp also keeps duplicate keys silently).
Status check_keys(const std::string& source, const YAML::Node& map, std::initializer_list<std::string_view> allowed) {
  std::set<std::string> seen;
  for (const auto& kv : map) {
    const auto key = kv.first.as<std::string>();
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      return bad(source, kv.first, "unknown key '" + key + "'");
    if (!seen.insert(key).second) return bad(source, kv.first, "duplicate key '" + key + "'");
  }
  return {};
}

Result<User> parse_user(const std::string& source, const YAML::Node& n) {
  if (!n.IsMap()) return bad(source, n, "each user must be a mapping");
  if (auto st = check_keys(source, n, {"id", "name", "roles", "tokens"}); !st) return st.error();
  User u;
  if (!n["id"] || !n["id"].IsScalar() || n["id"].as<std::string>().empty()) return bad(source, n, "user without an id");
  u.id = UserId{n["id"].as<std::string>()};
  if (n["name"]) u.name = n["name"].as<std::string>();
  if (!n["roles"] || !n["roles"].IsSequence() || n["roles"].size() == 0)
    return bad(source, n, "user " + u.id.value + " needs a list of roles");
  for (const auto& r : n["roles"]) {
    auto role = parse_role(r.as<std::string>());
    if (!role) return bad(source, r, "unknown role '" + r.as<std::string>() + "'");
    u.roles.push_back(*role);
  }
  if (n["tokens"]) {
    if (!n["tokens"].IsSequence()) return bad(source, n["tokens"], "tokens must be a list");
    for (const auto& t : n["tokens"]) {
      if (!t.IsMap()) return bad(source, t, "each token must be a mapping");
      if (auto st = check_keys(source, t, {"sha256", "expires", "label"}); !st) return st.error();
      ApiToken tok;
      if (!t["sha256"]) return bad(source, t, "token without sha256");
      tok.sha256_hex = t["sha256"].as<std::string>();
      if (!is_hex64(tok.sha256_hex)) return bad(source, t["sha256"], "sha256 must be 64 lower-case hex digits");
      if (!t["expires"]) return bad(source, t, "token without an expiry (expires)");
      auto exp = parse_iso8601(t["expires"].as<std::string>());
      if (!exp) return bad(source, t["expires"], exp.error().message);
      tok.expires = *exp;
      if (t["label"]) tok.label = t["label"].as<std::string>();
      u.tokens.push_back(std::move(tok));
    }
  }
  return u;
}

int digits(std::string_view s, std::size_t pos, std::size_t n, bool& ok) {
  int v = 0;
  if (pos + n > s.size()) {
    ok = false;
    return 0;
  }
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) ok = false;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

}  // namespace

std::string_view to_string(Role r) {
  for (const auto& [k, v] : kRoles)
    if (k == r) return v;
  return "?";
}

std::optional<Role> parse_role(std::string_view s) {
  for (const auto& [k, v] : kRoles)
    if (v == s) return k;
  return std::nullopt;
}

bool User::has(Role r) const { return std::find(roles.begin(), roles.end(), r) != roles.end(); }

Result<UserDirectory> UserDirectory::parse(std::string_view yaml_text, const std::string& source) {
  YAML::Node root;
  try {
    root = YAML::Load(std::string(yaml_text));
  } catch (const YAML::Exception& e) {
    return make_error(Errc::parse_error, source + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  UserDirectory dir;
  try {
    if (!root.IsMap() || !root["users"] || !root["users"].IsSequence())
      return make_error(Errc::invalid_argument, source + ": expected a top-level 'users:' list");
    if (auto st = check_keys(source, root, {"users"}); !st) return st.error();
    for (const auto& n : root["users"]) {
      auto u = parse_user(source, n);
      if (!u) return u.error();
      if (auto st = dir.add(std::move(*u)); !st) return bad(source, n, st.error().message);
    }
  } catch (const YAML::Exception& e) {
    return make_error(Errc::invalid_argument, source + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  return dir;
}

Result<UserDirectory> UserDirectory::load(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) return make_error(Errc::io_error, "cannot read users file " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  return parse(text.str(), file.string());
}

Status UserDirectory::add(User user) {
  if (find(user.id)) return make_error(Errc::duplicate, "duplicate user " + user.id.value, "id");
  for (const auto& t : user.tokens)
    if (by_hash_.count(t.sha256_hex)) return make_error(Errc::duplicate, "a token hash is listed twice", "tokens");
  const std::size_t ui = users_.size();
  for (std::size_t ti = 0; ti < user.tokens.size(); ++ti) by_hash_[user.tokens[ti].sha256_hex] = {ui, ti};
  users_.push_back(std::move(user));
  return {};
}

const User* UserDirectory::find(const UserId& id) const {
  for (const auto& u : users_)
    if (u.id == id) return &u;
  return nullptr;
}

AuthResult UserDirectory::authenticate(std::string_view bearer_token, Timestamp now) const {
  if (bearer_token.empty()) return {};
  auto it = by_hash_.find(sha256_hex(bearer_token));
  if (it == by_hash_.end()) return {};
  const User& u = users_[it->second.first];
  if (u.tokens[it->second.second].expires <= now) return {AuthOutcome::expired_token, nullptr};
  return {AuthOutcome::ok, &u};
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out.push_back(hex[digest[i] >> 4]);
    out.push_back(hex[digest[i] & 0xf]);
  }
  return out;
}

Result<Timestamp> parse_iso8601(std::string_view s) {
  auto fail = [&] {
    return make_error(Errc::parse_error, std::string("'").append(std::string(s)) + "' is not a UTC time like 2030-12-31T23:59:59Z");
  };
  bool ok = s.size() >= 10 && s[4] == '-' && s[7] == '-';
  const int y = digits(s, 0, 4, ok), mo = digits(s, 5, 2, ok), d = digits(s, 8, 2, ok);
  if (!ok) return fail();
  using namespace std::chrono;
  const year_month_day ymd{year{y}, month{static_cast<unsigned>(mo)}, day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return fail();
  std::int64_t ns = 0;
  if (s.size() > 10) {
    ok = s.size() >= 20 && (s[10] == 'T' || s[10] == ' ') && s[13] == ':' && s[16] == ':' && s.back() == 'Z';
    const int h = digits(s, 11, 2, ok), mi = digits(s, 14, 2, ok), se = digits(s, 17, 2, ok);
    if (!ok || h > 23 || mi > 59 || se > 60) return fail();
    ns = ((h * 60LL + mi) * 60LL + se) * 1'000'000'000LL;
    std::string_view frac = s.substr(19, s.size() - 20);
    if (!frac.empty()) {
      if (frac[0] != '.' || frac.size() < 2 || frac.size() > 10) return fail();
      std::int64_t f = 0;
      for (std::size_t i = 1; i < 10; ++i) {
        const char c = i < frac.size() ? frac[i] : '0';
        if (!std::isdigit(static_cast<unsigned char>(c))) return fail();
        f = f * 10 + (c - '0');
      }
      ns += f;
    }
  }
  const auto days = sys_days{ymd}.time_since_epoch().count();
  return Timestamp{nanoseconds{days * 86'400'000'000'000LL + ns}};
}

}  // namespace oms::api
