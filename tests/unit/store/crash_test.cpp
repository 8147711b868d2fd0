// Kill -9 a writer at random moments, many times, onto the same database: every acknowledged batch must
// be there, and after it only whole batches, in order.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <random>
#include <thread>

#include "crash_protocol.hpp"
#include "store_fixture.hpp"

namespace oms::store {
namespace {

using namespace oms::store::testing;

long last_ack(const std::string& path, long* count = nullptr) {
  std::ifstream in(path);
  std::string line;
  long last = 0;
  long n = 0;
  // Only complete lines count: a kill may cut the last write short.
  while (std::getline(in, line)) {
    if (in.eof()) break;
    last = std::stol(line);
    ++n;
  }
  if (count != nullptr) *count = n;
  return last;
}

// Checks the record: batches 1..N, each whole and in order. Returns N.
long verify(const std::string& db_path) {
  auto store = open_sqlite(db_path);
  if (store == nullptr) return -1;
  auto events = store->load();
  EXPECT_TRUE(events.ok());
  if (!events) return -1;
  long expected_batch = 1;
  int expected_index = 0;
  for (const auto& e : *events) {
    auto tag = crash::parse(e);
    EXPECT_TRUE(tag.has_value()) << "seq " << e.seq;
    if (!tag) return -1;
    EXPECT_EQ(tag->batch, expected_batch) << "seq " << e.seq;
    EXPECT_EQ(tag->index, expected_index) << "seq " << e.seq;
    EXPECT_EQ(tag->size, crash::batch_size(tag->batch));
    if (tag->batch != expected_batch || tag->index != expected_index) return -1;
    if (++expected_index == tag->size) {
      ++expected_batch;
      expected_index = 0;
    }
  }
  EXPECT_EQ(expected_index, 0) << "the last batch is partial";
  return expected_batch - 1;
}

void run_crashes(Durability durability, std::uint64_t seed) {
  TempDir dir;
  const std::string db = dir.file("oms.db");
  const std::string acks = dir.file("acks");
  const std::string mode(to_string(durability));
  std::mt19937_64 rng(seed);
  constexpr int kIterations = 30;
  for (int it = 0; it < kIterations; ++it) {
    long acks_before = 0;
    last_ack(acks, &acks_before);
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      ::execl(STORE_CRASH_WRITER, STORE_CRASH_WRITER, db.c_str(), mode.c_str(), acks.c_str(), nullptr);
      ::_exit(127);
    }
    // The kill lands at a random point: sometimes during open, usually after a random number of acks
    // while further batches are in flight, plus a random sub-millisecond-to-milliseconds delay.
    const bool early = rng() % 8 == 0;
    const long want = early ? 0 : 1 + static_cast<long>(rng() % 60);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    int status = 0;
    bool exited = false;
    for (long seen = 0; seen - acks_before < want;) {
      if (::waitpid(pid, &status, WNOHANG) == pid) {
        exited = true;
        break;
      }
      ASSERT_LT(std::chrono::steady_clock::now(), deadline) << "writer made no progress";
      std::this_thread::sleep_for(std::chrono::microseconds(200));
      last_ack(acks, &seen);
    }
    ASSERT_FALSE(exited) << "writer exited by itself, status " << status;
    std::this_thread::sleep_for(std::chrono::microseconds(rng() % 3000));
    ::kill(pid, SIGKILL);
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFSIGNALED(status)) << "writer failed before the kill, status " << status;

    const long acked = last_ack(acks);
    const long present = verify(db);
    ASSERT_GE(present, 0) << "iteration " << it;
    EXPECT_GE(present, acked) << "iteration " << it << ": an acknowledged batch was lost";
    if (::testing::Test::HasFailure()) return;
  }
  EXPECT_GT(last_ack(acks), kIterations);  // the runs did real work
}

TEST(StoreCrash, ProcessDurabilitySurvivesKillNine) { run_crashes(Durability::process, 20261123); }
TEST(StoreCrash, PowerDurabilitySurvivesKillNine) { run_crashes(Durability::power, 777); }

}  // namespace
}  // namespace oms::store
