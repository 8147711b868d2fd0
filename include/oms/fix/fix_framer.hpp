#pragma once
// Splits a TCP byte stream into complete FIX messages ("8=...<SOH>9=n<SOH>...10=ccc<SOH>"), using
// BodyLength to find the end. Bytes that cannot start a message are skipped up to the next "8=FIX"
// (FIX drops garbled messages without a Reject); the checksum itself is verified by FIX::Session.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace oms::fix {

class FixFramer {
 public:
  static constexpr std::size_t kMaxBodyLength = 1 << 20;

  void append(std::string_view bytes) { buffer_.append(bytes); }
  // The next complete message, or nothing if more bytes are needed.
  std::optional<std::string> next();
  // Bytes dropped as garbage so far (for logging and tests).
  std::size_t discarded() const { return discarded_; }
  std::size_t buffered() const { return buffer_.size(); }

 private:
  void drop_until_next_start(std::size_t from);
  std::string buffer_;
  std::size_t discarded_{0};
};

}  // namespace oms::fix
