# Negotiations that must fail, with the original's log lines and no SAs installed:
# (a) a wrong pre-shared key on one side: the responder cannot parse the initiator's
#     encrypted message 5 and keeps waiting, both sides give up when their
#     retransmissions run out ("phase1 negotiation failed due to time up.");
# (b) different phase-1 encryption: the responder finds no suitable proposal, drops the
#     negotiation and answers NO-PROPOSAL-CHOSEN;
# (c) different phase-2 encryption in the sainfo: phase 1 comes up, the quick mode is
#     refused with NO-PROPOSAL-CHOSEN.
# Host-to-host transport mode between left and right (as 31), XFRM backend.

topo_pair

# racoon_conf HOST PEER PSK PH1-ENC PH2-ENC: short retransmission timers, so that a
# negotiation the peer never answers gives up within the scenario.
racoon_conf() {
	psk_racoon_conf "$1" "$2" "$3" ph1_enc="$4" ph2_enc="$5" head="
timer {
        counter 3;
        interval 2 sec;
        phase1 20 sec;
        phase2 15 sec;
}
"
}

policies() { # HOST ME PEER
	transport_policies "$@"
	on "$1" "$LAB_BIN/setkey" --backend xfrm -f "$(hostdir "$1")/etc/policies.conf"
}

# installed HOST: the SAs with an SPI (an ACQUIRE's larval entry has none).
installed() {
	on "$1" ip xfrm state | awk '$1 == "proto" && $3 == "spi" && $4 != "0x00000000"'
}

# start CASE: both racoons with the current files; logs in LOG1/LOG2.
start() {
	racoon_pair left 10.0.0.1 right 10.0.0.2 xfrm "$1"
	# The ping only triggers the ACQUIRE; it cannot get through.
	on left ping -c 1 -W 1 10.0.0.2 >/dev/null 2>&1 && fail "$1: a ping crossed without SAs"
	true
}

stop() {
	log "==== $1: racoon log, left (initiator)"
	cat "$LOG1"
	log "==== $1: racoon log, right (responder)"
	cat "$LOG2"
	expect_eq "$1: no SAs on left" "$(installed left)" ""
	expect_eq "$1: no SAs on right" "$(installed right)" ""
	kill -TERM "$RACOON1" "$RACOON2"
	wait "$RACOON1" "$RACOON2" || fail "$1: racoon did not exit cleanly on SIGTERM"
	on left ip xfrm state flush
	on right ip xfrm state flush
}

policies left 10.0.0.1 10.0.0.2
policies right 10.0.0.2 10.0.0.1

# (a) wrong pre-shared key on right.
log "---- (a) wrong pre-shared key"
racoon_conf left 10.0.0.2 "the right key" aes aes
racoon_conf right 10.0.0.1 "a wrong key" aes aes
start psk
wait_for "left gives up phase 1" 40 grep -q "phase1 negotiation failed due to time up" "$LOG1"
wait_for "right gives up phase 1" 40 grep -q "phase1 negotiation failed due to time up" "$LOG2"
wait_for "left gives up the waiting phase 2" 40 grep -q "phase2 negotiation failed due to time up waiting for phase1" "$LOG1"
for f in "$LOG1" "$LOG2"; do
	expect_contains "psk: $f: ERROR line" "$(cat "$f")" "ERROR: phase1 negotiation failed due to time up. "
	expect_not_contains "psk: $f: no ISAKMP-SA" "$(cat "$f")" "ISAKMP-SA established"
done
expect_contains "psk: right responded" "$(cat "$LOG2")" "respond new phase 1 negotiation: 10.0.0.2[500]<=>10.0.0.1[500]"
expect_eq "psk: no SAs on left" "$(installed left)" ""
expect_eq "psk: no SAs on right" "$(installed right)" ""

