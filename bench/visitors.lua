-- wrk script: every request from a new visitor (its own X-Forwarded-For address) when the
-- environment variable BENCH_NEW_VISITORS is set, else one fixed visitor per thread. Each round
-- (BENCH_ROUND) uses its own addresses, so a later round's visitors are new too.
-- Prints one JSON line at the end for bench/run.py.
local threads = {}
local thread_number = 0

function setup(thread)
  thread_number = thread_number + 1
  thread:set("id", thread_number)
  table.insert(threads, thread)
end

function init(args)
  sent = 0
  new_visitors = os.getenv("BENCH_NEW_VISITORS") ~= nil
  round_number = tonumber(os.getenv("BENCH_ROUND") or "0")
  wrk.headers["User-Agent"] = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36"
  wrk.headers["Accept-Encoding"] = "gzip"
  wrk.headers["Accept"] = "text/html"
end

function request()
  sent = sent + 1
  local n = new_visitors and sent or 0
  wrk.headers["X-Forwarded-For"] = string.format(
    "%d.%d.%d.%d", 10 + round_number, id, math.floor(n / 256) % 256, n % 256)
  return wrk.format()
end

function done(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.status + summary.errors.timeout
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "errors": %d, "p50_ms": %.2f, "p99_ms": %.2f}\n',
    summary.requests, summary.duration / 1e6, errors,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
