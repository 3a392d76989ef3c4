-- Shared by the wrk scripts: DynamoDB JSON 1.0 requests with a (not verified) SigV4 header.
local M = {}
function M.headers(target)
  wrk.method = "POST"
  wrk.path = "/"
  wrk.headers["Content-Type"] = "application/x-amz-json-1.0"
  wrk.headers["X-Amz-Target"] = "DynamoDB_20120810." .. target
  wrk.headers["X-Amz-Date"] = "20230320T100000Z"
  wrk.headers["Authorization"] = "AWS4-HMAC-SHA256 Credential=local/20230320/us-east-1/dynamodb/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=00"
end
-- Keys of the seeded data (bench/http_bench.sh seeds 100 partitions x 100 messages).
function M.pk(n) return string.format("MSG#%08d-5ae2-47a0-bc6d-fe2bc2700399", n) end
function M.sk(i) return string.format("2023-03-20T%02d:%02d:00.000000+00:00", math.floor(i / 60), i % 60) end
return M
