package.path = package.path .. ";" .. (os.getenv("LUA_DIR") or ".") .. "/?.lua"
local c = require("common")
c.headers("Query")
request = function()
  local body = string.format('{"TableName":"cruddur-messages","KeyConditionExpression":"pk = :pk",' ..
    '"ExpressionAttributeValues":{":pk":{"S":"%s"}},"ScanIndexForward":false,"Limit":20}', c.pk(math.random(0, 99)))
  return wrk.format(nil, nil, nil, body)
end
