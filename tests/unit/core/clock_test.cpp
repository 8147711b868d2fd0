#include "oms/core/clock.hpp"

#include <gtest/gtest.h>

namespace oms {
namespace {

TEST(Clock, ManualClockIsDrivenByTheTest) {
  ManualClock clock(from_nanos(1'795'440'309'123'456'789));
  EXPECT_EQ(to_iso8601(clock.now()), "2026-11-23T13:25:09.123456789Z");
  EXPECT_EQ(trading_day(clock.now()), "20261123");
  clock.advance(std::chrono::hours(11));
  EXPECT_EQ(trading_day(clock.now()), "20261124");
}

}  // namespace
}  // namespace oms
