// Writing a Query response as DynamoDB JSON: 20 Cruddur messages, the page the HTTP
// benchmark's Query returns. QueryBody writes straight from the page's stored bytes; the
// reference, in the same run, is the generic path every other response takes (an
// nlohmann::json tree built from the Items, then dumped).
// Reading a request: the HTTP benchmark's PutItem body into a RequestDoc (reused, as each
// server thread reuses its own), and into nlohmann's json tree (the reference: how requests
// were read before, the same values).
// The x-amz-crc32 of that Query's answer, and zlib's crc32 of it (the reference).
// The whole handler the server runs per request (wire::Dispatch: read the JSON, run the
// operation, write the response) for the HTTP benchmark's GetItem, Query and PutItem, and the
// same operation through the typed C++ API (the reference: what the engine itself costs).

#include <benchmark/benchmark.h>

#include "localdynamo/localdynamo.h"
#include <zlib.h>

#include "cruddur_messages.h"
#include "server/crc32.h"
#include "wire/codec.h"
#include "wire/dispatch.h"
#include "wire/json_parse.h"
#include "wire/json_writer.h"

using namespace localdynamo;

namespace {

// The page as Query returns it (its items' stored bytes; it outlives the database).
QueryResponse Page() {
  auto db = bench::OpenMessagesTable();
  for (int i = 0; i < 20; ++i) {
    PutItemRequest p;
    p.table_name = "cruddur-messages";
    p.item = bench::MessageRow(7, i);
    (void)db->PutItem(p);
  }
  QueryRequest q;
  q.table_name = "cruddur-messages";
  q.key_condition_expression = "pk = :pk";
  q.expression_attribute_values = ValueMap{{":pk", bench::MessageRow(7, 0).at("pk")}};
  q.scan_index_forward = false;
  q.limit = 20;
  return std::move(db->Query(q)).value();
}

void BM_QueryBody_FromStoredBytes(benchmark::State& state) {
  QueryResponse r = Page();
  for (auto _ : state) benchmark::DoNotOptimize(wire::QueryBody(r));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * wire::QueryBody(r).size()));
}
BENCHMARK(BM_QueryBody_FromStoredBytes);

void BM_QueryBody_NlohmannTree(benchmark::State& state) {
  QueryResponse r = Page();
  (void)r.items->items();  // the Items built once, outside the loop: only the writing is timed
  for (auto _ : state) benchmark::DoNotOptimize(wire::ToJson(r).dump());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * wire::QueryBody(r).size()));
}
BENCHMARK(BM_QueryBody_NlohmannTree);

void BM_Crc32_QueryAnswer(benchmark::State& state) {
  const std::string body = wire::QueryBody(Page());
  for (auto _ : state) benchmark::DoNotOptimize(server::Crc32(body));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_Crc32_QueryAnswer);

