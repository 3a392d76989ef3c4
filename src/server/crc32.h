#pragma once
// CRC-32 (the IEEE polynomial, zlib's crc32) of a response body, for the x-amz-crc32 header
// SDKs check DynamoDB responses against.

#include <cstdint>
#include <string_view>

namespace localdynamo::server {

uint32_t Crc32(std::string_view data);

}  // namespace localdynamo::server
