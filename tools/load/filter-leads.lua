-- GET /v1/leads?limit=50 with two and three combined filters (NCRM custom filters): steps, responsible, tags,
-- sources, deals, deal stages, tasks, overdue tasks and custom fields, ANDed; each shape in turn. With
-- LEADLEDGER_RESPONSIBLE (see common.lua) the shapes that name a manager cycle over those managers.
local two = {
  "step=contacted&hasTasks=true",
  "step=new,contacted&source=website",
  "dealStage=proposal&tag=vip",
  "cf.segment=mid&hasOverdueTasks=false",
  "hasDeals=true&cf.employees.min=4000",
  "responsible=%s&hasDeals=true",
}
local three = {
  "step=qualified&responsible=%s&hasDeals=true",
  "source=website&dealStage=qualification&hasTasks=true",
  "step=new,contacted&cf.employees.min=1000&hasTasks=false",
  "createdBy=%s&tag=vip&hasOverdueTasks=true",
  "dealStage=won,lost&source=referral&cf.segment=enterprise",
}
local shapes = {}
for _, s in ipairs(two) do table.insert(shapes, s) end
for _, s in ipairs(three) do table.insert(shapes, s) end
local counter = 0

wrk.method = "GET"

request = function()
  counter = counter + 1
  local shape = shapes[(counter % #shapes) + 1]
  if string.find(shape, "%%s") then
    if #responsible == 0 then return wrk.format(nil, "/v1/leads?step=new&hasTasks=true&limit=50") end
    shape = string.format(shape, responsible[(math.floor(counter / #shapes) % #responsible) + 1])
  end
  return wrk.format(nil, "/v1/leads?" .. shape .. "&limit=50")
end
