// TagResource, UntagResource and ListTagsOfResource: a table's tags (or a stream's own), with
// DynamoDB's checks, texts and order. Recorded against DynamoDB by others (dynalite's tests,
// 2017; ExtendDB's ARN checks, 2026; the ACK controller's probes of tag contents, Oct 2026):
//   the ARN's presence ("Invalid TableArn"), then the ARN: "arn:" prefix, service, resource
//   kind (a table or a stream; an index is refused), account, region; then the tags' contents
//   (all-or-nothing); then whether the table exists; then the limits on the merged set.
// Tags are kept in the catalog with the table (and go with it when it is deleted).

#include <algorithm>

#include <fmt/format.h>

#include "engine/arn.h"
#include "engine/database_impl.h"
#include "engine/errors.h"
#include "types/ascii.h"

namespace localdynamo {
namespace {

using engine::StreamMeta;
using engine::TableMeta;

constexpr std::size_t kMaxTags = 50;
constexpr std::size_t kMaxTagSetBytes = 10240;
constexpr std::size_t kMaxKeyLength = 128;
constexpr std::size_t kMaxValueLength = 256;

// A string's length as DynamoDB (Java) counts it: UTF-16 code units.
std::size_t Utf16Length(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) n += c >= 0xF0 ? 2 : 1;
  return n;
}

// Whether `c` may be in a tag: DynamoDB's pattern is letters, separators and numbers of any
// script (\p{L}\p{Z}\p{N}) and _ . : / = + - @. Without Unicode tables, non-ASCII code points
// are allowed except the blocks of punctuation, symbols, marks, controls and emoji (what the
// ACK probes saw refused: emoji, and ASCII's other punctuation).
bool AllowedCodePoint(char32_t c) {
  if (c < 0x80) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           std::string_view(" _.:/=+-@").find(static_cast<char>(c)) != std::string_view::npos;
  }
  if (c >= 0xA1 && c <= 0xBF)  // Latin-1 punctuation and symbols, but its letters and numbers
    return c == 0xAA || c == 0xB2 || c == 0xB3 || c == 0xB5 || c == 0xB9 || c == 0xBA || c >= 0xBC;
  struct Range {
    char32_t first, last;
  };
  static constexpr Range kRefused[] = {
      {0x80, 0x9F},       {0xD7, 0xD7},        {0xF7, 0xF7},     {0x300, 0x36F},
      {0x200B, 0x200F},   {0x2010, 0x2027},    {0x202A, 0x202E}, {0x2030, 0x205E},
      {0x2060, 0x206F},   {0x20A0, 0x20FF},    {0x2190, 0x245F}, {0x2500, 0x2BFF},
      {0x2E00, 0x2E7F},   {0x3001, 0x3004},    {0x3008, 0x3020}, {0xD800, 0xF8FF},
      {0xFE00, 0xFE6F},   {0xFEFF, 0xFEFF},    {0xFF01, 0xFF0F}, {0xFF1A, 0xFF20},
      {0xFF3B, 0xFF40},   {0xFF5B, 0xFF65},    {0xFFF0, 0xFFFF}, {0x1D000, 0x1D24F},
      {0x1F000, 0x1FAFF}, {0xE0000, 0x10FFFF},
  };
  return std::none_of(std::begin(kRefused), std::end(kRefused),
                      [c](const Range& r) { return c >= r.first && c <= r.last; });
}

bool AllowedText(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto lead = static_cast<unsigned char>(s[i]);
    const std::size_t n = lead < 0x80    ? 1
                          : lead >= 0xF0 ? 4
                          : lead >= 0xE0 ? 3
                          : lead >= 0xC2 ? 2
                                         : 0;
    if (n == 0 || i + n > s.size()) return false;  // not UTF-8
    char32_t c = n == 1 ? lead : lead & (0x7F >> n);
    for (std::size_t k = 1; k < n; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return false;
      c = (c << 6) | (b & 0x3F);
    }
    if (!AllowedCodePoint(c)) return false;
    i += n;
  }
  return true;
}

