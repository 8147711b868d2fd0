#include "oms/fix/gateway.hpp"

#include <spdlog/spdlog.h>

#include <climits>
#include <cstdlib>
#include <mutex>

#include "asio_transport.hpp"
#include "journal_store.hpp"
#include "messages.hpp"

namespace oms::fix {

namespace {
constexpr int kClOrdID = 11, kMsgSeqNum = 34, kMsgType = 35, kOrigClOrdID = 41, kPossDupFlag = 43, kText = 58,
              kRefSeqNum = 45, kRefTagID = 371, kRefMsgType = 372, kSessionRejectReason = 373,
              kBusinessRejectRefID = 379, kBusinessRejectReason = 380;
}

struct FixGateway::Impl final : public FIX::Application {
  struct Session {
    SessionSpec spec;
    FIX::SessionID id;
    Version version{Version::FIX44};
    std::string last_error;
    bool logged_on{false};
  };

  Impl(std::vector<SessionSpec> specs, std::string def, engine::SessionJournal& j, std::filesystem::path logs,
       const Clock& c)
      : default_broker(std::move(def)), journal(j), log_dir(std::move(logs)), clock(c), store_factory(j, c) {
    for (auto& s : specs) {
      Session sess;
      sess.id = FIX::SessionID(s.begin_string, s.sender_comp_id, s.target_comp_id);
      sess.version = version_of(s.begin_string);
      sess.spec = std::move(s);
      store_factory.name(sess.id, sess.spec.name);
      by_id[sess.id.toString()] = sess.spec.name;
      sessions.emplace(sess.spec.name, std::move(sess));
    }
  }

  // ---- FIX::Application: runs on QuickFIX's threads under the session lock; never waits on the core.
  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID& id) override {
    const std::string name = name_of(id);
    {
      std::lock_guard lock(mu);
      sessions.at(name).logged_on = true;
    }
    spdlog::info("fix: {} logged on", name);
    if (engine) engine->on_session_logon(BrokerId{name});
  }
  void onLogout(const FIX::SessionID& id) override {
    const std::string name = name_of(id);
    std::lock_guard lock(mu);
    sessions.at(name).logged_on = false;
    spdlog::info("fix: {} logged out", name);
  }
  void toAdmin(FIX::Message&, const FIX::SessionID&) override {}
  void toApp(FIX::Message& msg, const FIX::SessionID&) override {
    // Never resend orders blindly after a gap: the session gap-fills them and the engine decides.
    if (msg.getHeader().isSetField(kPossDupFlag) && msg.getHeader().getField(kPossDupFlag) == "Y") {
      const std::string type = msg.getHeader().getField(kMsgType);
      if (type == "D" || type == "F" || type == "G") throw FIX::DoNotSend();
    }
  }
  void fromAdmin(const FIX::Message& msg, const FIX::SessionID& id) override {
    const std::string type = msg.getHeader().getField(kMsgType);
    if (type != "3" && type != "5") return;
    const std::string name = name_of(id);
    {
      std::lock_guard lock(mu);
      sessions.at(name).last_error =
          (type == "3" ? "session Reject: " : "Logout: ") + (msg.isSetField(kText) ? msg.getField(kText) : "");
    }
    if (type == "3" && engine) on_session_reject(msg, name);
  }
  void fromApp(const FIX::Message& msg, const FIX::SessionID& id) override {
    const std::string name = name_of(id);
    const std::string type = msg.getHeader().getField(kMsgType);
    const int seq = std::stoi(msg.getHeader().getField(kMsgSeqNum));
    // QuickFIX counts this message as processed once fromApp returns; the engine records that with its events.
    const engine::InboundMark mark{name, seq + 1};
    const Version v = sessions.at(name).version;
    if (!engine) throw FIX::UnsupportedMessageType();
    if (type == "8") {
      auto report = parse_execution_report(msg, v, name, clock.now());
      if (!report) {
        spdlog::warn("fix: {} invalid ExecutionReport {}: {}", name, seq, report.error().message);
        engine->on_broker_alert(BrokerId{name}, "invalid_report", report.error().message, mark);
        throw FIX::IncorrectTagValue(report.error().field.empty() ? 0 : std::stoi(report.error().field));
      }
      engine->on_execution_report(std::move(*report), mark);
    } else if (type == "9") {
      auto reject = parse_cancel_reject(msg, name);
      if (!reject) throw FIX::RequiredTagMissing(11);
      engine->on_cancel_reject(std::move(*reject), mark);
    } else if (type == "P") {
      auto ack = parse_allocation_ack(msg, name);
      if (!ack) throw FIX::RequiredTagMissing(std::stoi(ack.error().field));
      engine->on_allocation_ack(std::move(*ack), mark);
    } else if (type == "j") {
      on_business_reject(msg, name, mark);
    } else {
      engine->on_broker_alert(BrokerId{name}, "unsupported_message", "unsupported MsgType " + type, mark);
      throw FIX::UnsupportedMessageType();
    }
  }

