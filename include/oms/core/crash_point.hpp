#pragma once
// Named crash points for recovery tests. Armed only by the test-only environment variable
// OMS_TEST_CRASH_AT="<name>[:<n>]": the n-th time (default 1st) execution reaches the point named
// <name>, the process exits at once with _exit(86): no destructors, no flushing, like a kill -9.
// Unarmed, a crash point costs one relaxed atomic load.
#include <string_view>

namespace oms {

void crash_point(std::string_view name);

// The names in use, for documentation and tests.
inline constexpr std::string_view kCrashAfterOrderStoredBeforeSend = "order_stored_before_send";
inline constexpr std::string_view kCrashAfterSendBeforeRouted = "order_sent_before_routed";
inline constexpr std::string_view kCrashReportReceivedBeforeApplied = "report_received_before_applied";
inline constexpr std::string_view kCrashSessionRejectReceivedBeforeApplied = "session_reject_received_before_applied";
inline constexpr std::string_view kCrashBatchCommittedBeforeAck = "batch_committed_before_ack";
inline constexpr int kCrashExitCode = 86;

}  // namespace oms
