#include "expr/lexer.h"

#include <cctype>

#include "types/ascii.h"

namespace localdynamo::expr {
namespace {

bool IsIdentChar(char c) { return IsAsciiAlnum(c) || c == '_'; }

}  // namespace

std::vector<Token> Lex(std::string_view s) {
  std::vector<Token> out;
  out.reserve(16);
  std::size_t i = 0;
  auto push = [&](Token::Kind k, std::size_t start, std::size_t len) {
    out.push_back(Token{k, s.substr(start, len), start});
    i = start + len;
  };
  while (i < s.size()) {
    char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    std::size_t start = i;
    if (c == '#' || c == ':') {
      std::size_t j = i + 1;
      while (j < s.size() && IsIdentChar(s[j])) ++j;
      push(c == '#' ? Token::Kind::kName : Token::Kind::kValue, start, j - start);
      continue;
    }
    if (std::isdigit(static_cast<unsigned char>(c))) {
      std::size_t j = i;
      while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
      // "1abc" is one (bad) identifier token, not a number followed by a name.
      if (j < s.size() && IsIdentChar(s[j])) {
        while (j < s.size() && IsIdentChar(s[j])) ++j;
        push(Token::Kind::kIdent, start, j - start);
      } else {
        push(Token::Kind::kNumber, start, j - start);
      }
      continue;
    }
    // Names start with a letter: DynamoDB's lexer rejects "_123" at the underscore.
    if (std::isalpha(static_cast<unsigned char>(c))) {
      std::size_t j = i;
      while (j < s.size() && IsIdentChar(s[j])) ++j;
      push(Token::Kind::kIdent, start, j - start);
      continue;
    }
    switch (c) {
      case '(':
        push(Token::Kind::kLParen, start, 1);
        break;
      case ')':
        push(Token::Kind::kRParen, start, 1);
        break;
      case '[':
        push(Token::Kind::kLBracket, start, 1);
        break;
      case ']':
        push(Token::Kind::kRBracket, start, 1);
        break;
      case ',':
        push(Token::Kind::kComma, start, 1);
        break;
      case '.':
        push(Token::Kind::kDot, start, 1);
        break;
      case '=':
        push(Token::Kind::kEq, start, 1);
        break;
      case '+':
        push(Token::Kind::kPlus, start, 1);
        break;
      case '-':
        push(Token::Kind::kMinus, start, 1);
        break;
      case '<':
        if (i + 1 < s.size() && s[i + 1] == '>') {
          push(Token::Kind::kNe, start, 2);
        } else if (i + 1 < s.size() && s[i + 1] == '=') {
          push(Token::Kind::kLe, start, 2);
        } else {
          push(Token::Kind::kLt, start, 1);
        }
        break;
      case '>':
        if (i + 1 < s.size() && s[i + 1] == '=') {
          push(Token::Kind::kGe, start, 2);
        } else {
          push(Token::Kind::kGt, start, 1);
        }
        break;
      default: {
        // A character the grammar has no place for. Beyond ASCII that is a whole UTF-8
        // sequence: error messages quote the token, and half a character is not text.
        std::size_t j = i + 1;
        while (j < s.size() && j - i < 4 && (static_cast<unsigned char>(s[j]) & 0xC0) == 0x80) ++j;
        push(Token::Kind::kInvalid, start, (static_cast<unsigned char>(c) & 0x80) ? j - start : 1);
        break;
      }
    }
  }
  out.push_back(Token{Token::Kind::kEnd, std::string_view(), s.size()});
  return out;
}

}  // namespace localdynamo::expr
