#pragma once
// QuickFIX's MessageStore on the engine's SessionJournal port.
//
// Outgoing: set() journals the message (durable) before QuickFIX writes its bytes, and raises the next
// sender number with it. Incoming: the next expected number lives in memory only; the engine persists
// "applied up to N" together with the events of message N (InboundMark), so after a crash the number
// read back is never ahead of the record and the broker resends what was lost.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "oms/engine/ports.hpp"
#include "oms/fix/quickfix.hpp"

namespace oms::fix {

// Held-bytes mode (asio transport): set() does not wait. Each write gets a ticket 1, 2, 3... in set()
// order; the transport holds a message's bytes until durable_through() reaches the ticket of the last
// set() before them. Thread-safe: issue() runs under the session lock, complete() on the store's writer.
class JournalTickets {
 public:
  std::uint64_t issue() { return ++issued_; }
  std::uint64_t last_issued() const { return issued_.load(); }
  // Highest n such that tickets 1..n are durable (a failed ticket never becomes durable).
  std::uint64_t durable_through() const { return durable_.load(); }
  // Count of tickets whose write failed: bytes behind them must never leave.
  std::uint64_t failures() const { return failures_.load(); }
  void complete(std::uint64_t ticket, const Status& st);
  // Called on the completing thread, under the tickets' lock, after every completion: must only post.
  void on_progress(std::function<void()> f) {
    std::lock_guard lock(mu_);
    progress_ = std::move(f);
  }

 private:
  std::atomic<std::uint64_t> issued_{0}, durable_{0}, failures_{0};
  std::mutex mu_;
  std::set<std::uint64_t> early_;  // completed out of order (the writer is ordered; kept for safety)
  std::uint64_t skipped_through_{0};  // failed tickets also end the wait for later ones, under mu_
  std::function<void()> progress_;
};

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

  // Switches set() to held-bytes mode; the returned tickets live as long as the store.
  std::shared_ptr<JournalTickets> hold_bytes();
  const std::shared_ptr<JournalTickets>& tickets() const { return tickets_; }

 private:
  void load();
  std::shared_ptr<JournalTickets> tickets_;  // null: set() blocks until durable

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
  void destroy(FIX::MessageStore* store) override;
  // The store created for `id` (null if none is alive).
  JournalStore* find(const FIX::SessionID& id);

 private:
  engine::SessionJournal& journal_;
  const Clock& clock_;
  std::map<std::string, std::string> names_;
  std::mutex mu_;
  std::map<std::string, JournalStore*> live_;
};

}  // namespace oms::fix
