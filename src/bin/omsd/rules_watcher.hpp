#pragma once
// Reloads the rule book when its files change. On Linux it waits on inotify (IN_CLOSE_WRITE, IN_MOVED_TO,
// IN_DELETE, IN_CREATE) on the rule book directory and its sub-directories, then lets the files settle for a short
// debounce (editors write a temporary file and rename it; a checkout touches many files) before acting. When
// inotify cannot be set up (no inotify, watch limit reached) it falls back to polling every `interval`, acting on a
// change once it has held still for one interval. Either way it reloads only when a fingerprint of the files (path,
// size, modification time, content) differs from the one last loaded, and the engine records a new version only
// when the rule book's content hash changed. The reload goes through the engine (its core thread), like
// POST /api/v1/rules/reload, with "file change" as who loaded it.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace omsd {

// FNV-1a over every regular file under `dir` except the tests/ folder (test cases are not rules): relative
// path, size, mtime and content. 0 when the directory cannot be read.
std::uint64_t rule_files_fingerprint(const std::filesystem::path& dir);

class RulesWatcher {
 public:
  // `reload` runs on the watcher's thread when the files changed and settled. `debounce`: how long inotify must
  // stay quiet before the files count as settled.
  // `inotify` false: poll even where inotify works (tests of the fallback).
  RulesWatcher(std::filesystem::path dir, std::chrono::milliseconds interval, std::function<void()> reload,
               std::chrono::milliseconds debounce = std::chrono::milliseconds(100), bool inotify = true);
  ~RulesWatcher();
  RulesWatcher(const RulesWatcher&) = delete;
  RulesWatcher& operator=(const RulesWatcher&) = delete;

  // Whether changes are noticed through inotify (false: polling every interval). Set before the constructor returns.
  bool uses_inotify() const { return inotify_fd_ >= 0; }

 private:
  void run();
  void poll_loop();
  void inotify_loop();
  void watch_tree();

  std::filesystem::path dir_;
  std::chrono::milliseconds interval_;
  std::function<void()> reload_;
  std::chrono::milliseconds debounce_;
  int inotify_fd_{-1};
  int wake_[2]{-1, -1};  // a pipe that wakes the inotify loop to stop
  std::uint64_t loaded_{0};  // fingerprint of the files the book in force came from
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_{false};
  std::thread thread_;
};

}  // namespace omsd
