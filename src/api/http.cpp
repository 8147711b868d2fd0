#include "oms/api/http.hpp"

namespace oms::api {

Response json_response(int status, const nlohmann::json& body) {
  Response r;
  r.status = status;
  r.body = body.dump();
  return r;
}

Response error_response(int status, const std::string& code, const std::string& message, const std::string& field) {
  nlohmann::json e{{"code", code}, {"message", message}};
  if (!field.empty()) e["field"] = field;
  return json_response(status, nlohmann::json{{"error", e}});
}

int http_status(const Error& error) {
  switch (error.code) {
    case Errc::parse_error: return 400;
    case Errc::invalid_argument:
    case Errc::overflow:
    case Errc::rejected: return 422;
    case Errc::not_found: return error.field == "order_id" ? 404 : 422;
    case Errc::forbidden: return 403;
    case Errc::illegal_transition:
    case Errc::duplicate:
    case Errc::conflict: return 409;
    case Errc::unavailable: return 503;
    case Errc::io_error:
    case Errc::internal: return 500;
  }
  return 500;
}

Response error_response(const Error& error) {
  return error_response(http_status(error), to_string(error.code), error.message, error.field);
}

}  // namespace oms::api
