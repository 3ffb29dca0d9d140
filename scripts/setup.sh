#!/usr/bin/env bash
# Installs the system packages PacketCounter needs, only those that are missing.
# Debian 12 with the .NET SDK already present is the reference machine.
set -euo pipefail

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET SDK (dotnet) is not on PATH; install the .NET 10 SDK first." >&2
  exit 1
fi

# package : a file that proves it is installed
needed=(
  "clang:/usr/bin/clang"
  "llvm:/usr/bin/llvm-objdump"
  "libbpf-dev:/usr/include/bpf/bpf_helpers.h"
  "libbpf1:/usr/lib/$(gcc -dumpmachine 2>/dev/null || echo x86_64-linux-gnu)/libbpf.so.1"
  "bpftool:/usr/sbin/bpftool"
  "iproute2:/usr/bin/ip"
  "libcap2-bin:/usr/sbin/capsh"
  "linux-perf:/usr/bin/perf"
  "gcc:/usr/bin/gcc"
  "chromium:/usr/bin/chromium"
  "fonts-dejavu-core:/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
  "libc6-dev:/usr/include/stdio.h"
  "libelf-dev:/usr/include/libelf.h"
  "zlib1g-dev:/usr/include/zlib.h"
  "qemu-system-x86:/usr/bin/qemu-system-x86_64"
  "postgresql:/usr/lib/postgresql"
  "prometheus:/usr/bin/prometheus"
)
missing=()
for entry in "${needed[@]}"; do
  package=${entry%%:*}
  proof=${entry#*:}
  [ -e "$proof" ] || missing+=("$package")
done

if [ ${#missing[@]} -gt 0 ] && [ "$(id -u)" -ne 0 ]; then
  echo "setup: ${missing[*]} missing; installing them needs root (sudo $0)" >&2
  exit 1
fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  # The tests start a PostgreSQL server of their own for the history store; the package's
  # default cluster would only be a daemon nobody uses.
  if [[ " ${missing[*]} " == *" postgresql "* ]] && [ ! -e /etc/postgresql-common/createcluster.conf ]; then
    mkdir -p /etc/postgresql-common
    echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.conf
  fi
  export DEBIAN_FRONTEND=noninteractive
  # Package scripts would start the servers they install (prometheus on :9090); the tests
  # start their own, so keep services down while installing, unless a policy is already set.
  policy=/usr/sbin/policy-rc.d
  own_policy=0
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' > "$policy"
    chmod 755 "$policy"
    own_policy=1
  fi
  trap 'if [ "$own_policy" = 1 ]; then rm -f "$policy"; fi' EXIT
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
