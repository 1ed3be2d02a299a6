-- wrk driver of scripts/bench.py: one phase slice of one endpoint.
-- Arguments after "--": threads, request bound per thread, body check ("exact:" or
-- "contains:" followed by the text), then for jscode2session the file of login codes
-- and the request path before the code. Codes are dealt round-robin to the threads,
-- so no code is sent twice. For the runtime's launch: the host credential (7th) and a file
-- of identity sessions (8th), sent as X-Host-App and X-Identity-Session in turn.
local threads = {}
local next_id = 0

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  local thread_count = tonumber(args[1])
  limit = tonumber(args[2])
  local check = args[3]
  exact = string.sub(check, 1, 6) == "exact:"
  marker = exact and string.sub(check, 7) or string.sub(check, 10)
  answered, bad, sent, first_bad, exhausted = 0, 0, 0, "", 0
  if args[4] and args[4] ~= "" then
    codes, prefix = {}, args[5]
    local line_number = 0
    for line in io.lines(args[4]) do
      if line_number % thread_count == id then
        codes[#codes + 1] = line
      end
      line_number = line_number + 1
    end
  end
  if args[6] and args[6] ~= "" then
    wrk.method, wrk.body = "POST", args[6]
    wrk.headers["Content-Type"] = "application/json"
  end
  if args[8] and args[8] ~= "" then
    -- One prepared request per session, this thread's share of them, sent in turn.
    session_requests, turn = {}, 0
    local line_number = 0
    for line in io.lines(args[8]) do
      if line ~= "" and line_number % thread_count == id then
        local headers = {["X-Host-App"] = args[7], ["X-Identity-Session"] = line}
        session_requests[#session_requests + 1] = wrk.format("GET", nil, headers)
      end
      line_number = line_number + 1
    end
  end
end

function request()
  if codes then
    sent = sent + 1
    local code = codes[sent]
    if code == nil then
      -- Out of fresh codes: stop; whatever this last request gets is not counted.
      exhausted = 1
      wrk.thread:stop()
      return wrk.format("GET", "/runtime/v1/ping")
    end
    return wrk.format("GET", prefix .. code)
  end
  if session_requests then
    turn = turn % #session_requests + 1
    return session_requests[turn]
  end
  return wrk.format()
end

function response(status, headers, body)
  if exhausted == 1 then
    return
  end
  answered = answered + 1
  local ok
  if exact then
    ok = status == 200 and body == marker
  else
    ok = status == 200 and string.find(body, marker, 1, true) ~= nil
  end
  if not ok then
    bad = bad + 1
    if first_bad == "" then
      first_bad = status .. " " .. string.sub(body or "", 1, 200)
    end
  end
  if answered >= limit then
    wrk.thread:stop()
  end
end

function done(summary, latency, requests)
  local answered_all, bad_all, first = 0, 0, ""
  for _, thread in ipairs(threads) do
    answered_all = answered_all + thread:get("answered")
    bad_all = bad_all + thread:get("bad")
    local sent_here = thread:get("sent")
    io.write(string.format("@@sent %d %d\n", thread:get("id"), sent_here))
    if first == "" then
      first = thread:get("first_bad")
    end
  end
  local errors = summary.errors
  io.write(string.format("@@summary %d %d %d %d\n", answered_all, bad_all, summary.duration,
    errors.connect + errors.read + errors.write + errors.timeout))
  for step = 1, 999 do
    io.write(string.format("@@q %d\n", latency:percentile(step / 10)))
  end
  io.write(string.format("@@q %d\n", latency.max))
  io.write("@@first " .. string.gsub(first, "\n", " ") .. "\n")
end
