#pragma once
// The API's own request/response values, free of Beast, so handlers (and routes added later, such as
// compliance) compile without the ~17 s Beast headers. Only src/api/server.cpp speaks Beast.
//
// Errors are JSON everywhere: {"error":{"code":"<stable_code>","message":"...","field":"..."}}.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "oms/api/access.hpp"
#include "oms/api/users.hpp"
#include "oms/core/result.hpp"

namespace oms::api {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent: path and query
  std::string path;    // percent-decoded path without the query
  std::map<std::string, std::string> query;  // decoded; a repeated key keeps the last value
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::vector<std::string> params;  // the {placeholders} of the matched route, in order
  const User* user{nullptr};        // set for every route but Access::open ones
};

struct Response {
  int status{200};
  std::string content_type{"application/json"};
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;
};

Response json_response(int status, const nlohmann::json& body);
Response error_response(int status, const std::string& code, const std::string& message,
                        const std::string& field = {});
// Maps an oms::Error onto its HTTP status; the code is to_string(Errc).
Response error_response(const Error& error);

// Errc -> HTTP status (see src/api/ROUTES.md):
//   parse_error 400; invalid_argument, overflow, rejected 422; not_found 404 when the error names the
//   path's resource (field "order_id"), else 422 (an unknown symbol or account in the body);
//   forbidden 403; illegal_transition, duplicate, conflict 409; unavailable 503; io_error, internal 500.
int http_status(const Error& error);

using Handler = std::function<Response(Request&)>;

// A route: "METHOD /api/v1/orders/{id}/cancel". `name` labels metrics (defaults to "METHOD pattern").
struct Route {
  std::string method;
  std::string pattern;
  Access access{Access::read};
  Handler handler;
  std::string name;
};

}  // namespace oms::api
