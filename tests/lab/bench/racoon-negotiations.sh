# Benchmark (not a test): our racoon against strongSwan's charon, side by side in one
# lab run, with the same initiator, the same kernel and the same proposals
# (main mode PSK, modp2048, aes128, sha256; quick mode ESP transport aes128/sha256
# with PFS modp2048).
#
# 1. Responder throughput: racoon/examples/ike_load on "left" runs BENCH_NEG complete
#    main+quick mode negotiations from as many source addresses against "right", at
#    most BENCH_PAR at a time; right runs our racoon, then charon, alternately for
#    BENCH_RUNS rounds. Printed: negotiations per second, medians, and the ratio.
# 2. ACQUIRE to SA installed: left runs the initiator (our racoon with setkey's
#    policies, or charon with a trap policy), right runs charon as the responder; a
#    ping from left raises the ACQUIRE, and `ip -t xfrm monitor` on left times it and
#    the outbound SA's arrival. BENCH_RUNS fresh starts each, medians and the ratio.
#
# Both daemons log at their usual level (racoon: info; charon: level 0, its default
# for daemons). racoon uses the XFRM backend.

BENCH_RUNS=${BENCH_RUNS:-3}
BENCH_NEG=${BENCH_NEG:-100}
BENCH_PAR=${BENCH_PAR:-8}
PSK=bench-secret
IKE_LOAD=${LAB_IKE_LOAD:-$LAB_BIN/examples/ike_load}
[[ -x $IKE_LOAD ]] || fail "no $IKE_LOAD (cargo build --examples)"

topo_pair
# The load's source addresses, 10.0.1.1 up, all new peers to the responder.
for ((i = 1; i <= BENCH_NEG; i++)); do
	on left ip addr add "10.0.1.$i/32" dev "$(ifname right)"
done
on right ip route add 10.0.1.0/24 via 10.0.0.1

R=$(hostdir right)
L=$(hostdir left)

# ---------------------------------------------------------------- configurations

proposal='proposal {
    encryption_algorithm aes;
    hash_algorithm sha256;
    authentication_method pre_shared_key;
    dh_group modp2048;
  }'
sainfo='sainfo anonymous {
  pfs_group modp2048;
  lifetime time 1 hour;
  encryption_algorithm aes;
  authentication_algorithm hmac_sha256;
  compression_algorithm deflate;
}'
# racoon_conf FILE PSKFILE REMOTE: our racoon, main mode, the bench's proposals.
racoon_conf() {
	cat >"$1" <<EOF
path pre_shared_key "$2";
listen { adminsock disabled; }
remote $3 {
  exchange_mode main;
  lifetime time 1 hour;
  $proposal
}
$sainfo
EOF
}

{
	for ((i = 1; i <= BENCH_NEG; i++)); do printf '10.0.1.%d\t%s\n' "$i" "$PSK"; done
	printf '10.0.0.1\t%s\n' "$PSK"
} >"$R/etc/psk.txt"
chmod 600 "$R/etc/psk.txt"
racoon_conf "$R/etc/racoon.conf" "$R/etc/psk.txt" anonymous
printf '10.0.0.2\t%s\n' "$PSK" >"$L/etc/psk.txt"
chmod 600 "$L/etc/psk.txt"
racoon_conf "$L/etc/racoon.conf" "$L/etc/psk.txt" 10.0.0.2

# swanctl.conf: a responder for any peer, or left's trap-started initiator.
swanctl_conf() { # FILE LOCAL REMOTE START-ACTION
	cat >"$1" <<EOF
connections {
	bench {
		version = 1
		local_addrs = $2
		remote_addrs = $3
		proposals = aes128-sha256-modp2048
		local {
			auth = psk
		}
		remote {
			auth = psk
		}
		children {
			host {
				esp_proposals = aes128-sha256-modp2048
				mode = transport
				start_action = $4
			}
		}
	}
}
secrets {
	ike-any {
		secret = "$PSK"
	}
}
EOF
}
swanctl_conf "$R/etc/swanctl.conf" 10.0.0.2 %any none
swanctl_conf "$L/etc/swanctl.conf" 10.0.0.1 10.0.0.2 trap

# charon_bench HOST: charon with the lab's strongswan.conf, but logging at its default
# level 0 instead of the scenarios' debugging levels; the connection loaded.
CHARON_TEMPLATE=$LAB_RUN/strongswan-bench.conf
sed -e 's/^\(\t*\)\(default\|ike\|cfg\|knl\|enc\) = [0-9][0-9]*/\1\2 = 0/' \
	"$LAB_ROOT/tests/lab/strongswan/strongswan.conf" >"$CHARON_TEMPLATE"
charon_bench() {
	local h=$1 dir
	dir=$(hostdir "$h")
	charon_start "$h"
	CHARON_PID=${LAB_PIDS[-1]}
	swanctl_on "$h" --load-all --file "$dir/etc/swanctl.conf" >>"$dir/log/swanctl-load.log" 2>&1 ||
		fail "swanctl --load-all on $h: $(cat "$dir/log/swanctl-load.log")"
}
stop() { # PID
	kill -TERM "$1" 2>/dev/null
	wait "$1" 2>/dev/null || true
}
flush() { # HOST...
	local h
	for h in "$@"; do
		on "$h" ip xfrm state flush
		on "$h" ip xfrm policy flush
	done
}

# median: the middle of the numbers on stdin.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print 0 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }

# ---------------------------------------------------------------- 1. responder throughput

