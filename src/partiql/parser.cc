// The PartiQL statement parser: a tokenizer and a recursive-descent parser for the statements
// statement.h lists. Values are built as they are read (parameters included), so the tree holds
// AttributeValues and paths only.

#include <algorithm>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "partiql/statement.h"
#include "localdynamo/number.h"
#include "types/ascii.h"
#include "types/nesting.h"

namespace localdynamo::partiql {
namespace {

struct Token {
  enum class Kind { kEnd, kWord, kQuoted, kString, kNumber, kPunct };
  Kind kind = Kind::kEnd;
  std::string text;  // words as written; quoted names and strings unescaped; punctuation
  std::size_t at = 0;
};

// Parse failures carry DynamoDB's text; thrown inside the parser, caught at its entry.
struct ParseError {
  Error error;
};

[[noreturn]] void Malformed(std::string_view detail) {
  throw ParseError{
      ValidationError(fmt::format("Statement wasn't well formed, can't be processed: {}", detail))};
}

std::vector<Token> Tokenize(std::string_view s) {
  std::vector<Token> out;
  std::size_t i = 0;
  auto quoted = [&](char q, Token::Kind kind) {
    Token t{kind, "", i};
    ++i;
    while (true) {
      if (i >= s.size()) Malformed("");
      if (s[i] == q) {
        if (i + 1 < s.size() && s[i + 1] == q) {  // doubled: the quote itself
          t.text.push_back(q);
          i += 2;
          continue;
        }
        ++i;
        break;
      }
      t.text.push_back(s[i++]);
    }
    out.push_back(std::move(t));
  };
  while (i < s.size()) {
    const char c = s[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (s.substr(i, 2) == "--") {  // a comment to the end of the line
      while (i < s.size() && s[i] != '\n') ++i;
    } else if (s.substr(i, 2) == "/*") {
      const std::size_t end = s.find("*/", i + 2);
      if (end == std::string_view::npos) Malformed("");
      i = end + 2;
    } else if (c == '\'') {
      quoted('\'', Token::Kind::kString);
    } else if (c == '"') {
      quoted('"', Token::Kind::kQuoted);
    } else if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t j = i;
      while (j < s.size() && (IsAsciiAlnum(s[j]) || s[j] == '_')) ++j;
      out.push_back({Token::Kind::kWord, std::string(s.substr(i, j - i)), i});
      i = j;
    } else if (std::isdigit(static_cast<unsigned char>(c)) ||
               (c == '.' && i + 1 < s.size() &&
                std::isdigit(static_cast<unsigned char>(s[i + 1])))) {
      std::size_t j = i;
      while (j < s.size() && (std::isdigit(static_cast<unsigned char>(s[j])) || s[j] == '.')) ++j;
      if (j < s.size() && (s[j] == 'e' || s[j] == 'E')) {
        std::size_t k = j + 1;
        if (k < s.size() && (s[k] == '+' || s[k] == '-')) ++k;
        if (k < s.size() && std::isdigit(static_cast<unsigned char>(s[k]))) {
          j = k;
          while (j < s.size() && std::isdigit(static_cast<unsigned char>(s[j]))) ++j;
        }
      }
      out.push_back({Token::Kind::kNumber, std::string(s.substr(i, j - i)), i});
      i = j;
    } else {
      static constexpr std::string_view kTwo[] = {"<<", ">>", "<=", ">=", "<>", "!=", "||"};
      std::string text(1, c);
      for (std::string_view two : kTwo)
        if (s.substr(i, 2) == two) text = two;
      if (text.size() == 1 &&
          std::string_view(",.[]{}()?*=<>+-:;").find(c) == std::string_view::npos)
        Malformed("");  // DynamoDB names nothing for a character it doesn't know ('#', say)
      out.push_back({Token::Kind::kPunct, text, i});
      i += text.size();
    }
  }
  out.push_back({Token::Kind::kEnd, "", s.size()});
  return out;
}

class Parser {
 public:
  Parser(std::vector<Token> tokens, const std::vector<AttributeValue>& parameters)
      : tokens_(std::move(tokens)), parameters_(parameters) {}

