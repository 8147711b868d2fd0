#include "oms/domain/enums.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>
#include <utility>

namespace oms {

namespace {

template <class E, std::size_t N>
using Table = std::array<std::pair<E, std::string_view>, N>;

constexpr Table<Side, 4> kSides{{{Side::Buy, "buy"}, {Side::Sell, "sell"}, {Side::SellShort, "sell_short"},
                                 {Side::SellShortExempt, "sell_short_exempt"}}};
constexpr Table<OrdType, 4> kOrdTypes{{{OrdType::Market, "market"}, {OrdType::Limit, "limit"},
                                       {OrdType::Stop, "stop"}, {OrdType::StopLimit, "stop_limit"}}};
constexpr Table<TimeInForce, 5> kTifs{{{TimeInForce::Day, "DAY"}, {TimeInForce::GTC, "GTC"},
                                       {TimeInForce::IOC, "IOC"}, {TimeInForce::FOK, "FOK"},
                                       {TimeInForce::GTD, "GTD"}}};
constexpr Table<OrdStatus, 11> kStatuses{{{OrdStatus::PendingNew, "PendingNew"},
                                          {OrdStatus::New, "New"},
                                          {OrdStatus::PartiallyFilled, "PartiallyFilled"},
                                          {OrdStatus::Filled, "Filled"},
                                          {OrdStatus::DoneForDay, "DoneForDay"},
                                          {OrdStatus::Canceled, "Canceled"},
                                          {OrdStatus::Replaced, "Replaced"},
                                          {OrdStatus::PendingCancel, "PendingCancel"},
                                          {OrdStatus::Rejected, "Rejected"},
                                          {OrdStatus::Expired, "Expired"},
                                          {OrdStatus::PendingReplace, "PendingReplace"}}};
constexpr Table<Workflow, 6> kWorkflows{{{Workflow::PendingCompliance, "pending_compliance"},
                                         {Workflow::HeldForApproval, "held_for_approval"},
                                         {Workflow::ComplianceRejected, "compliance_rejected"},
                                         {Workflow::Routed, "routed"},
                                         {Workflow::NotRouted, "not_routed"},
                                         {Workflow::Working, "working"}}};

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

template <class E, std::size_t N>
std::string_view name_of(const Table<E, N>& t, E e) {
  for (const auto& [k, v] : t)
    if (k == e) return v;
  return "?";
}

template <class E, std::size_t N>
std::optional<E> parse_in(const Table<E, N>& t, std::string_view s) {
  for (const auto& [k, v] : t) {
    if (iequals(v, s)) return k;
    if (s.size() == 1 && s[0] == static_cast<char>(k)) return k;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(Side s) { return name_of(kSides, s); }
std::string_view to_string(OrdType t) { return name_of(kOrdTypes, t); }
std::string_view to_string(TimeInForce t) { return name_of(kTifs, t); }
std::string_view to_string(OrdStatus s) { return name_of(kStatuses, s); }
std::string_view to_string(Workflow w) { return name_of(kWorkflows, w); }

std::optional<Side> parse_side(std::string_view s) { return parse_in(kSides, s); }
std::optional<OrdType> parse_ord_type(std::string_view s) { return parse_in(kOrdTypes, s); }
std::optional<TimeInForce> parse_tif(std::string_view s) { return parse_in(kTifs, s); }
std::optional<OrdStatus> parse_ord_status(std::string_view s) { return parse_in(kStatuses, s); }
std::optional<Workflow> parse_workflow(std::string_view s) { return parse_in(kWorkflows, s); }

bool is_terminal(OrdStatus s) {
  switch (s) {
    case OrdStatus::Filled:
    case OrdStatus::Canceled:
    case OrdStatus::Rejected:
    case OrdStatus::Expired:
    case OrdStatus::DoneForDay:
    case OrdStatus::Replaced:
      return true;
    default:
      return false;
  }
}

}  // namespace oms
