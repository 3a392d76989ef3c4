package.path = package.path .. ";" .. (os.getenv("LUA_DIR") or ".") .. "/?.lua"
local c = require("common")
c.headers("PutItem")
-- New items, each with a unique sort key ("w" random "-" counter, fixed width so that every
-- body has the same length) in one of 100 partitions other than the seeded ones: inserts at
-- random places in the table and in the GSI's one partition "g".
local starts, randoms = {}, {}
for p = 100, 199 do
  starts[#starts + 1] = string.format('{"TableName":"cruddur-messages","Item":{"pk":{"S":"%s"},"sk":{"S":"w', c.pk(p))
end
c.shuffle(starts)
for k = 1, 9973 do randoms[k] = string.format("%07d-", math.random(0, 9999999)) end
local rest = '"},"message_group_uuid":{"S":"g"},"message":{"S":"I think my favorite season is season 3."},' ..
  '"user_handle":{"S":"bayko"}}}'
-- With several wrk threads, each counts in its own billion (setup runs once per thread).
local threads = 0
setup = function(thread)
  thread:set("first", threads * 1000000000)
  threads = threads + 1
end
local head, n
init = function()
  head = c.head(#starts[1] + 8 + 10 + #rest)
  n = first or 0
end
request = function()
  n = n + 1
  return head .. starts[n % 100 + 1] .. randoms[n % 9973 + 1] .. string.format("%010d", n) .. rest
end
