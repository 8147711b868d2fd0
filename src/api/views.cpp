#include "views.hpp"

namespace oms::api {

using nlohmann::json;

OrdStatus shown_status(const engine::OrderRecord& r) {
  const bool refused_here = r.workflow == Workflow::ComplianceRejected || r.workflow == Workflow::NotRouted;
  return refused_here && r.book.status == OrdStatus::PendingNew ? OrdStatus::Rejected : r.book.status;
}

json order_json(const engine::OrderRecord& r) {
  const OrderSpec& s = r.spec;
  json j{{"order_id", r.id.value},
         {"cl_ord_id", r.book.cl_ord_id.value},
         {"symbol", s.symbol.value},
         {"side", to_string(s.side)},
         {"ord_type", to_string(s.ord_type)},
         {"quantity", r.book.order_qty.to_string()},
         {"tif", to_string(s.tif)},
         {"broker", r.broker.empty() ? s.broker.value : r.broker.value},
         {"status", to_string(shown_status(r))},
         {"workflow", to_string(r.workflow)},
         {"workflow_reason", r.workflow_reason},
         {"cum_qty", r.book.cum_qty.to_string()},
         {"leaves_qty", r.book.leaves_qty.to_string()},
         {"avg_px", r.book.avg_px().to_string()},
         {"live", r.is_live()},
         {"broken", r.book.broken},
         {"decided_by", s.decided_by.value},
         {"entered_by", s.entered_by.value},
         {"created", to_iso8601(r.created)},
         {"updated", to_iso8601(r.updated)}};
  if (s.is_block()) {
    json allocs = json::array();
    for (const auto& a : s.allocations) allocs.push_back({{"account", a.account.value}, {"quantity", a.quantity.to_string()}});
    j["allocations"] = allocs;
    j["account"] = nullptr;
  } else {
    j["account"] = s.account.value;
  }
  if (r.book.limit_price) j["limit_price"] = r.book.limit_price->to_string();
  if (s.stop_price) j["stop_price"] = s.stop_price->to_string();
  if (s.expire_time) j["expire_time"] = to_iso8601(*s.expire_time);
  if (!s.settlement_date.empty()) j["settlement_date"] = s.settlement_date;
  if (!s.note.empty()) j["note"] = s.note;
  if (r.book.broken) j["break_reason"] = r.book.break_reason;
  if (r.book.pending_cl_ord_id) j["pending_cl_ord_id"] = r.book.pending_cl_ord_id->value;
  if (r.book.cancel_pending) j["cancel_pending"] = true;
  if (r.book.pending_replace) j["replace_pending"] = true;
  return j;
}

json position_json(const Position& p) {
  return {{"account", p.account.value}, {"symbol", p.symbol.value}, {"quantity", p.quantity.to_string()},
          {"cost", p.cost.to_string()}};
}

json account_json(const Account& a, const Money* current_cash) {
  json pms = json::array();
  for (const auto& u : a.pms) pms.push_back(u.value);
  json j{{"id", a.id.value}, {"name", a.name}, {"nav", a.nav.to_string()}, {"start_of_day_cash", a.cash.to_string()},
         {"groups", a.groups}, {"pms", pms}};
  j["cash"] = current_cash ? current_cash->to_string() : a.cash.to_string();
  return j;
}

json instrument_json(const Instrument& i) {
  json j{{"symbol", i.symbol.value},     {"name", i.name},         {"isin", i.isin},
         {"cusip", i.cusip},             {"sedol", i.sedol},       {"issuer", i.issuer},
         {"parent_issuer", i.parent_issuer}, {"sector", i.sector}, {"country", i.country},
         {"asset_class", i.asset_class}, {"currency", i.currency}, {"lot_size", i.lot_size.to_string()},
         {"reference_price", i.reference_price.to_string()},       {"adv", i.adv.to_string()},
         {"shares_outstanding", i.shares_outstanding.to_string()}};
  if (!i.attributes.empty()) j["attributes"] = i.attributes;
  return j;
}

}  // namespace oms::api
