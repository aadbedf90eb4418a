#!/usr/bin/env bash
# Builds the healthsock single executables, build/bin/healthsock-linux-<arch>, for images that
# have no Node: pkg's SEA mode injects the bundled CLI (packages/cli/dist/bin.cjs, which `pnpm
# build` writes) into an official Node 24 binary.
#
#   scripts/build-binary.sh [x64] [arm64]      default: both
#
# It downloads nothing from nodejs.org or GitHub. The Node binaries come from the npm registry
# (scripts/fetch-node.sh) and are placed where pkg looks before it would download them.
# See docs/binary.md.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
arches=("$@")
[[ ${#arches[@]} -gt 0 ]] || arches=(x64 arm64)

fail() {
  echo "build-binary: $*" >&2
  exit 1
}

case "$(uname -m)" in
  x86_64) host=x64 ;;
  aarch64) host=arm64 ;;
  *) fail "the build runs on Linux x64 or arm64, not on $(uname -s) $(uname -m)" ;;
esac

cli_bundle="$root/packages/cli/dist/bin.cjs"
[[ -f "$cli_bundle" ]] || fail "the CLI bundle $cli_bundle is missing; run 'pnpm build' first"
# The npm package loads full yargs from a second file only for help, version and usage errors;
# a single executable embeds one script, so the files are bundled back into one here, with full
# yargs as a string compiled only when needed (scripts/bundle-sea.js).
bundle="$root/build/sea/healthsock.cjs"
mkdir -p "$(dirname "$bundle")"
node "$root/scripts/bundle-sea.js" "$cli_bundle" "$bundle"

# pkg needs Node >= 22 to run, so it runs on the same Node it embeds, fetched for this host.
runner="$("$root/scripts/fetch-node.sh" "$host")/bin/node"
version="$("$runner" --version)" # e.g. v24.21.0
major="${version#v}"
major="${major%%.*}"
# Security scanners flag end-of-life runtimes, so the binary never embeds one.
((major >= 22)) || fail "NODE_VERSION ${version#v} is too old to embed; use a supported LTS (22 or 24)"

# pkg --sea reads Node from $HOME/.pkg-cache/sea/ and skips its download from nodejs.org when
# both the archive and the extracted binary are there, each next to a .ok file. Pointing HOME at
# build/ keeps that cache inside the repository.
pkg_home="$root/build/pkg-home"
sea_cache="$pkg_home/.pkg-cache/sea"

# Fills pkg's cache for one architecture with the Node from npm, stripped.
fill_pkg_cache() {
  local arch="$1" fetched name base
  fetched="$("$root/scripts/fetch-node.sh" "$arch")"
  name="node-$version-linux-$arch"
  base="$sea_cache/$name/bin/node"
  if [[ ! -f "$base.ok" ]]; then
    mkdir -p "$(dirname "$base")"
    cp "$fetched/bin/node" "$base"
    strip_base "$arch" "$base"
    touch "$base.ok"
  fi
  # With both .ok files present pkg only checks that the archive exists; it never reads it.
  ln -sfn "$fetched/package.tgz" "$sea_cache/$name.tar.gz"
  touch "$sea_cache/$name.tar.gz.ok"
}

# Strips Node's symbols and debug info (17-19 MiB). This must happen before pkg injects the
# CLI: stripping the finished executable breaks the section that holds it (it crashes at start).
strip_base() {
  local arch="$1" file="$2" tool=""
  if command -v llvm-strip >/dev/null; then
    tool=llvm-strip # reads every architecture
  elif [[ "$arch" == "$host" ]] && command -v strip >/dev/null; then
    tool=strip
  fi
  if [[ -z "$tool" ]]; then
    echo "build-binary: no strip tool for linux-$arch (install llvm); that binary keeps Node's symbols" >&2
    return
  fi
  "$tool" "$file"
}

mkdir -p "$root/build/bin"
for arch in "${arches[@]}"; do
  case "$arch" in
    x64 | arm64) ;;
    *) fail "unsupported architecture '$arch' (expected x64 or arm64)" ;;
  esac
  fill_pkg_cache "$arch"
  output="$root/build/bin/healthsock-linux-$arch"
  rm -f "$output"
  # An exact target version (node24.21.0, not node24) keeps pkg from asking nodejs.org which
  # release is the latest.
  PATH="$(dirname "$runner"):$PATH" HOME="$pkg_home" "$root/node_modules/.bin/pkg" "$bundle" \
    --sea --targets "node${version#v}-linux-$arch" --output "$output"
done

# The version is stamped into the bundle at build time; check that it survived, and that the
# binary names the Node it embeds.
expected="$("$runner" -p "require('$root/packages/cli/package.json').version")"
if [[ " ${arches[*]} " == *" $host "* ]]; then
  actual="$("$root/build/bin/healthsock-linux-$host" --version)"
  [[ "$actual" == "$expected (embedded Node.js $version)" ]] ||
    fail "healthsock-linux-$host --version printed '$actual', expected '$expected (embedded Node.js $version)'"
fi

for arch in "${arches[@]}"; do
  file="$root/build/bin/healthsock-linux-$arch"
  echo "built $file: healthsock $expected on Node ${version#v}, $(($(stat -c %s "$file") / 1024 / 1024)) MiB"
done
