-- GET the deal reports in turn: the funnel (all, and one manager's with LEADLEDGER_RESPONSIBLE), the funnel per
-- manager, and won/lost by closing period over one year and all time.
local paths = {
  "/v1/reports/deals",
  "/v1/reports/deals/managers",
  "/v1/reports/deal-outcomes?from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z",
  "/v1/reports/deal-outcomes",
}
local counter = 0

wrk.method = "GET"

request = function()
  counter = counter + 1
  local path = paths[(counter % (#paths + 1)) + 1]
  if path == nil then
    if #responsible == 0 then return wrk.format(nil, paths[1]) end
    path = "/v1/reports/deals?responsible=" .. responsible[(math.floor(counter / #paths) % #responsible) + 1]
  end
  return wrk.format(nil, path)
end
