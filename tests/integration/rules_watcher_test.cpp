// omsd's rule book watcher (src/bin/omsd/rules_watcher.*): inotify sees in-place writes, an editor's
// write-temporary-then-rename, new sub-directories and deletions; the polling fallback does too. In inotify mode
// the watcher never polls, so every reload there came from an inotify event.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

#include "../../src/bin/omsd/rules_watcher.hpp"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit = 10s) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(5ms);
  }
  return pred();
}

class RulesWatcherTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    std::string tmpl = (fs::temp_directory_path() / "oms-watch-XXXXXX").string();
    dir_ = ::mkdtemp(tmpl.data());
    std::ofstream(dir_ / "a.yaml") << "rules: []\n";
  }
  void TearDown() override {
    watcher_.reset();
    fs::remove_all(dir_);
  }
  void start() {
    watcher_ = std::make_unique<omsd::RulesWatcher>(dir_, GetParam() ? 10s : 20ms, [this] { ++reloads_; }, 50ms,
                                                    GetParam());
    ASSERT_EQ(watcher_->uses_inotify(), GetParam());
  }

  fs::path dir_;
  std::atomic<int> reloads_{0};
  std::unique_ptr<omsd::RulesWatcher> watcher_;
};

// Each change is followed by a reload (a change caught half-way may cause one more; the engine records a version
// only when the content hash changed, so the count is checked as "at least one more").
TEST_P(RulesWatcherTest, EditsRenamesNewFoldersAndDeletionsReload) {
  start();
  int seen = 0;
  auto reloaded = [&] {
    const bool ok = eventually([&] { return reloads_ > seen; });
    seen = reloads_;
    return ok;
  };
  std::ofstream(dir_ / "a.yaml") << "rules: [] # edited in place\n";
  ASSERT_TRUE(reloaded());

  // An editor's save: a temporary file renamed over the rule file.
  std::ofstream(dir_ / ".a.yaml.swp") << "rules: [] # saved by an editor\n";
  fs::rename(dir_ / ".a.yaml.swp", dir_ / "a.yaml");
  ASSERT_TRUE(reloaded());

  // A file in a new sub-directory (the loader reads them recursively), edited again, then deleted.
  fs::create_directories(dir_ / "ucits");
  std::ofstream(dir_ / "ucits" / "b.yaml") << "rules: []\n";
  ASSERT_TRUE(reloaded());
  std::ofstream(dir_ / "ucits" / "b.yaml") << "rules: [] # again\n";
  ASSERT_TRUE(reloaded());
  fs::remove(dir_ / "ucits" / "b.yaml");
  ASSERT_TRUE(reloaded());
}

INSTANTIATE_TEST_SUITE_P(Modes, RulesWatcherTest, ::testing::Values(true, false),
                         [](const auto& info) { return info.param ? "inotify" : "polling"; });

}  // namespace
