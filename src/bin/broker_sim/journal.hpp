#pragma once
// Append-only JSON-lines record of what the simulated broker did: every order it received and every
// report it sent, flushed per line, so tests can compare the OMS's record with the broker's.
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

namespace oms::sim {

class Journal {
 public:
  Journal() = default;
  explicit Journal(const std::string& path);
  ~Journal();
  Journal(const Journal&) = delete;
  Journal& operator=(const Journal&) = delete;

  bool is_open() const { return file_ != nullptr; }
  // Adds "seq" and "time" (ISO-8601 UTC) and writes one line.
  void write(nlohmann::json record);

 private:
  std::FILE* file_{nullptr};
  long seq_{0};
};

}  // namespace oms::sim
