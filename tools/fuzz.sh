#!/bin/sh
# Builds and runs a libFuzzer target from tests/fuzz with clang-14, ASan and UBSan (not part
# of .ci/run: a fuzzing run is open-ended).
#   tools/fuzz.sh json_parse [seconds]
# Needs clang-14 and libfuzzer-14-dev (apt-get install clang-14 libfuzzer-14-dev).
set -eu
name=${1:?target, e.g. json_parse}
seconds=${2:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/build-fuzz"
mkdir -p "$out/corpus-$name"
case "$name" in
  json_parse) sources="src/wire/json_parse.cc" ;;
  *) echo "unknown fuzz target: $name" >&2; exit 2 ;;
esac
cd "$root"
clang++-14 -std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -Isrc -Iinclude -Itests \
  "tests/fuzz/${name}_fuzz.cc" $sources -o "$out/${name}_fuzz"
printf '{"TableName":"t","Item":{"pk":{"S":"a\\n"},"n":{"N":"1"}},"Limit":20}' > "$out/corpus-$name/seed"
exec "$out/${name}_fuzz" -max_total_time="$seconds" -max_len=512 "$out/corpus-$name"
