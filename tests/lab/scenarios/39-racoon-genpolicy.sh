# generate_policy on the responder (road warriors, L2TP/IPsec servers): right (10.0.0.2)
# has NO policies and a `remote anonymous` section with `generate_policy on; passive on;`;
# left (10.0.0.1) loads host-to-host transport policies and initiates with a ping. Right's
# racoon logs "no policy found, try to generate the policy : ..." and installs an `in`
# and an `out` transport policy for the two hosts (lifetime: the SAs') before the SAs;
# the ping crosses as ESP. Then SIGTERM to left's racoon: its DELETEs make right drop the SAs and with them
# the generated policies, while right's racoon keeps running.

topo_pair

transport_policies left 10.0.0.1 10.0.0.2
psk_racoon_conf left 10.0.0.2 "genpolicy secret"
psk_racoon_conf right 10.0.0.1 "genpolicy secret" name=anonymous remote="        generate_policy on;
        passive on;"

# ip xfrm's lines for the generated policies (socket policies left out).
generated() {
	on right ip xfrm policy | grep -A3 '^src 10\.0\.0\.' || true
}
no_generated() { [[ -z "$(generated)" ]]; }
right_sad_empty() { [[ -z "$(on right ip xfrm state)" ]]; }

backends=(xfrm)
[[ -e /proc/net/pfkey ]] && backends=(xfrm pfkey)
for BACKEND in "${backends[@]}"; do
	log "---- backend $BACKEND"
	on left "$LAB_BIN/setkey" --backend "$BACKEND" -f "$(hostdir left)/etc/policies.conf"
	on right "$LAB_BIN/setkey" --backend "$BACKEND" -c <<<$'flush;\nspdflush;'
	expect_eq "$BACKEND: right starts with no policy" "$(generated)" ""
	racoon_pair left 10.0.0.1 right 10.0.0.2 "$BACKEND"

	capture left to-right wire "host 10.0.0.1 and host 10.0.0.2"
	wait_for "a ping left -> right over generated policies" 60 on left ping -c 1 -W 1 10.0.0.2
	on left ping -c 3 -i 0.3 -W 2 10.0.0.2 >/dev/null || fail "pings after the SAs came up were lost"
	wire=$(capture_text wire)
	spd=$(generated)

	log "==== $BACKEND: racoon log, left"
	cat "$LOG1"
	log "==== $BACKEND: racoon log, right"
	cat "$LOG2"
	log "==== $BACKEND: ip xfrm policy on right"
	printf '%s\n' "$spd"

	expect_contains "$BACKEND: ESP on the wire" "$wire" "10.0.0.1 > 10.0.0.2: ESP"
	expect_contains "$BACKEND: ESP back on the wire" "$wire" "10.0.0.2 > 10.0.0.1: ESP"
	expect_not_contains "$BACKEND: no clear ICMP" "$wire" "ICMP echo"
	expect_contains "$BACKEND: right: policy generated" "$(cat "$LOG2")" \
		"INFO: no policy found, try to generate the policy : 10.0.0.1/32[0] 10.0.0.2/32[0] proto=any dir=in"
	expect_contains "$BACKEND: right: inbound SA" "$(cat "$LOG2")" "IPsec-SA established: ESP/Transport 10.0.0.1->10.0.0.2 spi="
	expect_contains "$BACKEND: right: outbound SA" "$(cat "$LOG2")" "IPsec-SA established: ESP/Transport 10.0.0.2->10.0.0.1 spi="
	expect_contains "$BACKEND: right: in policy" "$spd" "src 10.0.0.1/32 dst 10.0.0.2/32 
	dir in "
	expect_contains "$BACKEND: right: out policy" "$spd" "src 10.0.0.2/32 dst 10.0.0.1/32 
	dir out "
	expect_contains "$BACKEND: right: ESP transport template" "$spd" "proto esp reqid 0 mode transport"
	expect_eq "$BACKEND: right: exactly in and out" "$(grep -c '^src 10\.0\.0\.' <<<"$spd")" 2
	# The SAs' lifetime (sainfo default: 3600 s) is the policies' own, as spdupdate2 set it.
	expect_contains "$BACKEND: right: policy lifetime" "$(on right ip -s xfrm policy)" "expire add: soft 0(sec), hard 3600(sec)"

	kill -TERM "$RACOON1"
	wait "$RACOON1" || fail "$BACKEND: racoon on left did not exit cleanly on SIGTERM"
	wait_for "right's SAD emptied by left's DELETEs" 10 right_sad_empty
	wait_for "right's generated policies removed with the SAs" 10 no_generated
	kill -0 "$RACOON2" 2>/dev/null || fail "$BACKEND: racoon on right is not running any more"
	log "==== $BACKEND: racoon log, right, after left's SIGTERM"
	tail -n 6 "$LOG2"
	expect_contains "$BACKEND: right: IPsec-SA purged" "$(cat "$LOG2")" "purged IPsec-SA proto_id=ESP spi="

	kill -TERM "$RACOON2"
	wait "$RACOON2" || fail "$BACKEND: racoon on right did not exit cleanly on SIGTERM"
done
