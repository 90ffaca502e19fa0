# racoon's `script` hooks: left's remote section runs a phase1_up script named
# relative to `path script` and a phase1_down script by absolute path. Each script
# appends its argument and the hook variables to a file. A ping from left brings the
# ISAKMP SA up (phase1_up, once); SIGTERM to right's racoon sends DELETE, so left's
# racoon, still running, drops the ISAKMP SA and runs phase1_down; the exited scripts
# are reaped (no zombies). racoon -t no longer warns that script hooks are not
# implemented.

topo_pair

transport_policies left 10.0.0.1 10.0.0.2
transport_policies right 10.0.0.2 10.0.0.1
etc=$(hostdir left)/etc
mkdir -p "$etc/scripts"
hooks=$(hostdir left)/log/hooks.log
: >"$hooks"
for s in "$etc/scripts/up.sh" "$etc/down.sh"; do
	cat >"$s" <<SCRIPT
#!/bin/sh
echo "\$# \$1 \$LOCAL_ADDR \$LOCAL_PORT \$REMOTE_ADDR \$REMOTE_PORT \$REMOTE_ID" >>"$hooks"
SCRIPT
	chmod 755 "$s"
done
psk_racoon_conf left 10.0.0.2 "hook secret" head="path script \"$etc/scripts\";"
psk_racoon_conf right 10.0.0.1 "hook secret"
sed -i "s|exchange_mode main;|exchange_mode main;\n        script \"up.sh\" phase1_up;\n        script \"$etc/down.sh\" phase1_down;|" "$etc/racoon.conf"
log "==== left's racoon.conf"
cat "$etc/racoon.conf"

t_out=$(on left "$LAB_BIN/racoon" -t -f "$etc/racoon.conf" 2>&1) || fail "racoon -t rejects left's racoon.conf: $t_out"
expect_not_contains "racoon -t: no warning for script" "$t_out" "not implemented"

BACKEND=xfrm
for h in left right; do
	on "$h" "$LAB_BIN/setkey" --backend "$BACKEND" -f "$(hostdir "$h")/etc/policies.conf"
done
racoon_pair left 10.0.0.1 right 10.0.0.2 "$BACKEND"

wait_for "a ping left -> right" 60 on left ping -c 1 -W 1 10.0.0.2
wait_for "phase1_up ran" 10 grep -q phase1_up "$hooks"
log "==== hooks after the ping"
cat "$hooks"
expect_eq "phase1_up: argc, event and variables" "$(cat "$hooks")" "1 phase1_up 10.0.0.1 500 10.0.0.2 500 10.0.0.2"

kill -TERM "$RACOON2"
wait "$RACOON2" || fail "racoon on right did not exit cleanly on SIGTERM"
wait_for "left drops the ISAKMP SA" 10 grep -qF "ISAKMP-SA deleted 10.0.0.1[500]-10.0.0.2[500]" "$LOG1"
wait_for "phase1_down ran" 10 grep -q phase1_down "$hooks"
kill -0 "$RACOON1" 2>/dev/null || fail "racoon on left is not running any more"
log "==== hooks after right's SIGTERM"
cat "$hooks"
log "==== racoon log, left"
cat "$LOG1"
expect_eq "phase1_up then phase1_down, once each" "$(cat "$hooks")" "1 phase1_up 10.0.0.1 500 10.0.0.2 500 10.0.0.2
1 phase1_down 10.0.0.1 500 10.0.0.2 500 10.0.0.2"
expect_not_contains "left: no script failure logged" "$(cat "$LOG1")" "execve("
# Nobody waits for a script, but each one that exited is reaped: no zombie is left.
expect_eq "ps sees left's racoon" "$(ps -p "$RACOON1" -o pid= | tr -d ' ')" "$RACOON1"
wait_for "left's racoon reaps its scripts" 5 test -z "$(ps --ppid "$RACOON1" -o stat= | grep Z)"

kill -TERM "$RACOON1"
wait "$RACOON1" || fail "racoon on left did not exit cleanly on SIGTERM"
