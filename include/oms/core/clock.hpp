#pragma once
// Time is passed in: everything that reads the time takes a Clock, and tests drive a ManualClock.
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>

namespace oms {

using Timestamp = std::chrono::sys_time<std::chrono::nanoseconds>;

class Clock {
 public:
  virtual ~Clock() = default;
  // Thread-safe.
  virtual Timestamp now() const = 0;
};

class SystemClock final : public Clock {
 public:
  Timestamp now() const override { return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now()); }
};

class ManualClock final : public Clock {
 public:
  explicit ManualClock(Timestamp start = Timestamp{}) : ns_(start.time_since_epoch().count()) {}
  Timestamp now() const override { return Timestamp{std::chrono::nanoseconds{ns_.load()}}; }
  void set(Timestamp t) { ns_.store(t.time_since_epoch().count()); }
  void advance(std::chrono::nanoseconds d) { ns_.fetch_add(d.count()); }

 private:
  std::atomic<std::int64_t> ns_;
};

// "2026-11-23T14:05:09.123456789Z"
std::string to_iso8601(Timestamp t);
// UTC trading day "20261123" (FIX LocalMktDate style), the scope of ExecID uniqueness.
std::string trading_day(Timestamp t);
inline std::int64_t to_nanos(Timestamp t) { return t.time_since_epoch().count(); }
inline Timestamp from_nanos(std::int64_t ns) { return Timestamp{std::chrono::nanoseconds{ns}}; }

}  // namespace oms
