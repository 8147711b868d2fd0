#include "asio_transport.hpp"

// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility> (included above).
#include <boost/asio.hpp>
#include <spdlog/spdlog.h>

#include <array>
#include <chrono>
#include <condition_variable>
#include <future>
#include <map>
#include <mutex>

#include "journal_store.hpp"
#include "oms/fix/fix_framer.hpp"

namespace oms::fix {

namespace asio = boost::asio;
using asio::ip::tcp;

std::size_t HeldBytes::release(std::uint64_t durable_through, std::string& out) {
  std::size_t n = 0;
  while (!q_.empty() && q_.front().first <= durable_through) {
    out += q_.front().second;
    q_.pop_front();
    ++n;
  }
  return n;
}

namespace {

class Connection;

// One configured session and its current connection (io thread only, except `session` calls).
struct Link {
  FIX::SessionID id;
  FIX::Session* session{nullptr};
  std::string host;
  int port{0};
  int reconnect_seconds{30};
  std::shared_ptr<JournalTickets> tickets;  // null: the store is not a JournalStore, nothing is held
  std::shared_ptr<Connection> conn;
  std::unique_ptr<asio::steady_timer> retry;
};

// One TCP connection: the session's Responder while it is attached.
class Connection final : public FIX::Responder, public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, Link& link, std::function<void()> on_closed)
      : socket_(std::move(socket)), link_(link), on_closed_(std::move(on_closed)),
        failures_seen_(link.tickets ? link.tickets->failures() : 0) {
    boost::system::error_code ignored;
    socket_.set_option(tcp::no_delay(true), ignored);
  }

  void start() { read(); }

  // Session::next() on the 1 s tick.
  void tick() {
    if (attached()) link_.session->next();
  }

  // Called by FIX::Session under its lock, on any thread (the engine's core for orders): never blocks.
  bool send(const std::string& bytes) override {
    // The message's own record, if it has one, is the last set() of this session: it ran just before,
    // under the same session lock.
    const std::uint64_t ticket = link_.tickets ? link_.tickets->last_issued() : 0;
    {
      std::lock_guard lock(mu_);
      if (closing_ || closed_) return false;
      held_.hold(ticket, bytes);
    }
    post_pump();
    return true;
  }

  // Called by FIX::Session (under its lock) when it ends the connection, e.g. after a Logout: the session has
  // detached us; what is held still goes out once durable, then the socket closes.
  void disconnect() override {
    {
      std::lock_guard lock(mu_);
      closing_ = true;
      detached_ = true;
    }
    post_pump();
  }

  // Writer-thread progress of the journal, or a write completed: release what is durable (io thread).
  void pump() {
    const std::uint64_t durable = link_.tickets ? link_.tickets->durable_through() : 0;
    // Read after `durable`: a failure is counted before any later ticket can make `durable` pass it.
    const std::uint64_t failures = link_.tickets ? link_.tickets->failures() : 0;
    bool failed = false, shut = false;
    {
      std::lock_guard lock(mu_);
      if (closed_) return;
      if (failures != failures_seen_) {
        failed = true;
        held_.clear();
      } else {
        held_.release(durable, pending_);
      }
      shut = closing_ && held_.empty() && pending_.empty() && !writing_;
    }
    if (failed) {
      spdlog::error("fix: {} outgoing message not journaled: dropping held bytes and disconnecting",
                    link_.id.toString());
      return close();
    }
    if (shut) return shutdown_socket();
    write();
  }

  void post_pump() {
    asio::post(socket_.get_executor(), [self = shared_from_this()] { self->pump(); });
  }

  // Ends the connection now (failure, stop): the session is told and forgets this responder.
  void close() {
    detach_session();
    shutdown_socket();
  }

  bool attached() {
    std::lock_guard lock(mu_);
    return !detached_ && !closed_;
  }

