package.path = package.path .. ";" .. (os.getenv("LUA_DIR") or ".") .. "/?.lua"
local c = require("common")
c.headers("PutItem")
local n = 0
request = function()
  n = n + 1
  local body = string.format('{"TableName":"cruddur-messages","Item":{"pk":{"S":"%s"},"sk":{"S":"w%d-%d"},' ..
    '"message_group_uuid":{"S":"g"},"message":{"S":"I think my favorite season is season 3."},' ..
    '"user_handle":{"S":"bayko"}}}', c.pk(math.random(100, 199)), math.random(0, 1000000), n)
  return wrk.format(nil, nil, nil, body)
end
