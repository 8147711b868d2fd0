// store_crash_writer <db> <process|power> <ack-file>
// Appends numbered batches after those already in <db>, as fast as durability allows, and writes each
// acknowledged (durable) batch number to <ack-file> with write(2) straight after its callback. It runs
// until killed; the crash test kills it with SIGKILL and checks the database against the acks.
#include <fcntl.h>
#include <unistd.h>

#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>

#include "crash_protocol.hpp"
#include "oms/store/sqlite_store.hpp"

using namespace oms;

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: store_crash_writer <db> <process|power> <ack-file>\n");
    return 2;
  }
  auto durability = store::parse_durability(argv[2]);
  if (!durability) return 2;
  auto opened = store::SqliteStore::open(argv[1], {.durability = *durability});
  if (!opened) {
    std::fprintf(stderr, "open: %s\n", opened.error().message.c_str());
    return 3;
  }
  auto& db = **opened;
  auto events = db.load();
  if (!events) return 3;
  long next = 1;
  if (!events->empty()) {
    auto last = store::crash::parse(events->back());
    if (!last) return 4;
    next = last->batch + 1;
  }
  const int ack = ::open(argv[3], O_WRONLY | O_APPEND | O_CREAT, 0644);
  if (ack < 0) return 5;

  std::mutex m;
  std::condition_variable cv;
  int in_flight = 0;
  constexpr int kMaxInFlight = 32;  // keeps several batches in each group commit
  for (long b = next;; ++b) {
    {
      std::unique_lock lock(m);
      cv.wait(lock, [&] { return in_flight < kMaxInFlight; });
      ++in_flight;
    }
    db.append({store::crash::make_batch(b), std::nullopt}, [&, b](Status s) {
      if (!s) {
        std::fprintf(stderr, "batch %ld: %s\n", b, s.error().message.c_str());
        ::_exit(6);
      }
      const std::string line = std::to_string(b) + "\n";
      if (::write(ack, line.data(), line.size()) != static_cast<ssize_t>(line.size())) ::_exit(7);
      {
        std::lock_guard lock(m);
        --in_flight;
      }
      cv.notify_one();
    });
  }
}
