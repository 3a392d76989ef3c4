#include "wire/json_parse.h"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <optional>

#include <nlohmann/json.hpp>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace localdynamo::wire {
namespace json_parse_detail {

// Adds values to a RequestDoc in document order. A container's children are gathered on
// scratch lists while it is open and moved into the document's lists when it closes, so
// each container's members (or elements) end up in one run; an object's are sorted by name
// then, keeping the last of equal names.
class Builder {
 public:
  Builder(RequestDoc* doc, std::size_t body_size) : d_(*doc) {
    d_.nodes_.clear();
    d_.members_.clear();
    d_.elements_.clear();
    d_.text_.clear();
    d_.open_.clear();
    d_.scratch_members_.clear();
    d_.scratch_elements_.clear();
    d_.text_.reserve(body_size);  // see RequestDoc::text_
  }

  void Null() { Add(Kind::kNull); }
  void Boolean(bool b) { Add(Kind::kBool).boolean = b; }
  void Unsigned(uint64_t v) { Add(Kind::kUnsigned).number.u = v; }
  void Integer(int64_t v) { Add(Kind::kInteger).number.i = v; }
  void Float(double v) { Add(Kind::kFloat).number.d = v; }
  // `text` must live as long as the document: a view into the body, or one Keep returned.
  void String(std::string_view text) { Add(Kind::kString).text = text; }
  void Key(std::string_view name) { key_ = name; }

  void StartObject() { Open(Kind::kObject); }
  void StartArray() { Open(Kind::kArray); }
  void EndObject() {
    const OpenContainer o = d_.open_.back();
    d_.open_.pop_back();
    auto first = d_.scratch_members_.begin() + o.scratch;
    auto last = d_.scratch_members_.end();
    SortByName(first, last);
    Node& n = d_.nodes_[o.node];
    n.begin = static_cast<uint32_t>(d_.members_.size());
    // Of equal names (adjacent now, in document order) the last wins, as in nlohmann.
    for (auto it = first; it != last; ++it) {
      if (it + 1 != last && (it + 1)->name == it->name) continue;
      d_.members_.push_back(*it);
    }
    n.count = static_cast<uint32_t>(d_.members_.size() - n.begin);
    d_.scratch_members_.erase(first, last);
  }
  void EndArray() {
    const OpenContainer o = d_.open_.back();
    d_.open_.pop_back();
    Node& n = d_.nodes_[o.node];
    n.begin = static_cast<uint32_t>(d_.elements_.size());
    n.count = static_cast<uint32_t>(d_.scratch_elements_.size() - o.scratch);
    d_.elements_.insert(d_.elements_.end(), d_.scratch_elements_.begin() + o.scratch,
                        d_.scratch_elements_.end());
    d_.scratch_elements_.resize(o.scratch);
  }

  // A decoded string kept in the document's text (nlohmann's, for its SAX events); empty when
  // it would not fit, which text_'s reservation rules out.
  std::optional<std::string_view> Keep(std::string_view decoded) {
    if (d_.text_.capacity() - d_.text_.size() < decoded.size()) return std::nullopt;
    const std::size_t at = d_.text_.size();
    d_.text_.append(decoded);
    return std::string_view(d_.text_).substr(at);
  }
  std::string& text() { return d_.text_; }

 private:
  // The node is made in its place and its fields set there: a Node built on the stack field
  // by field and then copied was read back with 16-byte loads over narrower stores, a
  // store-forwarding stall that was most of this function's time.
  Node& Add(Kind kind) {
    const auto index = static_cast<uint32_t>(d_.nodes_.size());
    Node& n = d_.nodes_.emplace_back();
    n.kind = kind;
    if (!d_.open_.empty()) {  // else the root, node 0
      if (d_.open_.back().object)
        d_.scratch_members_.push_back(Member{key_, index});
      else
        d_.scratch_elements_.push_back(index);
    }
    return n;
  }
  void Open(Kind kind) {
    Add(kind);
    const bool object = kind == Kind::kObject;
    d_.open_.push_back(
        {static_cast<uint32_t>(d_.nodes_.size() - 1),
         static_cast<uint32_t>(object ? d_.scratch_members_.size() : d_.scratch_elements_.size()),
         object});
  }
  // Stable: equal names keep their document order. Objects are small (an attribute value has
  // one member, an item a handful), so insertion sort, without allocating, unless it is not.
  template <class It>
  static void SortByName(It first, It last) {
    auto by_name = [](const Member& a, const Member& b) { return a.name < b.name; };
    if (last - first > 32) {
      std::stable_sort(first, last, by_name);
      return;
    }
    for (It i = first + (first != last); i < last; ++i) {
      const Member m = *i;
      It j = i;
      for (; j != first && by_name(m, *(j - 1)); --j) *j = *(j - 1);
      *j = m;
    }
  }