  Statement Parse() {
    Statement st;
    if (Keyword("SELECT")) {
      ParseSelect(&st);
    } else if (Keyword("INSERT")) {
      ParseInsert(&st);
    } else if (Keyword("UPDATE")) {
      ParseUpdate(&st);
    } else if (Keyword("DELETE")) {
      ParseDelete(&st);
    } else if (Keyword("FROM")) {
      ParseFromFirstUpdate(&st);
    } else if (Keyword("EXISTS")) {  // a transaction's condition check: EXISTS(SELECT ...)
      ExpectPunct("(");
      ExpectKeyword("SELECT");
      ParseSelect(&st);
      ExpectPunct(")");
      st.kind = Statement::Kind::kExists;
    } else if (IsKeyword("UPSERT") || IsKeyword("REPLACE")) {
      throw ParseError{
          ValidationError(fmt::format("Unsupported operation: {}", AsciiUppercase(Peek().text)))};
    } else {
      Malformed("Expected data manipulation");
    }
    if (IsKeyword("LIMIT")) throw ParseError{ValidationError("Unsupported clause: LIMIT")};
    Punct(";");  // one optional terminator
    if (Peek().kind != Token::Kind::kEnd) Malformed("Unexpected token after expression");
    return st;
  }

  std::size_t parameters_used() const { return next_parameter_; }

 private:
  const Token& Peek(std::size_t ahead = 0) const {
    return tokens_[std::min(pos_ + ahead, tokens_.size() - 1)];
  }
  const Token& Take() { return tokens_[std::min(pos_++, tokens_.size() - 1)]; }

  // A token that fits nowhere. DynamoDB's detail for these is "Unexpected token after
  // expression" where it was recorded (leftovers, a misplaced clause, a stray parenthesis);
  // it is used for the rest too.
  [[noreturn]] void Unexpected() const { Malformed("Unexpected token after expression"); }

  bool IsKeyword(std::string_view k, std::size_t ahead = 0) const {
    return Peek(ahead).kind == Token::Kind::kWord && EqualsIgnoreCase(Peek(ahead).text, k);
  }
  bool Keyword(std::string_view k) {
    if (!IsKeyword(k)) return false;
    ++pos_;
    return true;
  }
  void ExpectKeyword(std::string_view k) {
    if (!Keyword(k)) Unexpected();
  }
  bool IsPunct(std::string_view p) const {
    return Peek().kind == Token::Kind::kPunct && Peek().text == p;
  }
  bool Punct(std::string_view p) {
    if (!IsPunct(p)) return false;
    ++pos_;
    return true;
  }
  void ExpectPunct(std::string_view p) {
    if (!Punct(p)) Unexpected();
  }

  // A table or attribute name: "quoted" or a bare word that is not a reserved keyword.
  std::string Name() {
    const Token& t = Peek();
    if (t.kind == Token::Kind::kQuoted) return Take().text;
    if (t.kind == Token::Kind::kWord && !IsReserved(t.text)) return Take().text;
    Unexpected();
  }

  static bool IsReserved(std::string_view word) {
    static constexpr std::string_view kReserved[] = {
        "SELECT", "FROM",    "WHERE",  "AND",    "OR",     "NOT",       "BETWEEN", "IN",
        "IS",     "MISSING", "NULL",   "TRUE",   "FALSE",  "INSERT",    "INTO",    "VALUE",
        "VALUES", "UPDATE",  "SET",    "REMOVE", "DELETE", "RETURNING", "ORDER",   "BY",
        "ASC",    "DESC",    "EXISTS", "LIMIT",  "AS"};
    for (std::string_view r : kReserved)
      if (EqualsIgnoreCase(word, r)) return true;
    return false;
  }

