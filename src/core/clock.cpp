#include "oms/core/clock.hpp"

#include <cstdio>
#include <ctime>

namespace oms {

namespace {
std::tm utc_parts(Timestamp t, long long& nanos) {
  const auto ns = t.time_since_epoch().count();
  long long secs = ns / 1'000'000'000;
  nanos = ns % 1'000'000'000;
  if (nanos < 0) nanos += 1'000'000'000, --secs;
  const std::time_t tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  return tm;
}
}  // namespace

std::string to_iso8601(Timestamp t) {
  long long nanos = 0;
  const std::tm tm = utc_parts(t, nanos);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%09lldZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, nanos);
  return buf;
}

std::string trading_day(Timestamp t) {
  long long nanos = 0;
  const std::tm tm = utc_parts(t, nanos);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
  return buf;
}

}  // namespace oms
