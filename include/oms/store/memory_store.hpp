#pragma once
// An EventStore kept in memory, for tests of the engine and anything else that needs the store's
// contract without a file. Same rules as SqliteStore: seq 1, 2, 3, ... without gaps; each batch atomic;
// a batch holding an already-recorded trade (session, trading_day, exec_id) is skipped whole and gets
// Errc::duplicate; status reports are never de-duplicated.
//
// Threading: thread-safe. append() applies the batch and invokes `done` synchronously, on the caller's
// thread, after releasing the store's lock (so `done` may call back into the store). Callbacks therefore
// run in append order per calling thread. Nothing survives the object.
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "oms/engine/ports.hpp"
#include "oms/store/trade_key.hpp"

namespace oms::store {

class InMemoryEventStore final : public engine::EventStore {
 public:
  explicit InMemoryEventStore(std::string instance_id = "memory");

  void append(engine::AppendBatch batch, engine::DurableCallback done) override;
  Result<std::vector<engine::EventRecord>> load() override;
  void flush() override {}
  std::string instance_id() const override { return instance_id_; }

  // The last InboundMark committed for a session (tests of the engine's inbound bookkeeping).
  std::optional<int> next_target_seq(const std::string& session) const;
  std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::string instance_id_;
  std::vector<engine::EventRecord> events_;
  std::set<TradeKey> trades_;
  std::map<std::string, int> next_target_;
};

}  // namespace oms::store