  void Table(Statement* st) {
    st->table = Name();
    if (st->kind == Statement::Kind::kSelect && Punct(".")) st->index = Name();
    // FROM "t" AS x / FROM "t" x
    if (IsKeyword("AS") || Peek().kind == Token::Kind::kQuoted ||
        (Peek().kind == Token::Kind::kWord && !IsReserved(Peek().text)))
      throw ParseError{ValidationError("Aliasing is not supported")};
  }

  expr::Path ParsePath() {
    expr::Path p;
    p.push_back({Name(), -1});
    while (true) {
      if (Punct(".")) {
        p.push_back({Name(), -1});
      } else if (Punct("[")) {
        const Token& t = Peek();
        if (t.kind == Token::Kind::kString) {  // a["key"] is a map key too
          p.push_back({Take().text, -1});
        } else {
          int index = 0;
          auto [ptr, ec] = std::from_chars(t.text.data(), t.text.data() + t.text.size(), index);
          if (t.kind != Token::Kind::kNumber || ec != std::errc() ||
              ptr != t.text.data() + t.text.size())
            Unexpected();
          Take();
          p.push_back({"", index});
        }
        ExpectPunct("]");
      } else {
        return p;
      }
    }
  }

  AttributeValue Parameter() {
    if (next_parameter_ >= parameters_.size()) {
      ++next_parameter_;  // counted; the count's error is reported after parsing
      return AttributeValue::MakeNull();
    }
    return parameters_[next_parameter_++];
  }

  // A number literal; DynamoDB's errors for one say where it stands in its value ("under
  // root", "under root.x", "under root[1]").
  AttributeValue NumberValue(std::string_view text, bool negative) {
    auto n = Number::Parse(negative ? "-" + std::string(text) : std::string(text));
    if (!n.ok()) {
      Error e = n.error();
      std::string where = "root";
      for (const std::string& part : value_path_) where += part;
      e.message += " under " + where;
      throw ParseError{std::move(e)};
    }
    return AttributeValue::N(*n);
  }

  // A literal value or parameter; false (nothing taken) when the next token starts none.
  bool TryValue(AttributeValue* out) {
    const Token& t = Peek();
    if (t.kind == Token::Kind::kString) {
      *out = AttributeValue::S(Take().text);
    } else if (t.kind == Token::Kind::kNumber) {
      *out = NumberValue(Take().text, false);
    } else if (IsPunct("-") && Peek(1).kind == Token::Kind::kNumber) {
      Take();
      *out = NumberValue(Take().text, true);
    } else if (IsPunct("?")) {
      Take();
      *out = Parameter();
    } else if (IsKeyword("TRUE") || IsKeyword("FALSE")) {
      *out = AttributeValue::Bool(EqualsIgnoreCase(Take().text, "TRUE"));
    } else if (IsKeyword("NULL")) {
      Take();
      *out = AttributeValue::MakeNull();
    } else if (IsKeyword("MISSING")) {
      throw ParseError{ValidationError("MISSING must be compared using IS operator")};
    } else if (IsPunct("{")) {
      *out = MapValue();
    } else if (IsPunct("[")) {
      *out = ListValue();
    } else if (IsPunct("<<")) {
      *out = SetValue();
    } else {
      return false;
    }
    return true;
  }

  AttributeValue Value() {
    AttributeValue v;
    if (!TryValue(&v)) Unexpected();
    return v;
  }

  AttributeValue MapValue() {
    Nest nest(this, true);
    ExpectPunct("{");
    Item m;
    if (!Punct("}")) {
      do {
        const Token& k = Peek();
        if (k.kind != Token::Kind::kString) Unexpected();
        std::string key = Take().text;
        ExpectPunct(":");
        value_path_.push_back("." + key);
        AttributeValue v = Value();
        value_path_.pop_back();
        if (!m.try_emplace(key, std::move(v)).second)
          Malformed(fmt::format("Duplicate key in tuple: {}", key));
      } while (Punct(","));
      ExpectPunct("}");
    }
    return AttributeValue::M(std::move(m));
  }

