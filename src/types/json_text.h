#pragma once
// DynamoDB JSON text for values and items ({"S":"x"}, {"N":"12"}, {"B":"<base64>"}, ...),
// written straight into a string. One writer for debug strings and for the wire's hot
// responses.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "localdynamo/value.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace localdynamo {

std::string Base64Encode(std::string_view bytes);
void AppendJsonString(std::string* out, std::string_view s);
// The most bytes WriteJsonString may touch for `size` bytes of text: every byte as \u00XX,
// the quotes, and 8 bytes of slack for its word-at-a-time copies.
constexpr std::size_t JsonStringBound(std::size_t size) { return 6 * size + 2 + 8; }
// Writes `s` as a JSON string, quotes included, at `out`, which has room for
// JsonStringBound(s.size()) bytes; returns the end of what it wrote. Inline: a page of items
// writes hundreds of short strings.
inline char* WriteJsonString(char* out, std::string_view s);
// Writes the escape sequence for `c` (a control character, '"' or '\\'); returns the end.
char* WriteJsonEscape(char* out, unsigned char c);
// How a value of each type starts: {"S": ... {"BOOL":, with room to be copied as one 8-byte
// word (the longest is 8 bytes) before the end is moved back to `size`.
struct JsonOpening {
  char bytes[8];
  std::size_t size;
  std::string_view text() const { return {bytes, size}; }
};
inline const JsonOpening& JsonValueOpening(Type t);
void AppendValueJson(std::string* out, const AttributeValue& v);
void AppendItemJson(std::string* out, const Item& item);

namespace json_text_detail {

// Whether any of the 8 bytes in `w` must be escaped in JSON: a control character (< 0x20),
// '"' or '\\'. Strings are mostly plain text, so they are scanned a word at a time. (A byte
// after one that must be escaped may be flagged too: the byte loop sorts that out.)
constexpr bool NeedsEscape(uint64_t w) {
  constexpr uint64_t kOnes = 0x0101010101010101ull, kHigh = 0x8080808080808080ull;
  auto has_zero = [](uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  const uint64_t below_space = (w - kOnes * 0x20) & ~w & kHigh;
  return (below_space | has_zero(w ^ (kOnes * '"')) | has_zero(w ^ (kOnes * '\\'))) != 0;
}

constexpr bool Escaped(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

// WriteJsonString's way for a string with something to escape: `s` whole at `p` (just after
// the opening quote), and the closing quote.
char* WriteEscapedRest(char* p, std::string_view s);

inline constexpr std::array<JsonOpening, 10> kOpenings = [] {
  std::array<JsonOpening, 10> openings{};
  for (int i = 0; i < 10; ++i) {
    const std::string_view name = TypeName(static_cast<Type>(i));
    JsonOpening& o = openings[i];
    o.bytes[0] = '{';
    o.bytes[1] = '"';
    for (std::size_t j = 0; j < name.size(); ++j) o.bytes[2 + j] = name[j];
    o.bytes[2 + name.size()] = '"';
    o.bytes[3 + name.size()] = ':';
    o.size = 4 + name.size();
  }
  return openings;
}();

}  // namespace json_text_detail

inline const JsonOpening& JsonValueOpening(Type t) {
  return json_text_detail::kOpenings[static_cast<int>(t)];
}

namespace json_text_detail {

#if defined(__SSE2__)
// Whether any of 16 bytes must be escaped (exactly: no false alarms).
inline bool Escapes16(__m128i v) {
  const __m128i control = _mm_cmpeq_epi8(_mm_max_epu8(v, _mm_set1_epi8(0x1F)), _mm_set1_epi8(0x1F));
  const __m128i quote = _mm_cmpeq_epi8(v, _mm_set1_epi8('"'));
  const __m128i backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8('\\'));
  return _mm_movemask_epi8(_mm_or_si128(control, _mm_or_si128(quote, backslash))) != 0;
}
#endif

// Copies a string that needs no escaping to `p` and returns true; false (having written who
// knows what) if it may need some. Loads and stores overlap rather than step through a tail
// a byte at a time: most names and values are short.
inline bool CopyPlain(char* p, const char* in, std::size_t n) {
#if defined(__SSE2__)
  if (n >= 16) {
    for (std::size_t at = 0;; at += 16) {
      if (at + 16 > n) at = n - 16;  // the last 16 bytes, overlapping the ones before
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(in + at));
      _mm_storeu_si128(reinterpret_cast<__m128i*>(p + at), v);
      if (Escapes16(v)) return false;
      if (at + 16 == n) return true;
    }
  }
#endif
  if (n >= 8) {
    uint64_t first, last;
    std::memcpy(&first, in, 8);
    std::memcpy(&last, in + n - 8, 8);
    if (NeedsEscape(first) || NeedsEscape(last)) return false;
    std::memcpy(p, &first, 8);
    std::memcpy(p + n - 8, &last, 8);
    return true;
  }
  if (n >= 4) {
    uint32_t head, tail;
    std::memcpy(&head, in, 4);
    std::memcpy(&tail, in + n - 4, 4);
    if (NeedsEscape(head | (uint64_t{tail} << 32))) return false;
    std::memcpy(p, &head, 4);
    std::memcpy(p + n - 4, &tail, 4);
    return true;
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (Escaped(static_cast<unsigned char>(in[i]))) return false;
    p[i] = in[i];
  }
  return true;
}

}  // namespace json_text_detail

