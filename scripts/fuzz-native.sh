#!/usr/bin/env bash
# Runs each libFuzzer harness of the native healthsock (reply, HTTP response, JSON, argv) for a
# bounded time on its committed seed corpus: scripts/fuzz-native.sh [seconds each, default 20].
# Built with Debian's clang, -fsanitize=fuzzer,address,undefined; a crash, a leak, undefined
# behaviour or a timeout is a finding and fails the script (the input is left in build/fuzz/).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-20}"

missing=()
command -v clang >/dev/null || missing+=(clang)
[[ -n "$(find /usr/lib -name 'libclang_rt.fuzzer*.a' -print -quit 2>/dev/null)" ]] || missing+=(libclang-rt-14-dev)
[[ -f /usr/include/bearssl.h ]] || missing+=(libbearssl-dev)
if ((${#missing[@]} > 0)); then
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi

src=packages/cli/native
out=build/fuzz
mkdir -p "$out"
core=$(make -s -C "$src" print-core)
for name in reply http json args; do
  bin="$out/fuzz-$name"
  (cd "$src" && clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
    -o "../../../$bin" "fuzz/fuzz_$name.c" $core -lbearssl -lm)
  # A fresh working corpus each run, seeded from the committed one, so that runs stay bounded.
  rm -rf "$out/corpus-$name"
  mkdir -p "$out/corpus-$name"
  echo "fuzz-$name: ${seconds}s"
  (cd "$out" && "./fuzz-$name" -max_total_time="$seconds" -max_len=16384 -timeout=5 -rss_limit_mb=1024 \
    -print_final_stats=1 "corpus-$name" "../../$src/fuzz/corpus/$name" 2>&1 | tail -n 12)
  # libFuzzer exits non-zero on a finding; pipefail carries it here.
done
echo "fuzz-native: no findings"
