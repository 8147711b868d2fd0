#pragma once
// The FIX adapter: the engine's BrokerGateway over QuickFIX initiator sessions, one per counterparty.
// QuickFIX stays behind this header (pimpl) so only src/fix compiles against it.
//
// Threading: send_* run on the engine's core thread and never wait for the network (QuickFIX's send
// writes to the socket or fails). Inbound messages arrive on QuickFIX's socket thread and are posted to
// the engine, never waited on. Sequence numbers: outgoing messages are journaled (durable) before their
// bytes leave; the inbound number is persisted by the engine with the events each message produced.
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "oms/core/clock.hpp"
#include "oms/engine/engine.hpp"
#include "oms/engine/ports.hpp"

namespace oms::fix {

struct SessionSpec {
  std::string name;  // broker id used for routing
  std::string begin_string{"FIX.4.4"};
  std::string sender_comp_id;
  std::string target_comp_id;
  std::string host{"127.0.0.1"};
  int port{0};
  int heartbeat_seconds{30};
  int reconnect_seconds{5};
  std::string start_time{"00:00:00"};
  std::string end_time{"00:00:00"};
  std::filesystem::path data_dictionary;  // empty: no validation
  bool validate_incoming{true};
};

// How session bytes reach the socket. quickfix: QuickFIX's SocketInitiator (each outgoing message waits,
// on the sending thread, until its journal record is durable). asio: the OMS's own transport
// (src/fix/asio_transport.hpp): the sender never waits, bytes are held until their record is durable.
enum class Transport { quickfix, asio };

class AsioTransport;

struct SessionStatus {
  std::string name;
  std::string session_id;  // BeginString:Sender->Target
  bool logged_on{false};
  int next_sender_seq{0};
  int next_target_seq{0};
  std::string last_error;
};

class FixGateway final : public engine::BrokerGateway {
 public:
  FixGateway(std::vector<SessionSpec> sessions, std::string default_broker, engine::SessionJournal& journal,
             std::filesystem::path log_dir, const Clock& clock);
  ~FixGateway() override;

  // The engine inbound messages go to. Call before start().
  void attach(engine::Engine* engine);
  // Call before start(); default quickfix.
  void use_transport(Transport transport) { transport_ = transport; }
  Status start();
  void stop();
  std::vector<SessionStatus> sessions() const;

  Status send_new_order(const engine::RoutedOrder& order) override;
  Status send_cancel(const engine::RoutedOrder& order) override;
  Status send_replace(const engine::RoutedOrder& order) override;
  Status send_status_request(const engine::RoutedOrder& order) override;
  Status send_dont_know(const ExecutionReport& report, const std::string& reason) override;
  Status send_allocation(const engine::RoutedAllocation& allocation) override;
  BrokerId default_broker() const override;
  bool has_sent(const BrokerId& broker, const ClOrdID& cl_ord_id) override;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  Transport transport_{Transport::quickfix};
  std::unique_ptr<AsioTransport> asio_;
};

}  // namespace oms::fix