  RequestDoc& d_;
  std::string_view key_;
};

namespace {

class FastParser {
 public:
  FastParser(std::string_view text, Builder* b)
      : p_(text.data()), end_(text.data() + text.size()), b_(*b) {}

  // The whole text as one value (whitespace around it allowed, nothing else).
  bool Document() {
    SkipSpace();
    if (!Value(0)) return false;
    SkipSpace();
    return p_ == end_;
  }

 private:
  void SkipSpace() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  bool Literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() ||
        std::string_view(p_, word.size()) != word)
      return false;
    p_ += word.size();
    return true;
  }

  bool Value(int depth) {
    if (p_ == end_) return false;
    switch (*p_) {
      case '{':
        return depth < kMaxFastDepth && Object(depth + 1);
      case '[':
        return depth < kMaxFastDepth && Array(depth + 1);
      case '"': {
        std::string_view s;
        if (!String(&s)) return false;
        b_.String(s);
        return true;
      }
      case 't':
        b_.Boolean(true);
        return Literal("true");
      case 'f':
        b_.Boolean(false);
        return Literal("false");
      case 'n':
        b_.Null();
        return Literal("null");
      default:
        return Number();
    }
  }

  bool Object(int depth) {
    b_.StartObject();
    const bool ok = Sequence('}', [&] {
      std::string_view key;
      if (p_ == end_ || *p_ != '"' || !String(&key)) return false;
      SkipSpace();
      if (p_ == end_ || *p_ != ':') return false;
      ++p_;
      SkipSpace();
      b_.Key(key);
      return Value(depth);
    });
    if (ok) b_.EndObject();
    return ok;
  }

  bool Array(int depth) {
    b_.StartArray();
    const bool ok = Sequence(']', [&] { return Value(depth); });
    if (ok) b_.EndArray();
    return ok;
  }

  // After the opening bracket: entries read by `entry`, separated by commas, up to `close`.
  template <class Entry>
  bool Sequence(char close, Entry entry) {
    ++p_;
    SkipSpace();
    if (p_ < end_ && *p_ == close) {
      ++p_;
      return true;
    }
    while (true) {
      if (!entry()) return false;
      SkipSpace();
      if (p_ == end_) return false;
      if (*p_ == close) {
        ++p_;
        return true;
      }
      if (*p_ != ',') return false;
      ++p_;
      SkipSpace();
    }
  }

  // Plain bytes: not '"', '\\', a control character or a byte over 0x7F.
  const char* PlainRunEnd(const char* q) const {
#if defined(__SSE2__)
    while (end_ - q >= 16) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
      const __m128i control =
          _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x1F)), _mm_set1_epi8(0x1F));
      const __m128i stop =
          _mm_or_si128(_mm_or_si128(control, _mm_cmplt_epi8(v, _mm_setzero_si128())),
                       _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                    _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
      if (const int mask = _mm_movemask_epi8(stop))
        return q + __builtin_ctz(static_cast<unsigned>(mask));
      q += 16;
    }
#endif
    while (q < end_) {
      const auto c = static_cast<unsigned char>(*q);
      if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') break;
      ++q;
    }
    return q;
  }

  // A string without escapes is a view into the body; one with escapes is decoded into the
  // document's text (which has room for it: see Builder).
  bool String(std::string_view* out) {
    ++p_;  // '"'
    const char* run_end = PlainRunEnd(p_);
    if (run_end < end_ && *run_end == '"') {
      *out = std::string_view(p_, static_cast<std::size_t>(run_end - p_));
      p_ = run_end + 1;
      return true;
    }
    std::string& text = b_.text();
    const std::size_t at = text.size();
    while (true) {
      run_end = PlainRunEnd(p_);
      text.append(p_, run_end);
      p_ = run_end;
      if (p_ == end_) return false;
      if (*p_ == '"') {
        ++p_;
        *out = std::string_view(text).substr(at);
        return true;
      }
      if (*p_ != '\\' || end_ - p_ < 2) return false;  // control characters, bytes over 0x7F
      char c;
      switch (p_[1]) {
        case '"':
          c = '"';
          break;
        case '\\':
          c = '\\';
          break;
        case '/':
          c = '/';
          break;
        case 'b':
          c = '\b';
          break;
        case 'f':
          c = '\f';
          break;
        case 'n':
          c = '\n';
          break;
        case 'r':
          c = '\r';
          break;
        case 't':
          c = '\t';
          break;
        default:
          return false;  // \u (surrogates and all) and invalid escapes
      }
      text.push_back(c);
      p_ += 2;
    }
  }

  // -?(0|[1-9][0-9]*), no fraction or exponent, as nlohmann types it: unsigned when
  // non-negative, signed when negative; past 64 bits it would be a double (not here).
  bool Number() {
    const char* start = p_;
    const bool negative = *p_ == '-';
    const char* digits = p_ + negative;
    const char* q = digits;
    while (q < end_ && *q >= '0' && *q <= '9') ++q;
    if (q == digits || (*digits == '0' && q - digits > 1)) return false;
    if (q < end_ && (*q == '.' || *q == 'e' || *q == 'E')) return false;
    if (negative) {
      int64_t v;
      auto [ptr, ec] = std::from_chars(start, q, v);
      if (ec != std::errc() || ptr != q) return false;
      b_.Integer(v);
    } else {
      uint64_t v;
      auto [ptr, ec] = std::from_chars(start, q, v);
      if (ec != std::errc() || ptr != q) return false;
      b_.Unsigned(v);
    }
    p_ = q;
    return true;
  }

  const char* p_;
  const char* const end_;
  Builder& b_;
};

