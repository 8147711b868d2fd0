#include "rules_watcher.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <vector>

namespace omsd {

namespace fs = std::filesystem;

namespace {

constexpr std::uint32_t kMask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM | IN_DELETE | IN_CREATE;

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

RulesWatcher::RulesWatcher(fs::path dir, std::chrono::milliseconds interval, std::function<void()> reload,
                           std::chrono::milliseconds debounce, bool inotify)
    : dir_(std::move(dir)), interval_(interval), reload_(std::move(reload)), debounce_(debounce) {
  // The book in force was loaded from the files as they are now. Watches are set before the constructor returns,
  // so an edit made right after it is seen.
  loaded_ = rule_files_fingerprint(dir_);
  inotify_fd_ = inotify ? ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC) : -1;
  if (inotify_fd_ >= 0 && ::pipe2(wake_, O_NONBLOCK | O_CLOEXEC) != 0) {
    ::close(inotify_fd_);
    inotify_fd_ = -1;
  }
  if (inotify_fd_ >= 0) {
    watch_tree();
    if (::inotify_add_watch(inotify_fd_, dir_.c_str(), kMask) < 0) {  // e.g. the watch limit: poll instead
      ::close(inotify_fd_);
      inotify_fd_ = -1;
    }
  }
  thread_ = std::thread([this] { run(); });
}

RulesWatcher::~RulesWatcher() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (wake_[1] >= 0) {
    const char byte = 0;
    (void)!::write(wake_[1], &byte, 1);
  }
  thread_.join();
  for (int fd : {inotify_fd_, wake_[0], wake_[1]})
    if (fd >= 0) ::close(fd);
}

void RulesWatcher::watch_tree() {
  // inotify is not recursive: every sub-directory the loader reads gets its own watch (adding one twice is harmless).
  std::error_code ec;
  (void)::inotify_add_watch(inotify_fd_, dir_.c_str(), kMask);
  for (fs::recursive_directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_directory(ec)) continue;
    if (it->path().lexically_relative(dir_) == "tests") {
      it.disable_recursion_pending();
      continue;
    }
    (void)::inotify_add_watch(inotify_fd_, it->path().c_str(), kMask);
  }
}

void RulesWatcher::run() {
  if (inotify_fd_ >= 0)
    inotify_loop();
  else
    poll_loop();
}

void RulesWatcher::poll_loop() {
  std::uint64_t last = loaded_;
  std::unique_lock lock(mu_);
  while (!cv_.wait_for(lock, interval_, [this] { return stop_; })) {
    lock.unlock();
    const std::uint64_t now = rule_files_fingerprint(dir_);
    // Reload once a change has held still for one interval (a save in progress would fail to parse).
    if (now == last && now != loaded_) {
      loaded_ = now;
      reload_();
    }
    last = now;
    lock.lock();
  }
}

void RulesWatcher::inotify_loop() {
  // Drains what inotify has queued; true when something happened.
  auto drain = [this] {
    alignas(inotify_event) char buf[4096];
    bool any = false;
    for (ssize_t n; (n = ::read(inotify_fd_, buf, sizeof buf)) > 0;) any = true;
    return any;
  };
  pollfd fds[2] = {{inotify_fd_, POLLIN, 0}, {wake_[0], POLLIN, 0}};
  bool dirty = false;
  for (;;) {
    // Idle: wait for an event. Dirty: wait at most the debounce; a quiet debounce means the files settled.
    const int timeout = dirty ? static_cast<int>(debounce_.count()) : -1;
    const int n = ::poll(fds, 2, timeout);
    if (n < 0 && errno != EINTR) return poll_loop();
    if (fds[1].revents != 0) return;  // stopping
    if (n > 0 && (fds[0].revents & POLLIN) != 0) {
      if (drain()) dirty = true;
      continue;
    }
    if (!dirty) continue;
    dirty = false;
    watch_tree();  // a directory created meanwhile
    const std::uint64_t now = rule_files_fingerprint(dir_);
    if (now != loaded_) {
      loaded_ = now;
      reload_();
    }
  }
}

}  // namespace omsd
