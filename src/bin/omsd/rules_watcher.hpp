#pragma once
// Reloads the rule book when its files change. Polls a fingerprint of every file under the rule book directory
// (path, size, modification time and content hash) rather than inotify: editors that write a temporary file
// and rename it, or directories on network mounts, are seen the same way. A change is acted on once the files
// have been stable for one interval, so a save caught half-written is not loaded. The reload itself goes through
// the engine (its core thread), like POST /api/v1/rules/reload, with "file change" as who loaded it.
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
  // `reload` runs on the watcher's thread when the files changed and settled.
  RulesWatcher(std::filesystem::path dir, std::chrono::milliseconds interval, std::function<void()> reload);
  ~RulesWatcher();
  RulesWatcher(const RulesWatcher&) = delete;
  RulesWatcher& operator=(const RulesWatcher&) = delete;

 private:
  void run();

  std::filesystem::path dir_;
  std::chrono::milliseconds interval_;
  std::function<void()> reload_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_{false};
  std::thread thread_;
};

}  // namespace omsd
