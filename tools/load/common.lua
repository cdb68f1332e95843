-- Shared by every workload (run.sh puts it first): the bearer token from LEADLEDGER_TOKEN and, from
-- LEADLEDGER_RESPONSIBLE (comma-separated admin ids), the managers some workloads filter by.
local token = os.getenv("LEADLEDGER_TOKEN") or error("LEADLEDGER_TOKEN is not set")
wrk.headers["Authorization"] = "Bearer " .. token
responsible = {}
for id in string.gmatch(os.getenv("LEADLEDGER_RESPONSIBLE") or "", "[^,]+") do table.insert(responsible, id) end
