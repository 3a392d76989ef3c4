#pragma once
// Whole-item checks DynamoDB makes on every stored item: 400 KB, set contents, nesting depth.

#include "localdynamo/status.h"
#include "localdynamo/value.h"
#include "types/nesting.h"

namespace localdynamo::engine {

inline constexpr std::size_t kMaxItemBytes = 400 * 1024;

// Empty sets, duplicate set members and nesting deeper than 32 levels (values arriving over
// the wire were already checked by the wire layer; C++ callers come through here).
// `too_deep`, when given, is set when the failure is the nesting (a transaction refuses the
// whole request for it, where a set's members are the action's cancellation reason).
Status ValidateValues(const Item& item, bool* too_deep = nullptr);
// The 400 KB limit.
Status ValidateSize(const Item& item);

}  // namespace localdynamo::engine
