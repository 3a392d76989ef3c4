#pragma once
// How deep attribute values may nest, and how deep anything reads them.

namespace localdynamo {

// DynamoDB's limit: a map or list may nest in another up to 32 levels deep, the attribute
// itself being level 1
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html "Nested
// attribute depth"). Deeper values are refused with ValidationException "Nesting Levels have
// exceeded supported limits".
inline constexpr int kMaxNesting = 32;

// Every reader that recurses into nested values (the wire's attribute values, PartiQL
// literals, the item codec's decoder) stops at this depth and refuses the input, so no
// request, statement or stored bytes can take the stack. It is deeper than kMaxNesting so that
// values between the two still reach the checks that answer DynamoDB's errors in DynamoDB's
// order; past it the answer is the nesting error at once.
inline constexpr int kMaxReadNesting = 64;

}  // namespace localdynamo
