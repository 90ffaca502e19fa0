# Our racoon as the XAuth + mode-cfg server of an IKEv1 road warrior: strongSwan's
# charon on gw2 plays the "Cisco IPSec" / "IPSec Xauth PSK" client (aggressive mode,
# group key, XAuth, vips = 0.0.0.0). racoon on gw1 checks the login against the local
# accounts (auth_source system), hands out the first pool address (network4 10.99.0.1),
# the DNS server and the domain, and generates the policies for the client's address.
# The account: a passwd/shadow pair with user xalice (SHA-512 hash made here) bound over
# /etc/passwd and /etc/shadow in racoon's own mount namespace, so no system file changes.
#   round 1: charon initiates with the right password: racoon logs the login, charon
#            gets 10.99.0.1 and the DNS server, a ping from 10.99.0.1 to lan1 crosses as
#            ESP both ways.
#   round 2: the same with a wrong password: racoon logs the failed login, sends
#            XAUTH_STATUS FAIL and deletes the ISAKMP-SA; charon fails.

SWAN=$LAB_ROOT/tests/lab/strongswan
PSK='xauth group key 47'
PASSWORD='xauth password 47'
topo_kame_gateways

etc=$(hostdir gw1)/etc
printf '%s\t%s\n' client.example.org "$PSK" >"$etc/psk.txt"
chmod 600 "$etc/psk.txt"
lab_template "$SWAN/racoon-xauth.conf" "$etc/racoon.conf" "PSKFILE=$etc/psk.txt"
hash=$(openssl passwd -6 -salt lab47salt "$PASSWORD") || fail "openssl passwd failed"
cp /etc/passwd "$etc/passwd"
cp /etc/shadow "$etc/shadow"
printf 'xalice:x:4747:4747::/nonexistent:/usr/sbin/nologin\n' >>"$etc/passwd"
printf 'xalice:%s:20000:0:99999:7:::\n' "$hash" >>"$etc/shadow"
chmod 600 "$etc/shadow"

on gw1 "$LAB_BIN/racoon" -t -f "$etc/racoon.conf" || fail "racoon -t rejects gw1's racoon.conf"
RACOON_LOG=$(hostdir gw1)/log/racoon.log
spawn gw1 racoon-stdout unshare -m --propagation private sh -c \
	'mount --bind "$1" /etc/passwd && mount --bind "$2" /etc/shadow && shift 2 && exec "$@"' \
	sh "$etc/passwd" "$etc/shadow" "$LAB_BIN/racoon" -F -f "$etc/racoon.conf" -l "$RACOON_LOG"
RACOON_PID=${LAB_PIDS[-1]}
wait_for "racoon on gw1 listening" 200 grep -q "192.168.1.100\[500\] used as isakmp port" "$RACOON_LOG"

CHARON_TEMPLATE=$SWAN/strongswan-xauth.conf charon_start gw2
gw2=$(hostdir gw2)
# client_conf PASSWORD: charon's connection with that XAuth password, loaded.
client_conf() {
	lab_template "$SWAN/xauth-client.conf" "$gw2/etc/swanctl.conf" USER=xalice "PASSWORD=$1" "PSK=$PSK"
	swanctl_on gw2 --load-all --file "$gw2/etc/swanctl.conf" >"$gw2/log/swanctl-load.log" 2>&1 ||
		fail "swanctl could not load gw2's connection"
}

log "---- round 1: the right password"
client_conf "$PASSWORD"
peer_mark
capture inet to-gw1 wire1 "host 192.168.1.100 and host 192.168.2.100"
swanctl_on gw2 --initiate --child lan --timeout 90 >"$gw2/log/initiate1.log" 2>&1 ||
	{ cat "$gw2/log/initiate1.log"; peer_log; fail "round 1: charon could not bring the connection up"; }
