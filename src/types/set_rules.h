#pragma once
// DynamoDB's rules for SS / NS / BS values: not empty, no duplicate members. One check for
// values arriving over the wire and from C++ callers, so both get the same text.

#include "localdynamo/status.h"
#include "localdynamo/value.h"

namespace localdynamo {

// OK for values of other types.
Status CheckSetMembers(const AttributeValue& v);

}  // namespace localdynamo
