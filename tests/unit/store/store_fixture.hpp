#pragma once
// Opening, reopening and synchronous appends for the store tests.
#include <gtest/gtest.h>

#include <future>
#include <memory>

#include "oms/store/memory_store.hpp"
#include "oms/store/sqlite_store.hpp"
#include "sample_events.hpp"

namespace oms::store::testing {

inline std::unique_ptr<SqliteStore> open_sqlite(const std::string& path, SqliteStoreOptions options = {}) {
  auto r = SqliteStore::open(path, options);
  if (!r) {
    ADD_FAILURE() << "open " << path << ": " << r.error().message;
  }
  return r ? std::move(*r) : nullptr;
}

// Appends and waits for the batch's callback.
inline Status append_sync(engine::EventStore& store, std::vector<EventRecord> events,
                          std::optional<engine::InboundMark> inbound = std::nullopt) {
  std::promise<Status> done;
  auto f = done.get_future();
  store.append(engine::AppendBatch{std::move(events), std::move(inbound)},
               [&done](Status s) { done.set_value(std::move(s)); });
  return f.get();
}

// The implementations the EventStore contract runs against.
struct MemoryImpl {
  static constexpr bool kPersistent = false;
  static std::unique_ptr<engine::EventStore> open(const std::string&) { return std::make_unique<InMemoryEventStore>(); }
};
struct SqliteProcessImpl {
  static constexpr bool kPersistent = true;
  static std::unique_ptr<engine::EventStore> open(const std::string& path) {
    return open_sqlite(path, {.durability = Durability::process});
  }
};
struct SqlitePowerImpl {
  static constexpr bool kPersistent = true;
  static std::unique_ptr<engine::EventStore> open(const std::string& path) {
    return open_sqlite(path, {.durability = Durability::power});
  }
};

}  // namespace oms::store::testing
