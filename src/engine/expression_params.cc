#include "engine/expression_params.h"

#include <fmt/format.h>

namespace localdynamo::engine {
namespace {

std::string Braced(const std::vector<std::string>& names) {
  std::string out = "{";
  for (std::size_t i = 0; i < names.size(); ++i) out += (i ? ", " : "") + names[i];
  return out + "}";
}

}  // namespace

Status CheckParamMix(const ParamUse& use) {
  if (!use.legacy.empty() && !use.expressions.empty())
    return ValidationError(fmt::format(
        "Can not use both expression and non-expression parameters in the same request: "
        "Non-expression parameters: {} Expression parameters: {}",
        Braced(use.legacy), Braced(use.expressions)));
  if (use.expressions.empty()) {
    if (use.has_names)
      return ValidationError(
          "ExpressionAttributeNames can only be specified when using expressions");
    if (use.has_values)
      return ValidationError(
          "ExpressionAttributeValues can only be specified when using expressions");
  }
  return OkStatus();
}

Result<std::optional<expr::ConditionExpr>> PrepareCondition(
    expr::Context& ctx, const std::optional<std::string>& condition_expression,
    const std::optional<std::map<std::string, ExpectedAttributeValue>>& expected,
    const std::optional<ConditionalOperator>& op) {
  if (condition_expression) {
    LD_ASSIGN_OR_RETURN(auto c,
                        expr::ParseCondition(*condition_expression, ctx, "ConditionExpression"));
    return std::optional<expr::ConditionExpr>(std::move(c));
  }
  if (expected && !expected->empty()) {
    LD_ASSIGN_OR_RETURN(auto c, expr::FromExpected(*expected, op));
    return std::optional<expr::ConditionExpr>(std::move(c));
  }
  return std::optional<expr::ConditionExpr>();
}

Result<std::optional<expr::ConditionExpr>> PrepareFilter(
    expr::Context& ctx, const std::optional<std::string>& filter_expression,
    const std::optional<std::map<std::string, Condition>>& legacy_filter,
    const std::optional<ConditionalOperator>& op) {
  if (filter_expression) {
    LD_ASSIGN_OR_RETURN(auto f, expr::ParseCondition(*filter_expression, ctx, "FilterExpression"));
    return std::optional<expr::ConditionExpr>(std::move(f));
  }
  if (legacy_filter && !legacy_filter->empty()) {
    LD_ASSIGN_OR_RETURN(auto f, expr::FromConditions(*legacy_filter, op));
    return std::optional<expr::ConditionExpr>(std::move(f));
  }
  return std::optional<expr::ConditionExpr>();
}

Result<std::optional<expr::ProjectionExpr>> PrepareProjection(
    expr::Context& ctx, const std::optional<std::string>& projection_expression,
    const std::optional<std::vector<std::string>>& attributes_to_get) {
  if (projection_expression) {
    LD_ASSIGN_OR_RETURN(auto p, expr::ParseProjection(*projection_expression, ctx));
    return std::optional<expr::ProjectionExpr>(std::move(p));
  }
  if (attributes_to_get)
    return std::optional<expr::ProjectionExpr>(expr::FromAttributesToGet(*attributes_to_get));
  return std::optional<expr::ProjectionExpr>();
}

}  // namespace localdynamo::engine