Error InvalidKey(std::string_view key) {
  return ValidationError(fmt::format("The Tag Key provided is invalid, Key: {}", key));
}
Error TooManyTags() {
  return ValidationError("Number of Tags exceed the current limit for the provided ResourceArn");
}

// A key to set or remove: its length and characters, then the reserved prefix (any case).
Status CheckKey(std::string_view key) {
  const std::size_t length = Utf16Length(key);
  if (length == 0 || length > kMaxKeyLength || !AllowedText(key)) return InvalidKey(key);
  if (StartsWithIgnoreCase(key, "aws:"))
    return ValidationError(fmt::format("Tag Key cannot be prefixed with aws:, Key: {}", key));
  return OkStatus();
}

// Where an ARN points: a table, or one of its streams.
struct Target {
  std::string table;
  std::optional<std::string> stream_arn;
};

Result<Target> ParseResourceArn(const Database::Impl& db, std::string_view arn) {
  if (arn.empty()) return ValidationError("Invalid TableArn");
  const Error invalid = ValidationError(
      fmt::format("Invalid TableArn: Invalid ResourceArn provided as input {}", arn));
  if (!arn.starts_with("arn:"))
    return errors::Invalid(fmt::format("ARNs must start with 'arn:': {}", arn));
  const auto parts = engine::SplitArn(arn);
  if (!parts) return invalid;
  const std::string_view service = parts->service, region = parts->region, account = parts->account,
                         resource = parts->resource;
  const Error denied{ErrorCode::kAccessDenied, "Access is denied", nullptr, {}};
  if (service != "dynamodb") return denied;
  Target target;
  if (!resource.starts_with("table/"))
    return errors::Invalid(fmt::format("Provided Arn is not a DynamoDB resource arn: {}", arn));
  const std::string_view path = resource.substr(6);
  const std::size_t slash = path.find('/');
  target.table = path.substr(0, slash);
  if (slash != std::string_view::npos) {
    const std::string_view sub = path.substr(slash + 1);
    if (sub.starts_with("index/"))
      return errors::Invalid(
          fmt::format("Invalid resource arn provided, only table or stream is accepted. Provided "
                      "resource arn: {}",
                      arn));
    if (!sub.starts_with("stream/") || sub.size() == 7 ||
        sub.find('/', 7) != std::string_view::npos)
      return errors::Invalid(fmt::format("Provided Arn is not a DynamoDB resource arn: {}", arn));
    target.stream_arn = std::string(arn);
  }
  if (account != db.options.account_id) return denied;
  if (region != db.options.region || target.table.empty()) return invalid;
  return target;
}

// The table the ARN names, and the tags it addresses (the table's, or its stream's).
struct Found {
  TableMeta table;
  std::optional<std::size_t> stream;  // in table.streams
  std::vector<Tag>& tags() { return stream ? table.streams[*stream].tags : table.tags; }
};

Result<std::optional<Found>> FindTarget(Database::Impl& db, const storage::Txn& txn,
                                        const Target& target) {
  LD_ASSIGN_OR_RETURN(auto t, db.catalog.Find(txn, target.table));
  if (!t) return std::optional<Found>();
  Found found{*t, std::nullopt};
  if (target.stream_arn) {
    const auto& streams = found.table.streams;
    auto s = std::find_if(streams.begin(), streams.end(),
                          [&](const StreamMeta& m) { return m.arn == *target.stream_arn; });
    if (s == streams.end()) return std::optional<Found>();
    found.stream = static_cast<std::size_t>(s - streams.begin());
  }
  return std::optional<Found>(std::move(found));
}

Error NotFound(std::string_view arn) {
  return ResourceNotFound(
      fmt::format("Requested resource not found: ResourceArn: {} not found", arn));
}

}  // namespace

