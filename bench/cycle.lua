-- wrk script of bench/ingest.sh: POSTs pre-made, distinct, signed delivery bodies (one per line of the file in
-- BENCH_BODIES). Thread i of n takes lines i, i+n, i+2n…, so no body is sent twice unless a thread runs out
-- (counted as "wrapped": those repeats are duplicates the daemon answers without storing).
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
  table.insert(threads, thread)
end

function init(args)
  local n = tonumber(os.getenv("BENCH_THREADS") or "2")
  bodies = {}
  local line_number = 0
  for line in io.lines(os.getenv("BENCH_BODIES")) do
    if line_number % n == id then bodies[#bodies + 1] = line end
    line_number = line_number + 1
  end
  index = 0
  wrapped = 0
end

function request()
  index = index + 1
  if index > #bodies then
    index = 1
    wrapped = wrapped + 1
  end
  return wrk.format("POST", nil, { ["Content-Type"] = "application/json" }, bodies[index])
end

function done(summary, latency, requests)
  local wraps = 0
  for _, thread in ipairs(threads) do wraps = wraps + thread:get("wrapped") end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d status_errors=%d socket_errors=%d p50_us=%d p99_us=%d max_us=%d wrapped=%d\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), latency.max, wraps))
end
