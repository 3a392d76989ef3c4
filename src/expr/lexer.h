#pragma once
// Tokens of DynamoDB's expression grammar.

#include <string_view>
#include <vector>

namespace localdynamo::expr {

struct Token {
  enum class Kind {
    kIdent,   // attribute name or keyword/function name
    kName,    // #name
    kValue,   // :value
    kNumber,  // digits (list indexes)
    kLParen,
    kRParen,
    kLBracket,
    kRBracket,
    kComma,
    kDot,
    kEq,
    kNe,
    kLt,
    kLe,
    kGt,
    kGe,
    kPlus,
    kMinus,
    kEnd,
    kInvalid,  // a character the grammar doesn't have
  };
  Kind kind = Kind::kEnd;
  std::string_view text;
  std::size_t offset = 0;
};

// Splits the whole expression; the last token is kEnd.
std::vector<Token> Lex(std::string_view text);

}  // namespace localdynamo::expr
