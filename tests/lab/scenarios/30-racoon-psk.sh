# The KAME HOWTO 4.3.1 (racoon with pre-shared keys) as shown: the policy-only setkey
# file on each gateway (mirrored on gw2), racoon.conf from the seed with the psk file
# in the host's etc/, two of our racoons started with `racoon -F -f`. A ping from lan1
# to lan2 triggers the ACQUIRE; the racoons negotiate main mode and quick mode, install
# the SAs, and the ping crosses as ESP between the gateways. Both logs show the
# seed's lines and `setkey -D` on gw1 the two ESP SAs.

SEEDS=$LAB_ROOT/tests/seeds
topo_kame_gateways

# racoon_conf HOST PEER LOCAL-LAN PEER-LAN: the seed's racoon.conf for HOST.
racoon_conf() {
	local h=$1 peer=$2 mine=$3 theirs=$4 etc
	etc=$(hostdir "$h")/etc
	printf '%s\tsimple psk\n' "$peer" >"$etc/psk.txt"
	chmod 600 "$etc/psk.txt"
	sed -e "s#\"/etc/psk.txt\"#\"$etc/psk.txt\"#" \
		-e "s#^remote 192.168.2.100#remote $peer#" \
		-e "s#^sainfo address 172.16.1.0/24 any address 172.16.2.0/24 any#sainfo address $mine any address $theirs any#" \
		"$SEEDS/racoon-kame-psk.conf" >"$etc/racoon.conf"
}

backends=(xfrm)
[[ -e /proc/net/pfkey ]] && backends=(pfkey xfrm)
for BACKEND in "${backends[@]}"; do
	log "---- backend $BACKEND"
	on gw1 "$LAB_BIN/setkey" --backend "$BACKEND" -f "$SEEDS/kame-racoon-policies-192.168.1.100.conf"
	# gw2's file: the same policies with in and out swapped (the tunnel ends stay).
	sed -e 's/-P in /-P IN /; s/-P out /-P in /; s/-P IN /-P out /' \
		"$SEEDS/kame-racoon-policies-192.168.1.100.conf" >"$(hostdir gw2)/etc/policies.conf"
	on gw2 "$LAB_BIN/setkey" --backend "$BACKEND" -f "$(hostdir gw2)/etc/policies.conf"

	racoon_conf gw1 192.168.2.100 172.16.1.0/24 172.16.2.0/24
	racoon_conf gw2 192.168.1.100 172.16.2.0/24 172.16.1.0/24
	for h in gw1 gw2; do
		on "$h" "$LAB_BIN/racoon" -t -f "$(hostdir "$h")/etc/racoon.conf" ||
			fail "racoon -t rejects $h's racoon.conf"
	done
	LOG1=$(hostdir gw1)/log/racoon-$BACKEND.log
	LOG2=$(hostdir gw2)/log/racoon-$BACKEND.log
	spawn gw1 "racoon-gw1-$BACKEND" "$LAB_BIN/racoon" --backend "$BACKEND" -F -f "$(hostdir gw1)/etc/racoon.conf" -l "$LOG1"
	RACOON1=${LAB_PIDS[-1]}
	spawn gw2 "racoon-gw2-$BACKEND" "$LAB_BIN/racoon" --backend "$BACKEND" -F -f "$(hostdir gw2)/etc/racoon.conf" -l "$LOG2"
	RACOON2=${LAB_PIDS[-1]}
	# racoon registers with PF_KEY before it binds its sockets; the kernel's first
	# SADB_REGISTER probes every crypto algorithm, which takes a minute or two in the
	# lab's VM without KVM (once per boot).
	wait_for "racoon on gw1 listening" 200 grep -q "192.168.1.100\[500\] used as isakmp port" "$LOG1"
	wait_for "racoon on gw2 listening" 30 grep -q "192.168.2.100\[500\] used as isakmp port" "$LOG2"

	capture inet to-gw1 wire "host 192.168.1.100 and host 192.168.2.100"
	# The first pings only trigger the ACQUIRE; the tunnel is up once one gets through.
	wait_for "a ping lan1 -> lan2 through the negotiated tunnel" 60 \
		on lan1 ping -c 1 -W 1 172.16.2.10
	on lan1 ping -c 3 -i 0.3 -W 2 172.16.2.10 >/dev/null || fail "pings after the tunnel came up were lost"
	wire=$(capture_text wire)

	log "==== $BACKEND: racoon log, gw1"
	cat "$LOG1"
	log "==== $BACKEND: racoon log, gw2"
	cat "$LOG2"
	log "==== $BACKEND: setkey -D on gw1"
	sad=$(on gw1 "$LAB_BIN/setkey" --backend "$BACKEND" -D)
	printf '%s\n' "$sad"
	log "==== $BACKEND: the wire between the gateways (ESP lines)"
	grep ESP <<<"$wire" | head -n 6 || true

	expect_contains "$BACKEND: IKE on the wire" "$wire" "192.168.1.100.500 > 192.168.2.100.500"
	expect_contains "$BACKEND: ESP on the wire" "$wire" "192.168.1.100 > 192.168.2.100: ESP"
	expect_contains "$BACKEND: ESP back on the wire" "$wire" "192.168.2.100 > 192.168.1.100: ESP"
	expect_not_contains "$BACKEND: no clear ICMP between the gateways" "$wire" "ICMP echo"
	for f in "$LOG1" "$LOG2"; do
		expect_contains "$BACKEND: $f: phase 1" "$(cat "$f")" "ISAKMP-SA established"
		expect_contains "$BACKEND: $f: phase 2" "$(cat "$f")" "IPsec-SA established: ESP/Tunnel"
	done
	# setkey -D prints "SRC DST " (with the original's trailing blank), then the SA.
	expect_contains "$BACKEND: gw1 SAD: outbound ESP SA" "$sad" "192.168.1.100 192.168.2.100 
	esp mode=tunnel"
	expect_contains "$BACKEND: gw1 SAD: inbound ESP SA" "$sad" "192.168.2.100 192.168.1.100 
	esp mode=tunnel"
	expect_eq "$BACKEND: gw1 SAD: exactly the two ESP SAs" "$(grep -c 'esp mode=tunnel' <<<"$sad")" 2

	# SIGTERM: racoon removes the SAs it installed and exits.
	kill -TERM "$RACOON1" "$RACOON2"
	wait "$RACOON1" "$RACOON2" || fail "$BACKEND: racoon did not exit cleanly on SIGTERM"
	expect_eq "$BACKEND: gw1 SAD empty after racoon's SIGTERM" "$(on gw1 ip xfrm state)" ""
	expect_eq "$BACKEND: gw2 SAD empty after racoon's SIGTERM" "$(on gw2 ip xfrm state)" ""

done
