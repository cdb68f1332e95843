-- POST /v1/leads with a unique body per request (thread id + counter), so every request appends one event.
local threads = {}
local counter = 0
local thread_id = 0

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  thread_id = tid or 0
end

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"

request = function()
  counter = counter + 1
  local body = string.format(
    '{"fullName":"Load Lead %d-%d","phones":["+370 6%07d"],"emails":["load%d.%d@example.lt"],"source":"website"}',
    thread_id, counter, counter % 10000000, thread_id, counter)
  return wrk.format(nil, "/v1/leads", nil, body)
end

-- Non-2xx answers are counted by wrk; print them so a failing run is noticed.
response = function(status, headers, body)
  if status ~= 201 then
    io.stderr:write("unexpected status " .. status .. ": " .. body .. "\n")
  end
end