namespace engine {

Status CheckTagsToSet(const std::vector<Tag>& tags) {
  for (const Tag& tag : tags) {
    LD_RETURN_IF_ERROR(CheckKey(tag.key));
    if (Utf16Length(tag.value) > kMaxValueLength || !AllowedText(tag.value))
      return ValidationError(
          fmt::format("The Tag Value provided is invalid, Value: {}", tag.value));
  }
  for (std::size_t i = 0; i < tags.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (tags[i].key == tags[j].key)
        return ValidationError(fmt::format(
            "Duplicate Tag Keys provided as input: Duplicate Tag Key found {}", tags[i].key));
  if (tags.size() > kMaxTags) return TooManyTags();
  return OkStatus();
}

Status CheckTagSet(const std::vector<Tag>& tags) {
  if (tags.size() > kMaxTags) return TooManyTags();
  std::size_t bytes = 0;
  for (const Tag& tag : tags) bytes += tag.key.size() + tag.value.size();
  if (bytes > kMaxTagSetBytes)
    return ValidationError(fmt::format("Tag set size {} bytes is above max size limit of {} bytes",
                                       bytes, kMaxTagSetBytes));
  return OkStatus();
}

}  // namespace engine

Status Database::TagResource(const TagResourceRequest& r) {
  Impl& db = *impl_;
  LD_ASSIGN_OR_RETURN(Target target, ParseResourceArn(db, r.resource_arn));
  if (r.tags.empty()) return ValidationError("Atleast one Tag needs to be provided as Input.");
  LD_RETURN_IF_ERROR(engine::CheckTagsToSet(r.tags));
  LD_ASSIGN_OR_RETURN(auto txn, db.BeginWrite());
  LD_ASSIGN_OR_RETURN(auto found, FindTarget(db, txn, target));
  if (!found) return NotFound(r.resource_arn);
  std::vector<Tag>& tags = found->tags();
  for (const Tag& tag : r.tags) {
    auto it =
        std::find_if(tags.begin(), tags.end(), [&](const Tag& t) { return t.key == tag.key; });
    if (it != tags.end()) {
      it->value = tag.value;
    } else {
      tags.push_back(tag);
    }
  }
  LD_RETURN_IF_ERROR(engine::CheckTagSet(tags));
  LD_RETURN_IF_ERROR(engine::Catalog::Save(txn, found->table));
  return txn.Commit();
}

Status Database::UntagResource(const UntagResourceRequest& r) {
  Impl& db = *impl_;
  LD_ASSIGN_OR_RETURN(Target target, ParseResourceArn(db, r.resource_arn));
  if (r.tag_keys.empty())
    return ValidationError("Atleast one Tag Key needs to be provided as Input.");
  if (r.tag_keys.size() > kMaxTags) return TooManyTags();
  for (const std::string& key : r.tag_keys) LD_RETURN_IF_ERROR(CheckKey(key));
  LD_ASSIGN_OR_RETURN(auto txn, db.BeginWrite());
  LD_ASSIGN_OR_RETURN(auto found, FindTarget(db, txn, target));
  if (!found) return NotFound(r.resource_arn);
  std::vector<Tag>& tags = found->tags();
  const auto removed = std::remove_if(tags.begin(), tags.end(), [&](const Tag& t) {
    return std::find(r.tag_keys.begin(), r.tag_keys.end(), t.key) != r.tag_keys.end();
  });
  if (removed == tags.end()) return OkStatus();  // none of them was there: nothing to write
  tags.erase(removed, tags.end());
  LD_RETURN_IF_ERROR(engine::Catalog::Save(txn, found->table));
  return txn.Commit();
}

Result<ListTagsOfResourceResponse> Database::ListTagsOfResource(
    const ListTagsOfResourceRequest& r) {
  Impl& db = *impl_;
  LD_ASSIGN_OR_RETURN(Target target, ParseResourceArn(db, r.resource_arn));
  LD_ASSIGN_OR_RETURN(auto txn, db.BeginRead());
  LD_ASSIGN_OR_RETURN(auto found, FindTarget(db, txn, target));
  if (!found) return NotFound(r.resource_arn);
  return ListTagsOfResourceResponse{found->tags()};
}

}  // namespace localdynamo
