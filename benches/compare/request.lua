-- wrk script of `cargo bench --bench compare`: the request comes from the environment.
--   COMPARE_BODY_FILE  a file holding a JSON body: the request is a POST of it
--   COMPARE_HEADERS    header lines, "Name: value" separated by newlines
-- At the end it prints one line that the bench reads:
--   compare-summary <requests> <duration µs> <connect> <read> <write> <status ≥ 400> <timeout>

local body_file = os.getenv("COMPARE_BODY_FILE")
if body_file and body_file ~= "" then
  local file = assert(io.open(body_file, "rb"))
  wrk.body = file:read("*a")
  file:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

for line in (os.getenv("COMPARE_HEADERS") or ""):gmatch("[^\n]+") do
  local name, value = line:match("^([^:]+):%s*(.*)$")
  if name then
    wrk.headers[name] = value
  end
end

done = function(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format("compare-summary %d %d %d %d %d %d %d\n", summary.requests,
    summary.duration, errors.connect, errors.read, errors.write, errors.status, errors.timeout))
end
