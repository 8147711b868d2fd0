#pragma once
// The simulated broker: a FIX::Application answering orders per the configured per-symbol behaviour.
//
// Threading: every callback and timer runs on the one thread that runs the io_context (the transport
// feeds FIX::Session on that thread too), so the broker's state needs no lock. Reports for a session that
// is disconnected are still sent through FIX::Session: they are stored and go out on the OMS's
// ResendRequest after it reconnects, as a real broker's would.
// Boost 1.74's asio/awaitable.hpp uses std::exchange without including <utility>.
#include <utility>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "journal.hpp"
#include "oms/core/fixed.hpp"
#include "oms/fix/quickfix.hpp"
#include "sim_config.hpp"

namespace oms::sim {

struct SimFill {
  std::string exec_id;
  std::string exec_type;  // ExecType of the report that carried it (4.2: 1/2; 4.4: F)
  Quantity qty;
  Price px;
  bool busted{false};
};

struct SimOrder {
  std::string order_id;
  std::string cl_ord_id;  // current ClOrdID (the latest accepted replace)
  std::vector<std::string> previous_cl_ord_ids;
  std::string symbol;
  std::string side;
  std::string ord_type;
  std::string account;
  std::optional<Price> price;
  Quantity order_qty;
  Quantity cum_qty;
  std::vector<SimFill> fills;
  int slices_left{0};
  int fills_sent{0};
  bool open{true};
  bool done_for_day{false};
  bool late_filled{false};  // late_fill_after_cancel: the late fill went out
  std::string status{"0"};  // last OrdStatus sent
  std::uint64_t generation{0};  // bumped by replace/cancel so stale timers do nothing
};

class Broker final : public FIX::Application {
 public:
  Broker(const SimConfig& config, Journal& journal, boost::asio::io_context& io);

  void onCreate(const FIX::SessionID&) override {}
  void onLogon(const FIX::SessionID& id) override;
  void onLogout(const FIX::SessionID& id) override;
  void toAdmin(FIX::Message&, const FIX::SessionID&) override {}
  void toApp(FIX::Message&, const FIX::SessionID&) override {}
  // Journals the OMS's session Rejects (3), so tests can see what the OMS refused.
  void fromAdmin(const FIX::Message& message, const FIX::SessionID& id) override;
  void fromApp(const FIX::Message& message, const FIX::SessionID& id) override;

  // Writes bytes straight to a session's connection, bypassing FIX::Session (garbled and wrong-CompID
  // messages). Set by main once the transport exists.
  using RawSender = std::function<bool(const FIX::SessionID&, const std::string&)>;
  void set_raw_sender(RawSender sender) { raw_sender_ = std::move(sender); }

 private:
  using OrderPtr = std::shared_ptr<SimOrder>;
  struct SessionBook {
    std::map<std::string, OrderPtr> by_cl_ord_id;  // current and previous ClOrdIDs
  };

  void on_new_order(const FIX::Message& m, const FIX::SessionID& id);
  void on_cancel(const FIX::Message& m, const FIX::SessionID& id);
  void on_replace(const FIX::Message& m, const FIX::SessionID& id);
  void on_status_request(const FIX::Message& m, const FIX::SessionID& id);
  void on_allocation(const FIX::Message& m, const FIX::SessionID& id);
  // late_fill_after_cancel: a fill of the leaves of an order already done for day or canceled.
  void send_late_fill(const FIX::SessionID& id, const OrderPtr& o);

  void schedule_fill(const FIX::SessionID& id, const OrderPtr& o, int delay_ms);
  void fill_slice(const FIX::SessionID& id, const OrderPtr& o);
  void after_fill(const FIX::SessionID& id, const OrderPtr& o);
  void send_done_for_day(const FIX::SessionID& id, const OrderPtr& o);
  void bust_last_fill(const FIX::SessionID& id, const OrderPtr& o);
  void later(int delay_ms, std::function<void()> fn);
  // The faulty-message actions (overfill, garble, ...) after the New; false for the ordinary actions.
  bool misbehave(const FIX::SessionID& id, const OrderPtr& o);
  void send_raw_report(const FIX::SessionID& id, const SimOrder& o, bool garble, const std::string& sender_comp_id);
  // Answers `refused` with a session Reject (3): SessionRejectReason 5 (value incorrect) on `ref_tag`, as QuickFIX's
  // example executor refuses a market order (OrdType, 40).
  void send_session_reject(const FIX::SessionID& id, const FIX::Message& refused, int ref_tag, const std::string& text);

  enum class Report { new_order, trade, canceled, replaced, rejected, done_for_day, trade_cancel, status };
  // Builds, sends and journals an ExecutionReport. `fill` is the execution for trade / trade_cancel.
  void send_report(const FIX::SessionID& id, SimOrder& o, Report kind, const SimFill* fill = nullptr,
                   const std::string& text = {}, int rej_reason = -1);
  // The ExecutionReport send_report sends, and its journal record.
  FIX::Message report_message(const FIX::SessionID& id, SimOrder& o, Report kind, const SimFill* fill,
                              const std::string& text, int rej_reason, nlohmann::json& record);
  void send_cancel_reject(const FIX::SessionID& id, const FIX::Message& request, const SimOrder* o,
                          const std::string& response_to, int reason, const std::string& text);
  void send(FIX::Message& m, const FIX::SessionID& id);

  OrderPtr find(const FIX::SessionID& id, const std::string& cl_ord_id);
  std::string next_exec_id();
  std::string next_order_id();
  Price fill_price(const SimOrder& o) const;
  Price avg_px(const SimOrder& o) const;
  std::string ord_status(const SimOrder& o) const;
  static bool is42(const FIX::SessionID& id) { return id.getBeginString() == "FIX.4.2"; }

  const SimConfig& config_;
  Journal& journal_;
  boost::asio::io_context& io_;
  std::map<std::string, SessionBook> books_;  // by SessionID string
  std::string run_id_;
  std::uint64_t exec_seq_{0};
  std::uint64_t order_seq_{0};
  RawSender raw_sender_;
};

}  // namespace oms::sim
