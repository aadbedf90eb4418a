#!/usr/bin/env bash
# Writes a release into one folder, build/release/: what a user needs who has nothing else.
#
#   healthsock-server-<version>.tgz             the npm packages, as `npm publish` would upload them
#   healthsock-cli-<version>.tgz
#   healthsock-cli-linux-x64-<version>.tgz      the native command for npm, per platform: optional
#   healthsock-cli-linux-arm64-<version>.tgz    dependencies of @healthsock/cli (docs/binary.md)
#   healthsock-linux-x64                        the native executables themselves, static, for images
#   healthsock-linux-arm64                      (scripts/build-native.sh)
#   SHA256SUMS                                  for `sha256sum -c SHA256SUMS`
#
# Run it as `pnpm release`, which builds the packages first. The README's Install section says
# how to use the folder; CHANGELOG.md in each package says what changed.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="$root/build/release"

fail() {
  echo "release: $*" >&2
  exit 1
}

for name in server cli; do
  [[ -f "$root/packages/$name/dist/index.js" ]] || fail "packages/$name is not built; run 'pnpm release', which builds it"
done

# The native binaries are built fresh, never taken from an earlier build, and put into the
# platform packages before those are packed.
[[ -x "$root/scripts/build-native.sh" ]] || fail "scripts/build-native.sh is missing"
"$root/scripts/build-native.sh" || fail "scripts/build-native.sh failed"
"$root/scripts/stage-native.sh" x64 arm64

rm -rf "$out"
mkdir -p "$out"

# npm packs exactly what `npm publish` uploads; the packages name each other by semver ranges,
# so the tarballs are the same whichever tool packs them (test/pack.test.ts).
for name in server cli cli-linux-x64 cli-linux-arm64; do
  (cd "$root/packages/$name" && npm pack --silent --pack-destination "$out" >/dev/null) ||
    fail "npm pack failed in packages/$name"
done

# The very bytes the platform packages hold.
for arch in x64 arm64; do
  cp "$root/packages/cli-linux-$arch/bin/healthsock" "$out/healthsock-linux-$arch"
done

(cd "$out" && sha256sum -- *.tgz healthsock-linux-* >SHA256SUMS)
echo "release: $out"
(cd "$out" && ls -l)
