#include "acceptor.hpp"

#include <iostream>

namespace oms::sim {

namespace asio = boost::asio;
using asio::ip::tcp;

namespace {
std::string msg_type_of(const std::string& message) {
  const auto pos = message.find("\x01" "35=");
  if (pos == std::string::npos) return {};
  const auto end = message.find('\x01', pos + 4);
  return message.substr(pos + 4, end == std::string::npos ? std::string::npos : end - pos - 4);
}
}  // namespace

Connection::Connection(tcp::socket socket, Acceptor& owner) : socket_(std::move(socket)), owner_(owner) {
  socket_.set_option(tcp::no_delay(true));
}

void Connection::start() { read(); }

void Connection::read() {
  socket_.async_read_some(asio::buffer(chunk_), [self = shared_from_this()](const boost::system::error_code& ec,
                                                                            std::size_t n) {
    if (ec) {
      // Peer gone (or we closed): tell the session, which calls onLogout and forgets this responder.
      if (self->session_) {
        auto* session = self->session_;
        self->session_ = nullptr;
        const auto id = session->getSessionID();
        session->disconnect();
        FIX::Session::unregisterSession(id);
      }
      self->closed_ = true;
      self->owner_.forget(self);
      return;
    }
    self->framer_.append(std::string_view(self->chunk_.data(), n));
    while (!self->closed_ && !self->closing_) {
      auto message = self->framer_.next();
      if (!message) break;
      self->on_message(*message);
    }
    if (self->closed_) return self->owner_.forget(self);
    self->read();
  });
}

void Connection::on_message(const std::string& message) {
  if (!session_) {
    // First message: must be a Logon for a configured session that is not already connected.
    FIX::Session* session = FIX::Session::lookupSession(message, true);
    if (!session || msg_type_of(message) != "A" || !FIX::Session::registerSession(session->getSessionID())) {
      std::cerr << "broker-sim: refusing connection, first message was not a Logon for a free configured session"
                << std::endl;
      return shutdown_socket();
    }
    session_ = session;
    session_->setResponder(this);
  }
  try {
    session_->next(message, FIX::UtcTimeStamp());
  } catch (const FIX::InvalidMessage& e) {
    // A garbled message is dropped; before logon it ends the connection, as in QuickFIX's SocketConnection.
    if (session_ && !session_->isLoggedOn()) disconnect();
  } catch (const std::exception& e) {
    std::cerr << "broker-sim: session error: " << e.what() << std::endl;
  }
}

void Connection::on_tick() {
  if (session_) session_->next();
}

bool Connection::send(const std::string& message) {
  if (closed_ || closing_) return false;
  out_.push_back(message);
  if (!writing_) write();
  return true;
}

void Connection::write() {
  if (out_.empty()) {
    writing_ = false;
    if (closing_) shutdown_socket();
    return;
  }
  // Everything queued goes out in one write (a New and its Fill, or a resent gap, share a segment).
  writing_ = true;
  current_.clear();
  for (auto& m : out_) current_ += m;
  out_.clear();
  asio::async_write(socket_, asio::buffer(current_),
                    [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                      if (ec) {
                        self->writing_ = false;
                        self->out_.clear();
                        return self->shutdown_socket();
                      }
                      self->write();
                    });
}

void Connection::disconnect() {
  // Called by FIX::Session (under its lock) when it ends the connection, e.g. after a Logout: let queued
  // bytes go out, then close. The session is detached now; the read handler will see the close.
  if (session_) {
    const auto id = session_->getSessionID();
    session_ = nullptr;
    FIX::Session::unregisterSession(id);
  }
  closing_ = true;
  if (!writing_) shutdown_socket();
}

void Connection::close() {
  if (session_) {
    auto* session = session_;
    session_ = nullptr;
    const auto id = session->getSessionID();
    session->disconnect();
    FIX::Session::unregisterSession(id);
  }
  shutdown_socket();
}

void Connection::shutdown_socket() {
  if (closed_) return;
  closed_ = true;
  boost::system::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

Acceptor::Acceptor(asio::io_context& io, const std::string& host, unsigned short port)
    : io_(io), acceptor_(io), timer_(io) {
  const tcp::endpoint endpoint(asio::ip::make_address(host), port);
  acceptor_.open(endpoint.protocol());
  acceptor_.set_option(tcp::acceptor::reuse_address(true));
  acceptor_.bind(endpoint);
  acceptor_.listen();
}

void Acceptor::start() {
  accept();
  tick();
}

void Acceptor::accept() {
  acceptor_.async_accept([this](const boost::system::error_code& ec, tcp::socket socket) {
    if (stopped_) return;
    if (!ec) {
      auto c = std::make_shared<Connection>(std::move(socket), *this);
      connections_.insert(c);
      c->start();
    }
    accept();
  });
}

void Acceptor::tick() {
  timer_.expires_after(std::chrono::seconds(1));
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopped_) return;
    auto copy = connections_;
    for (const auto& c : copy) c->on_tick();
    tick();
  });
}

bool Acceptor::send_raw(const FIX::SessionID& id, const std::string& bytes) {
  for (const auto& c : connections_)
    if (c->session() && c->session()->getSessionID() == id) return c->send(bytes);
  return false;
}

void Acceptor::stop() {
  stopped_ = true;
  boost::system::error_code ignored;
  acceptor_.close(ignored);
  timer_.cancel();
  auto copy = connections_;
  for (const auto& c : copy) c->close();
}

}  // namespace oms::sim
