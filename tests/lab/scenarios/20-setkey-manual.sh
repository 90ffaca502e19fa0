# setkey against a real kernel, on both backends: the KAME HOWTO's manually keyed
# transport (AH + ESP) and tunnel (ESP, with the fwd policy) files exactly as the seed
# shows them, and conf-examples/ (transport and tunnel with hmac-sha256, esp-udp NAT-T,
# AES-GCM). For each: setkey loads the file without a complaint, `ip xfrm state` and
# `ip xfrm policy` then hold exactly the intended SAs and policies, and pings cross as
# the intended protocol on the wire. Then -F/-FP empty the tables.

SEEDS=$LAB_ROOT/tests/seeds
EX=$LAB_ROOT/conf-examples
topo_kame_gateways

# load HOST FILE [SETKEY OPTIONS...]: setkey -f FILE must exit 0; its stderr is
# returned in $LOAD_ERR.
load() {
	local h=$1 f=$2
	shift 2
	local errf
	errf=$(hostdir "$h")/log/setkey.err
	on "$h" "$LAB_BIN/setkey" --backend "$BACKEND" "$@" -f "$f" >"$(hostdir "$h")/log/setkey.out" 2>"$errf" ||
		fail "setkey --backend $BACKEND $* -f $f on $h exited $?: $(cat "$errf")"
	LOAD_ERR=$(cat "$errf")
}

# state HOST NAME: compare the host's SAs and policies with the expected text in
# tests/lab/expected/NAME.{sa,sp} (the same for both backends); with LAB_SHOW=1 print
# them and save them under the results directory for review instead.
state() {
	local h=$1 name=$2 dir=$LAB_ROOT/tests/lab/expected
	local sa sp
	sa=$(sa_summary "$h")
	sp=$(policy_summary "$h")
	if [[ -n ${LAB_SHOW:-} ]]; then
		printf '==== %s.sa\n%s\n==== %s.sp\n%s\n' "$name" "$sa" "$name" "$sp"
		mkdir -p "$LAB_RESULTS/expected"
		printf '%s\n' "$sa" >"$LAB_RESULTS/expected/$BACKEND-$name.sa"
		printf '%s\n' "$sp" >"$LAB_RESULTS/expected/$BACKEND-$name.sp"
		return
	fi
	expect_eq "$BACKEND: $name SAs on $h" "$sa" "$(cat "$dir/$name.sa")"
	expect_eq "$BACKEND: $name policies on $h" "$sp" "$(cat "$dir/$name.sp")"
}

# crosses FROM TO CAPTURE-HOST IFACE PATTERN...: a ping from FROM to TO succeeds and
# the capture on CAPTURE-HOST's IFACE shows every PATTERN and no clear ICMP.
crosses() {
	local from=$1 to=$2 ch=$3 ci=$4
	shift 4
	capture "$ch" "$ci" wire
	on "$from" ping -c 2 -i 0.3 -W 2 "$to" >/dev/null || {
		capture_text wire
		fail "$BACKEND: ping $from -> $to did not cross"
	}
	local wire p
	wire=$(capture_text wire)
	for p in "$@"; do
		expect_contains "$BACKEND: $from -> $to carries $p" "$wire" "$p"
	done
	expect_not_contains "$BACKEND: no clear ICMP between $from and $to" "$wire" "ICMP echo"
}

# dump_text HOST -D|-DP: setkey's dump with what changes from run to run (dates, the
# age in seconds, our pid) replaced by placeholders.
dump_text() {
	on "$1" "$LAB_BIN/setkey" --backend "$BACKEND" "$2" | sed -E \
		-e 's/[A-Z][a-z]{2} [ 0-9][0-9] [0-9]{2}:[0-9]{2}:[0-9]{2} [0-9]{4}/DATE/g' \
		-e 's/diff: [0-9]+\(s\)/diff: N(s)/' -e 's/ pid=[0-9]+/ pid=PID/' -e 's/spid=[0-9]+/spid=N/'
}

