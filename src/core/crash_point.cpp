#include "oms/core/crash_point.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <string>

namespace oms {

namespace {
struct Armed {
  std::string name;
  long remaining{0};
  Armed() {
    const char* env = std::getenv("OMS_TEST_CRASH_AT");
    if (!env || !*env) return;
    std::string spec(env);
    const auto colon = spec.find(':');
    name = spec.substr(0, colon);
    remaining = colon == std::string::npos ? 1 : std::strtol(spec.c_str() + colon + 1, nullptr, 10);
  }
};
const Armed& armed() {
  static const Armed a;
  return a;
}
std::atomic<long> hits{0};
}  // namespace

void crash_point(std::string_view name) {
  const Armed& a = armed();
  if (a.name.empty() || a.name != name) return;
  if (hits.fetch_add(1, std::memory_order_relaxed) + 1 >= a.remaining) _exit(kCrashExitCode);
}

}  // namespace oms
