# Benchmark, not a pass/fail test (run with `scripts/bench`): load N SAs and N policies
# (default 10,000 each) from a generated file and dump them, with our setkey on each
# backend and with `ip -batch` / `ip xfrm ... list`, side by side in one run on the same
# kernel, and print the times and ratios. The same SAs and policies for every tool:
# ESP transport, aes-cbc + hmac-sha1 (same truncation on every backend). Every task
# runs BENCH_RUNS times (default 5, after one warm-up round that is not counted) and
# the medians are printed: single runs in the VM are noisy.

N=${BENCH_N:-10000}
RUNS=${BENCH_RUNS:-5}
SETKEY=$LAB_BIN/setkey
host bench
dir=$(hostdir bench)/etc

enc=0x00112233445566778899aabbccddeeff
auth=0x0011223344556677889900112233445566778899
awk -v n="$N" -v enc="$enc" -v auth="$auth" 'BEGIN {
	for (i = 0; i < n; i++) {
		a = int(i / 250) % 250 + 1; b = i % 250 + 1; c = int(i / 62500) + 1
		printf "add 10.%d.%d.%d 10.%d.%d.%d esp %d -m transport -E aes-cbc %s -A hmac-sha1 %s;\n", c, a, b, c + 100, a, b, 4096 + i, enc, auth
		printf "spdadd 172.%d.%d.%d 172.%d.%d.%d any -P out ipsec esp/transport//require;\n", c + 15, a, b, c + 115, a, b
	}
}' >"$dir/load.conf"
awk -v n="$N" -v enc="$enc" -v auth="$auth" 'BEGIN {
	for (i = 0; i < n; i++) {
		a = int(i / 250) % 250 + 1; b = i % 250 + 1; c = int(i / 62500) + 1
		printf "xfrm state add src 10.%d.%d.%d dst 10.%d.%d.%d proto esp spi %d mode transport enc cbc(aes) %s auth-trunc hmac(sha1) %s 96\n", c, a, b, c + 100, a, b, 4096 + i, enc, auth
		printf "xfrm policy add src 172.%d.%d.%d/32 dst 172.%d.%d.%d/32 dir out tmpl proto esp mode transport\n", c + 15, a, b, c + 115, a, b
	}
}' >"$dir/load.batch"

reset() { on bench ip xfrm state flush; on bench ip xfrm policy flush; }
# timed NAME CMD...: run CMD in the bench host, add its wall time in ms to T[NAME] and
# its CPU time (user + system, the kernel's work for it included) to C[NAME] (lists,
# one time per counted round). The CPU time is the steadier figure when other VMs
# share the machine's cores: waiting for a core counts in the wall time only.
declare -A T C
timed() {
	local name=$1
	shift
	local t0=${EPOCHREALTIME/./}
	on bench /usr/bin/time -f '%U %S' -o "$dir/$name.time" "$@" >/dev/null 2>"$dir/$name.err" ||
		{ cat "$dir/$name.err"; fail "$name failed"; }
	((round == 0)) && return
	T[$name]+=" $(((${EPOCHREALTIME/./} - t0) / 1000))"
	C[$name]+=" $(awk '{ printf "%d", ($1 + $2) * 1000 }' "$dir/$name.time")"
}
# median LIST: the middle of the numbers (the lower middle for an even count).
median() { printf '%s\n' $1 | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
count() { # expect N SAs and N policies
	local s p
	s=$(on bench ip xfrm state | grep -c '^src ')
	p=$(on bench ip xfrm policy | grep -c '^src ')
	((s == N && p == N)) || fail "$1: loaded $s SAs and $p policies, expected $N each"
}

read -ra backends <<<"$(lab_backends)"
for ((round = 0; round <= RUNS; round++)); do
	reset
	timed "ip-load" ip -batch "$dir/load.batch"
	count "ip -batch"
	timed "ip-dump-sa" ip xfrm state list
	timed "ip-dump-sp" ip xfrm policy list
	for b in "${backends[@]}"; do
		reset
		timed "$b-load" "$SETKEY" --backend "$b" -f "$dir/load.conf"
		count "setkey --backend $b"
		timed "$b-dump-sa" "$SETKEY" --backend "$b" -D
		timed "$b-dump-sp" "$SETKEY" --backend "$b" -DP
	done
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) b = 1; printf "%.2f", a / b }'; }
echo
echo "setkey benchmark: $N SAs + $N policies, kernel $(uname -r), medians of $RUNS runs"
printf '%-18s %9s %11s %7s %11s %13s %7s\n' task "ip wall" "setkey wall" ratio "ip cpu" "setkey cpu" ratio
for b in "${backends[@]}"; do
	for t in load dump-sa dump-sp; do
		iw=$(median "${T[ip-$t]}") ow=$(median "${T[$b-$t]}")
		ic=$(median "${C[ip-$t]}") oc=$(median "${C[$b-$t]}")
		printf '%-18s %9s %11s %6sx %11s %13s %6sx\n' "$t ($b)" "$iw" "$ow" "$(ratio "$ow" "$iw")" \
			"$ic" "$oc" "$(ratio "$oc" "$ic")"
	done
done
echo "(times in ms; ratio = setkey / ip: below 1 means setkey is faster)"
echo "every run, wall | cpu (ms):"
for k in $(printf '%s\n' "${!T[@]}" | sort); do printf '  %-14s%s |%s\n' "$k" "${T[$k]}" "${C[$k]}"; done
