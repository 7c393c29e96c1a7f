-- bench/wrk/placement.lua: the load of `bench/run placement` (PlacementBench), for wrk 4.x
-- (Debian's `wrk`).
--
-- One wrk process drives every stream-manager member: thread i connects to the i-th port of
-- PLACEMENT_PORTS (wrk's addr.lua trick: setup() points each thread at its own address), so run
-- it with -t equal to the number of ports and -c a multiple of it. One process keeps one latency
-- histogram (1 us buckets) for all threads, so the percentiles it prints are exact over all
-- members, not an average of per-member percentiles.
--
-- The requests are not made up here. PlacementBench writes them, one file per thread: the file
-- PLACEMENT_REQUESTS with "{thread}" replaced by the thread's number (1, 2, ...), one request per
-- line, "S <path>" (subscribe) or "P <path>" (publish); the mix, the streams' popularity and the
-- regions are decided and documented there. A thread reads only its own file in init() (threads
-- start one after another, so a slow init would let the first thread run alone for a while),
-- formats each request the first time it is used and then cycles through them, so request()
-- mostly returns a prebuilt string. No response() function: wrk then skips parsing headers and bodies; it still
-- counts every status above 399 (errors.status), and PlacementBench adds the members' own counts
-- of answers by status from /metrics.
--
-- Paced mode: with PLACEMENT_RATE set (requests/s over all threads), each thread sends on a fixed
-- schedule (delay() returns the time to the thread's next slot, from CLOCK_MONOTONIC through LuaJIT's
-- FFI), so the offered load stays at the rate while there are free connections, like wrk2's -R. When
-- the members stall, the schedule is kept and the late requests go out as soon as connections free
-- up. Unlike wrk2, latency is still measured from the actual send; wrk 4 then corrects for
-- coordinated omission the HdrHistogram way (stats_correct: every latency above twice the mean
-- per-connection interval adds samples at that value minus 1, 2, ... intervals), in both modes.
--
-- done() prints one line "PLACEMENT_RESULT {json}" with the counts, errors and percentiles (us).
--
-- By hand, against members on ports 8081-8083 and the request files made by a run
-- (bench/results/tmp/placement/requests-p10-t1.txt, -t2, -t3):
--   PLACEMENT_PORTS=8081,8082,8083 PLACEMENT_REQUESTS='bench/results/tmp/placement/requests-p10-t{thread}.txt' \
--     wrk -t3 -c48 -d15s --timeout 5s --latency -s bench/wrk/placement.lua http://127.0.0.1:8081
-- (add PLACEMENT_RATE=20000 for the paced mode below)

local ports = {}
for p in string.gmatch(os.getenv("PLACEMENT_PORTS") or "", "%d+") do
  ports[#ports + 1] = p
end
local threads = {}

function setup(thread)
  local n = #threads + 1
  if ports[n] == nil then
    error("more wrk threads than ports in PLACEMENT_PORTS (" .. #ports .. "): use -t" .. #ports)
  end
  threads[n] = thread
  thread:set("tid", n)
  thread:set("nthreads", #ports)
  thread.addr = wrk.lookup("127.0.0.1", ports[n])[1]
end

local lines, reqs, count, at = {}, {}, 0, 0
subscribes, publishes = 0, 0

function init(args)
  local file = (os.getenv("PLACEMENT_REQUESTS") or ""):gsub("{thread}", tostring(tid))
  for line in io.lines(file) do
    count = count + 1
    lines[count] = line
  end
  if count == 0 then
    error("no requests for thread " .. tid .. " in " .. file)
  end
end

local rate = tonumber(os.getenv("PLACEMENT_RATE") or "0")
if rate > 0 then
  local ffi = require("ffi")
  ffi.cdef[[
    typedef struct { long tv_sec; long tv_nsec; } placement_timespec;
    int clock_gettime(int clk_id, placement_timespec *tp);
  ]]
  local ts = ffi.new("placement_timespec")
  local function now_ms()
    ffi.C.clock_gettime(1, ts) -- CLOCK_MONOTONIC
    return tonumber(ts.tv_sec) * 1000 + tonumber(ts.tv_nsec) / 1e6
  end
  local next_at

  -- wrk truncates the answer to whole milliseconds; the schedule keeps the fractions, so the
  -- average rate is exact and a request leaves at most 1 ms early.
  function delay()
    local now = now_ms()
    if next_at == nil then
      next_at = now
    end
    next_at = next_at + nthreads * 1000 / rate
    local d = next_at - now
    return d > 0 and d or 0
  end
end

function request()
  at = at + 1
  if at > count then
    at = 1
  end
  local r = reqs[at]
  if r == nil then
    r = wrk.format("GET", lines[at]:sub(3))
    reqs[at] = r
  end
  if lines[at]:byte(1) == 80 then -- "P"
    publishes = publishes + 1
  else
    subscribes = subscribes + 1
  end
  return r
end

function done(summary, latency, requests)
  local per = {}
  for i, t in ipairs(threads) do
    per[i] = string.format('{"port":%s,"subscribesSent":%.0f,"publishesSent":%.0f}',
      ports[i], t:get("subscribes"), t:get("publishes"))
  end
  local e = summary.errors
  local empty = summary.requests == 0
  local function p(q)
    return empty and 0 or latency:percentile(q)
  end
  io.write(string.format('PLACEMENT_RESULT {"rate":%.0f,"durationUs":%.0f,"requests":%.0f,"bytes":%.0f,'
      .. '"errors":{"connect":%.0f,"read":%.0f,"write":%.0f,"status":%.0f,"timeout":%.0f},'
      .. '"latencyUs":{"min":%.0f,"mean":%.1f,"stdev":%.1f,"max":%.0f,"p50":%.0f,"p75":%.0f,"p90":%.0f,'
      .. '"p95":%.0f,"p99":%.0f,"p99.9":%.0f,"p99.99":%.0f},"threads":[%s]}\n',
    rate, summary.duration, summary.requests, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    empty and 0 or latency.min, latency.mean, latency.stdev, latency.max,
    p(50), p(75), p(90), p(95), p(99), p(99.9), p(99.99), table.concat(per, ",")))
end
