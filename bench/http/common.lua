-- Shared by the wrk scripts: DynamoDB JSON 1.0 requests with a (not verified) SigV4 header.
-- Requests are built in init() (wrk sets the Host header just before calling it), so that per
-- request wrk only picks one (or joins a few fixed-width pieces): formatting each request in Lua cost wrk more CPU than the
-- server spent answering it, and wrk, not the server, set the pace.
local M = {}
function M.headers(target)
  wrk.method = "POST"
  wrk.path = "/"
  wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
  wrk.headers["X-Amz-Target"] = "DynamoDB_20120810." .. target
  wrk.headers["X-Amz-Date"] = "20230320T100000Z"
  wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=local/20230320/us-east-1/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=00"
end
-- Keys of the seeded data (bench/http_bench.py seeds 100 partitions x 100 messages).
function M.pk(n) return string.format("MSG#%08d-5ae2-47a0-bc6d-fe2bc2700399", n) end
function M.sk(i) return string.format("2023-03-20T%02d:%02d:00.000000+00:00", math.floor(i / 60), i % 60) end
-- The whole HTTP request (request line, headers, body) for a body.
function M.request(body) return wrk.format(nil, nil, nil, body) end
-- The HTTP request's head for every body of this length (Content-Length is all that varies).
function M.head(length)
  local sample = string.rep(" ", length)
  local r = wrk.format(nil, nil, nil, sample)
  return r:sub(1, #r - length)
end
-- The same pseudo-random order every run (wrk's Lua starts from a fixed seed too).
function M.shuffle(t)
  math.randomseed(42)
  for i = #t, 2, -1 do
    local j = math.random(1, i)
    t[i], t[j] = t[j], t[i]
  end
  return t
end
-- A request() cycling through the list that build() returns, built in init().
function M.cycle(build)
  local list, i = nil, 0
  init = function() list = build() end
  request = function()
    i = i % #list + 1
    return list[i]
  end
end
return M