  // Session Reject (3): always an alert. When it refuses one of our D, F or G (found by RefSeqNum in our outgoing
  // journal) the request is settled as the report we will never get would settle it: a NewOrderSingle ends
  // Rejected (a broker whose dictionary lacks a field we send, or QuickFIX's example executor refusing a market
  // order, answers so), a cancel or replace is withdrawn. Applied with this message's inbound number.
  void on_session_reject(const FIX::Message& msg, const std::string& name) {
    const auto field = [&](int tag) { return msg.isSetField(tag) ? msg.getField(tag) : std::string{}; };
    const engine::InboundMark mark{name, std::stoi(msg.getHeader().getField(kMsgSeqNum)) + 1};
    const std::string ref_seq = field(kRefSeqNum), request = sent_message(name, ref_seq);
    std::string ref_type = field(kRefMsgType);
    if (ref_type.empty()) ref_type = raw_field(request, kMsgType);
    const std::string text = "session Reject of " + (ref_type.empty() ? "?" : ref_type) + " " +
                             (ref_seq.empty() ? "?" : ref_seq) + " (SessionRejectReason " + field(kSessionRejectReason) +
                             ", RefTagID " + field(kRefTagID) + "): " + field(kText);
    spdlog::warn("fix: {} {}", name, text);
    // The journaled message must be the one the broker names, else the Reject is about something else.
    const std::string cl_ord_id = raw_field(request, kMsgType) == ref_type ? raw_field(request, kClOrdID) : "";
    if (ref_type == "D" && !cl_ord_id.empty())
      return engine->on_order_rejected(BrokerId{name}, ClOrdID{cl_ord_id}, text, mark);
    if (!withdraw(name, ref_type, cl_ord_id, request, "session_reject", text, mark))
      engine->on_broker_alert(BrokerId{name}, "session_reject", text, mark);
  }

  // BusinessMessageReject (j): always an alert. A rejected cancel or replace is also withdrawn, as an
  // OrderCancelReject would withdraw it, so the order is not left "pending" for an answer that never comes (e.g.
  // QuickFIX's example executor answers F and G with j, UnsupportedMessageType). The request is found by
  // BusinessRejectRefID when the broker sets it, else by RefSeqNum in our outgoing journal.
  void on_business_reject(const FIX::Message& msg, const std::string& name, const engine::InboundMark& mark) {
    const auto field = [&](int tag) { return msg.isSetField(tag) ? msg.getField(tag) : std::string{}; };
    const std::string ref_type = field(kRefMsgType), ref_seq = field(kRefSeqNum);
    const std::string text = "BusinessMessageReject of " + (ref_type.empty() ? "?" : ref_type) + " " +
                             (ref_seq.empty() ? "?" : ref_seq) + " (reason " + field(kBusinessRejectReason) +
                             "): " + field(kText);
    spdlog::warn("fix: {} {}", name, text);
    const std::string request = ref_type == "F" || ref_type == "G" ? sent_message(name, ref_seq) : "";
    std::string cl_ord_id = field(kBusinessRejectRefID);
    if (cl_ord_id.empty()) cl_ord_id = raw_field(request, kClOrdID);
    if (!withdraw(name, ref_type, cl_ord_id, request, "business_reject", text, mark))
      engine->on_broker_alert(BrokerId{name}, "business_reject", text, mark);
  }