# golden HOST NAME: setkey -D and -DP match tests/lab/expected/NAME.{D,DP} (the same
# text on both backends); with LAB_SHOW=1 save them for review instead.
golden() {
	local h=$1 name=$2 opt
	for opt in D DP; do
		local text
		text=$(dump_text "$h" "-$opt")
		if [[ -n ${LAB_SHOW:-} ]]; then
			mkdir -p "$LAB_RESULTS/expected"
			printf '%s\n' "$text" >"$LAB_RESULTS/expected/$BACKEND-$name.$opt"
		else
			expect_eq "$BACKEND: setkey -$opt after $name" "$text" "$(cat "$LAB_ROOT/tests/lab/expected/$name.$opt")"
		fi
	done
}

swap_dirs() { sed -e 's/-P in /-P IN /; s/-P out /-P in /; s/-P IN /-P out /' "$1"; }

for BACKEND in $(lab_backends); do
	log "---- backend $BACKEND"

	# KAME HOWTO 4.2.1, as shown: AH + ESP in transport mode.
	load gw1 "$SEEDS/kame-transport-192.168.1.100.conf"
	load gw2 "$SEEDS/kame-transport-192.168.2.100.conf"
	expect_eq "$BACKEND: kame transport loads silently" "$LOAD_ERR" ""
	state gw1 kame-transport-gw1
	golden gw1 kame-transport-gw1
	crosses gw1 192.168.2.100 inet to-gw1 \
		"192.168.1.100 > 192.168.2.100: AH(spi=0x00000200,seq=0x1," "): ESP(spi=0x00000201,seq=0x1)" \
		"192.168.2.100 > 192.168.1.100: AH(spi=0x00000300,seq=0x1," "): ESP(spi=0x00000301,seq=0x1)"

	# KAME HOWTO 4.2.2, as shown: the tunnel file, then the fwd policy it adds. Under
	# RFC semantics (the default) setkey already added that fwd policy, so the kernel
	# answers "File exists", as it did to the original, and setkey goes on with status 0.
	sed -e 's/-P in /-P IN /; s/-P out /-P in /; s/-P IN /-P out /' \
		"$SEEDS/kame-tunnel-192.168.1.100.conf" >"$(hostdir gw2)/etc/kame-tunnel.conf"
	load gw1 "$SEEDS/kame-tunnel-192.168.1.100.conf"
	load gw2 "$(hostdir gw2)/etc/kame-tunnel.conf"
	load gw1 "$SEEDS/kame-tunnel-fwd-192.168.1.100.conf"
	expect_eq "$BACKEND: the seed's explicit fwd policy meets the automatic one" "$LOAD_ERR" \
		"setkey: $SEEDS/kame-tunnel-fwd-192.168.1.100.conf,1: File exists"
	state gw1 kame-tunnel-gw1
	crosses lan1 172.16.2.10 inet to-gw1 \
		"192.168.1.100 > 192.168.2.100: ESP(spi=0x00000201,seq=0x1)" \
		"192.168.2.100 > 192.168.1.100: ESP(spi=0x00000301,seq=0x1)"
	# With -k (kernel semantics) nothing is added behind the user's back: the same files
	# then need the HOWTO's explicit fwd policy, which now loads silently.
	load gw1 "$SEEDS/kame-tunnel-192.168.1.100.conf" -k
	load gw1 "$SEEDS/kame-tunnel-fwd-192.168.1.100.conf" -k
	expect_eq "$BACKEND: -k: the explicit fwd policy loads" "$LOAD_ERR" ""
	state gw1 kame-tunnel-gw1

	# KAME HOWTO 4.3, as shown: the policy-only files racoon works with (no SAs; the
	# kernel asks racoon for them). They load silently into exactly these policies.
	on gw1 "$LAB_BIN/setkey" --backend "$BACKEND" -F
	for f in kame-racoon-policies kame-natt-racoon-policies; do
		on gw1 "$LAB_BIN/setkey" --backend "$BACKEND" -FP
		load gw1 "$SEEDS/$f-192.168.1.100.conf"
		expect_eq "$BACKEND: $f loads silently" "$LOAD_ERR" ""
		state gw1 "$f-gw1"
	done

	# conf-examples: hmac-sha256 with RFC 4868's 128-bit truncation on both backends.
	load gw1 "$EX/transport/gw1.conf"
	load gw2 "$EX/transport/gw2.conf"
	state gw1 example-transport-gw1
	crosses gw1 192.168.2.100 inet to-gw1 \
		"192.168.1.100 > 192.168.2.100: ESP(spi=0x00001101" "192.168.2.100 > 192.168.1.100: ESP(spi=0x00002201"
	# The same keys installed on the peer by `ip xfrm` with 128-bit truncation.
	on gw2 ip xfrm state flush
	on gw2 ip xfrm state add src 192.168.1.100 dst 192.168.2.100 proto esp spi 0x1101 mode transport \
		enc 'cbc(aes)' 0x4a2c8d1e9f3b7a6c5d0e1f2a3b4c5d6e \
		auth-trunc 'hmac(sha256)' 0x0f1e2d3c4b5a69788796a5b4c3d2e1f000112233445566778899aabbccddeeff 128
	on gw2 ip xfrm state add src 192.168.2.100 dst 192.168.1.100 proto esp spi 0x2201 mode transport \
		enc 'cbc(aes)' 0x6e5d4c3b2a1f0e0d1c2b3a4958677685 \
		auth-trunc 'hmac(sha256)' 0xffeeddccbbaa99887766554433221100f0e1d2c3b4a5968778695a4b3c2d1e0f 128
	crosses gw1 192.168.2.100 inet to-gw1 "ESP(spi=0x00001101" "ESP(spi=0x00002201"
	log "ok: $BACKEND: hmac-sha256 SAs from setkey interoperate with ip xfrm's 128-bit truncation"

	load gw1 "$EX/tunnel/gw1.conf"
	load gw2 "$EX/tunnel/gw2.conf"
	state gw1 example-tunnel-gw1
	golden gw1 example-tunnel-gw1
	crosses lan1 172.16.2.10 inet to-gw1 \
		"192.168.1.100 > 192.168.2.100: ESP(spi=0x00003101" "192.168.2.100 > 192.168.1.100: ESP(spi=0x00003201"

	load gw1 "$EX/gcm/gw1.conf"
	load gw2 "$EX/gcm/gw2.conf"
	state gw1 example-gcm-gw1
	crosses gw1 192.168.2.100 inet to-gw1 "ESP(spi=0x00005101" "ESP(spi=0x00005201"

	# ESP in UDP needs a socket with UDP_ENCAP on port 4500 at each receiver.
	for h in gw1 gw2; do
		spawn "$h" natt-socket python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("0.0.0.0", 4500))
