-- wrk script of benches/http-load.sh: stops wrk after a number of answers
-- (wrk itself only knows durations), counts answers that are not 200, and
-- `done` prints one JSON line with wrk's own latency distribution
-- (microseconds).
--   wrk -t1 -cN -d300s -s benches/http-load.lua URL -- REQUESTS
--
-- One thread only: when it has its answers it stops and sends wrk SIGINT
-- (through LuaJIT's FFI), which is wrk's own way to end a run early: it
-- joins the threads, takes the elapsed time as the run's duration and
-- reports, so requests/s covers the requests made, not -d.
local ffi = require("ffi")
ffi.cdef[[
int kill(int pid, int sig);
int getpid(void);
]]
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  if #threads > 1 then error("benches/http-load.lua: run wrk with -t1") end
end

function init(args)
  limit = tonumber(args[1]) or 10000
  answered = 0
  not_ok = 0
end

function response(status, headers, body)
  answered = answered + 1
  if status ~= 200 then not_ok = not_ok + 1 end
  if answered == limit then
    wrk.thread:stop()
    ffi.C.kill(ffi.C.getpid(), 2) -- SIGINT
  end
end

function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + (t:get("not_ok") or 0) end
  local e = summary.errors
  io.write(string.format(
    'JSON {"requests":%d,"duration_us":%d,"not_200":%d,"socket_errors":%d,' ..
    '"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d,"mean_us":%.1f}\n',
    summary.requests, summary.duration, bad,
    e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
