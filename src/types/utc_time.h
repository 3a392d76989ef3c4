#pragma once
// ISO-8601 text of an epoch-milliseconds instant in UTC, as DynamoDB writes times in its labels
// and messages: "2023-03-20T10:00:00" (whole seconds) or "2023-03-20T10:00:00.000".

#include <cstdint>
#include <ctime>
#include <string>

#include <fmt/format.h>

namespace localdynamo {

inline std::string IsoUtc(int64_t millis, bool with_millis) {
  const std::time_t secs = static_cast<std::time_t>(millis / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  std::string out = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", tm.tm_year + 1900,
                                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
  if (with_millis) out += fmt::format(".{:03}", static_cast<int>(millis % 1000));
  return out;
}

}  // namespace localdynamo