  // Withdraws our cancel (F) or replace (G) `cl_ord_id` refused by a reject: an alert, then a cancel reject with
  // the inbound number. False when the reject is about no such request.
  bool withdraw(const std::string& name, const std::string& ref_type, const std::string& cl_ord_id,
                const std::string& request, const std::string& kind, const std::string& text,
                const engine::InboundMark& mark) {
    if ((ref_type != "F" && ref_type != "G") || cl_ord_id.empty()) return false;
    engine->on_broker_alert(BrokerId{name}, kind, text);
    engine->on_cancel_reject(engine::CancelRejectReport{BrokerId{name}, ClOrdID{cl_ord_id},
                                                        ClOrdID{raw_field(request, kOrigClOrdID)}, ref_type == "G", text},
                             mark);
    return true;
  }
  // Our outgoing message number `seq` as sent, raw ("" if not journaled).
  std::string sent_message(const std::string& name, const std::string& seq) {
    const int n = std::atoi(seq.c_str());
    if (n <= 0) return {};
    auto msgs = journal.outgoing(name, n, n);
    return msgs && !msgs->empty() ? msgs->front() : std::string{};
  }
  // The value of `tag` in a raw FIX message ("" if absent).
  static std::string raw_field(const std::string& raw, int tag) {
    const std::string key = '\x01' + std::to_string(tag) + '=';
    const auto pos = raw.find(key);
    if (pos == std::string::npos) return {};
    const auto start = pos + key.size();
    return raw.substr(start, raw.find('\x01', start) - start);
  }

  std::string name_of(const FIX::SessionID& id) const { return by_id.at(id.toString()); }

  Status send(const BrokerId& broker, FIX::Message msg) {
    const std::string name = broker.empty() ? default_broker : broker.value;
    auto it = sessions.find(name);
    if (it == sessions.end()) return make_error(Errc::not_found, "unknown broker '" + name + "'", "broker");
    FIX::Session* session = FIX::Session::lookupSession(it->second.id);
    // Refuse rather than let QuickFIX queue the message for a later logon.
    if (!session || !session->isLoggedOn())
      return make_error(Errc::unavailable, "broker '" + name + "' is logged out", "broker");
    try {
      if (!session->send(msg)) return make_error(Errc::unavailable, "broker '" + name + "' refused the message");
    } catch (const std::exception& e) {
      return make_error(Errc::io_error, std::string("send failed: ") + e.what());
    }
    return {};
  }

  Version version_for(const BrokerId& broker) const {
    auto it = sessions.find(broker.empty() ? default_broker : broker.value);
    return it == sessions.end() ? Version::FIX44 : it->second.version;
  }

  FIX::SessionSettings settings() const {
    FIX::SessionSettings s;
    FIX::Dictionary defaults;
    defaults.setString("ConnectionType", "initiator");
    defaults.setString("FileLogPath", log_dir.string());
    defaults.setString("PersistMessages", "Y");
    defaults.setString("ValidateUserDefinedFields", "N");
    defaults.setString("AllowUnknownMsgFields", "Y");
    // QuickFIX 1.15.1's SocketInitiator reads ReconnectInterval from [DEFAULT] only (one interval for all
    // sessions; per session it is ignored and 30 s applies): use the shortest one configured.
    int reconnect = 0;
    for (const auto& [name, sess] : sessions)
      if (reconnect == 0 || sess.spec.reconnect_seconds < reconnect) reconnect = sess.spec.reconnect_seconds;
    if (reconnect > 0) defaults.setInt("ReconnectInterval", reconnect);
    s.set(defaults);
    for (const auto& [name, sess] : sessions) {
      FIX::Dictionary d;
      d.setString("SocketConnectHost", sess.spec.host);
      d.setInt("SocketConnectPort", sess.spec.port);
      d.setInt("HeartBtInt", sess.spec.heartbeat_seconds);
      d.setInt("ReconnectInterval", sess.spec.reconnect_seconds);
      d.setString("StartTime", sess.spec.start_time);
      d.setString("EndTime", sess.spec.end_time);
      if (sess.spec.data_dictionary.empty()) {
        d.setString("UseDataDictionary", "N");
      } else {
        d.setString("UseDataDictionary", "Y");
        d.setString("DataDictionary", sess.spec.data_dictionary.string());
        d.setString("ValidateFieldsOutOfOrder", "N");
        d.setString("ValidateIncomingMessage", sess.spec.validate_incoming ? "Y" : "N");
      }
      s.set(sess.id, d);
    }
    return s;
  }

  std::string default_broker;
  engine::SessionJournal& journal;
  std::filesystem::path log_dir;
  const Clock& clock;
  JournalStoreFactory store_factory;
  std::map<std::string, Session> sessions;  // by configured name; the map itself never changes after construction
  std::map<std::string, std::string> by_id;
  mutable std::mutex mu;  // guards Session::logged_on / last_error
  engine::Engine* engine{nullptr};
  std::unique_ptr<FIX::SessionSettings> fix_settings;
  std::unique_ptr<FIX::FileLogFactory> log_factory;
  std::unique_ptr<FIX::SocketInitiator> initiator;
};