  AttributeValue ListValue() {
    Nest nest(this, true);
    ExpectPunct("[");
    std::vector<AttributeValue> l;
    if (!Punct("]")) {
      do {
        value_path_.push_back("[" + std::to_string(l.size()) + "]");
        l.push_back(Value());
        value_path_.pop_back();
      } while (Punct(","));
      ExpectPunct("]");
    }
    return AttributeValue::L(std::move(l));
  }

  // <<'a', 'b'>> / <<1, 2>>: a string, number or binary set (members of one type).
  AttributeValue SetValue() {
    Nest nest(this, true);
    ExpectPunct("<<");
    std::vector<AttributeValue> members;
    if (!Punct(">>")) {
      do members.push_back(Value());
      while (Punct(","));
      ExpectPunct(">>");
    }
    if (members.empty()) throw ParseError{ValidationError("Empty bags are not supported")};
    const Type type = members[0].type();
    for (const auto& m : members)
      if (m.type() != type || (type != Type::kS && type != Type::kN && type != Type::kB))
        throw ParseError{
            ValidationError("Unsupported data type in Bag. DynamoDB only supports either numbers "
                            "or strings in bags")};
    if (type == Type::kS) {
      std::vector<std::string> v;
      for (auto& m : members) v.push_back(m.s());
      return AttributeValue::SS(std::move(v));
    }
    if (type == Type::kN) {
      std::vector<Number> v;
      for (auto& m : members) v.push_back(m.n());
      return AttributeValue::NS(std::move(v));
    }
    std::vector<std::string> v;
    for (auto& m : members) v.push_back(m.b());
    return AttributeValue::BS(std::move(v));
  }

  // Operands: a value, a path, a function call, and + / - between them.
  Operand ParseOperand() {
    Operand left = ParsePrimary();
    while (IsPunct("+") || (IsPunct("-") && Peek(1).kind != Token::Kind::kEnd)) {
      Operand op;
      op.kind = Take().text == "+" ? Operand::Kind::kPlus : Operand::Kind::kMinus;
      op.args.push_back(std::move(left));
      op.args.push_back(ParsePrimary());
      left = std::move(op);
    }
    return left;
  }

  Operand ParsePrimary() {
    Nest nest(this, false);
    Operand o;
    if (TryValue(&o.value)) return o;
    if ((Peek().kind == Token::Kind::kWord) && Peek(1).kind == Token::Kind::kPunct &&
        Peek(1).text == "(" && !IsReserved(Peek().text)) {
      o.kind = Operand::Kind::kCall;
      o.function = AsciiLowercase(Take().text);
      ExpectPunct("(");
      if (!Punct(")")) {
        do o.args.push_back(ParseOperand());
        while (Punct(","));
        ExpectPunct(")");
      }
      return o;
    }
    o.kind = Operand::Kind::kPath;
    o.path = ParsePath();
    return o;
  }

  Condition ParseOr() {
    Condition left = ParseAnd();
    while (Keyword("OR")) left = Combine(Condition::Kind::kOr, std::move(left), ParseAnd());
    return left;
  }
  Condition ParseAnd() {
    Condition left = ParseNot();
    while (Keyword("AND")) left = Combine(Condition::Kind::kAnd, std::move(left), ParseNot());
    return left;
  }
  static Condition Combine(Condition::Kind kind, Condition a, Condition b) {
    Condition c;
    c.kind = kind;
    c.children.push_back(std::move(a));
    c.children.push_back(std::move(b));
    return c;
  }
  Condition ParseNot() {
    Nest nest(this, false);
    if (Keyword("NOT")) {
      Condition c;
      c.kind = Condition::Kind::kNot;
      c.children.push_back(ParseNot());
      return c;
    }
    return ParsePredicate();
  }

