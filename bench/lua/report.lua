-- Shared by the Lockkeeper wrk scripts: one machine-readable line for the harness (latencies in µs).
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("LK requests=%d duration=%d non2xx=%d socket_errors=%d p50=%d p99=%d p999=%d\n",
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99), latency:percentile(99.9)))
end

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end
