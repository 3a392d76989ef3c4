#pragma once
// Order-preserving key encoding: memcmp order of encoded keys == DynamoDB's order.
//
// On-disk format (never change without a migration):
//   S, B   the bytes, with 0x00 escaped as 0x00 0xFF, then the terminator 0x00 0x01.
//          Prefix-free, so a partition key can be followed by a sort key, and "a" < "a\0" <
//          "ab" holds byte-wise (UTF-8 byte order for S, unsigned bytes for B).
//   N      one sign byte: 0x01 negative, 0x02 zero, 0x03 positive; then, for nonzero numbers,
//          the exponent (value = 0.d1d2... x 10^e) as e + 0x8000 in two big-endian bytes, the
//          digits as bytes '0'..'9' and the terminator 0x00. Negative numbers invert every
//          byte after the sign (the terminator becomes 0xFF), so larger magnitudes sort first.
//
// A stored key (see layout.h) = table number, index number, then encoded key attributes.

#include <string>
#include <string_view>

#include "localdynamo/schema.h"
#include "localdynamo/value.h"

namespace localdynamo::storage {

// Appends the encoding of a key attribute value (S, N or B).
void AppendKeyValue(std::string* out, const AttributeValue& v);

// Appends the encoding of an S or B value without its terminator: every encoded value that
// begins with these bytes starts with the encoded prefix (begins_with key conditions).
void AppendKeyPrefix(std::string* out, const AttributeValue& v);

// Decodes one key value of type `t` from the front of `*in`, advancing it. Returns false on
// malformed input.
bool DecodeKeyValue(std::string_view* in, ScalarAttributeType t, AttributeValue* out);

}  // namespace localdynamo::storage
