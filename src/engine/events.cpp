#include "oms/engine/events.hpp"

namespace oms::engine {

std::string_view payload_name(const EventPayload& p) {
  struct Names {
    std::string_view operator()(const OrderAccepted&) const { return "OrderAccepted"; }
    std::string_view operator()(const WorkflowChanged&) const { return "WorkflowChanged"; }
    std::string_view operator()(const OrderRequest&) const { return "OrderRequest"; }
    std::string_view operator()(const ExecutionApplied&) const { return "ExecutionApplied"; }
    std::string_view operator()(const PositionChanged&) const { return "PositionChanged"; }
    std::string_view operator()(const Alert&) const { return "Alert"; }
    std::string_view operator()(const ComplianceChecked&) const { return "ComplianceChecked"; }
    std::string_view operator()(const ApprovalDecided&) const { return "ApprovalDecided"; }
    std::string_view operator()(const AllocationFixed&) const { return "AllocationFixed"; }
    std::string_view operator()(const AllocationStatusChanged&) const { return "AllocationStatusChanged"; }
    std::string_view operator()(const RuleBookLoaded&) const { return "RuleBookLoaded"; }
  };
  return std::visit(Names{}, p);
}

}  // namespace oms::engine
