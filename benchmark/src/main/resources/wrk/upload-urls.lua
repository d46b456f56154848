-- POST /api/v1/assets in wrk's closed loop (Wrk.java runs it). The arguments after "--" are the JSON
-- body, then the Authorization header values to send, taken in turn; every answer's status is counted,
-- and done() prints one "key value" line per figure for Wrk.java to read.
threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  body = args[1]
  authorizations = {}
  for i = 2, #args do
    authorizations[i - 1] = args[i]
  end
  sent = 0
  statuses = {}
end

function request()
  sent = sent + 1
  return wrk.format("POST", wrk.path, {
    ["Authorization"] = authorizations[(sent % #authorizations) + 1],
    ["Content-Type"] = "application/json",
  }, body)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  io.write(string.format("duration_us %d\n", summary.duration))
  io.write(string.format("p50_us %d\np99_us %d\n", latency:percentile(50), latency:percentile(99)))
  io.write(string.format("errors %d\n", summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout))
  local total = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("statuses")) do
      total[status] = (total[status] or 0) + count
    end
  end
  for status, count in pairs(total) do
    io.write(string.format("status %d %d\n", status, count))
  end
end
