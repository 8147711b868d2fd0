#include "harness.hpp"

#include <algorithm>

namespace oms::bench {

Harness::Harness(Target& target) : target_(target) {}

std::string Harness::start() {
  return target_.start([this](std::uint64_t index) { done(index); });
}

void Harness::done(std::uint64_t index) {
  // Reports of earlier runs (e.g. a late fill after a timeout) are ignored rather than miscounted.
  if (index < base_ || index - base_ >= done_ns_.size()) return;
  done_ns_[index - base_] = now_ns();
  completed_.release();
}

RunResult Harness::run(std::size_t orders, std::size_t window, std::chrono::seconds timeout) {
  RunResult out;
  std::vector<Nanos> submit_ns(orders, 0);
  done_ns_.assign(orders, 0);
  window = std::max<std::size_t>(window, 1);
  std::size_t waited = 0;
  auto wait_one = [&]() {
    if (completed_.try_acquire_for(timeout)) {
      ++waited;
      return true;
    }
    out.error = target_.name() + ": no fill within " + std::to_string(timeout.count()) + " s after " +
                std::to_string(waited) + " of " + std::to_string(orders) + " orders; " + target_.last_error();
    return false;
  };
  const Nanos t0 = now_ns();
  for (std::size_t i = 0; i < orders; ++i) {
    if (i >= window && !wait_one()) break;
    submit_ns[i] = now_ns();
    target_.submit(base_ + i);
  }
  while (out.error.empty() && waited < orders && wait_one()) {
  }
  out.elapsed = now_ns() - t0;
  base_ += orders;
  if (!out.error.empty()) {
    // Drain what is still in flight so the next run starts clean; stragglers are ignored by index.
    done_ns_.clear();
    return out;
  }
  out.latencies.reserve(orders);
  for (std::size_t i = 0; i < orders; ++i) out.latencies.push_back(done_ns_[i] - submit_ns[i]);
  return out;
}

Nanos percentile(const std::vector<Nanos>& sorted, int per_mille) {
  if (sorted.empty()) return 0;
  // Nearest rank: the smallest value with at least per_mille/1000 of the samples at or below it.
  std::size_t rank = (sorted.size() * static_cast<std::size_t>(per_mille) + 999) / 1000;
  rank = std::clamp<std::size_t>(rank, 1, sorted.size());
  return sorted[rank - 1];
}

}  // namespace oms::bench
