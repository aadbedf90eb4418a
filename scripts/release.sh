#!/usr/bin/env bash
# Writes a release into one folder, build/release/: what a user needs who has nothing else.
#
#   healthsock-server-<version>.tgz   the npm packages, as `npm publish` would upload them
#   healthsock-cli-<version>.tgz
#   healthsock-linux-x64              the single executables (scripts/build-binary.sh)
#   healthsock-linux-arm64
#   SHA256SUMS                        for `sha256sum -c SHA256SUMS`
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

rm -rf "$out"
mkdir -p "$out"

# npm packs exactly what `npm publish` uploads; the packages name each other by semver ranges,
# so the tarballs are the same whichever tool packs them (test/pack.test.ts).
for name in server cli; do
  (cd "$root/packages/$name" && npm pack --silent --pack-destination "$out" >/dev/null) ||
    fail "npm pack failed in packages/$name"
done

"$root/scripts/build-binary.sh" x64 arm64
cp "$root/build/bin/healthsock-linux-x64" "$root/build/bin/healthsock-linux-arm64" "$out/"

(cd "$out" && sha256sum -- *.tgz healthsock-linux-* >SHA256SUMS)
echo "release: $out"
(cd "$out" && ls -l)
