#pragma once
// Recursive-descent parser over lexer tokens, resolving #names and :values as it goes.

#include <string>
#include <string_view>
#include <vector>

#include "expr/ast.h"
#include "expr/lexer.h"

namespace localdynamo::expr {

class Parser {
 public:
  // `kind` is the parameter name used in messages ("ConditionExpression", ...).
  Parser(std::string_view text, Context& ctx, std::string_view kind);

  // Errors common to all kinds: empty, too long.
  Status CheckText() const;

  Result<NodePtr> ParseConditionTree();       // a whole condition, to the end
  Result<std::vector<Path>> ParsePathList();  // a projection, to the end
  Result<UpdateExpr> ParseUpdateClauses();    // an update, to the end

  Error Invalid(std::string_view detail) const;  // "Invalid <kind>: <detail>"
  Error SyntaxError() const;                     // at the current token

 private:
  const Token& Peek(std::size_t ahead = 0) const;
  bool AtKeyword(std::string_view word) const;  // case-insensitive
  bool Accept(Token::Kind k);
  Status Expect(Token::Kind k);

  Result<NodePtr> Or();
  Result<NodePtr> And();
  Result<NodePtr> Not();
  Result<NodePtr> Primary();
  Status CheckOrderable(std::string_view op, std::initializer_list<NodePtr> operands);
  Result<NodePtr> ConditionFunction(std::string_view name);
  Result<NodePtr> Operand();     // condition operands: path, value, size(path)
  Result<NodePtr> SetValue();    // operand [+|- operand]
  Result<NodePtr> SetOperand();  // path, value, if_not_exists(), list_append()
  Result<NodePtr> ValueRef();    // :value
  Result<Path> ParsePath();
  // Runs `parse` one level deeper: parentheses, NOT and function calls recurse, and past
  // 256 levels the text is refused (a syntax error at the token reached) before the
  // stack is, whatever stack the caller's thread has. DynamoDB bounds an expression's text
  // (4 KB), which alone would allow ~2,000 levels.
  template <class F>
  auto Nested(F parse) -> decltype(parse());

  std::string_view text_;
  Context& ctx_;
  std::string kind_;
  std::vector<Token> tokens_;
  std::size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace localdynamo::expr
