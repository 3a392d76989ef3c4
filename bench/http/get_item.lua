package.path = package.path .. ";" .. (os.getenv("LUA_DIR") or ".") .. "/?.lua"
local c = require("common")
c.headers("GetItem")
-- Every seeded key once, in a shuffled order.
c.cycle(function()
  local list = {}
  for p = 0, 99 do
    for i = 0, 99 do
      list[#list + 1] = c.request(string.format('{"TableName":"cruddur-messages","Key":{"pk":{"S":"%s"},"sk":{"S":"%s"}}}',
        c.pk(p), c.sk(i)))
    end
  end
  return c.shuffle(list)
end)
