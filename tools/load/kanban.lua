-- GET /v1/kanban: the whole board (one column per active step, 20 rows each, with counts).
-- Needs LEADLEDGER_TOKEN. With LEADLEDGER_RESPONSIBLE (comma-separated admin ids) every other request asks for
-- one manager's board (`responsible=`), the view a manager opens first.
local token = os.getenv("LEADLEDGER_TOKEN") or error("LEADLEDGER_TOKEN is not set")
local counter = 0
local responsible = {}
for id in string.gmatch(os.getenv("LEADLEDGER_RESPONSIBLE") or "", "[^,]+") do table.insert(responsible, id) end

wrk.method = "GET"
wrk.headers["Authorization"] = "Bearer " .. token

request = function()
  counter = counter + 1
  local path = "/v1/kanban"
  if #responsible > 0 and counter % 2 == 0 then
    path = path .. "?responsible=" .. responsible[(math.floor(counter / 2) % #responsible) + 1]
  end
  return wrk.format(nil, path)
end
