#pragma once
// Configuration of oms-broker-sim, read from YAML (schema in config/broker-sim.yaml).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "oms/core/fixed.hpp"
#include "oms/core/result.hpp"

namespace oms::sim {

enum class Action {
  fill,     // New, then one fill of the whole quantity
  partial,  // New, then `slices` fills, `delay_ms` apart
  reject,   // Rejected (ExecType 8)
  accept,   // New, then nothing: the order rests until cancelled or replaced
  // Bad input for the OMS's tests: New, then one faulty message, then nothing (see misbehave.cpp).
  overfill,        // a fill of OrderQty + overfill_qty (CumQty beyond the order)
  garble,          // a fill whose CheckSum is wrong, written straight to the socket
  invalid_report,  // a fill without ExecID (a required field), sent through the session
  wrong_comp_id,   // a fill with a wrong SenderCompID, written straight to the socket
  unknown_order,   // a fill for a ClOrdID the OMS never sent
  session_reject,  // no New: the D gets a session Reject (3), as from a broker whose session refuses it
};

enum class PriceSource { limit, reference };

// How the simulator answers an allocation (J) for the symbol's orders.
enum class AllocAction {
  accept,    // P AllocStatus 0 (accepted) at once
  reject,    // P AllocStatus 1 (4.4 block level reject / 4.2 rejected) with alloc_rej_code and alloc_text
  received,  // P AllocStatus 3 (received, not yet processed), then nothing
  hold,      // no P at all: the allocation stays sent at the OMS
};

struct Behaviour {
  Action action{Action::fill};
  int slices{1};
  int delay_ms{0};
  PriceSource price{PriceSource::limit};
  std::optional<Price> reference_price;  // used for market orders and price: reference
  int reject_reason{0};                  // OrdRejReason, 0 = broker option
  std::string reject_text{"rejected by broker-sim"};
  bool ignore_cancels{false};            // F and G get no answer at all
  bool cancel_reject{false};             // F and G get OrderCancelReject
  bool session_reject_cancels{false};    // F and G get a session Reject (3)
  std::optional<int> done_for_day_after; // DoneForDay after this many fills (0 = right after New)
  bool bust_after_fill{false};           // TradeCancel of the last fill once the order is filled
  int bust_delay_ms{0};
  Quantity overfill_qty{Quantity::from_int(1)};  // action overfill: how far beyond OrderQty
  AllocAction alloc{AllocAction::accept};
  int alloc_rej_code{0};                 // AllocRejCode (88) of alloc: reject; 0 = unknown account
  std::string alloc_text{"allocation rejected by broker-sim"};
  // Once the order is done for day or canceled with leaves and its first allocation (J) has been received, one
  // more fill of the leaves arrives: a late fill, as brokers send, after the OMS fixed the allocation.
  bool late_fill_after_cancel{false};
};

struct SessionConfig {
  std::string begin_string;   // FIX.4.2 or FIX.4.4
  std::string sender_comp_id; // the broker's CompID
  std::string target_comp_id; // the OMS's CompID
  std::string data_dictionary;  // absolute path, or empty for none
  std::map<std::string, std::string> settings;  // extra QuickFIX session settings
};

struct SimConfig {
  std::string host{"127.0.0.1"};
  int port{0};
  std::string store_type{"memory"};  // memory | file
  std::string store_dir;
  std::string journal;
  std::string log_dir;
  std::vector<SessionConfig> sessions;
  Behaviour default_behaviour;
  std::map<std::string, Behaviour> symbols;

  const Behaviour& behaviour(const std::string& symbol) const {
    auto it = symbols.find(symbol);
    return it == symbols.end() ? default_behaviour : it->second;
  }
};

// Relative paths (DataDictionary, store dir, journal) are resolved against the config file's folder.
// Unknown and duplicate keys are errors: yaml-cpp would otherwise keep the first duplicate silently.
Result<SimConfig> load_config(const std::string& path);

}  // namespace oms::sim
