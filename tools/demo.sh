#!/usr/bin/env bash
# The main job: set up, build, and run the Cruddur messaging demo on an embedded database
# (no server, no AWS): schema-load, seed, list conversations, read one, send a message, and
# the conversation list again after the stream updater moved it to the top.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
"$here/tools/install-deps.sh"
"$here/tools/build.sh" localdynamo_cli >/dev/null  # the executable only, not the tests
ld="$here/build/localdynamo"
data="$here/.demo-data"
rm -rf "$data"
group=5ae290ed-55d1-47a0-bc6d-fe2bc2700399
step() { printf '\n\033[1m$ localdynamo cruddur %s\033[0m\n' "$*"; "$ld" cruddur "$@" --data "$data"; }
step schema-load
step seed
step new-user londo --name "Londo Mollari" --clock 1679306400000
step send --from londo --to andrewbrown --text "The Centauri will rise again." --clock 1679310000000
step list-conversations andrewbrown
step get-conversation "$group" --as andrewbrown --year 2023
step send --from bayko --group "$group" --text "See you tomorrow!" --clock 1679313600000
step list-conversations andrewbrown
step list-conversations bayko
