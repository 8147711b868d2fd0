#pragma once
// Drives a Target: N orders with at most `window` in flight (1 = closed loop, for latency; more = a
// pipelined client, for sustained throughput). Times each order from just before submit() to its Done.
#include <chrono>
#include <memory>
#include <semaphore>
#include <string>
#include <vector>

#include "target.hpp"

namespace oms::bench {

struct RunResult {
  std::vector<Nanos> latencies;  // one per order, submit to done
  Nanos elapsed{0};              // first submit to last done
  std::string error;             // empty when every order completed
};

class Harness {
 public:
  explicit Harness(Target& target);
  std::string start();  // starts the target with this harness's completion callback
  RunResult run(std::size_t orders, std::size_t window, std::chrono::seconds timeout);

 private:
  void done(std::uint64_t index);

  Target& target_;
  std::uint64_t base_{0};             // index of the current run's first order
  std::vector<Nanos> done_ns_;        // written by the target's thread, read after the semaphore says so
  std::counting_semaphore<1 << 30> completed_{0};
};

// Percentile (0-1000 per mille) of sorted latencies.
Nanos percentile(const std::vector<Nanos>& sorted, int per_mille);

}  // namespace oms::bench