load_once() { # LABEL: ike_load against whatever responds on right; sets RATE
	local label=$1 out
	out=$(on left "$IKE_LOAD" 10.0.0.2 "$PSK" 10.0.1.1 "$BENCH_NEG" "$BENCH_PAR" 300) ||
		fail "ike_load against $label failed"
	log "$label: $out"
	[[ $out == completed=$BENCH_NEG\ * ]] || fail "$label: not every negotiation completed: $out"
	RATE=$(sed -e 's/.* rate=\([0-9.]*\).*/\1/' <<<"$out")
}

racoon_rates=() charon_rates=()
for ((round = 1; round <= BENCH_RUNS; round++)); do
	spawn right "racoon-bench-$round" "$LAB_BIN/racoon" --backend xfrm -F \
		-f "$R/etc/racoon.conf" -l "$R/log/racoon-bench-$round.log"
	pid=${LAB_PIDS[-1]}
	wait_for "racoon on right listening" 200 grep -q "10.0.0.2\[500\] used as isakmp port" "$R/log/racoon-bench-$round.log"
	load_once "racoon responding, round $round"
	racoon_rates+=("$RATE")
	stop "$pid"
	flush right

	charon_bench right
	load_once "charon responding, round $round"
	charon_rates+=("$RATE")
	stop "$CHARON_PID"
	flush right
done
racoon_rate=$(printf '%s\n' "${racoon_rates[@]}" | median)
charon_rate=$(printf '%s\n' "${charon_rates[@]}" | median)

# ---------------------------------------------------------------- 2. ACQUIRE -> SA

# monitor_start LABEL: `ip -t xfrm monitor` on left into MON, started before the
# initiator loads its policies; monitor_ready waits until the monitor has seen the
# outbound policy (setkey's, or charon's trap), so it cannot miss the ACQUIRE.
monitor_start() {
	MON=$L/log/monitor-$1.txt
	ip netns exec "$(ns left)" ip -t xfrm monitor >"$MON" 2>&1 &
	MON_PID=$!
	sleep 1
}
monitor_ready() {
	wait_for "the monitor saw left's outbound policy" 60 grep -q '^src 10.0.0.1/32 dst 10.0.0.2/32' "$MON"
}

# acquire_once LABEL: left's initiator is running and the monitor ready; ping right,
# time ACQUIRE -> the outbound SA in the monitor, in milliseconds, into MS.
acquire_once() {
	local label=$1 ms
	wait_for "$label: the tunnel carries a ping" 60 on left ping -c 1 -W 1 10.0.0.2
	kill "$MON_PID"
	wait "$MON_PID" 2>/dev/null || true
	# "Timestamp: Mon Nov 23 21:59:00 2026 123456 usec" precedes each message.
	ms=$(awk '
		/^Timestamp:/ { split($5, hms, ":"); t = (hms[1] * 3600 + hms[2] * 60 + hms[3]) * 1000 + $7 / 1000; next }
		/^acquire/ && !a { a = t; next }
		a && /^src 10.0.0.1 dst 10.0.0.2/ { printf "%.1f\n", t - a; exit }
	' "$MON")
	[[ -n $ms ]] || { cat "$MON"; fail "$label: no ACQUIRE followed by an outbound SA in the monitor"; }
	log "$label: ACQUIRE -> outbound SA ${ms} ms"
	MS=$ms
}

racoon_ms=() charon_ms=()
for ((round = 1; round <= BENCH_RUNS; round++)); do
	charon_bench right
	responder=$CHARON_PID

	monitor_start "racoon-initiating-$round"
	on left "$LAB_BIN/setkey" --backend xfrm -c >/dev/null <<EOF
spdadd 10.0.0.1 10.0.0.2 any -P out ipsec esp/transport//require;
spdadd 10.0.0.2 10.0.0.1 any -P in ipsec esp/transport//require;
EOF
	spawn left "racoon-init-$round" "$LAB_BIN/racoon" --backend xfrm -F \
		-f "$L/etc/racoon.conf" -l "$L/log/racoon-init-$round.log"
	pid=${LAB_PIDS[-1]}
	wait_for "racoon on left listening" 200 grep -q "10.0.0.1\[500\] used as isakmp port" "$L/log/racoon-init-$round.log"
	monitor_ready
	acquire_once "racoon-initiating-$round"
	racoon_ms+=("$MS")
	stop "$pid"
	flush left

	monitor_start "charon-initiating-$round"
	charon_bench left
	monitor_ready
	acquire_once "charon-initiating-$round"
	charon_ms+=("$MS")
	stop "$CHARON_PID"
	stop "$responder"
	flush left right
done
racoon_lat=$(printf '%s\n' "${racoon_ms[@]}" | median)
charon_lat=$(printf '%s\n' "${charon_ms[@]}" | median)

log "================ IKEv1 benchmark (kernel $(uname -r), $BENCH_RUNS rounds, medians)"
log "responder throughput, $BENCH_NEG main+quick negotiations, $BENCH_PAR in flight:"
log "  racoon (ours)  $racoon_rate negotiations/s   (rounds: ${racoon_rates[*]})"
log "  charon         $charon_rate negotiations/s   (rounds: ${charon_rates[*]})"
log "  ratio racoon/charon: $(ratio "$racoon_rate" "$charon_rate") (above 1: ours is faster)"
log "ACQUIRE -> outbound SA installed, initiator on left, charon responding:"
log "  racoon (ours)  $racoon_lat ms   (rounds: ${racoon_ms[*]})"
log "  charon         $charon_lat ms   (rounds: ${charon_ms[*]})"
log "  ratio racoon/charon: $(ratio "$racoon_lat" "$charon_lat") (below 1: ours is faster)"