s.setsockopt(socket.IPPROTO_UDP, 100, 2)  # UDP_ENCAP, UDP_ENCAP_ESPINUDP
print("ready", flush=True)
time.sleep(3600)'
		wait_for "UDP_ENCAP socket on $h" 60 grep -q ready "$(hostdir "$h")/log/natt-socket.log"
	done
	load gw1 "$EX/nat-t/gw1.conf"
	load gw2 "$EX/nat-t/gw2.conf"
	state gw1 example-nat-t-gw1
	crosses lan1 172.16.2.10 inet to-gw1 \
		"192.168.1.100.4500 > 192.168.2.100.4500: UDP-encap: ESP(spi=0x00004101" \
		"192.168.2.100.4500 > 192.168.1.100.4500: UDP-encap: ESP(spi=0x00004201"
	for p in "${LAB_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done

	# esp-udp with a NAT-OA (the peer's address before NAT), ports defaulting to 4500.
	# XFRM keeps it in the encapsulation template, and -D prints the original's
	# `NAT OA=' line; Linux's PF_KEY takes the extension and drops its address (af_key
	# zeroes encap_oa), so there the kernel, and the dump, have none, as with the original.
	f=$(hostdir gw1)/etc/nat-oa.conf
	printf '%s\n' 'flush;' 'add 192.168.1.100 192.168.2.100 esp-udp 10.99.0.7 0x4301 -m tunnel -E null;' >"$f"
	load gw1 "$f"
	xs=$(on gw1 ip xfrm state)
	d=$(on gw1 "$LAB_BIN/setkey" --backend "$BACKEND" -D)
	expect_contains "$BACKEND: esp-udp SA with the default ports" "$d" $'192.168.1.100[4500] 192.168.2.100[4500] \n\tesp-udp mode=tunnel spi=17153(0x00004301)'
	if [[ $BACKEND == xfrm ]]; then
		expect_contains "$BACKEND: the NAT-OA reaches the kernel" "$xs" "encap type espinudp sport 4500 dport 4500 addr 10.99.0.7"
		expect_contains "$BACKEND: -D prints the NAT-OA" "$d" $'reqid=0(0x00000000)\n\tNAT OA=10.99.0.7\n'
	else
		expect_contains "$BACKEND: af_key drops the NAT-OA" "$xs" "encap type espinudp sport 4500 dport 4500 addr 0.0.0.0"
		expect_not_contains "$BACKEND: -D has no NAT-OA" "$d" "NAT OA"
	fi

	# getspi: a larval SA with the mode and reqid asked for, which `update` completes;
	# asking again for an SPI in use fails as the original reported it ("(null)").
	printf '%s\n' 'flush;' 'getspi 192.168.2.100 192.168.1.100 esp 0x7001 -m tunnel -u 5;' \
		'getspi 192.168.2.100 192.168.1.100 ah 0;' >"$f"
	load gw1 "$f"
	expect_eq "$BACKEND: getspi is silent" "$LOAD_ERR" ""
	xs=$(on gw1 ip xfrm state)
	expect_contains "$BACKEND: getspi reserved the SPI" "$xs" "proto esp spi 0x00007001 reqid 5 mode tunnel"
	expect_contains "$BACKEND: getspi 0 let the kernel pick an AH SPI" "$xs" "proto ah spi 0x"
	d=$(on gw1 "$LAB_BIN/setkey" --backend "$BACKEND" -D)
	expect_contains "$BACKEND: -D shows the larval SA" "$d" \
		$'\tesp mode=tunnel spi=28673(0x00007001) reqid=5(0x00000005)\n\tseq=0x00000000 replay=0 flags=0x00000000 state=larval '
	printf '%s\n' 'getspi 192.168.2.100 192.168.1.100 esp 0x7001;' \
		'update 192.168.2.100 192.168.1.100 esp 0x7001 -m tunnel -u 5 -E aes-cbc 0x00112233445566778899aabbccddeeff;' >"$f"
	load gw1 "$f"
	expect_eq "$BACKEND: getspi of an SPI in use" "$LOAD_ERR" "setkey: $f,1: (null)"
	d=$(on gw1 "$LAB_BIN/setkey" --backend "$BACKEND" -D)
	expect_contains "$BACKEND: update completed the larval SA" "$d" \
		$'\tesp mode=tunnel spi=28673(0x00007001) reqid=5(0x00000005)\n\tE: aes-cbc  00112233 44556677 8899aabb ccddeeff\n\tseq=0x00000000 replay=0 flags=0x00000000 state=mature '

	# -F and -FP empty the tables; -D / -DP then say so.
	on gw1 "$LAB_BIN/setkey" --backend "$BACKEND" -F
	on gw1 "$LAB_BIN/setkey" --backend "$BACKEND" -FP
	expect_eq "$BACKEND: -F empties the SAD" "$(on gw1 ip xfrm state)" ""
	expect_eq "$BACKEND: -FP empties the SPD" "$(on gw1 ip xfrm policy)" ""
	expect_eq "$BACKEND: -D on an empty SAD" "$(on gw1 "$LAB_BIN/setkey" --backend "$BACKEND" -D)" "No SAD entries."
	expect_eq "$BACKEND: -DP on an empty SPD" "$(on gw1 "$LAB_BIN/setkey" --backend "$BACKEND" -DP)" "No SPD entries."
done