  Condition ParsePredicate() {
    Nest nest(this, false);
    // ( condition ) — unless the parenthesis opens an operand, which conditions never start with.
    if (IsPunct("(")) {
      Take();
      Condition c = ParseOr();
      ExpectPunct(")");
      return c;
    }
    Operand left = ParseOperand();
    Condition c;
    if (left.kind == Operand::Kind::kCall && !IsComparison()) {
      c.kind = Condition::Kind::kCall;
      c.function = left.function;
      c.operands = std::move(left.args);
      return c;
    }
    c.operands.push_back(std::move(left));
    if (IsComparison()) {
      c.kind = Condition::Kind::kCompare;
      c.op = Take().text;
      if (c.op == "!=") c.op = "<>";
      c.operands.push_back(ParseOperand());
    } else if (Keyword("BETWEEN")) {
      c.kind = Condition::Kind::kBetween;
      c.operands.push_back(ParseOperand());
      ExpectKeyword("AND");
      c.operands.push_back(ParseOperand());
    } else if (Keyword("IN")) {
      c.kind = Condition::Kind::kIn;
      const bool bracket = Punct("[");
      if (!bracket) ExpectPunct("(");
      do c.operands.push_back(ParseOperand());
      while (Punct(","));
      ExpectPunct(bracket ? "]" : ")");
    } else if (Keyword("IS")) {
      c.negated = Keyword("NOT");
      if (Keyword("MISSING")) {
        c.kind = Condition::Kind::kIsMissing;
      } else if (Keyword("NULL")) {
        c.kind = Condition::Kind::kIsNull;
      } else {
        // IS BOOLEAN, IS STRING, ...: attribute_type under PartiQL's type names.
        static constexpr std::pair<std::string_view, std::string_view> kTypes[] = {
            {"BOOLEAN", "BOOL"}, {"BOOL", "BOOL"}, {"BLOB", "B"},  {"STRING", "S"},
            {"NUMERIC", "N"},    {"STRUCT", "M"},  {"TUPLE", "M"}, {"LIST", "L"}};
        const auto* type = std::find_if(std::begin(kTypes), std::end(kTypes),
                                        [&](const auto& t) { return IsKeyword(t.first); });
        if (type == std::end(kTypes)) Unexpected();
        Take();
        c.kind = Condition::Kind::kIsType;
        c.operands.push_back(Operand{
            Operand::Kind::kValue, AttributeValue::S(std::string(type->second)), {}, "", {}});
      }
    } else {
      Unexpected();
    }
    return c;
  }

  bool IsComparison() const {
    if (Peek().kind != Token::Kind::kPunct) return false;
    const std::string& t = Peek().text;
    return t == "=" || t == "<>" || t == "!=" || t == "<" || t == "<=" || t == ">" || t == ">=";
  }

  void ParseSelect(Statement* st) {
    st->kind = Statement::Kind::kSelect;
    if (!Punct("*")) {
      st->projection.emplace();
      do st->projection->push_back(ParsePath());
      while (Punct(","));
    }
    ExpectKeyword("FROM");
    Table(st);
    if (Keyword("WHERE")) st->where = ParseOr();
    if (Keyword("ORDER")) {
      ExpectKeyword("BY");
      do {
        st->order_by.push_back(ParsePath());
        bool descending = false;
        if (Keyword("DESC")) {
          descending = true;
        } else {
          Keyword("ASC");
        }
        if (st->descending && *st->descending != descending)
          Malformed("ORDER BY must use one direction for all its keys");
        st->descending = descending;
      } while (Punct(","));
    }
  }

  void ParseInsert(Statement* st) {
    st->kind = Statement::Kind::kInsert;
    ExpectKeyword("INTO");
    Table(st);
    ExpectKeyword("VALUE");
    AttributeValue v = Value();
    if (v.type() != Type::kM) Malformed("Unexpected token after expression");
    st->item = v.m();
    if (IsKeyword("RETURNING"))
      throw ParseError{ValidationError("RETURNING is not supported in INSERT")};
  }

