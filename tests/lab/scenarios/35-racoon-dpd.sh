# Dead peer detection (RFC 3706) between two of our racoons: left (10.0.0.1) and right
# (10.0.0.2) with host-to-host transport policies (as 31) and `dpd_delay 2; dpd_retry 1;
# dpd_maxfail 2;` in both remote sections, racoon run with -d. A ping brings the SAs up;
# both logs show the DPD vendor ID and the R-U-THERE / R-U-THERE-ACK flow both ways.
# Then right "reboots": its racoon gets SIGKILL and its SAs are flushed. Left's
# R-U-THEREs go unanswered, so within delay + retry * maxfail (4 s after the last ACK)
# left logs "DPD: remote (ISAKMP-SA spi=...) seems to be dead.", purges its SAs (gone
# from `ip xfrm state`) and racoonctl show-event reports the dead peer. Right's racoon
# is started again and a ping from left negotiates a new phase 1 and SA pair.
# Then the same against strongSwan's charon (IKEv1, dpd_action clear) on the KAME HOWTO's
# gateways: R-U-THERE and ACK both ways, and each side detects the other's death.

topo_pair

CTL=$LAB_BIN/racoonctl

# racoon_conf HOST PEER: racoon.conf (admin socket in HOST's directory, DPD checks) and
# psk.txt for HOST.
racoon_conf() {
	psk_racoon_conf "$1" "$2" "dpd secret" \
		head="listen { adminsock \"$(hostdir "$1")/racoon.sock\"; }" \
		remote="        dpd_delay 2;
        dpd_retry 1;
        dpd_maxfail 2;" \
		sainfo="        pfs_group modp1024;"
}

# start_racoon HOST ADDR LOG: our racoon with -d in the foreground; its pid in RACOON.
start_racoon() {
	local h=$1 addr=$2 log=$3
	spawn "$h" "stdout-${log##*/}" "$LAB_BIN/racoon" --backend "$BACKEND" -F -d \
		-f "$(hostdir "$h")/etc/racoon.conf" -l "$log"
	RACOON=${LAB_PIDS[-1]}
	# The first PF_KEY REGISTER of a boot probes every algorithm (a minute or two).
	wait_for "racoon on $h listening" 200 grep -qF "$addr[500] used as isakmp port" "$log"
}

# count TEXT FILE: how many lines of FILE contain TEXT.
count() { grep -cF -- "$1" "$2" || true; }
# at_least N TEXT FILE: FILE has N lines or more containing TEXT.
at_least() { (($(count "$2" "$3") >= $1)); }

transport_policies left 10.0.0.1 10.0.0.2
transport_policies right 10.0.0.2 10.0.0.1
racoon_conf left 10.0.0.2
racoon_conf right 10.0.0.1

