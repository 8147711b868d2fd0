#pragma once
// The OMS path, in process: the real Engine, SqliteStore (order book record and FIX session journal) and
// FixGateway, wired as omsd wires them (without the HTTP API and without a compliance rule book). An
// order is submitted to the engine and counts as complete when the engine's Notifier sees its fill
// committed: the moment the fill is durably recorded at the chosen durability level.
#include <filesystem>
#include <memory>

#include "oms/fix/gateway.hpp"
#include "oms/store/sqlite_store.hpp"
#include "target.hpp"

namespace oms::bench {

struct OmsOptions {
  std::string sender_comp_id{"OMS"};
  std::string target_comp_id{"BROKER"};
  int port{0};
  std::filesystem::path dir;  // the SQLite record and the FIX logs go here
  std::filesystem::path dictionary;
  store::Durability durability{store::Durability::process};
  fix::Transport transport{fix::Transport::quickfix};  // --oms-transport
};

class OmsInitiator final : public Target {
 public:
  explicit OmsInitiator(OmsOptions options);
  ~OmsInitiator() override;
  std::string name() const override;
  std::string start(Done done) override;
  void submit(std::uint64_t index) override;
  std::string last_error() const override;
  void stop() override;

  // Where the time of each order went, from the Notifier's view (each stage ends when its events are
  // durable and back on the core thread): median per stage over the orders since the last call.
  std::string stage_medians();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace oms::bench
