#include "rules_watcher.hpp"

#include <algorithm>
#include <fstream>
#include <vector>

namespace omsd {

namespace fs = std::filesystem;

namespace {

constexpr std::uint64_t kFnvOffset = 1469598103934665603ULL, kFnvPrime = 1099511628211ULL;

void mix(std::uint64_t& h, const void* data, std::size_t n) {
  const auto* p = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < n; ++i) h = (h ^ p[i]) * kFnvPrime;
}

}  // namespace

std::uint64_t rule_files_fingerprint(const fs::path& dir) {
  std::error_code ec;
  std::vector<fs::path> files;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const fs::path rel = it->path().lexically_relative(dir);
    if (it->is_directory(ec) && rel == "tests") {
      it.disable_recursion_pending();
      continue;
    }
    if (it->is_regular_file(ec)) files.push_back(rel);
  }
  if (ec) return 0;
  std::sort(files.begin(), files.end());  // directory order is not stable
  std::uint64_t h = kFnvOffset;
  for (const auto& rel : files) {
    const std::string name = rel.string();
    mix(h, name.data(), name.size() + 1);
    const auto size = fs::file_size(dir / rel, ec);
    const auto mtime = fs::last_write_time(dir / rel, ec).time_since_epoch().count();
    mix(h, &size, sizeof size);
    mix(h, &mtime, sizeof mtime);
    std::ifstream in(dir / rel, std::ios::binary);
    char buf[4096];
    while (in.read(buf, sizeof buf) || in.gcount() > 0) mix(h, buf, static_cast<std::size_t>(in.gcount()));
  }
  return h;
}

RulesWatcher::RulesWatcher(fs::path dir, std::chrono::milliseconds interval, std::function<void()> reload)
    : dir_(std::move(dir)), interval_(interval), reload_(std::move(reload)), thread_([this] { run(); }) {}

RulesWatcher::~RulesWatcher() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void RulesWatcher::run() {
  // The book in force was loaded from the files as they are now.
  std::uint64_t loaded = rule_files_fingerprint(dir_);
  std::uint64_t last = loaded;
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, interval_, [this] { return stop_; })) {
    lock.unlock();
    const std::uint64_t now = rule_files_fingerprint(dir_);
    // Reload once a change has held still for one interval (a save in progress would fail to parse).
    if (now == last && now != loaded) {
      loaded = now;
      reload_();
    }
    last = now;
    lock.lock();
  }
}

}  // namespace omsd