inline char* WriteJsonString(char* p, std::string_view s) {
  *p++ = '"';
  if (!json_text_detail::CopyPlain(p, s.data(), s.size())) [[unlikely]]
    return json_text_detail::WriteEscapedRest(p, s);
  p += s.size();
  *p++ = '"';
  return p;
}

#if defined(__x86_64__)
// WriteJsonString with AVX-512 (BW) where the CPU has it (CpuHasAvx512Bw, types/cpu_features.h;
// callers must check it first): a string of up to 64 bytes is loaded, checked and
// stored in one masked step each, whatever its length, instead of the loop and the length
// cases above, whose branches a page of items of varied lengths mispredicts. Written whole
// inline into its caller, which must carry LD_JSON_AVX512 itself (a function's target
// options bound what can be inlined into it).
#define LD_JSON_AVX512 __attribute__((target("avx512f,avx512bw,avx512vl,bmi2")))

namespace json_text_detail {
LD_JSON_AVX512 inline bool Escapes64(__m512i v, __mmask64 m) {
  return (_mm512_mask_cmplt_epu8_mask(m, v, _mm512_set1_epi8(0x20)) |
          _mm512_mask_cmpeq_epi8_mask(m, v, _mm512_set1_epi8('"')) |
          _mm512_mask_cmpeq_epi8_mask(m, v, _mm512_set1_epi8('\\'))) != 0;
}
}  // namespace json_text_detail

LD_JSON_AVX512 inline char* WriteJsonStringAvx512(char* p, std::string_view s) {
  using json_text_detail::Escapes64;
  *p++ = '"';
  const char* in = s.data();
  std::size_t at = 0;
  for (; s.size() - at > 64; at += 64) {
    const __m512i v = _mm512_loadu_si512(in + at);
    if (Escapes64(v, ~__mmask64{0})) [[unlikely]]
      return json_text_detail::WriteEscapedRest(p, s);
    _mm512_storeu_si512(p + at, v);
  }
  const __mmask64 m = _bzhi_u64(~uint64_t{0}, static_cast<unsigned>(s.size() - at));
  const __m512i v = _mm512_maskz_loadu_epi8(m, in + at);
  if (Escapes64(v, m)) [[unlikely]]
    return json_text_detail::WriteEscapedRest(p, s);
  _mm512_mask_storeu_epi8(p + at, m, v);
  p += s.size();
  *p++ = '"';
  return p;
}
#endif

}  // namespace localdynamo
