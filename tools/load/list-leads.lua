-- GET /v1/leads filtered (one step) with limit=50: the lead list page a frontend asks for most.
-- Needs LEADLEDGER_TOKEN in the environment. With LEADLEDGER_RESPONSIBLE (comma-separated admin ids) each request
-- also filters by one of those managers (`step=` + `responsible=`: a manager's own column, a selective filter).
local token = os.getenv("LEADLEDGER_TOKEN") or error("LEADLEDGER_TOKEN is not set")
local steps = { "new", "contacted", "qualified", "proposal", "won" }
local counter = 0
local responsible = {}
for id in string.gmatch(os.getenv("LEADLEDGER_RESPONSIBLE") or "", "[^,]+") do table.insert(responsible, id) end

wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. token

request = function()
  counter = counter + 1
  local step = steps[(counter % #steps) + 1]
  local path = "/v1/leads?step=" .. step .. "&limit=50"
  if #responsible > 0 then
    path = path .. "&responsible=" .. responsible[(math.floor(counter / #steps) % #responsible) + 1]
  end
  return wrk.format(nil, path)
end
