// The simulator's faulty-message actions, for the OMS's bad-input tests. Each sends the New, then one faulty
// message, then leaves the order resting (as `accept`):
//   overfill        a trade of OrderQty + overfill_qty through the session: a real (if wrong) fill, journaled
//                   as a "report" like any other;
//   garble          the fill an ordinary order would get, written straight to the socket with a wrong CheckSum
//                   and the session's next MsgSeqNum (not consumed: FIX drops a garbled message unseen);
//   invalid_report  that fill without ExecID (required) through the session: it takes a sequence number and
//                   the OMS must answer with a session Reject (3);
//   wrong_comp_id   that fill from SenderCompID "WRONG" straight to the socket; it takes the sequence number
//                   (FIX answers a CompID problem with Reject + Logout, and the logon after it must agree);
//   unknown_order   that fill for a ClOrdID the OMS never sent, through the session: the OMS answers DK (Q).
// session_reject (send_session_reject) sends no New: the D gets a session Reject (3) and no order rests.
// None of the faulty fills changes the simulator's order; each is journaled as a "bad_report" with its kind.
#include <iostream>

#include "broker.hpp"

namespace oms::sim {

namespace {
using nlohmann::json;

const char* kind_name(Action a) {
  switch (a) {
    case Action::garble: return "garble";
    case Action::invalid_report: return "invalid_report";
    case Action::wrong_comp_id: return "wrong_comp_id";
    case Action::unknown_order: return "unknown_order";
    default: return "";
  }
}
}  // namespace

bool Broker::misbehave(const FIX::SessionID& id, const OrderPtr& o) {
  const auto& b = config_.behaviour(o->symbol);
  switch (b.action) {
    case Action::fill:
    case Action::partial:
    case Action::reject:
    case Action::session_reject:
    case Action::accept: return false;
    case Action::overfill: {
      SimFill fill{next_exec_id(), is42(id) ? "2" : "F", o->order_qty + b.overfill_qty, fill_price(*o), false};
      o->cum_qty += fill.qty;
      ++o->fills_sent;
      o->fills.push_back(fill);
      o->open = false;
      send_report(id, *o, Report::trade, &o->fills.back());
      return true;
    }
    case Action::garble:
    case Action::wrong_comp_id:
    case Action::invalid_report:
    case Action::unknown_order: break;
  }
  // The fill this order would get, on a copy: the simulator's own order stays as it is.
  SimOrder copy = *o;
  if (b.action == Action::unknown_order) copy.cl_ord_id = o->cl_ord_id + "-UNKNOWN";
  copy.fills.push_back(SimFill{next_exec_id(), is42(id) ? "2" : "F", o->order_qty, fill_price(*o), false});
  copy.cum_qty = o->order_qty;
  copy.open = false;
  if (b.action == Action::garble || b.action == Action::wrong_comp_id) {
    send_raw_report(id, copy, b.action == Action::garble,
                    b.action == Action::wrong_comp_id ? std::string("WRONG") : id.getSenderCompID().getValue());
    return true;
  }
  json record;
  FIX::Message r = report_message(id, copy, Report::trade, &copy.fills.back(), {}, -1, record);
  if (b.action == Action::invalid_report) r.removeField(FIX::FIELD::ExecID);
  record["event"] = "bad_report";
  record["kind"] = kind_name(b.action);
  journal_.write(record);
  send(r, id);
  return true;
}

void Broker::send_raw_report(const FIX::SessionID& id, const SimOrder& o, bool garble,
                             const std::string& sender_comp_id) {
  FIX::Session* session = FIX::Session::lookupSession(id);
  if (!session || !raw_sender_) {
    std::cerr << "broker-sim: cannot write a raw message on " << id.toString() << std::endl;
    return;
  }
  SimOrder copy = o;
  json record;
  FIX::Message r = report_message(id, copy, Report::trade, &copy.fills.back(), {}, -1, record);
  const int seq = session->getExpectedSenderNum();
  auto& h = r.getHeader();
  h.setField(FIX::FIELD::BeginString, id.getBeginString().getValue());
  h.setField(FIX::FIELD::SenderCompID, sender_comp_id);
  h.setField(FIX::FIELD::TargetCompID, id.getTargetCompID().getValue());
  h.setField(FIX::FIELD::MsgSeqNum, std::to_string(seq));
  h.setField(FIX::FIELD::SendingTime, FIX::UtcTimeStampConvertor::convert(FIX::UtcTimeStamp(), 3));
  std::string raw = r.toString();  // computes BodyLength and CheckSum
  if (garble) {
    // CheckSum is the last field, "10=NNN\x01": make it wrong by one.
    const auto pos = raw.rfind("\x01" "10=");
    const unsigned sum = (static_cast<unsigned>(std::stoi(raw.substr(pos + 4, 3))) + 1) % 256;
    const std::string wrong = std::to_string(1000 + sum).substr(1);  // three digits
    raw.replace(pos + 4, 3, wrong);
  } else {
    session->setNextSenderMsgSeqNum(seq + 1);
  }
  record["event"] = "bad_report";
  record["kind"] = garble ? "garble" : "wrong_comp_id";
  record["MsgSeqNum"] = seq;
  record["SenderCompID"] = sender_comp_id;
  journal_.write(record);
  raw_sender_(id, raw);
}

void Broker::send_session_reject(const FIX::SessionID& id, const FIX::Message& refused, int ref_tag,
                                 const std::string& text) {
  FIX::Message r;
  r.getHeader().setField(FIX::FIELD::MsgType, "3");
  r.setField(FIX::FIELD::RefSeqNum, refused.getHeader().getField(FIX::FIELD::MsgSeqNum));
  r.setField(FIX::FIELD::RefTagID, std::to_string(ref_tag));
  r.setField(FIX::FIELD::RefMsgType, refused.getHeader().getField(FIX::FIELD::MsgType));
  r.setField(FIX::FIELD::SessionRejectReason, "5");
  r.setField(FIX::FIELD::Text, text);
  send(r, id);
}

void Broker::fromAdmin(const FIX::Message& message, const FIX::SessionID& id) {
  const auto& h = message.getHeader();
  if (!h.isSetField(FIX::FIELD::MsgType) || h.getField(FIX::FIELD::MsgType) != "3") return;
  auto get = [&](int tag) { return message.isSetField(tag) ? message.getField(tag) : std::string{}; };
  journal_.write({{"event", "session_reject"}, {"session", id.toString()}, {"RefSeqNum", get(45)},
                  {"RefTagID", get(371)}, {"RefMsgType", get(372)}, {"SessionRejectReason", get(373)},
                  {"Text", get(58)}});
}

}  // namespace oms::sim