FixGateway::FixGateway(std::vector<SessionSpec> sessions, std::string default_broker, engine::SessionJournal& journal,
                       std::filesystem::path log_dir, const Clock& clock)
    : impl_(std::make_unique<Impl>(std::move(sessions), std::move(default_broker), journal, std::move(log_dir), clock)) {}

FixGateway::~FixGateway() { stop(); }

void FixGateway::attach(engine::Engine* engine) { impl_->engine = engine; }

Status FixGateway::start() {
  if (impl_->sessions.empty()) return {};  // no counterparties configured: nothing to connect
  try {
    std::filesystem::create_directories(impl_->log_dir);
    impl_->fix_settings = std::make_unique<FIX::SessionSettings>(impl_->settings());
    impl_->log_factory = std::make_unique<FIX::FileLogFactory>(*impl_->fix_settings);
    if (transport_ == Transport::asio) {
      asio_ = std::make_unique<AsioTransport>(*impl_, impl_->store_factory, *impl_->fix_settings, *impl_->log_factory);
      asio_->start();
      return {};
    }
    impl_->initiator = std::make_unique<FIX::SocketInitiator>(*impl_, impl_->store_factory, *impl_->fix_settings,
                                                              *impl_->log_factory);
    impl_->initiator->start();
  } catch (const std::exception& e) {
    return make_error(Errc::io_error, std::string("FIX initiator: ") + e.what());
  }
  return {};
}

void FixGateway::stop() {
  if (asio_) {
    asio_->stop();
    asio_.reset();
  }
  if (impl_ && impl_->initiator) {
    impl_->initiator->stop();
    impl_->initiator.reset();
  }
}

std::vector<SessionStatus> FixGateway::sessions() const {
  std::vector<SessionStatus> out;
  std::lock_guard lock(impl_->mu);
  for (const auto& [name, s] : impl_->sessions) {
    SessionStatus st;
    st.name = name;
    st.session_id = s.id.toString();
    st.logged_on = s.logged_on;
    st.last_error = s.last_error;
    if (auto rec = impl_->journal.load_session(name)) {
      st.next_sender_seq = rec->next_sender_seq;
      st.next_target_seq = rec->next_target_seq;
    }
    out.push_back(std::move(st));
  }
  return out;
}

Status FixGateway::send_new_order(const engine::RoutedOrder& o) {
  return impl_->send(o.spec->broker, build_new_order(o, impl_->version_for(o.spec->broker), impl_->clock.now()));
}
Status FixGateway::send_cancel(const engine::RoutedOrder& o) {
  return impl_->send(o.spec->broker, build_cancel(o, impl_->version_for(o.spec->broker), impl_->clock.now()));
}
Status FixGateway::send_replace(const engine::RoutedOrder& o) {
  return impl_->send(o.spec->broker, build_replace(o, impl_->version_for(o.spec->broker), impl_->clock.now()));
}
Status FixGateway::send_status_request(const engine::RoutedOrder& o) {
  return impl_->send(o.spec->broker, build_status_request(o, impl_->version_for(o.spec->broker)));
}
Status FixGateway::send_dont_know(const ExecutionReport& r, const std::string& reason) {
  return impl_->send(r.session, build_dont_know(r, reason, impl_->version_for(r.session)));
}
Status FixGateway::send_allocation(const engine::RoutedAllocation& a) {
  return impl_->send(a.spec->broker, build_allocation(a, impl_->version_for(a.spec->broker), impl_->clock.now()));
}
BrokerId FixGateway::default_broker() const { return BrokerId{impl_->default_broker}; }

bool FixGateway::has_sent(const BrokerId& broker, const ClOrdID& cl_ord_id) {
  auto msgs = impl_->journal.outgoing(broker.value, 1, INT_MAX);
  if (!msgs) return true;  // cannot tell: asking the broker is safe, sending twice is not
  const std::string type = std::string(1, '\x01') + "35=D" + '\x01';
  const std::string id = std::string(1, '\x01') + "11=" + cl_ord_id.value + '\x01';
  for (const auto& m : *msgs)
    if (m.find(type) != std::string::npos && m.find(id) != std::string::npos) return true;
  return false;
}

}  // namespace oms::fix
