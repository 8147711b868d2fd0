#pragma once
// Builds raw FIX messages for tests: tag=value pairs in the given order, with BodyLength and CheckSum
// computed. Writing the wire text by hand (not through QuickFIX's typed classes) lets tests put every
// optional field and group on a message exactly as a broker would send it.
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace oms::fix::test {

using Fields = std::vector<std::pair<int, std::string>>;

inline std::string fix_message(const std::string& begin_string, const Fields& fields) {
  std::string body;
  for (const auto& [tag, value] : fields) body += std::to_string(tag) + "=" + value + '\x01';
  std::string text = "8=" + begin_string + '\x01' + "9=" + std::to_string(body.size()) + '\x01' + body;
  unsigned sum = 0;
  for (unsigned char c : text) sum += c;
  char trailer[16];
  std::snprintf(trailer, sizeof trailer, "10=%03u\x01", sum % 256);
  return text + trailer;
}

// "8=FIX.4.4|9=..." for failure messages.
inline std::string printable(std::string text) {
  for (auto& c : text)
    if (c == '\x01') c = '|';
  return text;
}

}  // namespace oms::fix::test