// nlohmann's parser, for what the fast path leaves: its events build the same document.
class SaxBuilder {
 public:
  using Json = nlohmann::json;
  explicit SaxBuilder(Builder* b) : b_(*b) {}

  bool null() {
    b_.Null();
    return true;
  }
  bool boolean(bool v) {
    b_.Boolean(v);
    return true;
  }
  bool number_integer(Json::number_integer_t v) {
    b_.Integer(v);
    return true;
  }
  bool number_unsigned(Json::number_unsigned_t v) {
    b_.Unsigned(v);
    return true;
  }
  bool number_float(Json::number_float_t v, const Json::string_t&) {
    b_.Float(v);
    return true;
  }
  bool string(Json::string_t& v) {
    const auto kept = b_.Keep(v);
    if (kept) b_.String(*kept);
    return kept.has_value();
  }
  bool binary(Json::binary_t&) { return false; }  // not in JSON text
  bool start_object(std::size_t) {
    b_.StartObject();
    return true;
  }
  bool key(Json::string_t& v) {
    const auto kept = b_.Keep(v);
    if (kept) b_.Key(*kept);
    return kept.has_value();
  }
  bool end_object() {
    b_.EndObject();
    return true;
  }
  bool start_array(std::size_t) {
    b_.StartArray();
    return true;
  }
  bool end_array() {
    b_.EndArray();
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) {
    return false;
  }

 private:
  Builder& b_;
};

}  // namespace

bool FastParse(std::string_view body, RequestDoc* doc) {
  Builder b(doc, body.size());
  return FastParser(body, &b).Document();
}

}  // namespace json_parse_detail

bool RequestDoc::Parse(std::string_view body) {
  if (json_parse_detail::FastParse(body, this)) return true;
  json_parse_detail::Builder b(this, body.size());
  json_parse_detail::SaxBuilder sax(&b);
  return nlohmann::json::sax_parse(body, &sax);
}

void RequestDoc::ShrinkIfLarge() {
  // A thread keeps its document for the next request: not what a 16 MB body needed.
  constexpr std::size_t kKeep = 1 << 16;
  if (nodes_.capacity() > kKeep) std::vector<json_parse_detail::Node>().swap(nodes_);
  if (members_.capacity() > kKeep) std::vector<json_parse_detail::Member>().swap(members_);
  if (elements_.capacity() > kKeep) std::vector<uint32_t>().swap(elements_);
  if (scratch_members_.capacity() > kKeep)
    std::vector<json_parse_detail::Member>().swap(scratch_members_);
  if (scratch_elements_.capacity() > kKeep) std::vector<uint32_t>().swap(scratch_elements_);
  if (open_.capacity() > kKeep) std::vector<json_parse_detail::OpenContainer>().swap(open_);
  if (text_.capacity() > kKeep) std::string().swap(text_);
}

double JsonRef::AsDouble() const {
  switch (node_->kind) {
    case Kind::kUnsigned:
      return static_cast<double>(node_->number.u);
    case Kind::kInteger:
      return static_cast<double>(node_->number.i);
    case Kind::kFloat:
      return node_->number.d;
    default:
      return 0;
  }
}

JsonRef JsonRef::Find(std::string_view name) const {
  if (!IsObject()) return {};
  const json_parse_detail::Member* first = doc_->members_.data() + node_->begin;
  const json_parse_detail::Member* last = first + node_->count;
  // Requests' objects are small: a look at each name's length first beats a binary search.
  if (node_->count <= 8) {
    for (const auto* m = first; m != last; ++m)
      if (m->name.size() == name.size() &&
          std::memcmp(m->name.data(), name.data(), name.size()) == 0)
        return doc_->At(m->value);
    return {};
  }
  const auto* m = std::lower_bound(
      first, last, name,
      [](const json_parse_detail::Member& a, std::string_view n) { return a.name < n; });
  if (m == last || m->name != name) return {};
  return doc_->At(m->value);
}

}  // namespace localdynamo::wire
