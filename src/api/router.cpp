#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "internal.hpp"

namespace oms::api {

namespace {

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    const std::size_t j = path.find('/', i);
    const std::size_t end = j == std::string::npos ? path.size() : j;
    if (end > i) out.push_back(path.substr(i, end - i));
    i = end;
  }
  return out;
}

int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool percent_decode(std::string_view in, std::string& out, bool plus_is_space) {
  out.clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '%') {
      if (i + 2 >= in.size()) return false;
      const int hi = hexval(in[i + 1]), lo = hexval(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      const char c = static_cast<char>(hi * 16 + lo);
      if (c == '\0') return false;
      out.push_back(c);
      i += 2;
    } else if (plus_is_space && in[i] == '+') {
      out.push_back(' ');
    } else {
      out.push_back(in[i]);
    }
  }
  return true;
}

std::string content_type_for(const std::filesystem::path& p) {
  static const std::map<std::string, std::string> kTypes{
      {".html", "text/html; charset=utf-8"}, {".htm", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"}, {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"}, {".json", "application/json"}, {".svg", "image/svg+xml"},
      {".png", "image/png"}, {".jpg", "image/jpeg"}, {".jpeg", "image/jpeg"}, {".gif", "image/gif"},
      {".ico", "image/x-icon"}, {".txt", "text/plain; charset=utf-8"}, {".map", "application/json"},
      {".woff2", "font/woff2"}};
  std::string ext = p.extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  auto it = kTypes.find(ext);
  return it == kTypes.end() ? "application/octet-stream" : it->second;
}

}  // namespace

Router::Router(Services services, std::filesystem::path web_root)
    : services_(std::move(services)), web_root_(std::move(web_root)) {}

void Router::add(Route route) {
  if (route.name.empty()) route.name = route.method + " " + route.pattern;
  auto segments = split_path(route.pattern);
  routes_.push_back(Compiled{std::move(route), std::move(segments)});
}

bool Router::parse_target(Request& req) {
  const auto q = req.target.find('?');
  if (!percent_decode(std::string_view(req.target).substr(0, q), req.path, false)) return false;
  if (req.path.empty() || req.path[0] != '/') return false;
  req.query.clear();
  if (q == std::string::npos) return true;
  std::string_view rest = std::string_view(req.target).substr(q + 1);
  while (!rest.empty()) {
    const auto amp = rest.find('&');
    const std::string_view pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    std::string key, value;
    if (!percent_decode(pair.substr(0, eq), key, true)) return false;
    if (eq != std::string_view::npos && !percent_decode(pair.substr(eq + 1), value, true)) return false;
    req.query[key] = value;
  }
  return true;
}

AuthResult Router::authenticate(const Request& req) const {
  std::string token;
  if (auto it = req.headers.find("authorization"); it != req.headers.end()) {
    const std::string& h = it->second;
    if (h.size() > 7 && std::equal(h.begin(), h.begin() + 7, "bearer ", [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == b;
        }))
      token = h.substr(7);
  } else if (auto q = req.query.find("token"); q != req.query.end()) {
    token = q->second;
  }
  while (!token.empty() && token.back() == ' ') token.pop_back();
  return services_.ctx.users.authenticate(token, services_.ctx.clock.now());
}

Response Router::auth_error(const AuthResult& r) {
  Response resp = r.outcome == AuthOutcome::expired_token
                      ? error_response(401, "expired_token", "the API token has expired")
                      : error_response(401, "unauthenticated", "a valid token is required: Authorization: Bearer <token>");
  resp.headers.emplace_back("WWW-Authenticate", "Bearer");
  return resp;
}

Response Router::handle(Request& req) {
  const auto start = std::chrono::steady_clock::now();
  std::string route_name = "unmatched";
  Response resp;
  try {
    resp = dispatch(req, route_name);
  } catch (const ApiError& e) {
    resp = error_response(e.status, e.code, e.message, e.field);
  } catch (const std::exception& e) {
    resp = error_response(500, "internal", std::string("internal error: ") + e.what());
  }
  services_.metrics.record(route_name, resp.status, std::chrono::steady_clock::now() - start);
  return resp;
}

Response Router::dispatch(Request& req, std::string& route_name) {
  if (req.path.empty() && !parse_target(req)) fail(400, "bad_target", "the request target does not decode");
  const auto segments = split_path(req.path);
  bool path_matched = false;
  for (const auto& c : routes_) {
    if (c.segments.size() != segments.size()) continue;
    std::vector<std::string> params;
    bool match = true;
    for (std::size_t i = 0; i < segments.size() && match; ++i) {
      const auto& s = c.segments[i];
      if (s.size() > 2 && s.front() == '{' && s.back() == '}') params.push_back(segments[i]);
      else match = s == segments[i];
    }
    if (!match) continue;
    path_matched = true;
    if (c.route.method != req.method) continue;
    route_name = c.route.name;
    req.params = std::move(params);
    if (c.route.access != Access::open) {
      const AuthResult auth = authenticate(req);
      if (auth.outcome != AuthOutcome::ok) return auth_error(auth);
      req.user = auth.user;
      if (!allows(*auth.user, c.route.access))
        fail(403, "forbidden", "user " + auth.user->id.value + " may not " + c.route.name);
    }
    return c.route.handler(req);
  }
  if (path_matched) fail(405, "method_not_allowed", req.method + " is not allowed on " + req.path);
  if (req.path.rfind("/api/", 0) == 0 || req.path == "/api") fail(404, "not_found", "no route " + req.path);
  if (req.method != "GET") fail(405, "method_not_allowed", "static files answer GET only");
  route_name = "GET static";
  return serve_static(req);
}

Response Router::serve_static(const Request& req) const {
  if (web_root_.empty()) fail(404, "not_found", "no web root is configured");
  // Path traversal: refuse any '..' segment or backslash before touching the filesystem, then check the
  // resolved file is still under the root (symlinks).
  const auto segments = split_path(req.path);
  std::filesystem::path rel;
  for (const auto& s : segments) {
    if (s == ".." || s == "." || s.find('\\') != std::string::npos) fail(404, "not_found", "no such file");
    rel /= s;
  }
  std::error_code ec;
  const auto root = std::filesystem::canonical(web_root_, ec);
  if (ec) fail(404, "not_found", "the web root does not exist");
  auto file = root / rel;
  if (std::filesystem::is_directory(file, ec)) file /= "index.html";
  const auto resolved = std::filesystem::canonical(file, ec);
  if (ec || !std::filesystem::is_regular_file(resolved, ec)) fail(404, "not_found", "no such file " + req.path);
  const auto rs = root.string(), fs = resolved.string();
  if (fs.compare(0, rs.size(), rs) != 0 || (fs.size() > rs.size() && fs[rs.size()] != '/'))
    fail(404, "not_found", "no such file");
  std::ifstream in(resolved, std::ios::binary);
  if (!in) fail(404, "not_found", "cannot read " + req.path);
  std::ostringstream body;
  body << in.rdbuf();
  Response r;
  r.content_type = content_type_for(resolved);
  r.body = body.str();
  r.headers.emplace_back("Cache-Control", "no-cache");
  r.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return r;
}

}  // namespace oms::api
