#include "oms/store/event_codec.hpp"

#include <array>
#include <utility>

#include <nlohmann/json.hpp>

namespace oms::store {

using nlohmann::json;
using namespace oms::engine;

namespace {

// Thrown inside this file only and turned into an Error at the public boundary.
struct Bad {
  std::string message;
};

template <class T>
struct Tag {};

const json& field(const json& j, const char* key) {
  if (!j.is_object()) throw Bad{std::string("expected an object holding '") + key + "'"};
  auto it = j.find(key);
  if (it == j.end()) throw Bad{std::string("missing field '") + key + "'"};
  return *it;
}

bool has(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && !it->is_null();
}

std::string get_str(const json& j, const char* key) {
  const json& v = field(j, key);
  if (!v.is_string()) throw Bad{std::string("field '") + key + "' must be a string"};
  return v.get<std::string>();
}

std::int64_t get_i64(const json& j, const char* key) {
  const json& v = field(j, key);
  if (!v.is_number_integer()) throw Bad{std::string("field '") + key + "' must be an integer"};
  if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
    throw Bad{std::string("field '") + key + "' out of range"};
  return v.get<std::int64_t>();
}

std::uint64_t get_u64(const json& j, const char* key) {
  const json& v = field(j, key);
  if (!v.is_number_integer() || (!v.is_number_unsigned() && v.get<std::int64_t>() < 0))
    throw Bad{std::string("field '") + key + "' must be a non-negative integer"};
  return v.get<std::uint64_t>();
}

bool get_bool(const json& j, const char* key) {
  const json& v = field(j, key);
  if (!v.is_boolean()) throw Bad{std::string("field '") + key + "' must be true or false"};
  return v.get<bool>();
}

template <class F>
F get_fixed(const json& j, const char* key) {
  auto parsed = F::parse(get_str(j, key));
  if (!parsed) throw Bad{std::string("field '") + key + "': " + parsed.error().message};
  return *parsed;
}

template <class F>
std::optional<F> get_opt_fixed(const json& j, const char* key) {
  if (!has(j, key)) return std::nullopt;
  return get_fixed<F>(j, key);
}

template <class F>
void put_opt(json& j, const char* key, const std::optional<F>& v) {
  if (v) j[key] = v->to_string();
}

template <class Id>
Id get_id(const json& j, const char* key) {
  return Id(get_str(j, key));
}

template <class E>
E get_enum(const json& j, const char* key, std::optional<E> (*parse)(std::string_view)) {
  const std::string text = get_str(j, key);
  auto e = parse(text);
  if (!e) throw Bad{std::string("field '") + key + "': unknown value '" + text + "'"};
  return *e;
}

constexpr std::array<std::pair<ExecType, std::string_view>, 16> kExecTypes{{
    {ExecType::New, "New"},
    {ExecType::PartialFill, "PartialFill"},
    {ExecType::Fill, "Fill"},
    {ExecType::DoneForDay, "DoneForDay"},
    {ExecType::Canceled, "Canceled"},
    {ExecType::Replaced, "Replaced"},
    {ExecType::PendingCancel, "PendingCancel"},
    {ExecType::Rejected, "Rejected"},
    {ExecType::PendingNew, "PendingNew"},
    {ExecType::Expired, "Expired"},
    {ExecType::Restated, "Restated"},
    {ExecType::PendingReplace, "PendingReplace"},
    {ExecType::Trade, "Trade"},
    {ExecType::TradeCorrect, "TradeCorrect"},
    {ExecType::TradeCancel, "TradeCancel"},
    {ExecType::OrderStatus, "OrderStatus"},
}};

// ---- domain values ------------------------------------------------------------------------------

json broker_totals(const book::BrokerTotals& b) {
  return {{"cum_qty", b.cum_qty.to_string()}, {"leaves_qty", b.leaves_qty.to_string()}, {"avg_px", b.avg_px.to_string()}};
}
book::BrokerTotals take_broker_totals(const json& j) {
  return {get_fixed<Quantity>(j, "cum_qty"), get_fixed<Quantity>(j, "leaves_qty"), get_fixed<Price>(j, "avg_px")};
}
std::optional<book::BrokerTotals> take_opt_broker_totals(const json& j, const char* key) {
  if (!has(j, key)) return std::nullopt;
  return take_broker_totals(field(j, key));
}

json replace_spec(const ReplaceSpec& s) {
  json j = json::object();
  put_opt(j, "quantity", s.quantity);
  put_opt(j, "limit_price", s.limit_price);
  put_opt(j, "stop_price", s.stop_price);
  if (s.tif) j["tif"] = to_string(*s.tif);
  return j;
}
ReplaceSpec take_replace_spec(const json& j) {
  ReplaceSpec s;
  s.quantity = get_opt_fixed<Quantity>(j, "quantity");
  s.limit_price = get_opt_fixed<Price>(j, "limit_price");
  s.stop_price = get_opt_fixed<Price>(j, "stop_price");
  if (has(j, "tif")) s.tif = get_enum<TimeInForce>(j, "tif", parse_tif);
  return s;
}

json order_spec(const OrderSpec& s) {
  json allocations = json::array();
  for (const auto& a : s.allocations) allocations.push_back({{"account", a.account.str()}, {"quantity", a.quantity.to_string()}});
  json j = {{"account", s.account.str()},
            {"allocations", std::move(allocations)},
            {"symbol", s.symbol.str()},
            {"side", to_string(s.side)},
            {"ord_type", to_string(s.ord_type)},
            {"quantity", s.quantity.to_string()},
            {"tif", to_string(s.tif)},
            {"settlement_date", s.settlement_date},
            {"broker", s.broker.str()},
            {"decided_by", s.decided_by.str()},
            {"entered_by", s.entered_by.str()},
            {"note", s.note}};
  put_opt(j, "limit_price", s.limit_price);
  put_opt(j, "stop_price", s.stop_price);
  if (s.expire_time) j["expire_time_ns"] = to_nanos(*s.expire_time);
  return j;
}
OrderSpec take_order_spec(const json& j) {
  OrderSpec s;
  s.account = get_id<AccountId>(j, "account");
  const json& allocations = field(j, "allocations");
  if (!allocations.is_array()) throw Bad{"field 'allocations' must be an array"};
  for (const auto& a : allocations)
    s.allocations.push_back({get_id<AccountId>(a, "account"), get_fixed<Quantity>(a, "quantity")});
  s.symbol = get_id<Symbol>(j, "symbol");
  s.side = get_enum<Side>(j, "side", parse_side);
  s.ord_type = get_enum<OrdType>(j, "ord_type", parse_ord_type);
  s.quantity = get_fixed<Quantity>(j, "quantity");
  s.limit_price = get_opt_fixed<Price>(j, "limit_price");
  s.stop_price = get_opt_fixed<Price>(j, "stop_price");
  s.tif = get_enum<TimeInForce>(j, "tif", parse_tif);
  if (has(j, "expire_time_ns")) s.expire_time = from_nanos(get_i64(j, "expire_time_ns"));
  s.settlement_date = get_str(j, "settlement_date");
  s.broker = get_id<BrokerId>(j, "broker");
  s.decided_by = get_id<UserId>(j, "decided_by");
  s.entered_by = get_id<UserId>(j, "entered_by");
  s.note = get_str(j, "note");
  return s;
}

json execution_report(const ExecutionReport& r) {
  json j = {{"session", r.session.str()},
            {"exec_id", r.exec_id.str()},
            {"ref_exec_id", r.ref_exec_id.str()},
            {"cl_ord_id", r.cl_ord_id.str()},
            {"orig_cl_ord_id", r.orig_cl_ord_id.str()},
            {"broker_order_id", r.broker_order_id},
            {"symbol", r.symbol.str()},
            {"side", to_string(r.side)},
            {"exec_type", exec_type_name(r.exec_type)},
            {"ord_status", to_string(r.ord_status)},
            {"last_qty", r.last_qty.to_string()},
            {"last_px", r.last_px.to_string()},
            {"cum_qty", r.cum_qty.to_string()},
            {"leaves_qty", r.leaves_qty.to_string()},
            {"avg_px", r.avg_px.to_string()},
            {"commission", r.commission.to_string()},
            {"text", r.text},
            {"poss_dup", r.poss_dup},
            {"transact_time_ns", to_nanos(r.transact_time)},
            {"trading_day", r.trading_day}};
  put_opt(j, "order_qty", r.order_qty);
  put_opt(j, "limit_price", r.limit_price);
  return j;
}
ExecutionReport take_execution_report(const json& j) {
  ExecutionReport r;
  r.session = get_id<BrokerId>(j, "session");
  r.exec_id = get_id<ExecID>(j, "exec_id");
  r.ref_exec_id = get_id<ExecID>(j, "ref_exec_id");
  r.cl_ord_id = get_id<ClOrdID>(j, "cl_ord_id");
  r.orig_cl_ord_id = get_id<ClOrdID>(j, "orig_cl_ord_id");
  r.broker_order_id = get_str(j, "broker_order_id");
  r.symbol = get_id<Symbol>(j, "symbol");
  r.side = get_enum<Side>(j, "side", parse_side);
  r.exec_type = get_enum<ExecType>(j, "exec_type", parse_exec_type);
  r.ord_status = get_enum<OrdStatus>(j, "ord_status", parse_ord_status);
  r.last_qty = get_fixed<Quantity>(j, "last_qty");
  r.last_px = get_fixed<Price>(j, "last_px");
  r.cum_qty = get_fixed<Quantity>(j, "cum_qty");
  r.leaves_qty = get_fixed<Quantity>(j, "leaves_qty");
  r.avg_px = get_fixed<Price>(j, "avg_px");
  r.order_qty = get_opt_fixed<Quantity>(j, "order_qty");
  r.limit_price = get_opt_fixed<Price>(j, "limit_price");
  r.commission = get_fixed<Money>(j, "commission");
  r.text = get_str(j, "text");
  r.poss_dup = get_bool(j, "poss_dup");
  r.transact_time = from_nanos(get_i64(j, "transact_time_ns"));
  r.trading_day = get_str(j, "trading_day");
  return r;
}

// ---- book::OrderEvent alternatives: name, encode (put), decode (take) ----------------------------

using namespace oms::book;

constexpr std::string_view name(Tag<AckNew>) { return "AckNew"; }
constexpr std::string_view name(Tag<Reject>) { return "Reject"; }
constexpr std::string_view name(Tag<PartialFill>) { return "PartialFill"; }
constexpr std::string_view name(Tag<Fill>) { return "Fill"; }
constexpr std::string_view name(Tag<CancelRequest>) { return "CancelRequest"; }
constexpr std::string_view name(Tag<CancelAck>) { return "CancelAck"; }
constexpr std::string_view name(Tag<CancelReject>) { return "CancelReject"; }
constexpr std::string_view name(Tag<ReplaceRequest>) { return "ReplaceRequest"; }
constexpr std::string_view name(Tag<ReplaceAck>) { return "ReplaceAck"; }
constexpr std::string_view name(Tag<ReplaceReject>) { return "ReplaceReject"; }
constexpr std::string_view name(Tag<PendingAck>) { return "PendingAck"; }
constexpr std::string_view name(Tag<Expire>) { return "Expire"; }
constexpr std::string_view name(Tag<book::DoneForDay>) { return "DoneForDay"; }
constexpr std::string_view name(Tag<Restate>) { return "Restate"; }
constexpr std::string_view name(Tag<book::TradeCancel>) { return "TradeCancel"; }
constexpr std::string_view name(Tag<book::TradeCorrect>) { return "TradeCorrect"; }
constexpr std::string_view name(Tag<StatusReport>) { return "StatusReport"; }

void put(json&, const AckNew&) {}
void put(json& j, const Reject& e) { j["reason"] = e.reason; }
template <class T>
void put_trade(json& j, const T& e) {
  j["exec_id"] = e.exec_id.str();
  j["last_qty"] = e.last_qty.to_string();
  j["last_px"] = e.last_px.to_string();
  if (e.broker) j["broker"] = broker_totals(*e.broker);
}
void put(json& j, const PartialFill& e) { put_trade(j, e); }
void put(json& j, const Fill& e) { put_trade(j, e); }
void put(json& j, const CancelRequest& e) { j["cl_ord_id"] = e.cl_ord_id.str(); }
void put(json&, const CancelAck&) {}
void put(json& j, const CancelReject& e) { j["reason"] = e.reason; }
void put(json& j, const ReplaceRequest& e) {
  j["cl_ord_id"] = e.cl_ord_id.str();
  j["spec"] = replace_spec(e.spec);
}
void put(json& j, const ReplaceAck& e) {
  put_opt(j, "order_qty", e.order_qty);
  put_opt(j, "limit_price", e.limit_price);
}
void put(json& j, const ReplaceReject& e) { j["reason"] = e.reason; }
void put(json& j, const PendingAck& e) { j["status"] = to_string(e.status); }
void put(json&, const Expire&) {}
void put(json&, const book::DoneForDay&) {}
void put(json& j, const Restate& e) {
  put_opt(j, "order_qty", e.order_qty);
  put_opt(j, "limit_price", e.limit_price);
  j["reason"] = e.reason;
}
void put(json& j, const book::TradeCancel& e) { j["ref_exec_id"] = e.ref_exec_id.str(); }
void put(json& j, const book::TradeCorrect& e) {
  j["ref_exec_id"] = e.ref_exec_id.str();
  j["exec_id"] = e.exec_id.str();
  j["last_qty"] = e.last_qty.to_string();
  j["last_px"] = e.last_px.to_string();
}
void put(json& j, const StatusReport& e) {
  j["status"] = to_string(e.status);
  j["broker"] = broker_totals(e.broker);
}

AckNew take(const json&, Tag<AckNew>) { return {}; }
Reject take(const json& j, Tag<Reject>) { return {get_str(j, "reason")}; }
PartialFill take(const json& j, Tag<PartialFill>) {
  return {get_id<ExecID>(j, "exec_id"), get_fixed<Quantity>(j, "last_qty"), get_fixed<Price>(j, "last_px"),
          take_opt_broker_totals(j, "broker")};
}
Fill take(const json& j, Tag<Fill>) {
  return {get_id<ExecID>(j, "exec_id"), get_fixed<Quantity>(j, "last_qty"), get_fixed<Price>(j, "last_px"),
          take_opt_broker_totals(j, "broker")};
}
CancelRequest take(const json& j, Tag<CancelRequest>) { return {get_id<ClOrdID>(j, "cl_ord_id")}; }
CancelAck take(const json&, Tag<CancelAck>) { return {}; }
CancelReject take(const json& j, Tag<CancelReject>) { return {get_str(j, "reason")}; }
ReplaceRequest take(const json& j, Tag<ReplaceRequest>) {
  return {get_id<ClOrdID>(j, "cl_ord_id"), take_replace_spec(field(j, "spec"))};
}
ReplaceAck take(const json& j, Tag<ReplaceAck>) {
  return {get_opt_fixed<Quantity>(j, "order_qty"), get_opt_fixed<Price>(j, "limit_price")};
}
ReplaceReject take(const json& j, Tag<ReplaceReject>) { return {get_str(j, "reason")}; }
PendingAck take(const json& j, Tag<PendingAck>) { return {get_enum<OrdStatus>(j, "status", parse_ord_status)}; }
Expire take(const json&, Tag<Expire>) { return {}; }
book::DoneForDay take(const json&, Tag<book::DoneForDay>) { return {}; }
Restate take(const json& j, Tag<Restate>) {
  return {get_opt_fixed<Quantity>(j, "order_qty"), get_opt_fixed<Price>(j, "limit_price"), get_str(j, "reason")};
}
book::TradeCancel take(const json& j, Tag<book::TradeCancel>) { return {get_id<ExecID>(j, "ref_exec_id")}; }
book::TradeCorrect take(const json& j, Tag<book::TradeCorrect>) {
  return {get_id<ExecID>(j, "ref_exec_id"), get_id<ExecID>(j, "exec_id"), get_fixed<Quantity>(j, "last_qty"),
          get_fixed<Price>(j, "last_px")};
}
StatusReport take(const json& j, Tag<StatusReport>) {
  return {get_enum<OrdStatus>(j, "status", parse_ord_status), take_broker_totals(field(j, "broker"))};
}

// ---- engine::EventPayload alternatives -----------------------------------------------------------

void put(json& j, const OrderAccepted& e) {
  j["cl_ord_id"] = e.cl_ord_id.str();
  j["spec"] = order_spec(e.spec);
}
void put(json& j, const WorkflowChanged& e) {
  j["workflow"] = to_string(e.workflow);
  j["reason"] = e.reason;
}
void put(json& j, const OrderRequest& e) { j["event"] = order_event_to_json(e.event); }
void put(json& j, const ExecutionApplied& e) {
  j["report"] = execution_report(e.report);
  j["event"] = order_event_to_json(e.event);
}
void put(json& j, const PositionChanged& e) {
  j["account"] = e.account.str();
  j["symbol"] = e.symbol.str();
  j["quantity_delta"] = e.quantity_delta.to_string();
  j["cost_delta"] = e.cost_delta.to_string();
  j["cash_delta"] = e.cash_delta.to_string();
}
void put(json& j, const Alert& e) {
  j["kind"] = e.kind;
  j["message"] = e.message;
}
void put(json& j, const ComplianceChecked& e) {
  j["rule_book_version"] = e.rule_book_version;
  j["decision"] = e.decision;
  j["order_price"] = e.order_price.to_string();
  j["warnings_acknowledged"] = e.warnings_acknowledged;
  j["results_json"] = e.results_json;
}
void put(json& j, const ApprovalDecided& e) {
  j["approved"] = e.approved;
  j["reason"] = e.reason;
}
// Every line of an allocation is at the block's AvgPx: it is written once, for the whole allocation.
void put(json& j, const AllocationFixed& e) {
  const allocation::FinalAllocation& f = e.allocation;
  j["alloc_id"] = e.alloc_id;
  j["ref_alloc_id"] = e.ref_alloc_id;
  j["reason"] = e.reason;
  j["version"] = f.version;
  j["amended"] = f.amended;
  j["quantity"] = f.quantity.to_string();
  j["avg_px"] = f.avg_px.to_string();
  j["gross"] = f.gross.to_string();
  j["commission"] = f.commission.to_string();
  j["fees"] = f.fees.to_string();
  json lines = json::array();
  for (const auto& l : f.accounts)
    lines.push_back({{"account", l.account.str()}, {"quantity", l.quantity.to_string()}, {"gross", l.gross.to_string()},
                     {"commission", l.commission.to_string()}, {"fees", l.fees.to_string()}});
  j["accounts"] = std::move(lines);
}
void put(json& j, const AllocationStatusChanged& e) {
  j["alloc_id"] = e.alloc_id;
  j["status"] = e.status;
  j["rej_code"] = e.rej_code;
  j["text"] = e.text;
}
void put(json& j, const RuleBookLoaded& e) {
  j["version"] = e.version;
  j["directory"] = e.directory;
  j["rule_count"] = e.rule_count;
  json files = json::array();
  for (const auto& f : e.files) files.push_back({{"name", f.name}, {"hash", f.hash}});
  j["files"] = std::move(files);
  j["loaded_by"] = e.loaded_by;
  j["previous_version"] = e.previous_version;
}

OrderAccepted take(const json& j, Tag<OrderAccepted>) {
  return {get_id<ClOrdID>(j, "cl_ord_id"), take_order_spec(field(j, "spec"))};
}
WorkflowChanged take(const json& j, Tag<WorkflowChanged>) {
  return {get_enum<Workflow>(j, "workflow", parse_workflow), get_str(j, "reason")};
}
OrderRequest take(const json& j, Tag<OrderRequest>);
ExecutionApplied take(const json& j, Tag<ExecutionApplied>);
PositionChanged take(const json& j, Tag<PositionChanged>) {
  return {get_id<AccountId>(j, "account"), get_id<Symbol>(j, "symbol"), get_fixed<Quantity>(j, "quantity_delta"),
          get_fixed<Money>(j, "cost_delta"), get_fixed<Money>(j, "cash_delta")};
}
Alert take(const json& j, Tag<Alert>) { return {get_str(j, "kind"), get_str(j, "message")}; }
ComplianceChecked take(const json& j, Tag<ComplianceChecked>) {
  return {get_str(j, "rule_book_version"), get_str(j, "decision"), get_fixed<Price>(j, "order_price"),
          get_bool(j, "warnings_acknowledged"), get_str(j, "results_json")};
}
ApprovalDecided take(const json& j, Tag<ApprovalDecided>) { return {get_bool(j, "approved"), get_str(j, "reason")}; }
AllocationFixed take(const json& j, Tag<AllocationFixed>) {
  AllocationFixed e;
  allocation::FinalAllocation& f = e.allocation;
  e.alloc_id = get_str(j, "alloc_id");
  e.ref_alloc_id = get_str(j, "ref_alloc_id");
  e.reason = get_str(j, "reason");
  const std::uint64_t version = get_u64(j, "version");
  if (version > UINT32_MAX) throw Bad{"field 'version' out of range"};
  f.version = static_cast<std::uint32_t>(version);
  f.amended = get_bool(j, "amended");
  f.quantity = get_fixed<Quantity>(j, "quantity");
  f.avg_px = get_fixed<Price>(j, "avg_px");
  f.gross = get_fixed<Money>(j, "gross");
  f.commission = get_fixed<Money>(j, "commission");
  f.fees = get_fixed<Money>(j, "fees");
  const json& lines = field(j, "accounts");
  if (!lines.is_array()) throw Bad{"field 'accounts' must be an array"};
  for (const auto& l : lines) {
    if (!l.is_object()) throw Bad{"an allocation line must be an object"};
    f.accounts.push_back({get_id<AccountId>(l, "account"), get_fixed<Quantity>(l, "quantity"), f.avg_px,
                          get_fixed<Money>(l, "gross"), get_fixed<Money>(l, "commission"), get_fixed<Money>(l, "fees")});
  }
  return e;
}
AllocationStatusChanged take(const json& j, Tag<AllocationStatusChanged>) {
  return {get_str(j, "alloc_id"), get_str(j, "status"), get_str(j, "rej_code"), get_str(j, "text")};
}
RuleBookLoaded take(const json& j, Tag<RuleBookLoaded>) {
  RuleBookLoaded e;
  e.version = get_str(j, "version");
  e.directory = get_str(j, "directory");
  e.rule_count = get_u64(j, "rule_count");
  const json& files = field(j, "files");
  if (!files.is_array()) throw Bad{"field 'files' must be an array"};
  for (const auto& f : files) {
    if (!f.is_object()) throw Bad{"a rule book file must be an object"};
    e.files.push_back({get_str(f, "name"), get_str(f, "hash")});
  }
  e.loaded_by = get_str(j, "loaded_by");
  e.previous_version = get_str(j, "previous_version");
  return e;
}

constexpr std::string_view name(Tag<OrderAccepted>) { return "OrderAccepted"; }
constexpr std::string_view name(Tag<WorkflowChanged>) { return "WorkflowChanged"; }
constexpr std::string_view name(Tag<OrderRequest>) { return "OrderRequest"; }
constexpr std::string_view name(Tag<ExecutionApplied>) { return "ExecutionApplied"; }
constexpr std::string_view name(Tag<PositionChanged>) { return "PositionChanged"; }
constexpr std::string_view name(Tag<Alert>) { return "Alert"; }
constexpr std::string_view name(Tag<ComplianceChecked>) { return "ComplianceChecked"; }
constexpr std::string_view name(Tag<ApprovalDecided>) { return "ApprovalDecided"; }
constexpr std::string_view name(Tag<AllocationFixed>) { return "AllocationFixed"; }
constexpr std::string_view name(Tag<AllocationStatusChanged>) { return "AllocationStatusChanged"; }
constexpr std::string_view name(Tag<RuleBookLoaded>) { return "RuleBookLoaded"; }

template <class Variant, std::size_t... I>
Variant take_variant(std::string_view type, const json& j, std::index_sequence<I...>) {
  std::optional<Variant> out;
  (void)((name(Tag<std::variant_alternative_t<I, Variant>>{}) == type
              ? (out.emplace(take(j, Tag<std::variant_alternative_t<I, Variant>>{})), true)
              : false) ||
         ...);
  if (!out) throw Bad{"unknown type '" + std::string(type) + "'"};
  return std::move(*out);
}

template <class Variant>
Variant take_variant(std::string_view type, const json& j) {
  if (!j.is_object()) throw Bad{"'" + std::string(type) + "' must be an object"};
  return take_variant<Variant>(type, j, std::make_index_sequence<std::variant_size_v<Variant>>{});
}

book::OrderEvent take_order_event(const json& j) { return take_variant<book::OrderEvent>(get_str(j, "type"), j); }

OrderRequest take(const json& j, Tag<OrderRequest>) { return {take_order_event(field(j, "event"))}; }
ExecutionApplied take(const json& j, Tag<ExecutionApplied>) {
  return {take_execution_report(field(j, "report")), take_order_event(field(j, "event"))};
}

template <class F>
auto guarded(F&& f) -> Result<decltype(f())> {
  try {
    return f();
  } catch (const Bad& e) {
    return make_error(Errc::parse_error, e.message);
  } catch (const std::exception& e) {  // nlohmann type/parse errors, std::bad_alloc
    return make_error(Errc::parse_error, e.what());
  }
}

}  // namespace

std::string_view exec_type_name(ExecType t) {
  for (const auto& [k, v] : kExecTypes)
    if (k == t) return v;
  return "?";
}

std::optional<ExecType> parse_exec_type(std::string_view text) {
  for (const auto& [k, v] : kExecTypes)
    if (v == text) return k;
  return std::nullopt;
}

json order_event_to_json(const book::OrderEvent& event) {
  return std::visit(
      [](const auto& e) {
        json j = {{"type", name(Tag<std::decay_t<decltype(e)>>{})}};
        put(j, e);
        return j;
      },
      event);
}

Result<book::OrderEvent> order_event_from_json(const json& j) {
  return guarded([&] { return take_order_event(j); });
}

json payload_to_json(const EventPayload& payload) {
  return std::visit(
      [](const auto& e) {
        json j = json::object();
        put(j, e);
        return j;
      },
      payload);
}

Result<EventPayload> payload_from_json(std::string_view type, const json& j) {
  return guarded([&] { return take_variant<EventPayload>(type, j); });
}

json to_json(const EventRecord& e) {
  return {{"seq", e.seq},
          {"time_ns", to_nanos(e.time)},
          {"actor", e.actor.str()},
          {"order_id", e.order_id.value},
          {"type", payload_name(e.payload)},
          {"payload", payload_to_json(e.payload)}};
}

Result<EventRecord> event_from_json(const json& j) {
  return guarded([&] {
    EventRecord e{.seq = get_u64(j, "seq"),
                  .time = from_nanos(get_i64(j, "time_ns")),
                  .actor = get_id<UserId>(j, "actor"),
                  .order_id = OrderId(get_u64(j, "order_id")),
                  .payload = take_variant<EventPayload>(get_str(j, "type"), field(j, "payload"))};
    return e;
  });
}

std::string encode_event(const EventRecord& event) { return to_json(event).dump(); }

Result<EventRecord> decode_event(std::string_view text) {
  json j = json::parse(text.begin(), text.end(), nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return make_error(Errc::parse_error, "event is not valid JSON");
  return event_from_json(j);
}

}  // namespace oms::store
