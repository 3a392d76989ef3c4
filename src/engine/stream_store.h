#pragma once
// Stream records in the `stream` DBI:
//   key   := u32 stream number (big-endian) | u64 sequence (big-endian)
//   value := on-disk record (stream_store.cc)
// Sequence numbers come from one counter per database, so they increase strictly in commit
// order across all streams.

#include <cstdint>
#include <optional>
#include <string>

#include "localdynamo/stream.h"
#include "storage/lmdb.h"

namespace localdynamo::engine {

std::string StreamKey(uint32_t stream_number, uint64_t sequence);
// Meta key holding the last sequence trimmed from a stream (u64, native order).
std::string TrimmedKey(uint32_t stream_number);
std::string EncodeStreamRecord(const StreamRecord& r);
// The same, with the images passed by pointer (r's own images are ignored): the write path
// encodes straight from the items it stores, without copying them into a record.
std::string EncodeStreamRecord(const StreamRecord& r, const Item* new_image, const Item* old_image);
bool DecodeStreamRecord(std::string_view in, StreamRecord* out);
// "000000000000000000042" -> 42; the SequenceNumber text of a sequence.
std::string SequenceText(uint64_t sequence);
std::optional<uint64_t> ParseSequence(std::string_view text);

}  // namespace localdynamo::engine
