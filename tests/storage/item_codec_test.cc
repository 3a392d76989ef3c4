#include <doctest/doctest.h>
#include <rapidcheck.h>

#include "storage/item_codec.h"
#include "storage/item_walk.h"
#include "support/generators.h"

using namespace localdynamo;
using ld_test::GenItem;

TEST_CASE("item codec round trip") {
  CHECK(rc::check("decode(encode(item)) == item", [] {
    Item item = *GenItem();
    Item back;
    RC_ASSERT(storage::DecodeItem(storage::EncodeItem(item), &back));
    RC_ASSERT(back == item);
  }));
}

TEST_CASE("item codec rejects truncated input") {
  Item item{{"pk", AttributeValue::S("GRP#1")}, {"n", AttributeValue::N(Number::FromInt(42))}};
  std::string enc = storage::EncodeItem(item);
  for (std::size_t n = 0; n < enc.size(); ++n) {
    Item back;
    CHECK_FALSE(storage::DecodeItem(std::string_view(enc).substr(0, n), &back));
  }
}

TEST_CASE("sizes read off the encoding equal ItemSize") {
  CHECK(rc::check("EncodedItemSize(encode(item)) == ItemSize(item)", [] {
    Item item = *GenItem();
    std::size_t size = 0;
    RC_ASSERT(storage::EncodedItemSize(storage::EncodeItem(item), &size));
    RC_ASSERT(size == ItemSize(item));
  }));
  std::size_t size;
  Item zero{{"z", AttributeValue::N(Number())},
            {"l", AttributeValue::L({AttributeValue::N(Number())})}};
  REQUIRE(storage::EncodedItemSize(storage::EncodeItem(zero), &size));
  CHECK(size == ItemSize(zero));
  CHECK_FALSE(storage::EncodedItemSize(std::string_view("\x01\x02pk", 4), &size));
}
