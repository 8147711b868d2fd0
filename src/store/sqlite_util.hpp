#pragma once
// Thin RAII over the SQLite C API, private to the store. SQL failures throw SqlFailure inside the store;
// the public API turns them into Errors (io_error, or conflict for constraint violations).
#include <sqlite3.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "oms/core/result.hpp"

namespace oms::store::sql {

struct Failure {
  Error error;
};

[[noreturn]] inline void fail(sqlite3* db, int rc, std::string_view what) {
  const int ext = db != nullptr ? sqlite3_extended_errcode(db) : rc;
  const Errc code = (rc & 0xff) == SQLITE_CONSTRAINT ? Errc::conflict : Errc::io_error;
  std::string msg = std::string(what) + ": " + (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)) + " (" +
                    sqlite3_errstr(ext) + ")";
  throw Failure{make_error(code, std::move(msg))};
}

class Connection {
 public:
  Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() { sqlite3_close_v2(db_); }

  void open(const std::string& path, int flags) {
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) fail(db_, rc, "open " + path);
    sqlite3_extended_result_codes(db_, 1);
  }
  void exec(const char* sql) {
    char* err = nullptr;
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      std::string msg = err != nullptr ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      const Errc code = (rc & 0xff) == SQLITE_CONSTRAINT ? Errc::conflict : Errc::io_error;
      throw Failure{make_error(code, std::string(sql).substr(0, 60) + ": " + msg)};
    }
  }
  sqlite3* get() const { return db_; }
  // True when no transaction is open (SQLite may roll one back by itself after I/O or memory errors).
  bool autocommit() const { return sqlite3_get_autocommit(db_) != 0; }

 private:
  sqlite3* db_{nullptr};
};

class Stmt {
 public:
  Stmt() = default;
  Stmt(sqlite3* db, std::string_view sql) : db_(db) {
    const int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &s_, nullptr);
    if (rc != SQLITE_OK) fail(db, rc, "prepare " + std::string(sql.substr(0, 60)));
  }
  Stmt(Stmt&& o) noexcept : db_(o.db_), s_(o.s_) { o.s_ = nullptr; }
  Stmt& operator=(Stmt&& o) noexcept {
    std::swap(db_, o.db_);
    std::swap(s_, o.s_);
    return *this;
  }
  Stmt(const Stmt&) = delete;
  ~Stmt() { sqlite3_finalize(s_); }

  // Starts a new execution: resets and clears previous bindings.
  Stmt& start() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
    return *this;
  }
  Stmt& bind(int i, std::int64_t v) { return check(sqlite3_bind_int64(s_, i, v)); }
  Stmt& bind(int i, std::string_view v) {
    return check(sqlite3_bind_text(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
  }
  Stmt& bind_blob(int i, std::string_view v) {
    return check(sqlite3_bind_blob(s_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT));
  }
  Stmt& bind_null(int i) { return check(sqlite3_bind_null(s_, i)); }
  template <class T>
  Stmt& bind_opt(int i, const std::optional<T>& v) {
    return v ? bind(i, static_cast<std::int64_t>(v->raw())) : bind_null(i);
  }

  // True while a row is available; throws on error.
  bool step() {
    const int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    sqlite3_reset(s_);
    fail(db_, rc, "step " + std::string(sqlite3_sql(s_)).substr(0, 60));
  }
  void run() {
    while (step()) {
    }
  }
  // Runs a statement that returns no rows and hands back SQLite's (extended) result code instead of
  // throwing, for callers that tell one failure from another.
  int try_run() {
    const int rc = sqlite3_step(s_);
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) sqlite3_reset(s_);
    return rc;
  }
  [[noreturn]] void fail_with(int rc) { fail(db_, rc, "step " + std::string(sqlite3_sql(s_)).substr(0, 60)); }

  std::int64_t i64(int col) const { return sqlite3_column_int64(s_, col); }
  bool is_null(int col) const { return sqlite3_column_type(s_, col) == SQLITE_NULL; }
  std::string text(int col) const {
    const auto* p = sqlite3_column_blob(s_, col);
    const int n = sqlite3_column_bytes(s_, col);
    return p != nullptr ? std::string(static_cast<const char*>(p), static_cast<std::size_t>(n)) : std::string();
  }

 private:
  Stmt& check(int rc) {
    if (rc != SQLITE_OK) fail(db_, rc, "bind");
    return *this;
  }
  sqlite3* db_{nullptr};
  sqlite3_stmt* s_{nullptr};
};

}  // namespace oms::store::sql