sas=$(swanctl_on gw2 --list-sas 2>/dev/null)
log "==== swanctl --list-sas on gw2"
printf '%s\n' "$sas"
expect_contains "round 1: charon got the pool's first address" "$sas" "[10.99.0.1]"
expect_contains "round 1: charon: IKEv1 SA established" "$sas" "ESTABLISHED, IKEv1"
expect_contains "round 1: charon: CHILD_SA from the virtual IP" "$sas" "local  10.99.0.1/32"
expect_contains "round 1: charon: CHILD_SA to lan1" "$sas" "remote 172.16.1.0/24"
wait_for "a ping 10.99.0.1 -> lan1 through the tunnel" 30 on gw2 ping -c 1 -W 1 -I 10.99.0.1 172.16.1.10
on gw2 ping -c 3 -i 0.3 -W 2 -I 10.99.0.1 172.16.1.10 >/dev/null || fail "round 1: pings from the virtual IP were lost"
wire=$(capture_text wire1)
ROUND_LOG=$(peer_log)
log "==== round 1: racoon's log on gw1"
printf '%s\n' "$ROUND_LOG"
log "==== round 1: the wire between the gateways"
printf '%s\n' "$wire" | head -n 20
charon_log=$(cat "$gw2/log/charon.log")
expect_contains "round 1: aggressive mode" "$ROUND_LOG" "begin Aggressive mode."
expect_contains "round 1: racoon asked for the login" "$ROUND_LOG" "Sending Xauth request"
expect_contains "round 1: racoon took the login" "$ROUND_LOG" 'login succeeded for user "xalice"'
expect_contains "round 1: racoon gave port 0" "$ROUND_LOG" "Using port 0"
expect_contains "round 1: racoon generated the client's policy" "$ROUND_LOG" "no policy found, try to generate the policy : 10.99.0.1/32[0] 172.16.1.0/24[0]"
expect_contains "round 1: racoon: phase 2 in" "$ROUND_LOG" "IPsec-SA established: ESP/Tunnel 192.168.2.100->192.168.1.100"
expect_contains "round 1: ESP on the wire" "$wire" "192.168.2.100 > 192.168.1.100: ESP"
expect_contains "round 1: ESP back on the wire" "$wire" "192.168.1.100 > 192.168.2.100: ESP"
expect_not_contains "round 1: no clear ICMP between the gateways" "$wire" "ICMP echo"
expect_contains "round 1: charon: XAuth succeeded" "$charon_log" "XAuth authentication of 'xalice' (myself) successful"
expect_contains "round 1: charon: virtual IP" "$charon_log" "installing new virtual IP 10.99.0.1"
expect_contains "round 1: charon asked for the DNS server" "$charon_log" "CPRQ(ADDR DNS)"
expect_contains "round 1: charon got the DNS server" "$(cat "$gw2/run/resolv.conf" 2>/dev/null)" "nameserver 10.99.0.53"

log "---- round 2: a wrong password"
swanctl_on gw2 --terminate --ike lab --timeout 30 >/dev/null 2>&1 || fail "swanctl --terminate failed"
wait_for "racoon removed its SAs after charon's deletes" 30 sad_empty gw1
client_conf "not the password"
peer_mark
if swanctl_on gw2 --initiate --child lan --timeout 60 >"$gw2/log/initiate2.log" 2>&1; then
	fail "round 2: charon came up with a wrong password"
fi
wait_for "racoon logged the failed login" 30 peer_log_has 'login failed for user "xalice"'
ROUND_LOG=$(peer_log)
log "==== round 2: racoon's log on gw1"
printf '%s\n' "$ROUND_LOG"
expect_not_contains "round 2: no IPsec-SA" "$ROUND_LOG" "IPsec-SA established"
expect_contains "round 2: charon: XAuth failed" "$(cat "$gw2/log/charon.log")" "XAuth authentication of 'xalice' (myself) failed"
expect_eq "round 2: gw1 SAD empty" "$(on gw1 ip xfrm state)" ""

kill -TERM "$RACOON_PID"
wait "$RACOON_PID" || fail "racoon did not exit cleanly on SIGTERM"
log "==== charon's log on gw2"
cat "$gw2/log/charon.log"
