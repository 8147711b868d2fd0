#pragma once
// What store_crash_writer appends and what the crash test expects to find: batch b (1, 2, 3, ...) holds
// batch_size(b) Alert events whose message is "b=<b> i=<index> n=<size>".
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "oms/engine/events.hpp"

namespace oms::store::crash {

inline int batch_size(long b) { return 1 + static_cast<int>((b * 7) % 5); }  // 1..5

inline std::vector<engine::EventRecord> make_batch(long b) {
  std::vector<engine::EventRecord> out;
  const int n = batch_size(b);
  for (int i = 0; i < n; ++i) {
    out.push_back(engine::EventRecord{.seq = 0, .time = from_nanos(b), .actor = UserId("crash"), .order_id = OrderId(0),
                                      .payload = engine::Alert{"crash", "b=" + std::to_string(b) + " i=" + std::to_string(i) +
                                                                            " n=" + std::to_string(n)}});
  }
  return out;
}

struct Tag {
  long batch;
  int index;
  int size;
};

inline std::optional<Tag> parse(const engine::EventRecord& e) {
  const auto* a = std::get_if<engine::Alert>(&e.payload);
  if (a == nullptr || a->kind != "crash") return std::nullopt;
  Tag t{};
  if (std::sscanf(a->message.c_str(), "b=%ld i=%d n=%d", &t.batch, &t.index, &t.size) != 3) return std::nullopt;
  return t;
}

}  // namespace oms::store::crash