void BM_Crc32_QueryAnswer_Zlib(benchmark::State& state) {
  const std::string body = wire::QueryBody(Page());
  for (auto _ : state)
    benchmark::DoNotOptimize(crc32_z(0, reinterpret_cast<const Bytef*>(body.data()), body.size()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
}
BENCHMARK(BM_Crc32_QueryAnswer_Zlib);

const std::string kPutItemBody =
    R"({"TableName":"cruddur-messages","Item":{"pk":{"S":"MSG#00000150-5ae2-47a0-bc6d-fe2bc2700399"},)"
    R"("sk":{"S":"w123456-789"},"message_group_uuid":{"S":"g"},)"
    R"("message":{"S":"I think my favorite season is season 3."},"user_handle":{"S":"bayko"}}})";

void BM_PutItemRequest_RequestDoc(benchmark::State& state) {
  wire::RequestDoc doc;
  for (auto _ : state) {
    benchmark::DoNotOptimize(doc.Parse(kPutItemBody));
    benchmark::DoNotOptimize(doc.root().Size());
  }
}
BENCHMARK(BM_PutItemRequest_RequestDoc);

void BM_PutItemRequest_NlohmannParse(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(wire::json::parse(kPutItemBody));
}
BENCHMARK(BM_PutItemRequest_NlohmannParse);

// 100 conversations x 100 messages, as bench/http_bench.py seeds them.
std::unique_ptr<Database> SeededTable() {
  auto db = bench::OpenMessagesTable();
  for (int p = 0; p < 100; ++p)
    for (int i = 0; i < 100; ++i) {
      PutItemRequest r;
      r.table_name = "cruddur-messages";
      r.item = bench::MessageRow(p, i);
      (void)db->PutItem(r);
    }
  return db;
}

std::string GetItemBody(int n) {
  return fmt::format(
      R"({{"TableName":"cruddur-messages","Key":{{"pk":{{"S":"MSG#{:08}-5ae2-47a0-bc6d-fe2bc2700399"}},)"
      R"("sk":{{"S":"2023-03-20T{:02}:{:02}:00.000000+00:00"}}}}}})",
      n % 100, n / 100 % 100 / 60, n / 100 % 60);
}

void BM_Dispatch_GetItem(benchmark::State& state) {
  auto db = SeededTable();
  std::vector<std::string> bodies;
  for (int n = 0; n < 10000; ++n) bodies.push_back(GetItemBody(n * 7919 % 10000));
  std::size_t n = 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(
        wire::Dispatch(*db, "DynamoDB_20120810.GetItem", bodies[n++ % bodies.size()]));
}
BENCHMARK(BM_Dispatch_GetItem);

void BM_Api_GetItem(benchmark::State& state) {
  auto db = SeededTable();
  std::vector<GetItemRequest> requests;
  for (int n = 0; n < 10000; ++n) {
    int k = n * 7919 % 10000;
    Item row = bench::MessageRow(k % 100, k / 100 % 100);
    GetItemRequest r;
    r.table_name = "cruddur-messages";
    r.key = {{"pk", row.at("pk")}, {"sk", row.at("sk")}};
    requests.push_back(std::move(r));
  }
  std::size_t n = 0;
  for (auto _ : state) benchmark::DoNotOptimize(db->GetItem(requests[n++ % requests.size()]));
}
BENCHMARK(BM_Api_GetItem);

void BM_Dispatch_Query(benchmark::State& state) {
  auto db = SeededTable();
  std::vector<std::string> bodies;
  for (int p = 0; p < 100; ++p)
    bodies.push_back(fmt::format(
        R"({{"TableName":"cruddur-messages","KeyConditionExpression":"pk = :pk",)"
        R"("ExpressionAttributeValues":{{":pk":{{"S":"MSG#{:08}-5ae2-47a0-bc6d-fe2bc2700399"}}}},)"
        R"("ScanIndexForward":false,"Limit":20}})",
        p * 37 % 100));
  std::size_t n = 0;
  for (auto _ : state)
    benchmark::DoNotOptimize(
        wire::Dispatch(*db, "DynamoDB_20120810.Query", bodies[n++ % bodies.size()]));
}
BENCHMARK(BM_Dispatch_Query);

void BM_Api_Query(benchmark::State& state) {
  auto db = SeededTable();
  std::vector<QueryRequest> requests;
  for (int p = 0; p < 100; ++p) {
    QueryRequest q;
    q.table_name = "cruddur-messages";
    q.key_condition_expression = "pk = :pk";
    q.expression_attribute_values = ValueMap{{":pk", bench::MessageRow(p * 37 % 100, 0).at("pk")}};
    q.scan_index_forward = false;
    q.limit = 20;
    requests.push_back(std::move(q));
  }
  std::size_t n = 0;
  for (auto _ : state) {
    auto r = db->Query(requests[n++ % requests.size()]);
    benchmark::DoNotOptimize(r->items->items());  // the API's caller reads the Items
  }
}
BENCHMARK(BM_Api_Query);

void BM_Dispatch_PutItem(benchmark::State& state) {
  auto db = SeededTable();
  int64_t n = 0;
  for (auto _ : state) {
    std::string body = fmt::format(
        R"({{"TableName":"cruddur-messages","Item":{{"pk":{{"S":"MSG#{:08}-5ae2-47a0-bc6d-fe2bc2700399"}},)"
        R"("sk":{{"S":"w{:07}-{:010}"}},"message_group_uuid":{{"S":"g"}},)"
        R"("message":{{"S":"I think my favorite season is season 3."}},"user_handle":{{"S":"bayko"}}}}}})",
        100 + n % 100, n * 7919 % 10000000, n);
    ++n;
    benchmark::DoNotOptimize(wire::Dispatch(*db, "DynamoDB_20120810.PutItem", body));
  }
}
BENCHMARK(BM_Dispatch_PutItem);

void BM_Api_PutItem(benchmark::State& state) {
  auto db = SeededTable();
  int64_t n = 0;
  for (auto _ : state) {
    PutItemRequest r;
    r.table_name = "cruddur-messages";
    r.item = {{"pk", AttributeValue::S(
                         fmt::format("MSG#{:08}-5ae2-47a0-bc6d-fe2bc2700399", 100 + n % 100))},
              {"sk", AttributeValue::S(fmt::format("w{:07}-{:010}", n * 7919 % 10000000, n))},
              {"message_group_uuid", AttributeValue::S("g")},
              {"message", AttributeValue::S("I think my favorite season is season 3.")},
              {"user_handle", AttributeValue::S("bayko")}};
    ++n;
    benchmark::DoNotOptimize(db->PutItem(r));
  }
}
BENCHMARK(BM_Api_PutItem);

}  // namespace

BENCHMARK_MAIN();
