#include "wire/json_parse.h"

#include <charconv>
#include <cstdint>
#include <string>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace localdynamo::wire {
namespace json_parse_detail {
namespace {

class FastParser {
 public:
  explicit FastParser(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

  // The whole text as one value (whitespace around it allowed, nothing else).
  bool Document(json* out) {
    SkipSpace();
    if (!Value(out, 0)) return false;
    SkipSpace();
    return p_ == end_;
  }

 private:
  void SkipSpace() {
    while (p_ < end_ && (*p_ == ' ' || *p_ == '\n' || *p_ == '\r' || *p_ == '\t')) ++p_;
  }

  bool Literal(std::string_view word) {
    if (static_cast<std::size_t>(end_ - p_) < word.size() || std::string_view(p_, word.size()) != word) return false;
    p_ += word.size();
    return true;
  }

  bool Value(json* out, int depth) {
    if (p_ == end_) return false;
    switch (*p_) {
      case '{': return depth < kMaxFastDepth && Object(out, depth + 1);
      case '[': return depth < kMaxFastDepth && Array(out, depth + 1);
      case '"': {
        std::string s;
        if (!String(&s)) return false;
        *out = std::move(s);
        return true;
      }
      case 't': *out = true; return Literal("true");
      case 'f': *out = false; return Literal("false");
      case 'n': *out = nullptr; return Literal("null");
      default: return Number(out);
    }
  }

  bool Object(json* out, int depth) {
    *out = json::object();
    auto& members = *out->get_ptr<json::object_t*>();
    return Sequence('}', [&] {
      std::string key;
      if (p_ == end_ || *p_ != '"' || !String(&key)) return false;
      SkipSpace();
      if (p_ == end_ || *p_ != ':') return false;
      ++p_;
      SkipSpace();
      json value;
      if (!Value(&value, depth)) return false;
      members.insert_or_assign(std::move(key), std::move(value));  // the last of equal keys wins
      return true;
    });
  }

  bool Array(json* out, int depth) {
    *out = json::array();
    auto& elements = *out->get_ptr<json::array_t*>();
    return Sequence(']', [&] { return Value(&elements.emplace_back(), depth); });
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
      const __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x1F)), _mm_set1_epi8(0x1F));
      const __m128i stop = _mm_or_si128(_mm_or_si128(control, _mm_cmplt_epi8(v, _mm_setzero_si128())),
                                        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('"')),
                                                     _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'))));
      if (const int mask = _mm_movemask_epi8(stop)) return q + __builtin_ctz(static_cast<unsigned>(mask));
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

  bool String(std::string* out) {
    ++p_;  // '"'
    while (true) {
      const char* run_end = PlainRunEnd(p_);
      out->append(p_, run_end);
      p_ = run_end;
      if (p_ == end_) return false;
      if (*p_ == '"') {
        ++p_;
        return true;
      }
      if (*p_ != '\\' || end_ - p_ < 2) return false;  // control characters, bytes over 0x7F
      char c;
      switch (p_[1]) {
        case '"': c = '"'; break;
        case '\\': c = '\\'; break;
        case '/': c = '/'; break;
        case 'b': c = '\b'; break;
        case 'f': c = '\f'; break;
        case 'n': c = '\n'; break;
        case 'r': c = '\r'; break;
        case 't': c = '\t'; break;
        default: return false;  // \u (surrogates and all) and invalid escapes
      }
      out->push_back(c);
      p_ += 2;
    }
  }

  // -?(0|[1-9][0-9]*), no fraction or exponent, as nlohmann types it: unsigned when
  // non-negative, signed when negative; past 64 bits it would be a double (not here).
  bool Number(json* out) {
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
      *out = v;
    } else {
      uint64_t v;
      auto [ptr, ec] = std::from_chars(start, q, v);
      if (ec != std::errc() || ptr != q) return false;
      *out = v;
    }
    p_ = q;
    return true;
  }

  const char* p_;
  const char* const end_;
};

}  // namespace

std::optional<json> FastParse(std::string_view body) {
  json out;
  if (!FastParser(body).Document(&out)) return std::nullopt;
  return out;
}

}  // namespace json_parse_detail

void ReleaseRequestTree(json& j, int depth) {
  if (depth >= json_parse_detail::kMaxFastDepth) return;
  if (auto* members = j.get_ptr<json::object_t*>()) {
    for (auto& [name, value] : *members) ReleaseRequestTree(value, depth + 1);
    members->clear();
  } else if (auto* elements = j.get_ptr<json::array_t*>()) {
    for (auto& element : *elements) ReleaseRequestTree(element, depth + 1);
    elements->clear();
  }
}

json ParseRequestJson(std::string_view body) {
  if (auto fast = json_parse_detail::FastParse(body)) return std::move(*fast);
  return json::parse(body, nullptr, false);
}

}  // namespace localdynamo::wire
