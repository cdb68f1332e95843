-- GET /v1/leads filtered (one step) with limit=50: the lead list page a frontend asks for most.
-- Needs LEADLEDGER_TOKEN in the environment.
local token = os.getenv("LEADLEDGER_TOKEN") or error("LEADLEDGER_TOKEN is not set")
local steps = { "new", "contacted", "qualified", "proposal", "won" }
local counter = 0

wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. token

request = function()
  counter = counter + 1
  local step = steps[(counter % #steps) + 1]
  return wrk.format(nil, "/v1/leads?step=" .. step .. "&limit=50")
end
