#include "oms/store/memory_store.hpp"

namespace oms::store {

InMemoryEventStore::InMemoryEventStore(std::string instance_id) : instance_id_(std::move(instance_id)) {}

void InMemoryEventStore::append(engine::AppendBatch batch, engine::DurableCallback done) {
  Status result;
  {
    std::lock_guard lock(mutex_);
    // Check the whole batch first (also against itself) so a duplicate leaves nothing behind.
    std::set<TradeKey> batch_keys;
    for (const auto& e : batch.events) {
      auto key = trade_key(e);
      if (key && (trades_.contains(*key) || !batch_keys.insert(*key).second)) {
        result = make_error(Errc::duplicate, "duplicate ExecID " + key->exec_id + " (session " + key->session +
                                                 ", trading day " + key->trading_day + ")");
        break;
      }
    }
    if (result) {
      trades_.merge(batch_keys);
      for (auto& e : batch.events) {
        e.seq = events_.size() + 1;
        events_.push_back(std::move(e));
      }
    }
    // The message was handled either way: a duplicate's effects are already recorded (as in SqliteStore).
    if (batch.inbound) next_target_[batch.inbound->session] = batch.inbound->next_target_seq;
  }
  if (done) done(std::move(result));
}

Result<std::vector<engine::EventRecord>> InMemoryEventStore::load() {
  std::lock_guard lock(mutex_);
  return events_;
}

std::optional<int> InMemoryEventStore::next_target_seq(const std::string& session) const {
  std::lock_guard lock(mutex_);
  auto it = next_target_.find(session);
  if (it == next_target_.end()) return std::nullopt;
  return it->second;
}

std::size_t InMemoryEventStore::size() const {
  std::lock_guard lock(mutex_);
  return events_.size();
}

}  // namespace oms::store
