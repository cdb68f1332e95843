-- GET /v1/kanban: the whole board (one column per active step, 20 rows each, with counts).
-- With LEADLEDGER_RESPONSIBLE (see common.lua) every other request asks for one manager's board
-- (`responsible=`), the view a manager opens first.
local counter = 0

wrk.method = "GET"

request = function()
  counter = counter + 1
  local path = "/v1/kanban"
  if #responsible > 0 and counter % 2 == 0 then
    path = path .. "?responsible=" .. responsible[(math.floor(counter / 2) % #responsible) + 1]
  end
  return wrk.format(nil, path)
end