  void ParseUpdate(Statement* st) {
    st->kind = Statement::Kind::kUpdate;
    Table(st);
    ParseUpdateClauses(st);
    ExpectKeyword("WHERE");
    st->where = ParseOr();
    ParseReturning(st);
  }

  // FROM "table" WHERE ... SET ... [REMOVE ...] [RETURNING ...]: an UPDATE written the other
  // way round, which DynamoDB accepts too.
  void ParseFromFirstUpdate(Statement* st) {
    st->kind = Statement::Kind::kUpdate;
    Table(st);
    ExpectKeyword("WHERE");
    st->where = ParseOr();
    ParseUpdateClauses(st);
    ParseReturning(st);
  }

  // One or more SET / REMOVE clauses.
  void ParseUpdateClauses(Statement* st) {
    bool any = false;
    while (true) {
      if (Keyword("SET")) {
        do {
          expr::Path p = ParsePath();
          ExpectPunct("=");
          st->sets.emplace_back(std::move(p), ParseOperand());
        } while (Punct(","));
      } else if (Keyword("REMOVE")) {
        do st->removes.push_back(ParsePath());
        while (Punct(","));
      } else {
        break;
      }
      any = true;
    }
    if (!any) Unexpected();
  }

  void ParseDelete(Statement* st) {
    st->kind = Statement::Kind::kDelete;
    ExpectKeyword("FROM");
    Table(st);
    ExpectKeyword("WHERE");
    st->where = ParseOr();
    const std::size_t returning_at = pos_;
    ParseReturning(st);
    if (st->returning != Returning::kNone && st->returning != Returning::kAllOld) {
      std::string clause;
      for (std::size_t i = returning_at + 1; i < pos_; ++i) {
        if (!clause.empty()) clause.push_back(' ');
        clause.append(AsciiUppercase(tokens_[i].text));
      }
      throw ParseError{
          ValidationError(fmt::format("Invalid returning clause: RETURNING {}. Only RETURNING ALL "
                                      "OLD * is allowed in DELETE statements.",
                                      clause))};
    }
  }

  // RETURNING ALL|MODIFIED OLD|NEW *
  void ParseReturning(Statement* st) {
    if (!Keyword("RETURNING")) return;
    const bool all = Keyword("ALL");
    if (!all) ExpectKeyword("MODIFIED");
    const bool old_image = Keyword("OLD");
    if (!old_image) ExpectKeyword("NEW");
    ExpectPunct("*");
    st->returning = all ? (old_image ? Returning::kAllOld : Returning::kAllNew)
                        : (old_image ? Returning::kModifiedOld : Returning::kModifiedNew);
  }

  // Nesting (parentheses, NOT, values in values, function arguments) is bounded, so that no
  // statement can exhaust the stack. Values nest deeper than DynamoDB's 32 levels only to be
  // refused with its message; conditions this deep are no statement DynamoDB would take.
  class Nest {
   public:
    Nest(Parser* p, bool value) : p_(p) {
      if (++p_->depth_ <= kMaxReadNesting) return;
      if (value) throw ParseError{ValidationError("Nesting Levels have exceeded supported limits")};
      Malformed("");
    }
    ~Nest() { --p_->depth_; }
    Nest(const Nest&) = delete;
    Nest& operator=(const Nest&) = delete;

   private:
    Parser* p_;
  };

  std::vector<Token> tokens_;
  std::vector<std::string> value_path_;  // where the value being read stands in its literal
  int depth_ = 0;
  std::size_t pos_ = 0;
  const std::vector<AttributeValue>& parameters_;
  std::size_t next_parameter_ = 0;
};

}  // namespace

Result<Statement> ParseStatement(std::string_view text,
                                 const std::vector<AttributeValue>& parameters) {
  try {
    Parser p(Tokenize(text), parameters);
    Statement st = p.Parse();
    if (p.parameters_used() != parameters.size())
      return ValidationError("Number of parameters in request and statement don't match.");
    return st;
  } catch (const ParseError& e) {
    return e.error;
  }
}

}  // namespace localdynamo::partiql
