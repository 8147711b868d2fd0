#include "oms/fix/fix_framer.hpp"

namespace oms::fix {

void FixFramer::drop_until_next_start(std::size_t from) {
  std::size_t cut = buffer_.find("8=FIX", from);
  if (cut == std::string::npos) {
    // Keep a tail that may be the beginning of "8=FIX" split across reads.
    cut = buffer_.size() > 4 ? buffer_.size() - 4 : 0;
    if (cut < from) cut = from < buffer_.size() ? from : buffer_.size();
  }
  discarded_ += cut;
  buffer_.erase(0, cut);
}

std::optional<std::string> FixFramer::next() {
  for (;;) {
    if (buffer_.size() < 2) return std::nullopt;
    if (buffer_.compare(0, 2, "8=") != 0) {
      drop_until_next_start(1);
      if (buffer_.compare(0, 2, "8=") != 0) return std::nullopt;
    }
    const auto soh1 = buffer_.find('\x01');
    if (soh1 == std::string::npos) {
      if (buffer_.size() > 64) drop_until_next_start(1);  // no BeginString ends this late
      else return std::nullopt;
      continue;
    }
    // "9=" must follow BeginString directly.
    if (buffer_.size() < soh1 + 3) return std::nullopt;
    if (buffer_.compare(soh1 + 1, 2, "9=") != 0) {
      drop_until_next_start(1);
      continue;
    }
    const auto len_begin = soh1 + 3;
    std::size_t body_length = 0;
    std::size_t i = len_begin;
    bool complete = false;
    bool bad = false;
    for (; i < buffer_.size(); ++i) {
      const char c = buffer_[i];
      if (c == '\x01') {
        complete = i > len_begin;
        bad = !complete;
        break;
      }
      if (c < '0' || c > '9' || i - len_begin > 7) {
        bad = true;
        break;
      }
      body_length = body_length * 10 + static_cast<std::size_t>(c - '0');
    }
    if (bad || body_length > kMaxBodyLength) {
      drop_until_next_start(1);
      continue;
    }
    if (!complete) return std::nullopt;
    const std::size_t body_begin = i + 1;
    const std::size_t trailer_begin = body_begin + body_length;
    // "10=ccc<SOH>"
    if (buffer_.size() < trailer_begin + 7) return std::nullopt;
    if (buffer_.compare(trailer_begin, 3, "10=") != 0 || buffer_[trailer_begin + 6] != '\x01') {
      drop_until_next_start(1);
      continue;
    }
    std::string message = buffer_.substr(0, trailer_begin + 7);
    buffer_.erase(0, trailer_begin + 7);
    return message;
  }
}

}  // namespace oms::fix
