#pragma once
// HTTP routes of pre-trade compliance, added to the ApiServer by omsd (ApiServer::add_route, before start()):
//   POST /api/v1/compliance/what-if     (trade)       evaluation of an order body, nothing placed
//   GET  /api/v1/approvals              (compliance)  orders held for approval
//   POST /api/v1/orders/{id}/approve    (compliance)  {"reason": optional}
//   POST /api/v1/orders/{id}/reject     (compliance)  {"reason": required}
//   POST /api/v1/rules/reload           (compliance)  reloads rules_dir; a broken book keeps the current one
//   GET  /api/v1/rules                  (read)        version, rules, load history
//   GET  /api/v1/rules/versions         (read)        recorded rule book versions, newest first
//   GET  /api/v1/compliance/eod         (compliance)  end-of-day holdings report; ?format=csv for CSV
#include <string>
#include <vector>

#include "oms/api/http.hpp"
#include "oms/compliance/rule_book.hpp"
#include "oms/core/clock.hpp"
#include "oms/engine/engine.hpp"

namespace oms::api {

struct ComplianceRoutesContext {
  engine::Engine& engine;
  const engine::ReferenceData& reference;
  compliance::RuleBookHolder& rules;
  std::string rules_dir;  // what /rules/reload loads
  const Clock& clock;
};

// The context must outlive the server the routes are added to.
std::vector<Route> compliance_routes(const ComplianceRoutesContext& ctx);

}  // namespace oms::api
