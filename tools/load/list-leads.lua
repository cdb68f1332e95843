-- GET /v1/leads filtered (one step) with limit=50: the lead list page a frontend asks for most.
-- With LEADLEDGER_RESPONSIBLE (see common.lua) each request also filters by one of those managers (`step=` +
-- `responsible=`: a manager's own column, a selective filter).
local steps = { "new", "contacted", "qualified", "proposal", "won" }
local counter = 0

wrk.method = "GET"

request = function()
  counter = counter + 1
  local step = steps[(counter % #steps) + 1]
  local path = "/v1/leads?step=" .. step .. "&limit=50"
  if #responsible > 0 then
    path = path .. "&responsible=" .. responsible[(math.floor(counter / #steps) % #responsible) + 1]
  end
  return wrk.format(nil, path)
end
