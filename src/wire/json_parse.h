#pragma once
// Request bodies read into a RequestDoc: every value in one array of nodes, names and strings
// as views into the body (or into the document's own buffer, for strings with escapes). It
// replaces an nlohmann::json tree, which allocated every member, array and string on its own
// and took a third of the endpoint's instructions per GetItem to build, read and free.
//
// Values read as nlohmann's json::parse(body, nullptr, false) reads them, and the document
// keeps its rules: an object's members in name order with the last of equal names winning,
// non-negative integers unsigned and negative ones signed. The fast path takes what SDKs
// send (ASCII text, the short escapes, integers); anything else (\u escapes, other bytes over
// 0x7F, fractions and exponents, integers past 64 bits, nesting past kMaxFastDepth, any
// malformed input) is handed to nlohmann's SAX parser whole, so every rejection and every
// unusual value is nlohmann's own.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace localdynamo::wire {

class RequestDoc;
struct JsonMember;

namespace json_parse_detail {

inline constexpr int kMaxFastDepth = 64;

enum class Kind : uint8_t { kNull, kBool, kString, kUnsigned, kInteger, kFloat, kArray, kObject };

struct Node {
  Kind kind = Kind::kNull;
  bool boolean = false;
  uint32_t begin = 0;  // an object's first member, an array's first element (RequestDoc's lists)
  uint32_t count = 0;  // its members (distinct names) or elements
  union {
    uint64_t u;
    int64_t i;
    double d;
  } number{0};
  std::string_view text;
};

struct Member {
  std::string_view name;
  uint32_t value;
};

struct OpenContainer {
  uint32_t node;
  uint32_t scratch;  // where its children start on the scratch list
  bool object;
};

class Builder;

// Only the fast path: false where the body is left to nlohmann (`doc` is then unspecified).
bool FastParse(std::string_view body, RequestDoc* doc);

}  // namespace json_parse_detail

// One value of a RequestDoc, or none (a member that is absent). Valid while its document is.
class JsonRef {
 public:
  using Kind = json_parse_detail::Kind;
  JsonRef() = default;

  explicit operator bool() const { return node_ != nullptr; }
  Kind kind() const { return node_->kind; }
  bool IsNull() const { return node_->kind == Kind::kNull; }
  bool IsBool() const { return node_->kind == Kind::kBool; }
  bool IsString() const { return node_->kind == Kind::kString; }
  bool IsNumber() const {
    return node_->kind == Kind::kUnsigned || node_->kind == Kind::kInteger ||
           node_->kind == Kind::kFloat;
  }
  bool IsArray() const { return node_->kind == Kind::kArray; }
  bool IsObject() const { return node_->kind == Kind::kObject; }

  bool Bool() const { return node_->boolean; }
  std::string_view Str() const { return node_->text; }
  uint64_t Unsigned() const { return node_->number.u; }
  int64_t Integer() const { return node_->number.i; }
  double Float() const { return node_->number.d; }
  double AsDouble() const;  // any number

  // An object's members (distinct names) or an array's elements; 0 for anything else.
  std::size_t Size() const { return node_->kind >= Kind::kArray ? node_->count : 0; }
  // The member named `name` of an object, or none.
  JsonRef Find(std::string_view name) const;

  // An object's members (JsonMember: name and value) in name order, as nlohmann's std::map
  // holds them; an array's elements. Empty for anything else.
  template <class Entry>
  class Range;
  using Members = Range<json_parse_detail::Member>;
  using Elements = Range<uint32_t>;
  Members members() const;
  Elements elements() const;

 private:
  friend class RequestDoc;
  JsonRef(const RequestDoc* doc, const json_parse_detail::Node* node) : doc_(doc), node_(node) {}

  const RequestDoc* doc_ = nullptr;
  const json_parse_detail::Node* node_ = nullptr;
};

class RequestDoc {
 public:
  RequestDoc() = default;
  RequestDoc(const RequestDoc&) = delete;
  RequestDoc& operator=(const RequestDoc&) = delete;

  // Reads `body` (which must outlive what is read from it); false on malformed JSON. The
  // document's storage is kept for the next body.
  bool Parse(std::string_view body);
  JsonRef root() const { return At(0); }  // the first value read is the whole body
  // Frees storage a large body left, which the next body would otherwise keep.
  void ShrinkIfLarge();

 private:
  friend class JsonRef;
  friend class json_parse_detail::Builder;

  JsonRef At(uint32_t index) const { return JsonRef(this, &nodes_[index]); }
  JsonMember At(const json_parse_detail::Member& m) const;

  std::vector<json_parse_detail::Node> nodes_;
  std::vector<json_parse_detail::Member> members_;  // objects' members, each object's in a run
  std::vector<uint32_t> elements_;                  // arrays' elements, likewise
  // Strings with escapes, decoded. Reserved to the body's size before reading, which decoded
  // text never exceeds (an escape is longer than what it stands for), so views into it stay
  // valid.
  std::string text_;
  // The builder's, kept for their capacity.
  std::vector<json_parse_detail::OpenContainer> open_;
  std::vector<json_parse_detail::Member> scratch_members_;
  std::vector<uint32_t> scratch_elements_;
};

struct JsonMember {
  std::string_view name;
  JsonRef value;
};

inline JsonMember RequestDoc::At(const json_parse_detail::Member& m) const {
  return {m.name, At(m.value)};
}

// A run of an object's members or of an array's elements, each read as its JsonMember or
// JsonRef.
template <class Entry>
class JsonRef::Range {
 public:
  class iterator {
   public:
    iterator(const RequestDoc* doc, const Entry* e) : doc_(doc), e_(e) {}
    auto operator*() const { return doc_->At(*e_); }
    iterator& operator++() {
      ++e_;
      return *this;
    }
    bool operator!=(const iterator& o) const { return e_ != o.e_; }

   private:
    const RequestDoc* doc_;
    const Entry* e_;
  };
  iterator begin() const { return {doc_, first_}; }
  iterator end() const { return {doc_, first_ + count_}; }

 private:
  friend class JsonRef;
  Range(const RequestDoc* doc, const Entry* first, std::size_t count)
      : doc_(doc), first_(first), count_(count) {}
  const RequestDoc* doc_;
  const Entry* first_;
  std::size_t count_;
};

inline JsonRef::Members JsonRef::members() const {
  if (!IsObject()) return {doc_, nullptr, 0};
  return {doc_, doc_->members_.data() + node_->begin, node_->count};
}

inline JsonRef::Elements JsonRef::elements() const {
  if (!IsArray()) return {doc_, nullptr, 0};
  return {doc_, doc_->elements_.data() + node_->begin, node_->count};
}

}  // namespace localdynamo::wire
