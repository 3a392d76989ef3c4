// UpdateExpression: SET (with + / -, if_not_exists, list_append), REMOVE, ADD, DELETE
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.UpdateExpressions.html).
// Every operand is evaluated against the item as it was before the update.

#include <algorithm>

#include <fmt/format.h>

#include "expr/ast.h"
#include "expr/parser.h"

namespace localdynamo::expr {
namespace {

Error WrongType() {
  return ValidationError("An operand in the update expression has an incorrect data type");
}
Error Missing() {
  return ValidationError(
      "The provided expression refers to an attribute that does not exist in the item");
}
Error BadPath() {
  return ValidationError(
      "The document path provided in the update expression is invalid for update");
}

bool IsSet(const AttributeValue& v) {
  return v.is(Type::kSS) || v.is(Type::kNS) || v.is(Type::kBS);
}

Result<AttributeValue> EvalValue(const Node& n, const Item& old) {
  switch (n.kind) {
    case Node::Kind::kValue:
      return n.value;
    case Node::Kind::kPath: {
      const AttributeValue* v = Lookup(old, n.path);
      if (!v) return Missing();
      return *v;
    }
    case Node::Kind::kIfNotExists: {
      if (const AttributeValue* v = Lookup(old, n.children[0]->path)) return *v;
      return EvalValue(*n.children[1], old);
    }
    case Node::Kind::kListAppend: {
      LD_ASSIGN_OR_RETURN(AttributeValue a, EvalValue(*n.children[0], old));
      LD_ASSIGN_OR_RETURN(AttributeValue b, EvalValue(*n.children[1], old));
      if (!a.is(Type::kL) || !b.is(Type::kL)) return WrongType();
      List l = a.l();
      l.insert(l.end(), b.l().begin(), b.l().end());
      return AttributeValue::L(std::move(l));
    }
    case Node::Kind::kPlus:
    case Node::Kind::kMinus: {
      LD_ASSIGN_OR_RETURN(AttributeValue a, EvalValue(*n.children[0], old));
      LD_ASSIGN_OR_RETURN(AttributeValue b, EvalValue(*n.children[1], old));
      if (!a.is(Type::kN) || !b.is(Type::kN)) return WrongType();
      LD_ASSIGN_OR_RETURN(Number r, n.kind == Node::Kind::kPlus ? Number::Add(a.n(), b.n())
                                                                : Number::Subtract(a.n(), b.n()));
      return AttributeValue::N(std::move(r));
    }
    default:
      return WrongType();
  }
}

// The parent container of path's last element, or null when an intermediate is missing or
// of the wrong type.
AttributeValue* Parent(Item& item, const Path& path) {
  if (path.size() < 2) return nullptr;
  auto it = item.find(path[0].name);
  if (it == item.end()) return nullptr;
  AttributeValue* v = &it->second;
  for (std::size_t i = 1; i + 1 < path.size(); ++i) {
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

Status Assign(Item& item, const Path& path, AttributeValue value) {
  if (path.size() == 1) {
    item[path[0].name] = std::move(value);
    return OkStatus();
  }
  AttributeValue* parent = Parent(item, path);
  if (!parent) return BadPath();
  const PathElement& last = path.back();
  if (last.index >= 0) {
    if (!parent->is(Type::kL)) return BadPath();
    List& l = parent->l();
    if (static_cast<std::size_t>(last.index) < l.size()) {
      l[static_cast<std::size_t>(last.index)] = std::move(value);
    } else {
      l.push_back(std::move(value));  // past the end appends
    }
    return OkStatus();
  }
  if (!parent->is(Type::kM)) return BadPath();
  parent->m()[last.name] = std::move(value);
  return OkStatus();
}

void Remove(Item& item, const Path& path) {
  if (path.size() == 1) {
    item.erase(path[0].name);
    return;
  }
  AttributeValue* parent = Parent(item, path);
  if (!parent) return;
  const PathElement& last = path.back();
  if (last.index >= 0) {
    if (parent->is(Type::kL) && static_cast<std::size_t>(last.index) < parent->l().size())
      parent->l().erase(parent->l().begin() + last.index);
  } else if (parent->is(Type::kM)) {
    parent->m().erase(last.name);
  }
}

template <class T>
std::vector<T> Union(const std::vector<T>& a, const std::vector<T>& b) {
  std::vector<T> out = a;
  for (const auto& x : b)
    if (std::find(out.begin(), out.end(), x) == out.end()) out.push_back(x);
  return out;
}

template <class T>
std::vector<T> Difference(const std::vector<T>& a, const std::vector<T>& b) {
  std::vector<T> out;
  for (const auto& x : a)
    if (std::find(b.begin(), b.end(), x) == b.end()) out.push_back(x);
  return out;
}

}  // namespace

Result<UpdateExpr> ParseUpdate(std::string_view text, Context& ctx) {
  Parser p(text, ctx, "UpdateExpression");
  LD_ASSIGN_OR_RETURN(UpdateExpr u, p.ParseUpdateClauses());
  for (const auto& a : u.actions) {
    if (a.kind == UpdateAction::Kind::kAdd && !a.value->value.is(Type::kN) &&
        !IsSet(a.value->value))
      return p.Invalid(fmt::format(
          "Incorrect operand type for operator or function; operator: ADD, operand type: {}",
          TypeName(a.value->value.type())));
    if (a.kind == UpdateAction::Kind::kDelete && !IsSet(a.value->value))
      return p.Invalid(fmt::format(
          "Incorrect operand type for operator or function; operator: DELETE, operand type: {}",
          TypeName(a.value->value.type())));
  }
  for (std::size_t i = 0; i < u.actions.size(); ++i)
    for (std::size_t j = i + 1; j < u.actions.size(); ++j) {
      const Path& a = u.actions[i].path;
      const Path& b = u.actions[j].path;
      std::size_t n = std::min(a.size(), b.size());
      if (!std::equal(a.begin(), a.begin() + static_cast<std::ptrdiff_t>(n), b.begin())) continue;
      return p.Invalid(fmt::format(
          "Two document paths {} with each other; must remove or rewrite one of these paths; path "
          "one: {}, path two: {}",
          a.size() == b.size() ? "conflict" : "overlap", PathToString(a), PathToString(b)));
    }
  return u;
}

Result<Item> ApplyUpdate(const UpdateExpr& u, const Item& old,
                         std::vector<std::string>* updated_names) {
  Item item = old;
  // SET values first, all from the old item.
  std::vector<std::pair<const UpdateAction*, AttributeValue>> sets;
  for (const auto& a : u.actions)
    if (a.kind == UpdateAction::Kind::kSet) {
      LD_ASSIGN_OR_RETURN(AttributeValue v, EvalValue(*a.value, old));
      sets.emplace_back(&a, std::move(v));
    }
  for (auto& [a, v] : sets) LD_RETURN_IF_ERROR(Assign(item, a->path, std::move(v)));
  // REMOVE list elements from the highest index down, so indexes mean the old list's.
  std::vector<const UpdateAction*> removes;
  for (const auto& a : u.actions)
    if (a.kind == UpdateAction::Kind::kRemove) removes.push_back(&a);
  std::stable_sort(removes.begin(), removes.end(),
                   [](const UpdateAction* x, const UpdateAction* y) {
                     return x->path.back().index > y->path.back().index;
                   });
  for (const auto* a : removes) Remove(item, a->path);
  for (const auto& a : u.actions) {
    if (a.kind != UpdateAction::Kind::kAdd && a.kind != UpdateAction::Kind::kDelete) continue;
    const AttributeValue& v = a.value->value;
    const AttributeValue* cur = Lookup(item, a.path);
    if (a.kind == UpdateAction::Kind::kAdd) {
      if (!cur) {
        LD_RETURN_IF_ERROR(Assign(item, a.path, v));
        continue;
      }
      if (cur->type() != v.type()) return WrongType();
      AttributeValue next;
      switch (v.type()) {
        case Type::kN: {
          LD_ASSIGN_OR_RETURN(Number sum, Number::Add(cur->n(), v.n()));
          next = AttributeValue::N(std::move(sum));
          break;
        }
        case Type::kSS:
          next = AttributeValue::SS(Union(cur->ss(), v.ss()));
          break;
        case Type::kNS:
          next = AttributeValue::NS(Union(cur->ns(), v.ns()));
          break;
        case Type::kBS:
          next = AttributeValue::BS(Union(cur->bs(), v.bs()));
          break;
        default:
          return WrongType();
      }
      LD_RETURN_IF_ERROR(Assign(item, a.path, std::move(next)));
    } else {
      if (!cur) continue;
      if (cur->type() != v.type()) return WrongType();
      AttributeValue next;
      bool empty = false;
      switch (v.type()) {
        case Type::kSS:
          next = AttributeValue::SS(Difference(cur->ss(), v.ss()));
          empty = next.ss().empty();
          break;
        case Type::kNS:
          next = AttributeValue::NS(Difference(cur->ns(), v.ns()));
          empty = next.ns().empty();
          break;
        case Type::kBS:
          next = AttributeValue::BS(Difference(cur->bs(), v.bs()));
          empty = next.bs().empty();
          break;
        default:
          return WrongType();
      }
      if (empty) {
        Remove(item, a.path);  // a set can't be empty: DELETE of the last members removes it
      } else {
        LD_RETURN_IF_ERROR(Assign(item, a.path, std::move(next)));
      }
    }
  }
  if (updated_names) *updated_names = TopLevelAttributeNames(u);
  return item;
}

ProjectionExpr UpdatedPaths(const UpdateExpr& u) {
  ProjectionExpr p;
  for (const auto& a : u.actions) p.paths.push_back(a.path);
  return p;
}

std::vector<std::string> TopLevelAttributeNames(const UpdateExpr& u) {
  std::vector<std::string> out;
  for (const auto& a : u.actions)
    if (!a.path.empty() && std::find(out.begin(), out.end(), a.path[0].name) == out.end())
      out.push_back(a.path[0].name);
  return out;
}

}  // namespace localdynamo::expr
