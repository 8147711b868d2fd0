#pragma once
// Expected failures as values: validation, state-machine and compliance errors return Result<T>.
// Exceptions are reserved for broken preconditions and infrastructure failures.
#include <string>
#include <utility>
#include <variant>

namespace oms {

enum class Errc {
  invalid_argument,    // malformed or out-of-range input
  not_found,           // unknown order, account, symbol, ...
  illegal_transition,  // the order state machine refuses the event
  duplicate,           // already applied (ExecID, ClOrdID, rule id)
  overflow,            // fixed-point arithmetic would overflow
  parse_error,         // text that does not parse
  forbidden,           // the caller's role does not allow it
  conflict,            // needs acknowledgement / state changed meanwhile
  rejected,            // refused by compliance or the broker
  unavailable,         // a session or service is down
  io_error,            // storage or network failure
  internal,
};

const char* to_string(Errc code);

struct Error {
  Errc code{Errc::internal};
  std::string message;
  std::string field;  // the offending input field, when there is one
};

inline Error make_error(Errc code, std::string message, std::string field = {}) {
  return Error{code, std::move(message), std::move(field)};
}

template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const Error& error() const { return std::get<1>(v_); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Error> v_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_{};
  bool ok_{true};
};

using Status = Result<void>;

}  // namespace oms
