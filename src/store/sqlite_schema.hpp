#pragma once
// The store's schema as an ordered list of migrations. Version N is reached by applying migrations
// 1..N in order, each in its own transaction together with the new version number.
#include <span>

#include "sqlite_util.hpp"

namespace oms::store::schema {

struct Migration {
  int version;
  const char* sql;
};

std::span<const Migration> migrations();
int latest_version();
// Version recorded in the file; 0 for a new file.
int current_version(sql::Connection& db);
// Applies the missing migrations. Throws sql::Failure; refuses a file newer than this build.
void migrate(sql::Connection& db);

}  // namespace oms::store::schema
