#pragma once
// The baseline: a QuickFIX SocketInitiator with no OMS logic. It sends the same NewOrderSingle the OMS
// sends and counts an order complete when its fill ExecutionReport (OrdStatus 2) arrives. Session
// settings mirror the OMS gateway's (data dictionary validation, FileLog), so the difference measured is
// the OMS: engine, order book record, session journal.
#include <filesystem>
#include <memory>

#include "target.hpp"

namespace oms::bench {

struct BareOptions {
  std::string sender_comp_id{"BARE"};
  std::string target_comp_id{"BROKER"};
  int port{0};
  std::filesystem::path dir;         // FileStore and FileLog go here
  std::filesystem::path dictionary;  // FIX44.xml
  bool file_store{true};             // false: MemoryStore (nothing survives even a kill -9)
};

class BareInitiator final : public Target {
 public:
  explicit BareInitiator(BareOptions options);
  ~BareInitiator() override;
  std::string name() const override;
  std::string start(Done done) override;
  void submit(std::uint64_t index) override;
  std::string last_error() const override;
  void stop() override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace oms::bench
