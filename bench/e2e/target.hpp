#pragma once
// One FIX initiator under test. The harness sends order i through it and is told when order i is
// complete: for the bare initiator, when the fill ExecutionReport arrives; for the OMS, when the fill is
// durably recorded. Each target owns its own FIX session (CompID) on the shared broker-sim.
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>

namespace oms::bench {

using Nanos = std::int64_t;

inline Nanos now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// Called on the target's own thread (QuickFIX's socket thread, the engine's core thread) when order
// `index` is complete. Must not block.
using Done = std::function<void(std::uint64_t index)>;

class Target {
 public:
  virtual ~Target() = default;
  virtual std::string name() const = 0;
  // Connects and waits for the FIX logon. Returns an empty string, or why it failed.
  virtual std::string start(Done done) = 0;
  // Sends order `index` (unique for the target's lifetime). Called from the harness thread only.
  virtual void submit(std::uint64_t index) = 0;
  // Anything that went wrong since start (an order not routed, a reject); empty if nothing.
  virtual std::string last_error() const = 0;
  virtual void stop() = 0;
};

}  // namespace oms::bench
