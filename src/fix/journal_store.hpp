#pragma once
// QuickFIX's MessageStore on the engine's SessionJournal port.
//
// Outgoing: set() journals the message (durable) before QuickFIX writes its bytes, and raises the next
// sender number with it. Incoming: the next expected number lives in memory only; the engine persists
// "applied up to N" together with the events of message N (InboundMark), so after a crash the number
// read back is never ahead of the record and the broker resends what was lost.
#include <string>

#include "oms/engine/ports.hpp"
#include "oms/fix/quickfix.hpp"

namespace oms::fix {

class JournalStore final : public FIX::MessageStore {
 public:
  JournalStore(engine::SessionJournal& journal, std::string session, const Clock& clock);

  bool set(int seq, const std::string& msg) override;
  void get(int begin, int end, std::vector<std::string>& out) const override;
  int getNextSenderMsgSeqNum() const override { return next_sender_; }
  int getNextTargetMsgSeqNum() const override { return next_target_; }
  void setNextSenderMsgSeqNum(int n) override;
  void setNextTargetMsgSeqNum(int n) override { next_target_ = n; }
  void incrNextSenderMsgSeqNum() override { ++next_sender_; }
  void incrNextTargetMsgSeqNum() override { ++next_target_; }
  FIX::UtcTimeStamp getCreationTime() const override { return creation_; }
  void reset() override;
  void refresh() override;

 private:
  void load();

  engine::SessionJournal& journal_;
  std::string session_;
  const Clock& clock_;
  int next_sender_{1};
  int next_target_{1};
  FIX::UtcTimeStamp creation_;
};

class JournalStoreFactory final : public FIX::MessageStoreFactory {
 public:
  JournalStoreFactory(engine::SessionJournal& journal, const Clock& clock) : journal_(journal), clock_(clock) {}
  // `names` maps a QuickFIX SessionID string to the configured session name used in the journal.
  void name(const FIX::SessionID& id, std::string session_name) { names_[id.toString()] = std::move(session_name); }
  FIX::MessageStore* create(const FIX::SessionID& id) override;
  void destroy(FIX::MessageStore* store) override { delete store; }

 private:
  engine::SessionJournal& journal_;
  const Clock& clock_;
  std::map<std::string, std::string> names_;
};

}  // namespace oms::fix
