#pragma once
// The expression parameters of a request, parsed once: DynamoDB's rules for mixing legacy and
// expression parameters, and for names/values given without an expression to use them.

#include <optional>
#include <string>
#include <vector>

#include "expr/expressions.h"
#include "localdynamo/requests.h"

namespace localdynamo::engine {

// The legacy parameters present in a request, by name ("Expected", "AttributesToGet", ...),
// and the expression parameters present ("ConditionExpression", ...).
struct ParamUse {
  std::vector<std::string> legacy;
  std::vector<std::string> expressions;
  bool has_names = false;
  bool has_values = false;
};

// "Can not use both expression and non-expression parameters in the same request: ..." and
// "ExpressionAttributeNames/Values can only be specified when using expressions".
Status CheckParamMix(const ParamUse& use);

// ConditionExpression or legacy Expected (+ ConditionalOperator), whichever is present.
Result<std::optional<expr::ConditionExpr>> PrepareCondition(
    expr::Context& ctx, const std::optional<std::string>& condition_expression,
    const std::optional<std::map<std::string, ExpectedAttributeValue>>& expected,
    const std::optional<ConditionalOperator>& op);

// FilterExpression or legacy QueryFilter / ScanFilter (+ ConditionalOperator).
Result<std::optional<expr::ConditionExpr>> PrepareFilter(
    expr::Context& ctx, const std::optional<std::string>& filter_expression,
    const std::optional<std::map<std::string, Condition>>& legacy_filter,
    const std::optional<ConditionalOperator>& op);

// ProjectionExpression or legacy AttributesToGet.
Result<std::optional<expr::ProjectionExpr>> PrepareProjection(
    expr::Context& ctx, const std::optional<std::string>& projection_expression,
    const std::optional<std::vector<std::string>>& attributes_to_get);

}  // namespace localdynamo::engine
