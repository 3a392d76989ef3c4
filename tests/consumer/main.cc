// A program on localdynamo's public API: open, create a table with a stream, subscribe, put,
// query. README shows this file; tests/consumer builds it against the installed package,
// through add_subdirectory and through FetchContent.
#include <localdynamo/localdynamo.h>

#include <cstdlib>
#include <iostream>

using namespace localdynamo;

// Every call returns Result<T>: the value, or an Error with DynamoDB's exception and message.
template <typename T>
T OrExit(Result<T> result) {
  if (!result.ok()) {
    std::cerr << result.error().ToString() << "\n";
    std::exit(1);
  }
  return std::move(result).value();
}

int main(int argc, char** argv) {
  // A directory (created if needed), or a temporary database removed on exit.
  auto db = OrExit(argc > 1 ? Database::Open(argv[1]) : Database::OpenInMemory());

  CreateTableRequest table;
  table.table_name = "messages";
  table.attribute_definitions = {{"pk", ScalarAttributeType::kS}, {"sk", ScalarAttributeType::kS}};
  table.key_schema = {{"pk", KeyType::kHash}, {"sk", KeyType::kRange}};
  table.billing_mode = BillingMode::kPayPerRequest;
  table.stream_specification = StreamSpecification{true, StreamViewType::kNewImage};
  OrExit(db->CreateTable(table));

  // The change stream: each committed change, in commit order (here, before PutItem returns).
  auto subscription = OrExit(db->Subscribe("messages", [](const StreamRecord& r) {
    std::cout << r.event_name << " " << r.keys.at("sk").s() << "\n";
  }));

  PutItemRequest put;
  put.table_name = "messages";
  put.item = Item{{"pk", AttributeValue::S("MSG#1")},
                  {"sk", AttributeValue::S("2023-03-20T10:00:00Z")},
                  {"message", AttributeValue::S("Hello")}};
  OrExit(db->PutItem(put));

  QueryRequest query;
  query.table_name = "messages";
  query.key_condition_expression = "pk = :pk AND begins_with(sk, :year)";
  query.expression_attribute_values =
      ValueMap{{":pk", AttributeValue::S("MSG#1")}, {":year", AttributeValue::S("2023")}};
  for (const Item& item : *OrExit(db->Query(query)).items) {
    std::cout << item.at("message").s() << "\n";
  }
  db->Unsubscribe(subscription);
  std::cout << "localdynamo " << Database::Version() << "\n";
}
