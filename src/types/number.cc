// DynamoDB's Number: sign + significant digits + exponent, exact (no floating point).
// Limits and texts from
// https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html
// ("Numbers can have up to 38 digits of precision ... Positive range: 1E-130 to
// 9.9999999999999999999999999999999999999E+125").

#include "localdynamo/number.h"

#include <algorithm>
#include <charconv>

namespace localdynamo {
namespace {

constexpr int kMaxDigits = 38;
// value = 0.d1d2... x 10^exponent; 1E-130 is 0.1 x 10^-129; 9.99...E+125 is 0.999.. x 10^126.
constexpr int kMinExponent = -129;
constexpr int kMaxExponent = 126;

Error NotANumber() { return ValidationError("A value provided cannot be converted into a number"); }
Error TooPrecise() {
  return ValidationError("Attempting to store more than 38 significant digits in a Number");
}
Error Overflow() {
  return ValidationError(
      "Number overflow. Attempting to store a number with magnitude larger than supported range");
}
Error Underflow() {
  return ValidationError(
      "Number underflow. Attempting to store a number with magnitude smaller than supported range");
}

// Builds a canonical number from raw digits (may have leading/trailing zeros) where the value
// is 0.<digits> x 10^exponent, checking DynamoDB's limits.
Result<Number> Canonical(bool negative, std::string digits, long exponent) {
  std::size_t first = digits.find_first_not_of('0');
  if (first == std::string::npos) return Number();
  exponent -= static_cast<long>(first);
  digits.erase(0, first);
  digits.erase(digits.find_last_not_of('0') + 1);
  if (digits.size() > kMaxDigits) return TooPrecise();
  if (exponent > kMaxExponent) return Overflow();
  if (exponent < kMinExponent) return Underflow();
  return Number::FromCanonicalParts(negative, std::move(digits), static_cast<int>(exponent));
}

// |a| compared with |b|.
int CompareMagnitude(const Number& a, const Number& b) {
  if (a.is_zero() || b.is_zero()) return (a.is_zero() ? 0 : 1) - (b.is_zero() ? 0 : 1);
  if (a.exponent() != b.exponent()) return a.exponent() < b.exponent() ? -1 : 1;
  int c = a.digits().compare(b.digits());  // same exponent: digit strings align at the left
  return (c > 0) - (c < 0);
}

// Digits of |n| aligned so that position 0 is 10^(top-1); `width` digits in all.
std::string Aligned(const Number& n, int top, int width) {
  std::string out(static_cast<std::size_t>(width), '0');
  int offset = top - n.exponent();
  for (std::size_t i = 0; i < n.digits().size(); ++i)
    out[static_cast<std::size_t>(offset) + i] = n.digits()[i];
  return out;
}

Result<Number> AddSigned(const Number& a, bool a_neg, const Number& b, bool b_neg) {
  if (a.is_zero())
    return b.is_zero() ? Number() : Number::FromCanonicalParts(b_neg, b.digits(), b.exponent());
  if (b.is_zero()) return Number::FromCanonicalParts(a_neg, a.digits(), a.exponent());
  int top = std::max(a.exponent(), b.exponent()) + 1;  // room for a carry
  int low = std::min(a.exponent() - static_cast<int>(a.digits().size()),
                     b.exponent() - static_cast<int>(b.digits().size()));
  int width = top - low;
  std::string x = Aligned(a, top, width), y = Aligned(b, top, width);
  std::string result(static_cast<std::size_t>(width), '0');
  bool negative;
  if (a_neg == b_neg) {
    int carry = 0;
    for (int i = width - 1; i >= 0; --i) {
      int s = (x[i] - '0') + (y[i] - '0') + carry;
      result[i] = static_cast<char>('0' + s % 10);
      carry = s / 10;
    }
    negative = a_neg;
  } else {
    int mc = CompareMagnitude(a, b);
    if (mc == 0) return Number();
    const std::string& big = mc > 0 ? x : y;
    const std::string& small = mc > 0 ? y : x;
    negative = mc > 0 ? a_neg : b_neg;
    int borrow = 0;
    for (int i = width - 1; i >= 0; --i) {
      int d = (big[i] - '0') - (small[i] - '0') - borrow;
      borrow = d < 0;
      result[i] = static_cast<char>('0' + (d + 10) % 10);
    }
  }
  return Canonical(negative, std::move(result), top);
}

}  // namespace

Result<Number> Number::Parse(std::string_view text) {
  std::size_t i = 0;
  bool negative = false;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) negative = text[i++] == '-';
  std::string digits;
  long point = -1;  // digits before the decimal point
  bool any_digit = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
      any_digit = true;
    } else if (c == '.' && point < 0) {
      point = static_cast<long>(digits.size());
    } else {
      break;
    }
  }
  if (!any_digit) return NotANumber();
  if (point < 0) point = static_cast<long>(digits.size());
  long exp10 = 0;
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) exp_negative = text[i++] == '-';
    if (i == text.size()) return NotANumber();
    for (; i < text.size(); ++i) {
      if (text[i] < '0' || text[i] > '9') return NotANumber();
      if (exp10 < 100000) exp10 = exp10 * 10 + (text[i] - '0');
    }
    if (exp_negative) exp10 = -exp10;
  }
  if (i != text.size()) return NotANumber();
  return Canonical(negative, std::move(digits), point + exp10);
}

