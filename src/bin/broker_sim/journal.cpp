#include "journal.hpp"

#include <stdexcept>

#include "oms/core/clock.hpp"

namespace oms::sim {

Journal::Journal(const std::string& path) : file_(std::fopen(path.c_str(), "a")) {
  if (!file_) throw std::runtime_error("cannot open journal " + path);
}

Journal::~Journal() {
  if (file_) std::fclose(file_);
}

void Journal::write(nlohmann::json record) {
  if (!file_) return;
  record["seq"] = ++seq_;
  record["time"] = to_iso8601(SystemClock{}.now());
  const auto line = record.dump() + "\n";
  std::fwrite(line.data(), 1, line.size(), file_);
  std::fflush(file_);
}

}  // namespace oms::sim
