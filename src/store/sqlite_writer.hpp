#pragma once
// The write side of SqliteStore: applies one event (log row plus derived rows) or one journal change on
// the writer connection, inside the transaction the caller opened. Used only on the writer thread.
#include <string>

#include "oms/engine/events.hpp"
#include "sqlite_util.hpp"

namespace oms::store {

class SqliteWriter {
 public:
  explicit SqliteWriter(sql::Connection& db);

  // Inserts the event (its seq already assigned; `payload_json` is payload_to_json(e.payload), encoded by
  // the caller off the writer thread) and updates the derived tables. Throws sql::Failure:
  // Errc::duplicate for an already-recorded trade ExecID, io_error / conflict / overflow otherwise.
  void append_event(const engine::EventRecord& e, const std::string& payload_json);

  // Savepoints around each queued item, prepared once.
  void savepoint() { savepoint_.start().run(); }
  void release() { release_.start().run(); }
  void rollback_to() { rollback_to_.start().run(); }

  void set_next_target_seq(const std::string& session, int next);
  void set_next_sender_seq(const std::string& session, int next);
  void record_outgoing(const std::string& session, int seq_num, const std::string& raw);
  void reset_session(const std::string& session, std::int64_t creation_time_ns);

 private:
  void on_accepted(const engine::EventRecord& e, const engine::OrderAccepted& p);
  void on_request(const engine::EventRecord& e, const engine::OrderRequest& p);
  void on_execution(const engine::EventRecord& e, const engine::ExecutionApplied& p);
  void on_position(const engine::PositionChanged& p);
  void on_alert(const engine::EventRecord& e, const engine::Alert& p);
  void on_allocation(const engine::EventRecord& e, const engine::AllocationFixed& p);
  void on_allocation_status(const engine::EventRecord& e, const engine::AllocationStatusChanged& p);

  sql::Connection& db_;
  sql::Stmt insert_event_, insert_order_, set_workflow_, set_pending_, insert_execution_, update_from_report_,
      clear_pending_, apply_replace_, apply_restate_, mark_broken_, get_position_, put_position_, get_cash_, put_cash_,
      touch_order_, savepoint_, release_, rollback_to_, upsert_target_, upsert_sender_, insert_outgoing_, raise_sender_, delete_outgoing_, reset_numbers_;
  sql::Stmt insert_allocation_, insert_allocation_line_, set_allocation_status_;
};

}  // namespace oms::store
