-- GET /v1/reports/*: the six reports in turn; the three that take a period (funnel, managers, sources) every
-- other round over one year (`from`/`to`).
local reports = { "funnel", "managers", "sources", "step-times", "paused", "competitors" }
local periodic = { funnel = true, managers = true, sources = true }
local counter = 0

wrk.method = "GET"

request = function()
  counter = counter + 1
  local name = reports[(counter % #reports) + 1]
  local path = "/v1/reports/" .. name
  if periodic[name] and math.floor(counter / #reports) % 2 == 1 then
    path = path .. "?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z"
  end
  return wrk.format(nil, path)
end