# SIGHUP to right's racoon: first a racoon.conf that does not parse (the running
# configuration stays, racoon goes on), then one with the right key, which the next
# negotiation uses without a restart.
log "---- (d) SIGHUP: a broken file, then the corrected key"
good=$(cat "$(hostdir right)/etc/racoon.conf")
printf '%s\nremote {\n' "$good" >"$(hostdir right)/etc/racoon.conf"
kill -HUP "$RACOON2"
wait_for "right reports the failed reload" 10 grep -q "config reload failed" "$LOG2"
kill -0 "$RACOON2" 2>/dev/null || fail "sighup: racoon on right died on a broken configuration"
racoon_conf right 10.0.0.1 "the right key" aes aes
kill -HUP "$RACOON2"
sleep 1
wait_for "a ping left -> right after right's reload" 60 on left ping -c 1 -W 1 10.0.0.2
log "==== sighup: racoon log, right"
cat "$LOG2"
expect_contains "sighup: the reload error is logged" "$(cat "$LOG2")" "ERROR: config reload failed"
expect_contains "sighup: right: phase 1 with the new key" "$(cat "$LOG2")" "ISAKMP-SA established 10.0.0.2[500]-10.0.0.1[500]"
expect_contains "sighup: right: phase 2" "$(cat "$LOG2")" "IPsec-SA established: ESP/Transport"
kill -TERM "$RACOON1" "$RACOON2"
wait "$RACOON1" "$RACOON2" || fail "sighup: racoon did not exit cleanly on SIGTERM"
expect_eq "sighup: left SAD empty after SIGTERM" "$(installed left)" ""
on left ip xfrm state flush
on right ip xfrm state flush

# (b) phase 1: aes against 3des.
log "---- (b) phase-1 proposal mismatch"
racoon_conf left 10.0.0.2 "same key" aes aes
racoon_conf right 10.0.0.1 "same key" 3des aes
start ph1
wait_for "right refuses the proposal" 30 grep -q "no suitable proposal found." "$LOG2"
wait_for "left hears NO-PROPOSAL-CHOSEN" 30 grep -q "NO-PROPOSAL-CHOSEN" "$LOG1"
r=$(cat "$LOG2")
expect_contains "ph1: right: no suitable proposal" "$r" "ERROR: no suitable proposal found."
expect_contains "ph1: right: failed to get valid proposal" "$r" "ERROR: 10.0.0.1 failed to get valid proposal."
expect_contains "ph1: right: pre-process" "$r" "ERROR: 10.0.0.1 failed to pre-process ph1 packet (side: 1, status 1)."
expect_contains "ph1: right: phase1 failed" "$r" "ERROR: 10.0.0.1 phase1 negotiation failed."
expect_contains "ph1: left: the notify" "$(cat "$LOG1")" "ERROR: fatal NO-PROPOSAL-CHOSEN notify messsage, phase1 should be deleted."
expect_not_contains "ph1: left: no ISAKMP-SA" "$(cat "$LOG1")" "ISAKMP-SA established"
stop ph1

# (c) phase 2: aes against 3des in the sainfo.
log "---- (c) phase-2 proposal mismatch"
racoon_conf left 10.0.0.2 "same key" aes aes
racoon_conf right 10.0.0.1 "same key" aes 3des
start ph2
wait_for "right refuses the quick mode" 30 grep -q "no suitable proposal found." "$LOG2"
wait_for "left abandons the quick mode" 30 grep -q "phase2 negotiation failed" "$LOG1"
for f in "$LOG1" "$LOG2"; do
	expect_contains "ph2: $f: phase 1 came up" "$(cat "$f")" "ISAKMP-SA established"
	expect_not_contains "ph2: $f: no IPsec-SA" "$(cat "$f")" "IPsec-SA established"
done
expect_contains "ph2: right: no suitable proposal" "$(cat "$LOG2")" "ERROR: no suitable proposal found."
expect_contains "ph2: right: failed to get proposal" "$(cat "$LOG2")" "ERROR: failed to get proposal for responder."
expect_contains "ph2: left: the notify" "$(cat "$LOG1")" "ERROR: fatal NO-PROPOSAL-CHOSEN notify messsage, phase1 should be deleted."
expect_contains "ph2: left: phase 2 failed" "$(cat "$LOG1")" "ERROR: phase2 negotiation failed."
stop ph2
