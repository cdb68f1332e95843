-- GET /v1/leads?q=… as a user types into the search box: common prefixes (names, a mail domain, a phone
-- prefix) and a two-word query, round robin, limit=50.
local queries = { "petr", "ivan", "gmail", "%2B3706", "ona%20petr" }
local counter = 0

wrk.method = "GET"

request = function()
  counter = counter + 1
  return wrk.format(nil, "/v1/leads?q=" .. queries[(counter % #queries) + 1] .. "&limit=50")
end