for BACKEND in $(lab_backends); do
	log "---- backend $BACKEND"
	for h in left right; do
		on "$h" "$LAB_BIN/setkey" --backend "$BACKEND" -f "$(hostdir "$h")/etc/policies.conf"
		on "$h" "$LAB_BIN/racoon" -t -f "$(hostdir "$h")/etc/racoon.conf" ||
			fail "racoon -t rejects $h's racoon.conf"
	done
	LOG1=$(hostdir left)/log/racoon-$BACKEND.log
	LOG2=$(hostdir right)/log/racoon-$BACKEND.log
	LOG2B=$(hostdir right)/log/racoon-$BACKEND-restarted.log
	start_racoon left 10.0.0.1 "$LOG1"
	RACOON1=$RACOON
	start_racoon right 10.0.0.2 "$LOG2"
	RACOON2=$RACOON
	EVENTS=$(hostdir left)/log/show-event-$BACKEND.log
	spawn left "show-event-$BACKEND" "$CTL" -s "$(hostdir left)/racoon.sock" show-event
	EVENTS_PID=${LAB_PIDS[-1]}

	wait_for "a ping left -> right" 60 on left ping -c 1 -W 1 10.0.0.2
	for f in "$LOG1" "$LOG2"; do
		expect_contains "$BACKEND: $f: the peer's DPD vendor ID" "$(cat "$f")" "received Vendor ID: DPD"
		expect_contains "$BACKEND: $f: DPD in use" "$(cat "$f")" "remote supports DPD"
	done
	# Both sides probe every 2 s and answer each other.
	for f in "$LOG1" "$LOG2"; do
		wait_for "$BACKEND: $f: two ACKs received" 15 \
			at_least 2 "received an R-U-THERE-ACK" "$f"
		wait_for "$BACKEND: $f: two R-U-THERE answered" 15 \
			at_least 2 "received a valid R-U-THERE, ACK sent" "$f"
	done
	expect_contains "$BACKEND: left sends R-U-THERE" "$(cat "$LOG1")" "DEBUG: DPD R-U-There sent (0)"
	expect_contains "$BACKEND: right receives R-U-THERE" "$(cat "$LOG2")" "DEBUG: DPD R-U-There received"
	expect_contains "$BACKEND: left receives the ACK" "$(cat "$LOG1")" "DEBUG: DPD R-U-There-Ack received"
	expect_not_contains "$BACKEND: left: no wrong sequence number" "$(cat "$LOG1")" "Wrong DPD sequence number"
	expect_not_contains "$BACKEND: right: no wrong sequence number" "$(cat "$LOG2")" "Wrong DPD sequence number"
	expect_not_contains "$BACKEND: nobody dead yet" "$(cat "$LOG1" "$LOG2")" "seems to be dead"
	expect_eq "$BACKEND: left SAD: two SAs" "$(on left ip xfrm state | grep -c '^src ')" 2
	spd_before=$(policy_summary left)
	spi_before=$(on left ip xfrm state | awk '$1 == "proto" { print $4 }' | sort | tr '\n' ' ')
	index=$(grep -o 'ISAKMP-SA established 10.0.0.1\[500\]-10.0.0.2\[500\] spi:[0-9a-f:]*' "$LOG1" | head -n 1)
	index=${index##*spi:}
	[[ -n $index ]] || fail "$BACKEND: no ISAKMP-SA established line on left"

	# right reboots: racoon killed without a word, its kernel SAs gone.
	kill -KILL "$RACOON2"
	wait "$RACOON2" 2>/dev/null || true
	on right "$LAB_BIN/setkey" --backend "$BACKEND" -F
	killed=$SECONDS
	wait_for "$BACKEND: left declares right dead" 12 \
		grep -qF "DPD: remote (ISAKMP-SA spi=$index) seems to be dead." "$LOG1"
	took=$((SECONDS - killed))
	log "$BACKEND: dead peer detected ${took}s after the kill"
	((took <= 10)) || fail "$BACKEND: detection took ${took}s"
	wait_for "$BACKEND: left's SAD empty" 5 sad_empty left
	log "==== $BACKEND: racoon log, left, from the kill"
	grep -F -e "DPD" -e "purg" -e "ISAKMP-SA deleted" "$LOG1" | tail -n 12
	expect_contains "$BACKEND: left: DPD line at INFO" "$(cat "$LOG1")" \
		"INFO: DPD: remote (ISAKMP-SA spi=$index) seems to be dead."
	expect_contains "$BACKEND: left: purging" "$(cat "$LOG1")" "INFO: purging ISAKMP-SA spi=$index."
	for spi in $spi_before; do
		expect_contains "$BACKEND: left: purged SA $spi" "$(cat "$LOG1")" "INFO: purged IPsec-SA spi=$((spi))."
	done
	expect_contains "$BACKEND: left: purged" "$(cat "$LOG1")" "INFO: purged ISAKMP-SA spi=$index."
	expect_contains "$BACKEND: left: ISAKMP-SA deleted" "$(cat "$LOG1")" \
		"ISAKMP-SA deleted 10.0.0.1[500]-10.0.0.2[500] spi:$index"
	expect_eq "$BACKEND: left SAD empty" "$(on left ip xfrm state)" ""
	expect_eq "$BACKEND: left SPD kept" "$(policy_summary left)" "$spd_before"
	out=$(on left "$CTL" -s "$(hostdir left)/racoon.sock" show-sa isakmp)
	expect_not_contains "$BACKEND: no ISAKMP-SA left" "$out" "10.0.0.2.500"
	wait_for "$BACKEND: show-event reports the dead peer" 5 \
		grep -qF "Phase 1 error: dead peer detected : 10.0.0.1[500] -> 10.0.0.2[500]" "$EVENTS"
	expect_contains "$BACKEND: show-event: phase 1 deleted" "$(cat "$EVENTS")" \
		"Phase 1 deleted : 10.0.0.1[500] -> 10.0.0.2[500]"
	kill -0 "$RACOON1" 2>/dev/null || fail "$BACKEND: racoon on left is not running any more"

	# right is back: a ping from left negotiates afresh.
	start_racoon right 10.0.0.2 "$LOG2B"
	RACOON2=$RACOON
	wait_for "$BACKEND: a ping left -> right after right's restart" 60 on left ping -c 1 -W 1 10.0.0.2
	on left ping -c 3 -i 0.3 -W 2 10.0.0.2 >/dev/null || fail "$BACKEND: pings on the new SAs were lost"
	expect_eq "$BACKEND: left: two phase 1s" \
		"$(count "ISAKMP-SA established 10.0.0.1[500]-10.0.0.2[500]" "$LOG1")" 2
	expect_contains "$BACKEND: right (restarted): phase 1" "$(cat "$LOG2B")" \
		"ISAKMP-SA established 10.0.0.2[500]-10.0.0.1[500]"
	expect_eq "$BACKEND: left SAD: two new SAs" "$(on left ip xfrm state | grep -c '^src ')" 2
	spi_after=$(on left ip xfrm state | awk '$1 == "proto" { print $4 }' | sort | tr '\n' ' ')
	[[ $spi_after != "$spi_before" ]] || fail "$BACKEND: the old SPIs are back"

	kill -TERM "$RACOON1" "$RACOON2"
	wait "$RACOON1" || fail "$BACKEND: racoon on left did not exit cleanly on SIGTERM"
	wait "$RACOON2" || fail "$BACKEND: racoon on right did not exit cleanly on SIGTERM"
	kill "$EVENTS_PID" 2>/dev/null || true
	wait "$EVENTS_PID" 2>/dev/null || true
	for h in left right; do
		on "$h" "$LAB_BIN/setkey" --backend "$BACKEND" -F
		on "$h" "$LAB_BIN/setkey" --backend "$BACKEND" -FP
	done
done

# ---- Against strongSwan's charon (IKEv1), on the KAME HOWTO's gateways: our racoon on gw1
# (the seed's tunnel policies, dpd_delay 5, dpd_retry 1, dpd_maxfail 2, -d), charon on
# gw2 with dpd_delay 2s, dpd_timeout 6s and dpd_action clear. charon probes only after
# dpd_delay without inbound traffic, so racoon's longer delay lets both sides probe and
# answer. Each side detects the other's death.
log "---- charon"
topo_kame_gateways
SWAN=$LAB_ROOT/tests/lab/strongswan
PSK='dpd psk 35'
CLOG=$(hostdir gw2)/log/charon.log
GW1=$(hostdir gw1)/etc
on gw1 "$LAB_BIN/setkey" -f "$LAB_ROOT/tests/seeds/kame-racoon-policies-192.168.1.100.conf"
printf '192.168.2.100\t%s\n' "$PSK" >"$GW1/psk.txt"
chmod 600 "$GW1/psk.txt"
sed -e 's/^\( *\)exchange_mode main;/&\n\1dpd_delay 5;\n\1dpd_retry 1;\n\1dpd_maxfail 2;/' \
	"$SWAN/racoon-main.conf" >"$GW1/racoon-dpd.tmpl"
lab_template "$GW1/racoon-dpd.tmpl" "$GW1/racoon.conf" "PSKFILE=$GW1/psk.txt" \
	REMOTE=192.168.2.100 LOCAL_TS=172.16.1.0/24 REMOTE_TS=172.16.2.0/24
on gw1 "$LAB_BIN/racoon" -t -f "$GW1/racoon.conf" || fail "racoon -t rejects gw1's racoon.conf"
lab_template "$SWAN/net2net.conf" "$(hostdir gw2)/etc/swanctl.conf" AGGRESSIVE=no \
	LOCAL=192.168.2.100 REMOTE=192.168.1.100 LOCAL_ID=192.168.2.100 REMOTE_ID=192.168.1.100 \
	LOCAL_TS=172.16.2.0/24 REMOTE_TS=172.16.1.0/24 "PSK=$PSK" \
	IKE=aes128-sha256-modp2048 ESP=aes128-sha1-modp2048
sed -i -e 's/^\(\t*\)proposals = .*/&\n\1dpd_delay = 2s\n\1dpd_timeout = 6s/' \
	-e 's/^\(\t*\)start_action = trap/&\n\1dpd_action = clear/' "$(hostdir gw2)/etc/swanctl.conf"

# gw1_racoon LOG: our racoon on gw1 (-d), pid in RACOON.
gw1_racoon() {
	spawn gw1 "stdout-${1##*/}" "$LAB_BIN/racoon" -F -d -f "$GW1/racoon.conf" -l "$1"
	RACOON=${LAB_PIDS[-1]}
	wait_for "racoon on gw1 listening" 200 grep -qF "192.168.1.100[500] used as isakmp port" "$1"
}
# gw2_charon: charon on gw2 with the DPD connection loaded, pid in CHARON.
gw2_charon() {
	charon_start gw2
	CHARON=${LAB_PIDS[-1]}
	swanctl_on gw2 --load-all --file "$(hostdir gw2)/etc/swanctl.conf" >>"$(hostdir gw2)/log/swanctl-load.log" 2>&1 ||
		fail "swanctl could not load gw2's connection"
}
# since MARK FILE: FILE from line MARK on.
since() { tail -n "+$1" "$2"; }
# has_since MARK FILE TEXT: FILE has TEXT from line MARK on.
has_since() { since "$1" "$2" | grep -F -- "$3" >/dev/null; }
lines() { echo $(($(wc -l <"$1") + 1)); }

RLOG=$(hostdir gw1)/log/racoon-charon.log
gw1_racoon "$RLOG"
RACOON1=$RACOON
gw2_charon
wait_for "charon: a ping lan1 -> lan2 through the tunnel" 60 on lan1 ping -c 1 -W 1 172.16.2.10
expect_contains "charon: racoon got charon's DPD vendor ID" "$(cat "$RLOG")" "received Vendor ID: DPD"
expect_contains "charon: racoon does DPD with charon" "$(cat "$RLOG")" "remote supports DPD"
wait_for "charon: racoon's R-U-THEREs answered by charon" 20 at_least 2 "received an R-U-THERE-ACK" "$RLOG"
wait_for "charon: charon's R-U-THEREs answered by racoon" 20 at_least 2 "received a valid R-U-THERE, ACK sent" "$RLOG"
# charon_says REGEX: charon's log has a line matching REGEX.
charon_says() { grep -E -- "$1" "$CLOG" >/dev/null; }
charon_says 'parsed INFORMATIONAL_V1 [a-z]+ [0-9]+ \[ HASH N\(DPD\) \]' || fail "charon: charon parsed no R-U-THERE"
charon_says 'generating INFORMATIONAL_V1 [a-z]+ [0-9]+ \[ HASH N\(DPD_ACK\) \]' || fail "charon: charon sent no R-U-THERE-ACK"
charon_says 'generating INFORMATIONAL_V1 [a-z]+ [0-9]+ \[ HASH N\(DPD\) \]' || fail "charon: charon sent no R-U-THERE"
charon_says 'parsed INFORMATIONAL_V1 [a-z]+ [0-9]+ \[ HASH N\(DPD_ACK\) \]' || fail "charon: charon parsed no R-U-THERE-ACK"
log "ok: charon: R-U-THERE and R-U-THERE-ACK both ways"
grep -m 4 -E 'N\(DPD' "$CLOG"
expect_not_contains "charon: racoon: no wrong sequence number" "$(cat "$RLOG")" "Wrong DPD sequence number"
index=$(grep -o 'ISAKMP-SA established 192.168.1.100\[500\]-192.168.2.100\[500\] spi:[0-9a-f:]*' "$RLOG" | tail -n 1)
index=${index##*spi:}

# charon dies with its SAs: racoon declares it dead.
kill -KILL "$CHARON"
wait "$CHARON" 2>/dev/null || true
on gw2 ip xfrm state flush
on gw2 ip xfrm policy flush
killed=$SECONDS
wait_for "charon: racoon declares charon dead" 12 \
	grep -qF "DPD: remote (ISAKMP-SA spi=$index) seems to be dead." "$RLOG"
log "charon: dead peer detected $((SECONDS - killed))s after charon's kill"
wait_for "charon: gw1's SAD empty" 5 sad_empty gw1
grep -F -e "DPD:" -e "purg" -e "ISAKMP-SA deleted" "$RLOG" | tail -n 6

# charon is back; a ping negotiates afresh; then our racoon dies and charon notices.
gw2_charon
mark=$(lines "$RLOG")
wait_for "charon: a ping lan1 -> lan2 after charon's restart" 60 on lan1 ping -c 1 -W 1 172.16.2.10
has_since "$mark" "$RLOG" "ISAKMP-SA established 192.168.1.100[500]-192.168.2.100[500]" ||
	fail "charon: no new phase 1 after charon's restart"
cmark=$(lines "$CLOG")
kill -KILL "$RACOON1"
wait "$RACOON1" 2>/dev/null || true
on gw1 "$LAB_BIN/setkey" -F
killed=$SECONDS
wait_for "charon: charon declares racoon dead" 30 has_since "$cmark" "$CLOG" "DPD check timed out, enforcing DPD action"
log "charon: charon's DPD fired $((SECONDS - killed))s after racoon's kill"
wait_for "charon: gw2's SAD empty (dpd_action clear)" 10 sad_empty gw2
since "$cmark" "$CLOG" | grep -E "DPD|N\(DPD|deleting|closing" | tail -n 8 || true
kill -TERM "$CHARON"
wait "$CHARON" 2>/dev/null || true
