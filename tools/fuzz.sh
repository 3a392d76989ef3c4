#!/bin/sh
# Builds and runs a libFuzzer target from tests/fuzz with clang-14, ASan and UBSan (not part
# of .ci/run; `ctest -L fuzz` runs each target for 20 seconds).
#   tools/fuzz.sh json_parse [seconds]   RequestDoc against nlohmann's parser
#   tools/fuzz.sh dispatch [seconds]     every operation, any body: 200 or 400, errors change nothing
#   tools/fuzz.sh http_request [seconds] the HTTP request reader, split-independent
#   tools/fuzz.sh <target> merge         the committed corpus minimized with what runs found
# A run starts from the committed corpus, tests/fuzz/corpus/<target> (read only), and keeps
# what it finds in a working corpus, $LOCALDYNAMO_FUZZ_DIR/corpus-<target> (default
# build-fuzz/), where a crashing input is written too (crash-*). `merge` rewrites the committed
# corpus as the smallest set of inputs covering it and the working one (keep it small).
# Needs clang-14 and libfuzzer-14-dev (apt-get install clang-14 libfuzzer-14-dev).
set -eu
name=${1:?target, e.g. json_parse}
seconds=${2:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
out="${LOCALDYNAMO_FUZZ_DIR:-$root/build-fuzz}"
seeds="$root/tests/fuzz/corpus/$name"
mkdir -p "$out/corpus-$name"
cd "$root"
libs="" options="" max_len=512
case "$name" in
  json_parse)
    sources="src/wire/json_parse.cc"
    printf '{"TableName":"t","Item":{"pk":{"S":"a\\n"},"n":{"N":"1"}},"Limit":20}' > "$out/corpus-$name/seed" ;;
  http_request)
    sources="src/server/http_request.cc"
    printf 'POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{}GET / HTTP/1.0\r\n\r\n' > "$out/corpus-$name/seed" ;;
  dispatch)
    sources=$(ls src/types/*.cc src/storage/*.cc src/expr/*.cc src/engine/*.cc src/engine/*/*.cc src/partiql/*.cc src/wire/*.cc)
    libs="-llmdb -lfmt"
    options="-dict=tests/fuzz/dispatch.dict" max_len=2048
    python3 - "$out/corpus-$name" <<'PY'
import sys
for n, line in enumerate(open("tests/fuzz/dispatch_seeds.txt")):
    if line.startswith("#") or not line.strip():
        continue
    target, body = line.rstrip("\n").split("\t", 1)
    with open(f"{sys.argv[1]}/seed-{n}", "wb") as f:
        f.write(bytes([int(target)]) + body.encode())
PY
    ;;
  *) echo "unknown fuzz target: $name" >&2; exit 2 ;;
esac
mkdir -p "$seeds"
# Objects compiled two at a time (LOCALDYNAMO_FUZZ_JOBS), each only when it is older than its
# source or any header (a rerun with nothing changed links at once).
flags="-std=c++20 -O1 -g -fsanitize=address,undefined -Isrc -Iinclude -Itests"
mkdir -p "$out/obj"
objects=""
for src in $sources "tests/fuzz/${name}_fuzz.cc"; do
  objects="$objects $out/obj/$(echo "$src" | tr / _).o"
done
for src in $sources "tests/fuzz/${name}_fuzz.cc"; do
  obj="$out/obj/$(echo "$src" | tr / _).o"
  if [ ! "$obj" -nt "$src" ] || [ -n "$(find src include tests/support tests/fuzz -name '*.h' -newer "$obj" | head -1)" ]; then
    echo "$src $obj"
  fi
done | xargs -r -n2 -P"${LOCALDYNAMO_FUZZ_JOBS:-2}" sh -c 'clang++-14 '"$flags"' -fsanitize=fuzzer-no-link -c "$0" -o "$1"'
clang++-14 -fsanitize=fuzzer,address,undefined $objects $libs -o "$out/${name}_fuzz"
if [ "$seconds" = merge ]; then
  rm -rf "$out/merged-$name" && mkdir "$out/merged-$name"
  # The fewest inputs that reach every edge (not how often each ran); the seeds written above,
  # which every run writes again, count as there already and are left out.
  cp "$out/corpus-$name"/seed* "$out/merged-$name"/
  "$out/${name}_fuzz" -set_cover_merge=1 -use_counters=0 -max_len="$max_len" $options "$out/merged-$name" "$seeds" "$out/corpus-$name"
  rm -f "$out/merged-$name"/seed* && rm -rf "$seeds" && mv "$out/merged-$name" "$seeds"
  echo "$seeds: $(ls "$seeds" | wc -l) files, $(cat "$seeds"/* | wc -c) bytes"
  exit 0
fi
exec "$out/${name}_fuzz" -max_total_time="$seconds" -max_len="$max_len" -artifact_prefix="$out/" $options \
  "$out/corpus-$name" "$seeds"