Number Number::FromInt(int64_t v) {
  bool negative = v < 0;
  uint64_t mag = negative ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  std::string digits = std::to_string(mag);
  int exponent = static_cast<int>(digits.size());
  return std::move(Canonical(negative, std::move(digits), exponent)).value();
}

std::string Number::ToString() const {
  std::string out;
  AppendText(&out, negative_, digits_, exponent_);
  return out;
}

void Number::AppendText(std::string* out, bool negative, std::string_view digits, int exponent) {
  if (digits.empty()) {
    out->push_back('0');
    return;
  }
  if (negative) out->push_back('-');
  const int n = static_cast<int>(digits.size());
  if (exponent <= 0) {
    out->append("0.");
    out->append(static_cast<std::size_t>(-exponent), '0');
    out->append(digits);
  } else if (exponent >= n) {
    out->append(digits);
    out->append(static_cast<std::size_t>(exponent - n), '0');
  } else {
    out->append(digits.substr(0, static_cast<std::size_t>(exponent)));
    out->push_back('.');
    out->append(digits.substr(static_cast<std::size_t>(exponent)));
  }
}

std::strong_ordering Number::operator<=>(const Number& other) const {
  auto sign = [](const Number& x) { return x.is_zero() ? 0 : (x.negative_ ? -1 : 1); };
  int sa = sign(*this), sb = sign(other);
  if (sa != sb) return sa <=> sb;
  int m = CompareMagnitude(*this, other);
  if (sa < 0) m = -m;
  return m <=> 0;
}

Result<Number> Number::Add(const Number& a, const Number& b) {
  return AddSigned(a, a.negative(), b, b.negative());
}

Result<Number> Number::Subtract(const Number& a, const Number& b) {
  return AddSigned(a, a.negative(), b, !b.negative());
}

// dynalite's itemSize (tuned against DynamoDB's consumed capacity): digits are stored in
// base-100 pairs aligned on the decimal point, plus one byte.
std::size_t Number::StorageSizeOf(std::size_t digit_count, int exponent) {
  if (digit_count == 0) return 3;  // Big.js holds zero as one digit "0" at exponent 0
  // Big.js form: c = digits, e = exponent of the first digit (value = d1.d2... x 10^e).
  const long e = exponent - 1;
  const std::size_t pairs = (digit_count + 1) / 2;
  return pairs + ((e % 2) ? 1 : 2);
}

}  // namespace localdynamo
