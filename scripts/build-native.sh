#!/usr/bin/env bash
# Builds the native healthsock as static musl binaries, stripped and optimised for size:
#   build/native/healthsock-linux-x64 and build/native/healthsock-linux-arm64
# With arguments (x64, arm64, asan), only those; `asan` is build/native/healthsock-asan, built with
# clang, AddressSanitizer and UndefinedBehaviorSanitizer against glibc, for the conformance suite. Only Debian packages are used; the ones
# missing are installed with apt (arm64's musl and BearSSL come from Debian's arm64 architecture).
set -euo pipefail
cd "$(dirname "$0")/.."

arches=("$@")
((${#arches[@]} > 0)) || arches=(x64 arm64)

missing=()
for arch in "${arches[@]}"; do
  case "$arch" in
    x64)
      command -v musl-gcc >/dev/null || missing+=(musl-tools)
      [[ -f /usr/lib/x86_64-linux-gnu/libbearssl.a ]] || missing+=(libbearssl-dev)
      ;;
    arm64)
      command -v aarch64-linux-gnu-gcc >/dev/null || missing+=(gcc-aarch64-linux-gnu)
      [[ -f /usr/lib/aarch64-linux-musl/libc.a ]] || missing+=(musl-dev:arm64)
      [[ -f /usr/lib/aarch64-linux-gnu/libbearssl.a ]] || missing+=(libbearssl-dev:arm64)
      ;;
    asan)
      command -v clang >/dev/null || missing+=(clang)
      [[ -f /usr/lib/x86_64-linux-gnu/libbearssl.a ]] || missing+=(libbearssl-dev)
      ;;
    *) echo "build-native.sh: unknown build $arch (x64, arm64 or asan)" >&2; exit 1 ;;
  esac
done
if ((${#missing[@]} > 0)); then
  if [[ " ${missing[*]} " == *":arm64 "* ]] && ! dpkg --print-foreign-architectures | grep -qx arm64; then
    dpkg --add-architecture arm64
  fi
  apt-get update -qq && apt-get install -y -qq "${missing[@]}" >/dev/null
fi

out=build/native
# musl's headers come first and alone (-nostdinc in its specs): BearSSL's headers are copied
# beside them rather than opening all of /usr/include, which holds glibc's.
rm -rf "$out/include"
mkdir -p "$out/include"
cp /usr/include/bearssl.h "$out/include/"
if [[ -d /usr/include/bearssl ]]; then cp -r /usr/include/bearssl "$out/include/"; fi

for arch in "${arches[@]}"; do
  if [[ "$arch" == asan ]]; then
    make -s -C packages/cli/native -B "OUT=$PWD/$out/healthsock-asan" CC=clang OPT="-O1 -g" \
      "CFLAGS=-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
      "LDFLAGS=-fsanitize=address,undefined" BEARSSL=/usr/lib/x86_64-linux-gnu/libbearssl.a
    echo "$PWD/$out/healthsock-asan"
    continue
  fi
  if [[ "$arch" == asan ]]; then
    make -s -C packages/cli/native -B "OUT=$PWD/$out/healthsock-asan" CC=clang OPT="-O1 -g" \
      "CFLAGS=-fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
      "LDFLAGS=-fsanitize=address,undefined" BEARSSL=/usr/lib/x86_64-linux-gnu/libbearssl.a
    echo "$PWD/$out/healthsock-asan"
    continue
  fi
  case "$arch" in
    x64) cc=musl-gcc strip=strip lib=/usr/lib/x86_64-linux-gnu/libbearssl.a ;;
    arm64) cc=aarch64-linux-musl-gcc strip=aarch64-linux-gnu-strip lib=/usr/lib/aarch64-linux-gnu/libbearssl.a ;;
  esac
  bin="$PWD/$out/healthsock-linux-$arch"
  make -s -C packages/cli/native -B "OUT=$bin" "CC=$cc" OPT=-Os \
    "CFLAGS=-static -ffunction-sections -fdata-sections -fno-asynchronous-unwind-tables -DHS_ARCH=\\\"linux-$arch\\\"" \
    "LDFLAGS=-static -Wl,--gc-sections fortify_shim.c" \
    "BEARSSL_INCLUDE=-I$PWD/$out/include" "BEARSSL=$lib"
  "$strip" --strip-all "$bin"
  if readelf -l "$bin" | grep -q INTERP; then
    echo "build-native.sh: $bin asks for a dynamic loader" >&2
    exit 1
  fi
  echo "$bin: $(stat -c %s "$bin") bytes"
done
