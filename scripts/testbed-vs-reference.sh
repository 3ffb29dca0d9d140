#!/usr/bin/env bash
# The embedded testbed's rate beside the reference probe's, interleaved so that both see the same
# machine: this VM's speed shifts between regimes within seconds, so only measurements taken
# turn about compare. Each round runs the reference C loop (../shared/ref/rates.c: live frames,
# batch 64, one pinned thread, null program on a veth peer in a private namespace) with XDP_DROP
# and XDP_PASS, then `bench --mode live` with the baseline only, ipv4-udp frames, both sinks.
# Prints one line per round and the medians: SINK REFERENCE_MPPS TESTBED_MPPS RATIO.
# usage (root): scripts/testbed-vs-reference.sh [ROUNDS] [PACKETS_PER_REFERENCE_WINDOW]
set -euo pipefail
rounds=${1:-5}; packets=${2:-6000000}
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ref="${PACKETCOUNTER_REFERENCE:-$here/../shared/ref}"
if [ ! -f "$ref/rates.c" ]; then
  echo "testbed-vs-reference: no reference probe at $ref (set PACKETCOUNTER_REFERENCE to its directory)" >&2
  exit 2
fi
w=$(mktemp -d); ns=tbref$$; a=tbra$$; b=tbrb$$
cleanup() { ip link del "$a" 2>/dev/null || true; ip netns del "$ns" 2>/dev/null || true; rm -rf "$w"; }
trap cleanup EXIT

"$here/scripts/setup.sh"
dotnet build "$here/src/Host/PacketCounter.Host.csproj" -c Release -nologo -v quiet >/dev/null
host="$here/src/Host/bin/Release/net10.0/packetcounter.dll"

inc=-I/usr/include/$(gcc -dumpmachine)
cp "$ref"/gen.bpf.c "$ref"/variants.bpf.c "$ref"/rates.c "$w"/
sed 's/return XDP_PASS/return XDP_DROP/g' "$w"/variants.bpf.c > "$w"/drop.bpf.c
for f in gen variants drop; do clang -O2 -g -target bpf $inc -c "$w/$f.bpf.c" -o "$w/$f.bpf.o"; done
gcc -O2 "$w"/rates.c -o "$w"/rates -lbpf
ip netns add "$ns"; ip link add "$a" type veth peer name "$b" netns "$ns"
sysctl -qw net.ipv6.conf."$a".disable_ipv6=1; ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
ip link set "$a" up; ip -n "$ns" link set "$b" up

reference() { (cd "$w" && taskset -c 0 ./rates "$a" "$ns" "$b" "$1" null_prog "$packets" | awk '{print $2}'); }
testbed() { # the baseline's mean Mpps per sink from summary.csv, columns found by name
  if ! dotnet "$host" bench --mode live --variants Null --mix ipv4-udp --sink drop,pass --rounds 10 --max-rounds 10 \
      --out "$w/bench" >"$w/bench.log" 2>&1; then
    cat "$w/bench.log" >&2; exit 1
  fi
  awk -F, 'NR==1 {for (i = 1; i <= NF; i++) col[$i] = i; next}
    $col["variant"] == "Null" && $col["mode"] == "live" && $col["metric"] == "mpps" {print $col["sink"], $col["mean"]}' "$w/bench/summary.csv"
  rm -rf "$w/bench"
}

for r in $(seq "$rounds"); do
  drop=$(reference drop.bpf.o); pass=$(reference variants.bpf.o)
  while read -r sink mpps; do
    if [ "$sink" = drop ]; then line="drop $drop $mpps"; else line="pass $pass $mpps"; fi
    echo "$line" | awk -v r="$r" '{printf "round %d %s reference %.2f testbed %.2f ratio %.2f\n", r, $1, $2, $3, $3 / $2}' | tee -a "$w/rounds"
  done < <(testbed)
done
for sink in drop pass; do
  awk -v s="$sink" '$3 == s {print $NF}' "$w/rounds" | sort -n | awk -v s="$sink" '{x[NR] = $1}
    END {m = NR % 2 ? x[(NR + 1) / 2] : (x[NR / 2] + x[NR / 2 + 1]) / 2; printf "median %s testbed/reference %.2f over %d rounds\n", s, m, NR}'
done
