#!/usr/bin/env bash
# Builds ioana's eBPF collector from the sources beside this script:
#
#   native/ebpf/build.sh [OUT]      # OUT: dist/ioana-ebpf-x86_64
#
# with Debian's clang, bpftool and libbpf-dev (and gcc, libelf-dev, zlib1g-dev). The
# result is one static x86-64 executable (libbpf, libelf, zlib and glibc linked in), so
# that it runs on any x86-64 Linux with BTF, Ubuntu runners included, with nothing to
# install. The build is reproducible: it runs in a scratch directory under a fixed name
# with fixed flags, paths mapped away, no build id and no time stamps, so that the same
# sources and tools give the same bytes wherever they are built. CI (.ci/run) builds it
# again and compares it with the committed one.
set -euo pipefail
export LC_ALL=C SOURCE_DATE_EPOCH=0 TZ=UTC

src=$(cd "$(dirname "$0")" && pwd)
out=${1:-$src/../../dist/ioana-ebpf-x86_64}
CLANG=${CLANG:-clang}
BPFTOOL=${BPFTOOL:-bpftool}
CC=${CC:-gcc}
for tool in "$CLANG" "$BPFTOOL" "$CC"; do
  command -v "$tool" >/dev/null || {
    echo "build.sh: $tool not found (Debian: apt-get install -y clang bpftool libbpf-dev libelf-dev zlib1g-dev gcc)" >&2
    exit 2
  }
done
for lib in libbpf.a libelf.a libz.a; do
  [ -n "$("$CC" -print-file-name="$lib" | grep /)" ] || {
    echo "build.sh: $lib not found (Debian: apt-get install -y libbpf-dev libelf-dev zlib1g-dev)" >&2
    exit 2
  }
done

# A fixed directory name: whatever the machine, the compilers see the same paths.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
work=$scratch/ioana-ebpf
mkdir "$work"
cp "$src"/ioana.bpf.c "$src"/loader.c "$src"/kernel.h "$src"/record.h "$work"/
cd "$work"
map=(-ffile-prefix-map="$work"=. -ffile-prefix-map="$scratch"=.)

# The kernel side: BPF bytecode with BTF (CO-RE relocations need it), then without its
# DWARF (the BTF stays), embedded in the loader by the skeleton bpftool writes.
"$CLANG" -target bpf -mcpu=v3 -O2 -g -D__TARGET_ARCH_x86 "${map[@]}" \
  -I. -I/usr/include/"$(gcc -dumpmachine)" -Wall -Werror -Wno-unused-function \
  -c ioana.bpf.c -o ioana.bpf.full.o
"$BPFTOOL" gen object ioana.bpf.o ioana.bpf.full.o
"$BPFTOOL" gen skeleton ioana.bpf.o name ioana_bpf >ioana.skel.h

# The user side, static.
"$CC" -O2 -Wall -Werror "${map[@]}" -I. -static -Wl,--build-id=none -s \
  -o ioana-ebpf loader.c -lbpf -lelf -lz

mkdir -p "$(dirname "$out")"
cp ioana-ebpf "$out.tmp"
mv "$out.tmp" "$out"
echo "build.sh: $(sha256sum "$out" | cut -c1-16)…  $out ($(stat -c %s "$out") bytes)"
