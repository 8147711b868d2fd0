#pragma once
// A FIX acceptor transport of our own: QuickFIX 1.15.1's SocketAcceptor binds every interface, this one
// listens on the configured address (127.0.0.1 by default) with Boost.Asio and feeds FIX::Session through
// a FIX::Responder, the way QuickFIX's SocketConnection does:
//   - the first complete message on a connection must be a Logon; FIX::Session::lookupSession(msg, true)
//     finds the configured session (CompIDs reversed), Session::registerSession marks it connected (a second
//     connection for the same session is refused), setResponder() attaches this connection;
//   - every complete message then goes to Session::next(msg, UtcTimeStamp()); a 1 s tick calls
//     Session::next() for heartbeats, TestRequests and logon/logout timeouts;
//   - Session calls Responder::send() to write and Responder::disconnect() to drop the connection; when the
//     peer closes, we call Session::disconnect() and unregister the session.
// Everything runs on the io_context's one thread.
// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <boost/asio.hpp>
#include <deque>
#include <memory>
#include <set>
#include <string>

#include "oms/fix/fix_framer.hpp"
#include "oms/fix/quickfix.hpp"

namespace oms::sim {

class Acceptor;

class Connection final : public FIX::Responder, public std::enable_shared_from_this<Connection> {
 public:
  Connection(boost::asio::ip::tcp::socket socket, Acceptor& owner);
  void start();
  void on_tick();
  // Drops the connection as if the peer had gone (used on shutdown).
  void close();

  bool send(const std::string& message) override;
  void disconnect() override;
  const FIX::Session* session() const { return session_; }

 private:
  void read();
  void on_message(const std::string& message);
  void write();
  void shutdown_socket();

  boost::asio::ip::tcp::socket socket_;
  Acceptor& owner_;
  fix::FixFramer framer_;
  std::array<char, 16384> chunk_{};
  std::deque<std::string> out_;
  std::string current_;  // bytes of the write in flight
  bool writing_{false};
  bool closing_{false};  // close once queued bytes (a Logout) are written
  bool closed_{false};
  FIX::Session* session_{nullptr};
};

class Acceptor {
 public:
  Acceptor(boost::asio::io_context& io, const std::string& host, unsigned short port);
  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  void start();
  void stop();
  void forget(const std::shared_ptr<Connection>& c) { connections_.erase(c); }
  // Writes bytes as they are to the connection of a logged-on session (test misbehaviour); false if none.
  bool send_raw(const FIX::SessionID& id, const std::string& bytes);

 private:
  void accept();
  void tick();

  boost::asio::io_context& io_;
  boost::asio::ip::tcp::acceptor acceptor_;
  boost::asio::steady_timer timer_;
  std::set<std::shared_ptr<Connection>> connections_;
  bool stopped_{false};
};

}  // namespace oms::sim
