#include "expr/parser.h"

#include "types/ascii.h"
#include "types/nesting.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

namespace localdynamo::expr {
namespace {

constexpr std::size_t kMaxExpressionBytes = 4096;
constexpr std::size_t kMaxInOperands = 100;

NodePtr Make(Node::Kind kind, std::vector<NodePtr> children = {}) {
  auto n = std::make_shared<Node>();
  n->kind = kind;
  n->children = std::move(children);
  return n;
}

bool IsTypeName(std::string_view t) {
  for (std::string_view v : {"S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M"})
    if (t == v) return true;
  return false;
}

}  // namespace

Parser::Parser(std::string_view text, Context& ctx, std::string_view kind)
    : text_(text), ctx_(ctx), kind_(kind), tokens_(Lex(text)) {}

Status Parser::CheckText() const {
  if (tokens_.size() == 1) return Invalid("The expression can not be empty;");
  if (text_.size() > kMaxExpressionBytes)
    return Invalid(
        fmt::format("Expression size has exceeded the maximum allowed size; expression size: {}",
                    text_.size()));
  return OkStatus();
}

Error Parser::Invalid(std::string_view detail) const {
  return ValidationError(fmt::format("Invalid {}: {}", kind_, detail));
}

Error Parser::SyntaxError() const {
  const Token& t = tokens_[pos_];
  // DynamoDB shows the offending token and its neighbours.
  std::size_t from = pos_ > 0 ? tokens_[pos_ - 1].offset : t.offset;
  std::size_t to = t.kind == Token::Kind::kEnd ? text_.size() : t.offset + t.text.size();
  if (t.kind != Token::Kind::kEnd && pos_ + 1 < tokens_.size() &&
      tokens_[pos_ + 1].kind != Token::Kind::kEnd)
    to = tokens_[pos_ + 1].offset + tokens_[pos_ + 1].text.size();
  std::string token = t.kind == Token::Kind::kEnd ? "<EOF>" : std::string(t.text);
  return Invalid(fmt::format("Syntax error; token: \"{}\", near: \"{}\"", token,
                             text_.substr(from, to - from)));
}

template <class F>
auto Parser::Nested(F parse) -> decltype(parse()) {
  // Far more than any expression a person or a mapper writes; a few hundred bytes of stack
  // per level.
  constexpr int kMaxRecursion = 256;
  if (depth_ >= kMaxRecursion) return SyntaxError();
  ++depth_;
  auto result = parse();
  --depth_;
  return result;
}

const Token& Parser::Peek(std::size_t ahead) const {
  return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
}

bool Parser::AtKeyword(std::string_view word) const {
  return Peek().kind == Token::Kind::kIdent && EqualsIgnoreCase(Peek().text, word);
}

bool Parser::Accept(Token::Kind k) {
  if (Peek().kind != k) return false;
  ++pos_;
  return true;
}

Status Parser::Expect(Token::Kind k) {
  if (!Accept(k)) return SyntaxError();
  return OkStatus();
}

// ---- conditions -------------------------------------------------------------------------

Result<NodePtr> Parser::ParseConditionTree() {
  LD_RETURN_IF_ERROR(CheckText());
  LD_ASSIGN_OR_RETURN(NodePtr root, Or());
  if (Peek().kind != Token::Kind::kEnd) return SyntaxError();
  return root;
}

Result<NodePtr> Parser::Or() {
  LD_ASSIGN_OR_RETURN(NodePtr left, And());
  while (AtKeyword("OR")) {
    ++pos_;
    LD_ASSIGN_OR_RETURN(NodePtr right, And());
    left = Make(Node::Kind::kOr, {left, right});
  }
  return left;
}

Result<NodePtr> Parser::And() {
  LD_ASSIGN_OR_RETURN(NodePtr left, Not());
  while (AtKeyword("AND")) {
    ++pos_;
    LD_ASSIGN_OR_RETURN(NodePtr right, Not());
    left = Make(Node::Kind::kAnd, {left, right});
  }
  return left;
}

Result<NodePtr> Parser::Not() {
  if (AtKeyword("NOT")) {
    ++pos_;
    LD_ASSIGN_OR_RETURN(NodePtr inner, Nested([&] { return Not(); }));
    return Make(Node::Kind::kNot, {inner});
  }
  return Primary();
}

Result<NodePtr> Parser::Primary() {
  if (Accept(Token::Kind::kLParen)) {
    LD_ASSIGN_OR_RETURN(NodePtr inner, Nested([&] { return Or(); }));
    LD_RETURN_IF_ERROR(Expect(Token::Kind::kRParen));
    return inner;
  }
  if (Peek().kind == Token::Kind::kIdent && Peek(1).kind == Token::Kind::kLParen &&
      Peek().text != "size")
    return ConditionFunction(Peek().text);
  LD_ASSIGN_OR_RETURN(NodePtr left, Operand());
  auto op_of = [](Token::Kind k) -> std::optional<Node::Op> {
    switch (k) {
      case Token::Kind::kEq:
        return Node::Op::kEq;
      case Token::Kind::kNe:
        return Node::Op::kNe;
      case Token::Kind::kLt:
        return Node::Op::kLt;
      case Token::Kind::kLe:
        return Node::Op::kLe;
      case Token::Kind::kGt:
        return Node::Op::kGt;
      case Token::Kind::kGe:
        return Node::Op::kGe;
      default:
        return std::nullopt;
    }
  };
  if (auto op = op_of(Peek().kind)) {
    const std::string op_text(Peek().text);
    ++pos_;
    LD_ASSIGN_OR_RETURN(NodePtr right, Operand());
    if (*op != Node::Op::kEq && *op != Node::Op::kNe)
      LD_RETURN_IF_ERROR(CheckOrderable(op_text, {left, right}));
    auto n = std::make_shared<Node>();
    n->kind = Node::Kind::kCompare;
    n->op = *op;
    n->children = {left, right};
    return NodePtr(n);
  }
  if (AtKeyword("BETWEEN")) {
    ++pos_;
    LD_ASSIGN_OR_RETURN(NodePtr lo, Operand());
    if (!AtKeyword("AND")) return SyntaxError();
    ++pos_;
    LD_ASSIGN_OR_RETURN(NodePtr hi, Operand());
    LD_RETURN_IF_ERROR(CheckOrderable("BETWEEN", {left, lo, hi}));
    return Make(Node::Kind::kBetween, {left, lo, hi});
  }
  if (AtKeyword("IN")) {
    ++pos_;
    LD_RETURN_IF_ERROR(Expect(Token::Kind::kLParen));
    std::vector<NodePtr> children{left};
    do {
      LD_ASSIGN_OR_RETURN(NodePtr v, Operand());
      children.push_back(v);
    } while (Accept(Token::Kind::kComma));
    LD_RETURN_IF_ERROR(Expect(Token::Kind::kRParen));
    if (children.size() - 1 > kMaxInOperands)
      return Invalid(fmt::format(
          "The expression contains too many operands for IN; operator: IN, number of operands: {}",
          children.size() - 1));
    return Make(Node::Kind::kIn, std::move(children));
  }
  return SyntaxError();
}

// Ordering comparisons take strings, numbers and binaries: a value of another type among the
// operands is refused when the expression is read, as DynamoDB refuses it.
Status Parser::CheckOrderable(std::string_view op, std::initializer_list<NodePtr> operands) {
  for (const NodePtr& o : operands) {
    if (o->kind != Node::Kind::kValue) continue;
    const Type t = o->value.type();
    if (t != Type::kS && t != Type::kN && t != Type::kB)
      return Invalid(
          fmt::format("Incorrect operand type for operator or function; operator or function: {}, "
                      "operand type: {}",
                      op, TypeName(t)));
  }
  return OkStatus();
}

Result<NodePtr> Parser::ConditionFunction(std::string_view name) {
  static const std::pair<std::string_view, Node::Kind> kFunctions[] = {
      {"attribute_exists", Node::Kind::kAttributeExists},
      {"attribute_not_exists", Node::Kind::kAttributeNotExists},
      {"attribute_type", Node::Kind::kAttributeType},
      {"begins_with", Node::Kind::kBeginsWith},
      {"contains", Node::Kind::kContains}};
  std::optional<Node::Kind> kind;
  for (auto [n, k] : kFunctions)
    if (n == name) kind = k;
  if (!kind) {
    for (std::string_view operand_fn : {"if_not_exists", "list_append"})
      if (name == operand_fn)
        return Invalid(fmt::format(
            "The function is not allowed to be used this way in an expression; function: {}",
            name));
    return Invalid(fmt::format("Invalid function name; function: {}", name));
  }
  pos_ += 2;  // name (
  std::vector<NodePtr> args;
  if (Peek().kind != Token::Kind::kRParen) {
    do {
      LD_ASSIGN_OR_RETURN(NodePtr a, Operand());
      args.push_back(a);
    } while (Accept(Token::Kind::kComma));
  }
  LD_RETURN_IF_ERROR(Expect(Token::Kind::kRParen));
  const std::size_t want =
      (*kind == Node::Kind::kAttributeExists || *kind == Node::Kind::kAttributeNotExists) ? 1 : 2;
  if (args.size() != want)
    return Invalid(
        fmt::format("Incorrect number of operands for operator or function; operator or function: "
                    "{}, number of operands: {}",
                    name, args.size()));
  if ((*kind == Node::Kind::kAttributeExists || *kind == Node::Kind::kAttributeNotExists ||
       *kind == Node::Kind::kAttributeType || *kind == Node::Kind::kBeginsWith ||
       *kind == Node::Kind::kContains) &&
      args[0]->kind != Node::Kind::kPath)
    return Invalid(fmt::format(
        "Operator or function requires a document path; operator or function: {}", name));
  if (*kind == Node::Kind::kAttributeType) {
    if (args[1]->kind != Node::Kind::kValue || !args[1]->value.is(Type::kS))
      return Invalid(fmt::format(
          "Incorrect operand type for operator or function; operator or function: attribute_type, "
          "operand type: {}",
          args[1]->kind == Node::Kind::kValue ? TypeName(args[1]->value.type()) : "path"));
    if (!IsTypeName(args[1]->value.s()))
      return Invalid(
          fmt::format("Invalid attribute type name found in type: {}, valid types: "
                      "{{B,NULL,SS,BOOL,L,BS,N,NS,S,M}}",
                      args[1]->value.s()));
  }
  if (*kind == Node::Kind::kBeginsWith && args[1]->kind == Node::Kind::kValue &&
      !args[1]->value.is(Type::kS) && !args[1]->value.is(Type::kB))
    return Invalid(
        fmt::format("Incorrect operand type for operator or function; operator or function: "
                    "begins_with, operand type: {}",
                    TypeName(args[1]->value.type())));
  return Make(*kind, std::move(args));
}

Result<NodePtr> Parser::Operand() {
  if (Peek().kind == Token::Kind::kValue) return ValueRef();
  if (Peek().kind == Token::Kind::kIdent && Peek(1).kind == Token::Kind::kLParen) {
    if (Peek().text != "size") {
      for (std::string_view cond_fn : {"attribute_exists", "attribute_not_exists", "attribute_type",
                                       "begins_with", "contains"})
        if (Peek().text == cond_fn)
          return Invalid(fmt::format(
              "The function is not allowed to be used this way in an expression; function: {}",
              cond_fn));
      return Invalid(fmt::format("Invalid function name; function: {}", Peek().text));
    }
    pos_ += 2;
    LD_ASSIGN_OR_RETURN(NodePtr arg, Nested([&] { return Operand(); }));
    LD_RETURN_IF_ERROR(Expect(Token::Kind::kRParen));
    if (arg->kind != Node::Kind::kPath)
      return Invalid(
          fmt::format("Incorrect operand type for operator or function; operator or function: "
                      "size, operand type: {}",
                      arg->kind == Node::Kind::kValue ? TypeName(arg->value.type()) : "size"));
    return Make(Node::Kind::kSize, {arg});
  }
  LD_ASSIGN_OR_RETURN(Path p, ParsePath());
  auto n = std::make_shared<Node>();
  n->kind = Node::Kind::kPath;
  n->path = std::move(p);
  return NodePtr(n);
}

Result<NodePtr> Parser::ValueRef() {
  const Token& t = Peek();
  std::string name(t.text);
  const ValueMap* values = ctx_.values();
  auto it = values ? values->find(name) : ValueMap::const_iterator();
  if (!values || it == values->end())
    return Invalid(fmt::format(
        "An expression attribute value used in expression is not defined; attribute value: {}",
        name));
  ctx_.MarkValue(name);
  ++pos_;
  auto n = std::make_shared<Node>();
  n->kind = Node::Kind::kValue;
  n->value = it->second;
  n->placeholder = std::move(name);
  return NodePtr(n);
}

Result<Path> Parser::ParsePath() {
  Path path;
  auto element = [&]() -> Status {
    const Token& t = Peek();
    if (t.kind == Token::Kind::kName) {
      std::string key(t.text);
      const NameMap* names = ctx_.names();
      auto it = names ? names->find(key) : NameMap::const_iterator();
      if (!names || it == names->end())
        return Invalid(
            fmt::format("An expression attribute name used in the document path is not defined; "
                        "attribute name: {}",
                        key));
      ctx_.MarkName(key);
      path.push_back({it->second, -1});
      ++pos_;
      return OkStatus();
    }
    if (t.kind == Token::Kind::kIdent) {
      if (std::isdigit(static_cast<unsigned char>(t.text[0]))) return SyntaxError();
      if (IsReservedWord(t.text))
        return Invalid(
            fmt::format("Attribute name is a reserved keyword; reserved keyword: {}", t.text));
      path.push_back({std::string(t.text), -1});
      ++pos_;
      return OkStatus();
    }
    return SyntaxError();
  };
  LD_RETURN_IF_ERROR(element());
  while (true) {
    if (Accept(Token::Kind::kDot)) {
      LD_RETURN_IF_ERROR(element());
    } else if (Accept(Token::Kind::kLBracket)) {
      if (Peek().kind != Token::Kind::kNumber) return SyntaxError();
      int index = 0;
      auto [p, ec] =
          std::from_chars(Peek().text.data(), Peek().text.data() + Peek().text.size(), index);
      (void)p;
      if (ec != std::errc()) return Invalid("List index is out of range");
      ++pos_;
      LD_RETURN_IF_ERROR(Expect(Token::Kind::kRBracket));
      path.push_back({"", index});
    } else {
      // A path reaches no deeper than a value nests (types/nesting.h); DynamoDB's text, as
      // recorded against it: "The document path has too many nesting levels; nesting levels: 33".
      if (path.size() > static_cast<std::size_t>(kMaxNesting))
        return Invalid(fmt::format(
            "The document path has too many nesting levels; nesting levels: {}", path.size()));
      return path;
    }
  }
}

// ---- projections ------------------------------------------------------------------------

Result<std::vector<Path>> Parser::ParsePathList() {
  LD_RETURN_IF_ERROR(CheckText());
  std::vector<Path> paths;
  do {
    LD_ASSIGN_OR_RETURN(Path p, ParsePath());
    paths.push_back(std::move(p));
  } while (Accept(Token::Kind::kComma));
  if (Peek().kind != Token::Kind::kEnd) return SyntaxError();
  return paths;
}

// ---- updates --------------------------------------------------------------------------

Result<NodePtr> Parser::SetOperand() {
  if (Peek().kind == Token::Kind::kValue) return ValueRef();
  if (Peek().kind == Token::Kind::kIdent && Peek(1).kind == Token::Kind::kLParen) {
    std::string_view name = Peek().text;
    if (name != "if_not_exists" && name != "list_append") {
      for (std::string_view cond_fn : {"attribute_exists", "attribute_not_exists", "attribute_type",
                                       "begins_with", "contains", "size"})
        if (name == cond_fn)
          return Invalid(fmt::format(
              "The function is not allowed in an update expression; function: {}", name));
      return Invalid(fmt::format("Invalid function name; function: {}", name));
    }
    pos_ += 2;
    LD_ASSIGN_OR_RETURN(NodePtr a, Nested([&] { return SetOperand(); }));
    LD_RETURN_IF_ERROR(Expect(Token::Kind::kComma));
    LD_ASSIGN_OR_RETURN(NodePtr b, Nested([&] { return SetOperand(); }));
    LD_RETURN_IF_ERROR(Expect(Token::Kind::kRParen));
    if (name == "if_not_exists") {
      if (a->kind != Node::Kind::kPath)
        return Invalid(
            "Operator or function requires a document path; operator or function: if_not_exists");
      return Make(Node::Kind::kIfNotExists, {a, b});
    }
    return Make(Node::Kind::kListAppend, {a, b});
  }
  LD_ASSIGN_OR_RETURN(Path p, ParsePath());
  auto n = std::make_shared<Node>();
  n->kind = Node::Kind::kPath;
  n->path = std::move(p);
  return NodePtr(n);
}

Result<NodePtr> Parser::SetValue() {
  LD_ASSIGN_OR_RETURN(NodePtr left, SetOperand());
  if (Peek().kind == Token::Kind::kPlus || Peek().kind == Token::Kind::kMinus) {
    Node::Kind k = Peek().kind == Token::Kind::kPlus ? Node::Kind::kPlus : Node::Kind::kMinus;
    ++pos_;
    LD_ASSIGN_OR_RETURN(NodePtr right, SetOperand());
    return Make(k, {left, right});
  }
  return left;
}

Result<UpdateExpr> Parser::ParseUpdateClauses() {
  LD_RETURN_IF_ERROR(CheckText());
  UpdateExpr u;
  bool seen[4] = {false, false, false, false};
  static constexpr std::string_view kClauses[] = {"SET", "REMOVE", "ADD", "DELETE"};
  while (Peek().kind != Token::Kind::kEnd) {
    int clause = -1;
    for (int i = 0; i < 4; ++i)
      if (AtKeyword(kClauses[i])) clause = i;
    if (clause < 0) return SyntaxError();
    if (seen[clause])
      return Invalid(fmt::format(
          "The \"{}\" section can only be used once in an update expression;", kClauses[clause]));
    seen[clause] = true;
    ++pos_;
    do {
      UpdateAction a;
      a.kind = static_cast<UpdateAction::Kind>(clause);
      LD_ASSIGN_OR_RETURN(a.path, ParsePath());
      if (a.kind == UpdateAction::Kind::kSet) {
        LD_RETURN_IF_ERROR(Expect(Token::Kind::kEq));
        LD_ASSIGN_OR_RETURN(a.value, SetValue());
      } else if (a.kind != UpdateAction::Kind::kRemove) {
        if (Peek().kind != Token::Kind::kValue) return SyntaxError();
        LD_ASSIGN_OR_RETURN(a.value, ValueRef());
      }
      u.actions.push_back(std::move(a));
    } while (Accept(Token::Kind::kComma));
  }
  return u;
}

}  // namespace localdynamo::expr
