#pragma once
// Number: DynamoDB's decimal. Up to 38 significant digits, magnitude 1E-130 to
// 9.9999999999999999999999999999999999999E+125, or zero. Exact: no floating point anywhere.

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "localdynamo/status.h"

// The public API: exported from the shared library, whose other symbols are hidden.
#pragma GCC visibility push(default)

namespace localdynamo {

class Number {
 public:
  Number() = default;  // zero

  // Parses DynamoDB's number text ("-12.5", "1e2", "0100.500", ".5", "5."). Errors
  // (ValidationException), with DynamoDB's texts:
  //  - not a number: "A value provided cannot be converted into a number"
  //  - over 38 significant digits: "Attempting to store more than 38 significant digits in a
  //    Number"
  //  - magnitude too large: "Number overflow. Attempting to store a number with magnitude
  //    larger than supported range"
  //  - magnitude too small: "Number underflow. Attempting to store a number with magnitude
  //    smaller than supported range"
  static Result<Number> Parse(std::string_view text);
  static Number FromInt(int64_t v);
  // Builds a number from parts already in canonical form (as digits()/exponent() return them);
  // for decoders of the project's own on-disk formats. No validation.
  static Number FromCanonicalParts(bool negative, std::string digits, int exponent) {
    Number n;
    n.negative_ = negative && !digits.empty();
    n.digits_ = std::move(digits);
    n.exponent_ = n.digits_.empty() ? 0 : exponent;
    return n;
  }

  // Canonical text: no leading/trailing zeros, no exponent ("1e2" -> "100", "-0" -> "0",
  // "0100.500" -> "100.5", "1E-5" -> "0.00001").
  std::string ToString() const;
  // The same text from canonical parts, appended (for writers reading encoded numbers).
  static void AppendText(std::string* out, bool negative, std::string_view digits, int exponent);

  bool is_zero() const { return digits_.empty(); }
  bool negative() const { return negative_; }
  // Significant digits without leading/trailing zeros ("" for zero).
  const std::string& digits() const { return digits_; }
  // value = 0.d1d2d3... x 10^exponent (for nonzero numbers).
  int exponent() const { return exponent_; }

  // Exact numeric order.
  std::strong_ordering operator<=>(const Number& other) const;
  bool operator==(const Number& other) const = default;

  // Exact sum/difference with DynamoDB's overflow / underflow / precision errors
  // (ValidationException), as UpdateExpression SET a = a + :v and ADD report them.
  static Result<Number> Add(const Number& a, const Number& b);
  static Result<Number> Subtract(const Number& a, const Number& b);

  // Bytes this number adds to an item's size, as DynamoDB counts it.
  std::size_t StorageSize() const { return StorageSizeOf(digits_.size(), exponent_); }
  // The same from the parts (digit_count 0 is zero), for sizes read off encoded items.
  static std::size_t StorageSizeOf(std::size_t digit_count, int exponent);

 private:
  bool negative_ = false;
  std::string digits_;  // '0'..'9' characters, first and last nonzero; empty means zero
  int exponent_ = 0;
};

}  // namespace localdynamo

#pragma GCC visibility pop
