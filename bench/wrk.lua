-- make bench: the requests wrk sends for one page, as a logged-in user (bench/wrk.py).
-- BENCH_COOKIE: the Cookie header; BENCH_EXPECT: the status every response should have;
-- BENCH_METHOD=POST with BENCH_CSRF: a new message per request (a different body each time,
-- so the double-submit guard never folds two into one).
local cookie = os.getenv("BENCH_COOKIE")
local expected = tonumber(os.getenv("BENCH_EXPECT") or "200")
local method = os.getenv("BENCH_METHOD") or "GET"
local csrf = os.getenv("BENCH_CSRF")
local threads = {}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  unexpected = 0
  sent = 0
  wrk.headers["Cookie"] = cookie
  if method == "POST" then
    wrk.method = "POST"
    wrk.headers["X-CSRFToken"] = csrf
    wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  end
end

if method == "POST" then
  function request()
    sent = sent + 1
    local body = "body=Benchmarkbericht+" .. id .. "-" .. sent
      .. "%3A+hoe+ging+het+vandaag+met+de+oefening%3F"
    return wrk.format(nil, nil, nil, body)
  end
end

function response(status, headers, body)
  if status ~= expected then
    unexpected = unexpected + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, thread in ipairs(threads) do
    total = total + (thread:get("unexpected") or 0)
  end
  io.write(string.format("bench-unexpected-status: %d\n", total))
end
