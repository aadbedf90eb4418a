#!/usr/bin/env bash
# Puts the native executables into the per-platform npm packages, so that they can be packed or
# published: build/native/healthsock-linux-<arch> (scripts/build-native.sh) becomes
# packages/cli-linux-<arch>/bin/healthsock. The binaries are never committed; this is the step
# that makes those packages whole.
#
#   scripts/stage-native.sh [x64] [arm64]      default: both
#
# It builds the native binaries first when one is missing or older than its sources, unless
# HEALTHSOCK_NATIVE_DIR names a folder that holds them already (built elsewhere, e.g. by CI). It checks
# what a user's install relies on: each binary is static (no dynamic loader, so it runs on glibc
# and musl alike) and for its architecture, it says it is the CLI's version, and the versions of
# @healthsock/cli, its optionalDependencies and the platform packages are one and the same.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
arches=("$@")
[[ ${#arches[@]} -gt 0 ]] || arches=(x64 arm64)

fail() {
  echo "stage-native: $*" >&2
  exit 1
}

field() { node -p "require(process.argv[1])$2" "$1"; }

version="$(field "$root/packages/cli/package.json" .version)"
native_dir="${HEALTHSOCK_NATIVE_DIR:-$root/build/native}"

stale=""
for arch in "${arches[@]}"; do
  case "$arch" in
    x64 | arm64) ;;
    *) fail "unsupported architecture '$arch' (expected x64 or arm64)" ;;
  esac
  binary="$native_dir/healthsock-linux-$arch"
  [[ -z "${HEALTHSOCK_NATIVE_DIR:-}" ]] || continue
  if [[ ! -f "$binary" ]] ||
    [[ -n "$(find "$root/packages/cli/native" "$root/scripts/build-native.sh" -type f -newer "$binary" 2>/dev/null | head -1)" ]]; then
    stale=1
  fi
done
if [[ -n "$stale" ]]; then
  [[ -x "$root/scripts/build-native.sh" ]] || fail "scripts/build-native.sh is missing, and so is a native binary"
  "$root/scripts/build-native.sh" >&2 || fail "scripts/build-native.sh failed"
fi

for arch in "${arches[@]}"; do
  binary="$native_dir/healthsock-linux-$arch"
  package="$root/packages/cli-linux-$arch"
  [[ -f "$binary" ]] || fail "$binary is missing after scripts/build-native.sh"

  name="@healthsock/cli-linux-$arch"
  [[ "$(field "$package/package.json" .name)" == "$name" ]] || fail "$package/package.json is not $name"
  [[ "$(field "$package/package.json" .version)" == "$version" ]] ||
    fail "$name is version $(field "$package/package.json" .version), @healthsock/cli is $version: release them together"
  wanted="$(field "$root/packages/cli/package.json" ".optionalDependencies['$name']")"
  [[ "$wanted" == "$version" ]] || fail "@healthsock/cli asks for $name@$wanted, expected exactly $version"

  headers="$(readelf --file-header --program-headers "$binary" 2>&1)" || fail "$binary is not an ELF file: $headers"
  machine="$(sed -n 's/^ *Machine: *//p' <<<"$headers")"
  case "$arch:$machine" in
    x64:*X86-64* | arm64:*AArch64*) ;;
    *) fail "$binary is built for '$machine', not linux-$arch" ;;
  esac
  ! grep -q 'INTERP' <<<"$headers" || fail "$binary asks for a dynamic loader; the native build must be static"

  mkdir -p "$package/bin"
  install -m 0755 "$binary" "$package/bin/healthsock.tmp"
  mv -f "$package/bin/healthsock.tmp" "$package/bin/healthsock"
  echo "stage-native: $package/bin/healthsock ($(stat -c %s "$binary") bytes)" >&2
done

# The host's own binary must say it is this version: postinstall.cjs checks the same before it
# links the binary over the JavaScript launcher.
case "$(uname -m)" in
  x86_64) host=x64 ;;
  aarch64) host=arm64 ;;
  *) host="" ;;
esac
if [[ -n "$host" && " ${arches[*]} " == *" $host "* ]]; then
  printed="$("$root/packages/cli-linux-$host/bin/healthsock" --version)" || fail "healthsock-linux-$host --version failed"
  [[ "$printed" == "$version "* ]] || fail "healthsock-linux-$host --version printed '$printed', expected '$version ...'"
fi
