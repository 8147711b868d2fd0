#pragma once
// Identity: users, their roles and their API tokens (config/users.yaml). Tokens are never stored in
// clear: the file holds the SHA-256 of each token (lower-case hex) and its expiry.
//
// users.yaml:
//   users:
//     - id: alice
//       name: Alice Archer
//       roles: [pm]                     # pm | trader | compliance | admin | viewer
//       tokens:
//         - sha256: 5c1d...             # sha256 of the bearer token, 64 hex digits
//           expires: 2030-12-31T23:59:59Z
//           label: demo                 # optional, for operators
//
// Which funds a PM may trade is not in this file: config/accounts.yaml names the PMs of each fund.
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "oms/core/clock.hpp"
#include "oms/core/ids.hpp"
#include "oms/core/result.hpp"

namespace oms::api {

enum class Role { pm, trader, compliance, admin, viewer };
std::string_view to_string(Role r);
std::optional<Role> parse_role(std::string_view s);

struct ApiToken {
  std::string sha256_hex;
  Timestamp expires{};
  std::string label;
};

struct User {
  UserId id;
  std::string name;
  std::vector<Role> roles;
  std::vector<ApiToken> tokens;
  bool has(Role r) const;
};

enum class AuthOutcome { ok, unknown_token, expired_token };

struct AuthResult {
  AuthOutcome outcome{AuthOutcome::unknown_token};
  const User* user{nullptr};  // set when ok
};

// Immutable once built; safe to read from any thread.
class UserDirectory {
 public:
  static Result<UserDirectory> load(const std::filesystem::path& file);
  // `source` names the text in error messages.
  static Result<UserDirectory> parse(std::string_view yaml_text, const std::string& source);

  // Adds a user (building a directory in code, e.g. tests). Fails on a duplicate id or token hash.
  Status add(User user);
  const User* find(const UserId& id) const;
  AuthResult authenticate(std::string_view bearer_token, Timestamp now) const;
  const std::vector<User>& users() const { return users_; }

 private:
  std::vector<User> users_;
  std::unordered_map<std::string, std::pair<std::size_t, std::size_t>> by_hash_;  // -> (user, token)
};

// Lower-case hex SHA-256 (OpenSSL libcrypto).
std::string sha256_hex(std::string_view data);

// "2030-12-31T23:59:59Z", "2030-12-31T23:59:59.5Z", "2030-12-31" (midnight UTC). UTC only.
Result<Timestamp> parse_iso8601(std::string_view text);

}  // namespace oms::api
