#include "bare_initiator.hpp"

#include <atomic>
#include <charconv>
#include <mutex>
#include <thread>

#include "oms/fix/quickfix.hpp"

namespace oms::bench {

namespace {
constexpr int kAccount = 1, kClOrdID = 11, kMsgType = 35, kOrderQty = 38, kOrdStatus = 39, kOrdType = 40,
              kPrice = 44, kSide = 54, kSymbol = 55, kTimeInForce = 59;
}

struct BareInitiator::Impl final : public FIX::Application {
  explicit Impl(BareOptions o) : options(std::move(o)), id("FIX.4.4", options.sender_comp_id, options.target_comp_id) {}

  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID&) override { logged_on = true; }
  void onLogout(const FIX::SessionID&) override { logged_on = false; }
  void toAdmin(FIX::Message&, const FIX::SessionID&) override {}
  void toApp(FIX::Message&, const FIX::SessionID&) override {}
  void fromAdmin(const FIX::Message& msg, const FIX::SessionID&) override {
    const std::string type = msg.getHeader().getField(kMsgType);
    if (type == "3" || type == "5") set_error("session message " + type + ": " + msg.toString());
  }
  void fromApp(const FIX::Message& msg, const FIX::SessionID&) override {
    if (msg.getHeader().getField(kMsgType) != "8") return;
    const std::string status = msg.getField(kOrdStatus);
    if (status == "8") set_error("order rejected: " + msg.toString());
    if (status != "2") return;
    // ClOrdID is "<prefix>-<index>".
    const std::string cl_ord_id = msg.getField(kClOrdID);
    const auto dash = cl_ord_id.rfind('-');
    std::uint64_t index = 0;
    if (dash == std::string::npos ||
        std::from_chars(cl_ord_id.data() + dash + 1, cl_ord_id.data() + cl_ord_id.size(), index).ec != std::errc{}) {
      set_error("unexpected ClOrdID " + cl_ord_id);
      return;
    }
    done(index);
  }

  void set_error(std::string e) {
    std::lock_guard lock(mu);
    error = std::move(e);
  }

  FIX::SessionSettings settings() const {
    FIX::SessionSettings s;
    FIX::Dictionary defaults;
    defaults.setString("ConnectionType", "initiator");
    defaults.setString("FileLogPath", (options.dir / "log").string());
    defaults.setString("FileStorePath", (options.dir / "store").string());
    defaults.setString("PersistMessages", "Y");
    defaults.setString("ValidateUserDefinedFields", "N");
    defaults.setString("AllowUnknownMsgFields", "Y");
    s.set(defaults);
    FIX::Dictionary d;
    d.setString("SocketConnectHost", "127.0.0.1");
    d.setInt("SocketConnectPort", options.port);
    d.setInt("HeartBtInt", 30);
    d.setInt("ReconnectInterval", 1);
    d.setString("StartTime", "00:00:00");
    d.setString("EndTime", "00:00:00");
    d.setString("UseDataDictionary", "Y");
    d.setString("DataDictionary", options.dictionary.string());
    d.setString("ValidateFieldsOutOfOrder", "N");
    d.setString("ValidateIncomingMessage", "Y");
    s.set(id, d);
    return s;
  }

  BareOptions options;
  FIX::SessionID id;
  Done done;
  std::atomic<bool> logged_on{false};
  mutable std::mutex mu;
  std::string error;
  std::unique_ptr<FIX::SessionSettings> fix_settings;
  std::unique_ptr<FIX::MessageStoreFactory> store;
  std::unique_ptr<FIX::FileLogFactory> log;
  std::unique_ptr<FIX::SocketInitiator> initiator;
};

BareInitiator::BareInitiator(BareOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
BareInitiator::~BareInitiator() { stop(); }

std::string BareInitiator::name() const {
  return impl_->options.file_store ? "bare QuickFIX (FileStore)" : "bare QuickFIX (MemoryStore)";
}

std::string BareInitiator::start(Done done) {
  impl_->done = std::move(done);
  try {
    std::filesystem::create_directories(impl_->options.dir);
    impl_->fix_settings = std::make_unique<FIX::SessionSettings>(impl_->settings());
    if (impl_->options.file_store)
      impl_->store = std::make_unique<FIX::FileStoreFactory>(*impl_->fix_settings);
    else
      impl_->store = std::make_unique<FIX::MemoryStoreFactory>();
    impl_->log = std::make_unique<FIX::FileLogFactory>(*impl_->fix_settings);
    impl_->initiator = std::make_unique<FIX::SocketInitiator>(*impl_, *impl_->store, *impl_->fix_settings, *impl_->log);
    impl_->initiator->start();
  } catch (const std::exception& e) {
    return std::string("bare initiator: ") + e.what();
  }
  for (int i = 0; i < 1000 && !impl_->logged_on; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return impl_->logged_on ? std::string{} : "bare initiator: no logon within 10 s; " + last_error();
}

void BareInitiator::submit(std::uint64_t index) {
  // The same fields the OMS gateway sets on a FIX 4.4 limit order.
  FIX::Message m;
  m.getHeader().setField(FIX::BeginString("FIX.4.4"));
  m.getHeader().setField(kMsgType, "D");
  m.setField(kClOrdID, "bare-" + std::to_string(index));
  m.setField(kAccount, "FUND");
  m.setField(kSymbol, "BENCH");
  m.setField(kSide, "1");
  m.setField(kOrderQty, "100");
  m.setField(kOrdType, "2");
  m.setField(kPrice, "10");
  m.setField(kTimeInForce, "0");
  m.setField(FIX::TransactTime());
  try {
    if (!FIX::Session::sendToTarget(m, impl_->id)) impl_->set_error("send refused");
  } catch (const std::exception& e) {
    impl_->set_error(std::string("send failed: ") + e.what());
  }
}

std::string BareInitiator::last_error() const {
  std::lock_guard lock(impl_->mu);
  return impl_->error;
}

void BareInitiator::stop() {
  if (impl_->initiator) {
    impl_->initiator->stop();
    impl_->initiator.reset();
  }
}

}  // namespace oms::bench
