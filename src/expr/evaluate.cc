// Conditions and filters: parsing entry points, evaluation against an item, projections.

#include <algorithm>

#include <fmt/format.h>

#include "expr/ast.h"
#include "expr/parser.h"

namespace localdynamo::expr {

ConditionExpr::ConditionExpr() : root_(std::make_shared<Node>()) {}
ConditionExpr::ConditionExpr(std::shared_ptr<const Node> root) : root_(std::move(root)) {}

namespace {

std::string KeysList(const std::vector<std::string>& keys) {
  std::string out;
  for (const auto& k : keys) out += (out.empty() ? "" : ", ") + k;
  return "{" + out + "}";
}

int Sign(int c) { return (c > 0) - (c < 0); }

bool Contains(const AttributeValue& haystack, const AttributeValue& needle) {
  switch (haystack.type()) {
    case Type::kS:
      return needle.is(Type::kS) && haystack.s().find(needle.s()) != std::string::npos;
    case Type::kB:
      return needle.is(Type::kB) && haystack.b().find(needle.b()) != std::string::npos;
    case Type::kSS:
      return needle.is(Type::kS) && std::find(haystack.ss().begin(), haystack.ss().end(),
                                              needle.s()) != haystack.ss().end();
    case Type::kNS:
      return needle.is(Type::kN) && std::find(haystack.ns().begin(), haystack.ns().end(),
                                              needle.n()) != haystack.ns().end();
    case Type::kBS:
      return needle.is(Type::kB) && std::find(haystack.bs().begin(), haystack.bs().end(),
                                              needle.b()) != haystack.bs().end();
    case Type::kL:
      return std::find(haystack.l().begin(), haystack.l().end(), needle) != haystack.l().end();
    default:
      return false;
  }
}

bool EvalNode(const Node& n, const Item& item) {
  AttributeValue s0, s1, s2;
  switch (n.kind) {
    case Node::Kind::kTrue:
      return true;
    case Node::Kind::kAnd:
      return EvalNode(*n.children[0], item) && EvalNode(*n.children[1], item);
    case Node::Kind::kOr:
      return EvalNode(*n.children[0], item) || EvalNode(*n.children[1], item);
    case Node::Kind::kNot:
      return !EvalNode(*n.children[0], item);
    case Node::Kind::kCompare: {
      const AttributeValue* a = EvalOperand(*n.children[0], item, &s0);
      const AttributeValue* b = EvalOperand(*n.children[1], item, &s1);
      if (n.op == Node::Op::kEq) return a && b && *a == *b;
      if (n.op == Node::Op::kNe) return !(a && b && *a == *b);
      if (!a || !b) return false;
      auto c = CompareScalars(*a, *b);
      if (!c) return false;
      switch (n.op) {
        case Node::Op::kLt:
          return *c < 0;
        case Node::Op::kLe:
          return *c <= 0;
        case Node::Op::kGt:
          return *c > 0;
        case Node::Op::kGe:
          return *c >= 0;
        default:
          return false;
      }
    }
    case Node::Kind::kBetween: {
      const AttributeValue* a = EvalOperand(*n.children[0], item, &s0);
      const AttributeValue* lo = EvalOperand(*n.children[1], item, &s1);
      const AttributeValue* hi = EvalOperand(*n.children[2], item, &s2);
      if (!a || !lo || !hi) return false;
      auto c1 = CompareScalars(*a, *lo), c2 = CompareScalars(*a, *hi);
      return c1 && c2 && *c1 >= 0 && *c2 <= 0;
    }
    case Node::Kind::kIn: {
      const AttributeValue* a = EvalOperand(*n.children[0], item, &s0);
      if (!a) return false;
      for (std::size_t i = 1; i < n.children.size(); ++i) {
        const AttributeValue* v = EvalOperand(*n.children[i], item, &s1);
        if (v && *v == *a) return true;
      }
      return false;
    }
    case Node::Kind::kAttributeExists:
      return Lookup(item, n.children[0]->path) != nullptr;
    case Node::Kind::kAttributeNotExists:
      return Lookup(item, n.children[0]->path) == nullptr;
    case Node::Kind::kAttributeType: {
      const AttributeValue* a = Lookup(item, n.children[0]->path);
      return a && TypeName(a->type()) == n.children[1]->value.s();
    }
    case Node::Kind::kBeginsWith: {
      const AttributeValue* a = EvalOperand(*n.children[0], item, &s0);
      const AttributeValue* p = EvalOperand(*n.children[1], item, &s1);
      if (!a || !p || a->type() != p->type()) return false;
      if (a->is(Type::kS)) return a->s().starts_with(p->s());
      if (a->is(Type::kB)) return a->b().starts_with(p->b());
      return false;
    }
    case Node::Kind::kContains: {
      const AttributeValue* a = EvalOperand(*n.children[0], item, &s0);
      const AttributeValue* v = EvalOperand(*n.children[1], item, &s1);
      return a && v && Contains(*a, *v);
    }
    default:
      return false;
  }
}

void CollectNames(const Node& n, std::vector<std::string>* out) {
  if (n.kind == Node::Kind::kPath && !n.path.empty()) {
    if (std::find(out->begin(), out->end(), n.path[0].name) == out->end())
      out->push_back(n.path[0].name);
  }
  for (const auto& c : n.children) CollectNames(*c, out);
}

}  // namespace

std::string PathToString(const Path& p) {
  std::string out;
  for (const auto& e : p) {
    out += out.empty() ? "" : ", ";
    out += e.index >= 0 ? fmt::format("[{}]", e.index) : e.name;
  }
  return "[" + out + "]";
}

Status Context::CheckAllUsed() const {
  // The maps' own shape first, as DynamoDB checks it before looking at the expressions.
  if (names_ && names_->empty())
    return ValidationError("ExpressionAttributeNames must not be empty");
  if (values_ && values_->empty())
    return ValidationError("ExpressionAttributeValues must not be empty");
  // A placeholder's length before its syntax; DynamoDB's text as recorded against it.
  constexpr std::size_t kMaxPlaceholder = 255;
  if (names_)
    for (const auto& [k, _] : *names_)
      if (k.size() > kMaxPlaceholder)
        return ValidationError(
            fmt::format("ExpressionAttributeNames contains invalid key: The expression attribute "
                        "map contains a key that is too long; size of key: {}",
                        k.size()));
  if (values_)
    for (const auto& [k, _] : *values_)
      if (k.size() > kMaxPlaceholder)
        return ValidationError(
            fmt::format("ExpressionAttributeValues contains invalid key: The expression attribute "
                        "map contains a key that is too long; size of key: {}",
                        k.size()));
  if (names_)
    for (const auto& [k, _] : *names_)
      if (!k.starts_with('#'))
        return ValidationError(
            fmt::format("ExpressionAttributeNames contains invalid key: Syntax error; token: "
                        "\"{}\", near: \"{}\"",
                        k, k));
  if (values_)
    for (const auto& [k, _] : *values_)
      if (!k.starts_with(':'))
        return ValidationError(
            fmt::format("ExpressionAttributeValues contains invalid key: Syntax error; token: "
                        "\"{}\", near: \"{}\"",
                        k, k));
  if (names_) {
    std::vector<std::string> unused;
    for (const auto& [k, _] : *names_)
      if (!used_names_.count(k)) unused.push_back(k);
    if (!unused.empty())
      return ValidationError(
          "Value provided in ExpressionAttributeNames unused in expressions: keys: " +
          KeysList(unused));
  }
  if (values_) {
    std::vector<std::string> unused;
    for (const auto& [k, _] : *values_)
      if (!used_values_.count(k)) unused.push_back(k);
    if (!unused.empty())
      return ValidationError(
          "Value provided in ExpressionAttributeValues unused in expressions: keys: " +
          KeysList(unused));
  }
  return OkStatus();
}

const AttributeValue* Lookup(const Item& item, const Path& path) {
  if (path.empty() || path[0].index >= 0) return nullptr;
  auto it = item.find(path[0].name);
  if (it == item.end()) return nullptr;
  const AttributeValue* v = &it->second;
  for (std::size_t i = 1; i < path.size(); ++i) {
    const PathElement& e = path[i];
    if (e.index >= 0) {
      if (!v->is(Type::kL) || static_cast<std::size_t>(e.index) >= v->l().size()) return nullptr;
      v = &v->l()[static_cast<std::size_t>(e.index)];
    } else {
      if (!v->is(Type::kM)) return nullptr;
      auto m = v->m().find(e.name);
      if (m == v->m().end()) return nullptr;
      v = &m->second;
    }
  }
  return v;
}

std::optional<int> CompareScalars(const AttributeValue& a, const AttributeValue& b) {
  if (a.type() != b.type()) return std::nullopt;
  switch (a.type()) {
    case Type::kS:
      return Sign(a.s().compare(b.s()));
    case Type::kB:
      return Sign(a.b().compare(b.b()));
    case Type::kN: {
      auto c = a.n() <=> b.n();
      return c < 0 ? -1 : (c > 0 ? 1 : 0);
    }
    default:
      return std::nullopt;
  }
}

const AttributeValue* EvalOperand(const Node& n, const Item& item, AttributeValue* scratch) {
  switch (n.kind) {
    case Node::Kind::kPath:
      return Lookup(item, n.path);
    case Node::Kind::kValue:
      return &n.value;
    case Node::Kind::kSize: {
      const AttributeValue* a = Lookup(item, n.children[0]->path);
      if (!a) return nullptr;
      std::size_t size;
      switch (a->type()) {
        case Type::kS:
          size = a->s().size();
          break;
        case Type::kB:
          size = a->b().size();
          break;
        case Type::kSS:
          size = a->ss().size();
          break;
        case Type::kNS:
          size = a->ns().size();
          break;
        case Type::kBS:
          size = a->bs().size();
          break;
        case Type::kL:
          size = a->l().size();
          break;
        case Type::kM:
          size = a->m().size();
          break;
        default:
          return nullptr;
      }
      *scratch = AttributeValue::N(Number::FromInt(static_cast<int64_t>(size)));
      return scratch;
    }
    default:
      return nullptr;
  }
}

Result<ConditionExpr> ParseCondition(std::string_view text, Context& ctx, std::string_view kind) {
  Parser p(text, ctx, kind);
  LD_ASSIGN_OR_RETURN(NodePtr root, p.ParseConditionTree());
  return ConditionExpr(std::move(root));
}

bool Evaluate(const ConditionExpr& c, const Item& item) { return EvalNode(c.root(), item); }

std::vector<std::string> TopLevelAttributeNames(const ConditionExpr& c) {
  std::vector<std::string> out;
  CollectNames(c.root(), &out);
  return out;
}

// ---- projections ------------------------------------------------------------------------

namespace {

bool Overlap(const Path& a, const Path& b) {
  std::size_t n = std::min(a.size(), b.size());
  return std::equal(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(n), b.begin());
}

}  // namespace

Result<ProjectionExpr> ParseProjection(std::string_view text, Context& ctx) {
  Parser p(text, ctx, "ProjectionExpression");
  LD_ASSIGN_OR_RETURN(auto paths, p.ParsePathList());
  for (std::size_t i = 0; i < paths.size(); ++i)
    for (std::size_t j = i + 1; j < paths.size(); ++j)
      if (Overlap(paths[i], paths[j])) {
        if (paths[i] == paths[j])
          return p.Invalid(
              fmt::format("Two document paths conflict with each other; must remove or rewrite one "
                          "of these paths; path one: {}, path two: {}",
                          PathToString(paths[i]), PathToString(paths[j])));
        return p.Invalid(
            fmt::format("Two document paths overlap with each other; must remove or rewrite one of "
                        "these paths; path one: {}, path two: {}",
                        PathToString(paths[i]), PathToString(paths[j])));
      }
  return ProjectionExpr{std::move(paths)};
}

namespace {

// Builds the projection of one path into `out` (an M or L value under construction).
void Insert(const AttributeValue& src, const Path& path, std::size_t depth, AttributeValue* out) {
  if (depth == path.size()) {
    *out = src;
    return;
  }
  const PathElement& e = path[depth];
  if (e.index >= 0) {
    if (!src.is(Type::kL) || static_cast<std::size_t>(e.index) >= src.l().size()) return;
    // Lists under construction are kept as maps keyed by "#<index>" until Finish().
    if (!out->is(Type::kM)) *out = AttributeValue::M({});
    std::string key = fmt::format("\x01{:010}", e.index);
    AttributeValue& slot = out->m()[key];
    Insert(src.l()[static_cast<std::size_t>(e.index)], path, depth + 1, &slot);
  } else {
    if (!src.is(Type::kM)) return;
    auto it = src.m().find(e.name);
    if (it == src.m().end()) return;
    if (!out->is(Type::kM)) *out = AttributeValue::M({});
    Insert(it->second, path, depth + 1, &out->m()[e.name]);
  }
}

// Turns the "\x01index" maps back into lists and drops empty placeholders.
void Finish(AttributeValue* v) {
  if (!v->is(Type::kM)) return;
  bool is_list = !v->m().empty() && v->m().begin()->first.starts_with('\x01');
  if (is_list) {
    List l;
    for (auto& [_, e] : v->m()) {
      Finish(&e);
      l.push_back(std::move(e));
    }
    *v = AttributeValue::L(std::move(l));
    return;
  }
  for (auto& [_, e] : v->m()) Finish(&e);
}

}  // namespace

Item Project(const ProjectionExpr& p, const Item& item) {
  AttributeValue root = AttributeValue::M({});
  AttributeValue src = AttributeValue::M(item);
  for (const auto& path : p.paths) {
    const AttributeValue* leaf = Lookup(item, path);
    if (!leaf) continue;
    Insert(src, path, 0, &root);
  }
  Finish(&root);
  return std::move(root.m());
}

std::vector<std::string> TopLevelAttributeNames(const ProjectionExpr& p) {
  std::vector<std::string> out;
  for (const auto& path : p.paths)
    if (!path.empty() && std::find(out.begin(), out.end(), path[0].name) == out.end())
      out.push_back(path[0].name);
  return out;
}

}  // namespace localdynamo::expr