 private:
  void read() {
    socket_.async_read_some(asio::buffer(chunk_), [self = shared_from_this()](const boost::system::error_code& ec,
                                                                              std::size_t n) {
      if (ec) return self->on_socket_closed();
      self->framer_.append(std::string_view(self->chunk_.data(), n));
      while (self->attached()) {
        auto message = self->framer_.next();
        if (!message) break;
        self->on_message(*message);
      }
      self->read();
    });
  }

  void on_message(const std::string& message) {
    try {
      link_.session->next(message, FIX::UtcTimeStamp());
    } catch (const FIX::InvalidMessage&) {
      // A garbled message is dropped; before logon it ends the connection (as QuickFIX's SocketConnection).
      if (!link_.session->isLoggedOn()) close();
    } catch (const std::exception& e) {
      spdlog::warn("fix: {} session error: {}", link_.id.toString(), e.what());
    }
  }

  void write() {
    {
      std::lock_guard lock(mu_);
      if (writing_ || pending_.empty() || closed_) return;
      writing_ = true;
      current_.swap(pending_);
      pending_.clear();
    }
    asio::async_write(socket_, asio::buffer(current_),
                      [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                        {
                          std::lock_guard lock(self->mu_);
                          self->writing_ = false;
                          self->current_.clear();
                        }
                        if (ec) return self->close();
                        self->pump();
                      });
  }

  void on_socket_closed() {
    detach_session();
    shutdown_socket();
    {
      std::lock_guard lock(mu_);
      if (reported_) return;
      reported_ = true;
    }
    on_closed_();
  }

  void detach_session() {
    {
      std::lock_guard lock(mu_);
      if (detached_) return;
      detached_ = true;
    }
    link_.session->disconnect();  // calls our disconnect() and onLogout; the session forgets us
  }

  void shutdown_socket() {
    {
      std::lock_guard lock(mu_);
      if (closed_) return;
      closed_ = true;
      held_.clear();
      pending_.clear();
    }
    boost::system::error_code ignored;
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);  // the pending read ends with an error: on_socket_closed reports it once
  }

  tcp::socket socket_;
  Link& link_;
  std::function<void()> on_closed_;
  FixFramer framer_;
  std::array<char, 16384> chunk_{};
  std::mutex mu_;  // guards everything below (send/disconnect come from other threads)
  HeldBytes held_;
  std::string pending_;  // released, not yet written
  std::string current_;  // the write in flight
  std::uint64_t failures_seen_{0};
  bool writing_{false}, closing_{false}, detached_{false}, closed_{false}, reported_{false};
};

}  // namespace

struct AsioTransport::Impl {
  Impl(FIX::Application& a, JournalStoreFactory& s, const FIX::SessionSettings& st, FIX::LogFactory& l)
      : stores(s), settings(st), factory(a, s, &l) {}

  void connect(Link& link) {
    if (stopping) return;
    if (!link.session->isSessionTime(FIX::UtcTimeStamp())) return retry_later(link);
    auto socket = std::make_shared<tcp::socket>(io);
    tcp::resolver resolver(io);
    boost::system::error_code ec;
    auto endpoints = resolver.resolve(link.host, std::to_string(link.port), ec);
    if (ec) {
      spdlog::warn("fix: {} cannot resolve {}: {}", link.id.toString(), link.host, ec.message());
      return retry_later(link);
    }
    asio::async_connect(*socket, endpoints, [this, &link, socket](const boost::system::error_code& e, const tcp::endpoint&) {
      if (stopping) return;
      if (e) return retry_later(link);
      link.conn = std::make_shared<Connection>(std::move(*socket), link, [this, &link] { on_closed(link); });
      {
        std::lock_guard lock(mu);
        ++live;
      }
      link.session->setResponder(link.conn.get());
      link.conn->start();
      link.session->next();  // sends the Logon
    });
  }

  void retry_later(Link& link) {
    link.retry->expires_after(std::chrono::seconds(std::max(link.reconnect_seconds, 1)));
    link.retry->async_wait([this, &link](const boost::system::error_code& ec) {
      if (!ec) connect(link);
    });
  }

