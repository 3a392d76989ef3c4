package.path = package.path .. ";" .. (os.getenv("LUA_DIR") or ".") .. "/?.lua"
local c = require("common")
c.headers("GetItem")
request = function()
  local body = string.format('{"TableName":"cruddur-messages","Key":{"pk":{"S":"%s"},"sk":{"S":"%s"}}}',
    c.pk(math.random(0, 99)), c.sk(math.random(0, 99)))
  return wrk.format(nil, nil, nil, body)
end
