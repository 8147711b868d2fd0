#pragma once
// The OMS's own FIX initiator transport (fix.transport: asio): Boost.Asio feeding FIX::Session through a
// FIX::Responder, like QuickFIX's SocketInitiator, with one difference that is the point of it: bytes
// are HELD. QuickFIX's Session::send journals a message (JournalStore::set, in held-bytes mode: queued on
// the store's writer without waiting) and then hands its bytes to the responder; the responder queues
// them behind the journal ticket of that write and writes them to the socket, in order, only once the
// journal reports every write up to that ticket durable. So nothing leaves before its outgoing record is
// durable (crash safety), yet the thread that sends (the engine's core) never waits for the disk, and
// many messages share one commit.
//
// Per configured session: a TCP connection to SocketConnectHost:SocketConnectPort, retried every
// ReconnectInterval; Session::next() every second (logon, heartbeats, timeouts); incoming bytes framed
// and passed to Session::next(msg). Everything but Responder::send/disconnect runs on one io thread.
#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "oms/fix/quickfix.hpp"

namespace oms::fix {

class JournalStoreFactory;

// A connection's outgoing bytes, each behind the journal ticket it depends on (0: none).
class HeldBytes {
 public:
  void hold(std::uint64_t ticket, std::string bytes) { q_.emplace_back(ticket, std::move(bytes)); }
  // Appends to `out`, in order, the messages whose ticket is <= durable_through, stopping at the first
  // that is not (a later message never overtakes an earlier one). Returns how many were released.
  std::size_t release(std::uint64_t durable_through, std::string& out);
  void clear() { q_.clear(); }
  bool empty() const { return q_.empty(); }
  std::size_t size() const { return q_.size(); }

 private:
  std::deque<std::pair<std::uint64_t, std::string>> q_;
};

class AsioTransport {
 public:
  // Every session of `settings` is created through FIX::SessionFactory with these; `stores` must be the
  // factory the sessions' JournalStores come from (they are switched to held-bytes mode).
  AsioTransport(FIX::Application& app, JournalStoreFactory& stores, const FIX::SessionSettings& settings,
                FIX::LogFactory& logs);
  ~AsioTransport();
  AsioTransport(const AsioTransport&) = delete;
  AsioTransport& operator=(const AsioTransport&) = delete;

  // Creates the sessions and starts connecting. Throws FIX::ConfigError (or std::exception) on bad settings.
  void start();
  // Logs out (waiting briefly for the answers and the held bytes), disconnects, destroys the sessions.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace oms::fix