  void on_closed(Link& link) {
    link.conn.reset();
    {
      std::lock_guard lock(mu);
      --live;
    }
    closed_cv.notify_all();
    if (!stopping) retry_later(link);
  }

  void tick() {
    timer.expires_after(std::chrono::seconds(1));
    timer.async_wait([this](const boost::system::error_code& ec) {
      if (ec || stopping) return;
      for (auto& link : links)
        if (link->conn) link->conn->tick();
      tick();
    });
  }

  JournalStoreFactory& stores;
  const FIX::SessionSettings& settings;
  FIX::SessionFactory factory;
  asio::io_context io;
  asio::steady_timer timer{io};
  // Keeps run() going while nothing is pending (e.g. every connection closed during stop()).
  asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
  std::vector<std::unique_ptr<Link>> links;
  std::thread thread;
  bool stopping{false};  // io thread only
  std::mutex mu;
  std::condition_variable closed_cv;
  std::size_t live{0};  // connections not yet reported closed
};

AsioTransport::AsioTransport(FIX::Application& app, JournalStoreFactory& stores, const FIX::SessionSettings& settings,
                             FIX::LogFactory& logs)
    : impl_(std::make_unique<Impl>(app, stores, settings, logs)) {}

AsioTransport::~AsioTransport() { stop(); }

void AsioTransport::start() {
  auto& m = *impl_;
  for (const auto& id : m.settings.getSessions()) {
    const FIX::Dictionary& d = m.settings.get(id);
    auto link = std::make_unique<Link>();
    link->id = id;
    link->host = d.getString("SocketConnectHost");
    link->port = d.getInt("SocketConnectPort");
    if (d.has("ReconnectInterval")) link->reconnect_seconds = d.getInt("ReconnectInterval");
    link->retry = std::make_unique<asio::steady_timer>(m.io);
    link->session = m.factory.create(id, d);
    link->session->logon();
    if (auto* store = m.stores.find(id)) link->tickets = store->hold_bytes();
    if (link->tickets) {
      // The writer thread reports progress: release on the io thread whatever it made durable.
      Link* raw = link.get();
      link->tickets->on_progress([raw, &io = m.io] {
        asio::post(io, [raw] {
          if (raw->conn) raw->conn->pump();
        });
      });
    }
    m.links.push_back(std::move(link));
  }
  spdlog::info("fix: asio transport, {} session(s); outgoing bytes held until their journal record is durable",
               m.links.size());
  for (auto& link : m.links) asio::post(m.io, [&m, l = link.get()] { m.connect(*l); });
  m.tick();
  m.thread = std::thread([&m] {
    for (;;) {
      try {
        m.io.run();
        return;
      } catch (const std::exception& e) {  // a handler threw: keep the transport alive
        spdlog::error("fix: transport handler failed: {}", e.what());
      }
    }
  });
}

void AsioTransport::stop() {
  auto& m = *impl_;
  if (!m.thread.joinable()) return;
  // Log out every logged-on session (its Logout, held until durable, goes out like any message), then wait
  // briefly for the counterparties to answer and close.
  asio::post(m.io, [&m] {
    m.stopping = true;
    m.timer.cancel();
    for (auto& link : m.links) {
      link->retry->cancel();
      if (link->conn && link->session->isLoggedOn()) {
        link->session->logout("OMS stopping");
        link->session->next();
      } else if (link->conn) {
        link->conn->close();
      }
    }
  });
  {
    std::unique_lock lock(m.mu);
    m.closed_cv.wait_for(lock, std::chrono::seconds(3), [&] { return m.live == 0; });
  }
  std::promise<void> closed;
  asio::post(m.io, [&m, &closed] {
    for (auto& link : m.links)
      if (link->conn) link->conn->close();
    closed.set_value();
  });
  closed.get_future().wait();
  m.work.reset();
  m.io.stop();
  m.thread.join();
  for (auto& link : m.links) {
    if (link->tickets) link->tickets->on_progress(nullptr);  // the writer may still complete tickets
    m.factory.destroy(link->session);
    link->session = nullptr;
  }
}

}  // namespace oms::fix
