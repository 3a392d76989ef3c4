#include "engine/stream_store.h"

#include <charconv>
#include <cstring>

#include <fmt/format.h>

#include "storage/item_codec.h"

namespace localdynamo::engine {

std::string StreamKey(uint32_t stream_number, uint64_t sequence) {
  std::string k;
  for (int s = 24; s >= 0; s -= 8) k.push_back(static_cast<char>(stream_number >> s));
  for (int s = 56; s >= 0; s -= 8) k.push_back(static_cast<char>(sequence >> s));
  return k;
}

std::string TrimmedKey(uint32_t stream_number) { return fmt::format("trimmed/{}", stream_number); }

std::string SequenceText(uint64_t sequence) {
  // DynamoDB's sequence numbers are decimal strings of 21+ digits; a leading 1 keeps ours
  // the same width without leading zeros.
  return fmt::format("1{:020}", sequence);
}

std::optional<uint64_t> ParseSequence(std::string_view text) {
  if (text.size() != 21 || text[0] != '1') return std::nullopt;
  uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data() + 1, text.data() + text.size(), v);
  if (ec != std::errc() || p != text.data() + text.size()) return std::nullopt;
  return v;
}

namespace {

void AppendString(std::string* out, std::string_view s) {
  storage::AppendVarint(out, s.size());
  out->append(s);
}

bool ReadString(std::string_view* in, std::string* out) {
  uint64_t n;
  if (!storage::ReadVarint(in, &n) || n > in->size()) return false;
  out->assign(in->data(), n);
  in->remove_prefix(n);
  return true;
}

bool ReadItemField(std::string_view* in, Item* out) {
  std::string bytes;
  return ReadString(in, &bytes) && storage::DecodeItem(bytes, out);
}

}  // namespace

std::string EncodeStreamRecord(const StreamRecord& r) {
  return EncodeStreamRecord(r, r.new_image ? &*r.new_image : nullptr, r.old_image ? &*r.old_image : nullptr);
}

std::string EncodeStreamRecord(const StreamRecord& r, const Item* new_image, const Item* old_image) {
  std::string out;
  AppendString(&out, r.event_id);
  AppendString(&out, r.event_name);
  AppendString(&out, r.aws_region);
  int64_t millis = static_cast<int64_t>(r.approximate_creation_date_time * 1000.0 + 0.5);
  storage::AppendVarint(&out, static_cast<uint64_t>(millis));
  AppendString(&out, r.sequence_number);
  storage::AppendVarint(&out, static_cast<uint64_t>(r.size_bytes));
  out.push_back(static_cast<char>(r.stream_view_type));
  out.push_back(static_cast<char>((new_image ? 1 : 0) | (old_image ? 2 : 0)));
  AppendString(&out, storage::EncodeItem(r.keys));
  if (new_image) AppendString(&out, storage::EncodeItem(*new_image));
  if (old_image) AppendString(&out, storage::EncodeItem(*old_image));
  AppendString(&out, r.table_name);
  AppendString(&out, r.stream_arn);
  return out;
}

bool DecodeStreamRecord(std::string_view in, StreamRecord* r) {
  uint64_t millis, size;
  if (!ReadString(&in, &r->event_id) || !ReadString(&in, &r->event_name) ||
      !ReadString(&in, &r->aws_region) || !storage::ReadVarint(&in, &millis) ||
      !ReadString(&in, &r->sequence_number) || !storage::ReadVarint(&in, &size) || in.size() < 2)
    return false;
  r->approximate_creation_date_time = static_cast<double>(millis) / 1000.0;
  r->size_bytes = static_cast<int64_t>(size);
  r->stream_view_type = static_cast<StreamViewType>(in[0]);
  int flags = in[1];
  in.remove_prefix(2);
  if (!ReadItemField(&in, &r->keys)) return false;
  if (flags & 1) {
    r->new_image.emplace();
    if (!ReadItemField(&in, &*r->new_image)) return false;
  }
  if (flags & 2) {
    r->old_image.emplace();
    if (!ReadItemField(&in, &*r->old_image)) return false;
  }
  return ReadString(&in, &r->table_name) && ReadString(&in, &r->stream_arn);
}

}  // namespace localdynamo::engine
