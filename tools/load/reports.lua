-- GET /v1/reports/*: the six reports in turn, over all time and over one year (`from`/`to`).
local reports = { "funnel", "managers", "sources", "step-times", "paused", "competitors" }
local counter = 0

wrk.method = "GET"

request = function()
  counter = counter + 1
  local path = "/v1/reports/" .. reports[(counter % #reports) + 1]
  if math.floor(counter / #reports) % 2 == 1 then
    path = path .. "?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z"
  end
  return wrk.format(nil, path)
end
