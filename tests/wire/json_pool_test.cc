#include <doctest/doctest.h>

#include <thread>
#include <vector>

#include "wire/json_pool.h"
#include "wire/json_value.h"

using namespace localdynamo::wire;

TEST_CASE("json_pool: a freed block is the next one of its size class, last freed first") {
  void* a = json_pool::Allocate(48);
  void* b = json_pool::Allocate(40);
  json_pool::Free(a, 48);
  json_pool::Free(b, 40);
  CHECK(json_pool::Allocate(33) == b);  // 33..48 bytes: one class
  CHECK(json_pool::Allocate(48) == a);
  void* small = json_pool::Allocate(16);
  CHECK(small != a);
  for (void* p : {a, b}) json_pool::Free(p, 48);
  json_pool::Free(small, 16);
}

TEST_CASE("json_pool: blocks beyond the size limit and the list limit go back to the heap") {
  std::vector<void*> blocks;
  for (std::size_t i = 0; i < json_pool::kMaxFree + 50; ++i) blocks.push_back(json_pool::Allocate(64));
  for (void* p : blocks) json_pool::Free(p, 64);
  // The list kept the first kMaxFree freed; the newest of them comes back first.
  CHECK(json_pool::Allocate(64) == blocks[json_pool::kMaxFree - 1]);
  json_pool::Free(blocks[json_pool::kMaxFree - 1], 64);
  void* big = json_pool::Allocate(json_pool::kMaxBlock + 1);
  json_pool::Free(big, json_pool::kMaxBlock + 1);  // (the sanitizer build checks these are heap pairs)
}

TEST_CASE("json_pool: trees built on one thread and destroyed on another") {
  std::vector<json> trees;
  std::thread maker([&] {
    for (int i = 0; i < 100; ++i)
      trees.push_back(json::parse(R"({"TableName":"cruddur-messages","Key":{"pk":{"S":"MSG#a-fairly-long-key-value"}},"L":[1,2,3]})"));
  });
  maker.join();  // its lists are gone with it; the trees' blocks live on
  std::thread([&] { trees.clear(); }).join();
  json again = json::parse(R"({"a":[{"b":"c"}]})");
  CHECK(again["a"][0]["b"] == "c");
}
