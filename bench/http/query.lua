package.path = package.path .. ";" .. (os.getenv("LUA_DIR") or ".") .. "/?.lua"
local c = require("common")
c.headers("Query")
-- Each seeded partition's newest 20 messages, partitions in a shuffled order (each 100 times).
c.cycle(function()
  local list = {}
  for k = 0, 9999 do
    list[#list + 1] = c.request(string.format('{"TableName":"cruddur-messages","KeyConditionExpression":"pk = :pk",' ..
      '"ExpressionAttributeValues":{":pk":{"S":"%s"}},"ScanIndexForward":false,"Limit":20}', c.pk(k % 100)))
  end
  return c.shuffle(list)
end)
