# X.509 certificate authentication (authentication_method rsasig), the KAME HOWTO's
# gateway layout. A CA, certificates for gw1 and gw2 and a rogue CA's certificate for
# gw2 are made with the openssl CLI at run time.
#   part 1: two of our racoons (each backend) with my_identifier asn1dn,
#           peers_identifier asn1dn + verify_identifier, verify_cert (the default):
#           gw1 trusts the CA through ca_type, gw2 through `path certificate`'s
#           c_rehash links. A ping from lan1 crosses as ESP; both log "CERT validated".
#   part 2: gw2 answers with the rogue CA's certificate: gw1 refuses it with the
#           original's lines and no SA is installed.
#   part 3: our racoon on gw1 against charon on gw2 (swanctl, auth = pubkey), each
#           side initiating: pings cross over ESP, charon lists the IKEv1 SA.
#   part 4: the same in aggressive mode.

SWAN=$LAB_ROOT/tests/lab/strongswan
topo_kame_gateways

command -v openssl >/dev/null || fail "no openssl CLI (scripts/setup installs it)"

# ---- the PKI: printable-string DNs (what `openssl req` writes with string_mask default)
PKI=$LAB_RUN/pki
mkdir -p "$PKI"
cat >"$PKI/req.cnf" <<'CNF'
[req]
distinguished_name = dn
string_mask = default
prompt = no
[dn]
CN = unused
[ca_ext]
basicConstraints = critical, CA:true
keyUsage = keyCertSign, cRLSign
[host_ext]
basicConstraints = CA:false
CNF
# make_ca NAME CN: a self-signed CA certificate NAME.crt with key NAME.key.
make_ca() {
	openssl req -config "$PKI/req.cnf" -x509 -newkey rsa:2048 -nodes -days 30 \
		-subj "/C=JP/O=KAME/CN=$2" -extensions ca_ext \
		-keyout "$PKI/$1.key" -out "$PKI/$1.crt" 2>/dev/null || fail "openssl could not make CA $1"
}
# make_host NAME CN CA: NAME.crt for /C=JP/O=KAME/CN=CN signed by CA, with a PKCS#1
# key NAME.key (charon's pkcs1 plugin reads it; racoon reads either form).
make_host() {
	openssl genrsa -traditional -out "$PKI/$1.key" 2048 2>/dev/null || fail "openssl genrsa $1"
	openssl req -config "$PKI/req.cnf" -new -key "$PKI/$1.key" -subj "/C=JP/O=KAME/CN=$2" \
		-out "$PKI/$1.csr" || fail "openssl req $1"
	openssl x509 -req -in "$PKI/$1.csr" -CA "$PKI/$3.crt" -CAkey "$PKI/$3.key" \
		-CAcreateserial -days 30 -extfile "$PKI/req.cnf" -extensions host_ext \
		-out "$PKI/$1.crt" 2>/dev/null || fail "openssl x509 -req $1"
}
make_ca ca "Lab CA"
make_ca rogue "Rogue CA"
make_host gw1 gw1 ca
make_host gw2 gw2 ca
make_host rogue-gw2 gw2 rogue
log "the PKI:"
for c in ca gw1 gw2 rogue-gw2; do
	printf '  %s: %s (issuer %s)\n' "$c" "$(openssl x509 -in "$PKI/$c.crt" -noout -subject)" \
		"$(openssl x509 -in "$PKI/$c.crt" -noout -issuer)"
done

# cert_racoon_conf HOST PEER MINE THEIRS PEER_CN CA_LINE: HOST's racoon.conf for rsasig,
# its certificate files in etc/certs (path certificate); log debug shows the checks.
cert_racoon_conf() {
	local h=$1 peer=$2 mine=$3 theirs=$4 peer_cn=$5 ca_line=$6 etc
	etc=$(hostdir "$h")/etc
	cat >"$etc/racoon.conf" <<CONF
log debug;
path certificate "$etc/certs";

remote $peer {
        exchange_mode main;
        my_identifier asn1dn;
        peers_identifier asn1dn "C=JP, O=KAME, CN=$peer_cn";
        verify_identifier on;
        certificate_type x509 "$h.crt" "$h.key";
        $ca_line
        proposal {
                encryption_algorithm aes;
                hash_algorithm sha1;
                authentication_method rsasig;
                dh_group modp1024;
        }
}

sainfo address $mine any address $theirs any {
        pfs_group modp1024;
        encryption_algorithm aes;
        authentication_algorithm hmac_sha1;
        compression_algorithm deflate;
}
CONF
}

# certs_for HOST CERT: HOST's etc/certs with the CA and HOST.crt/.key taken from CERT.
certs_for() {
	local d
	d=$(hostdir "$1")/etc/certs
	rm -rf "$d"
	mkdir -p "$d"
	cp "$PKI/ca.crt" "$d/ca.crt"
	cp "$PKI/$2.crt" "$d/$1.crt"
	cp "$PKI/$2.key" "$d/$1.key"
	chmod 600 "$d/$1.key"
}

certs_for gw1 gw1
certs_for gw2 gw2
# gw2 finds the CA only through c_rehash's <hash>.0 link, as racoon's hashed lookup did.
openssl rehash "$(hostdir gw2)/etc/certs" || fail "openssl rehash failed"
ls -l "$(hostdir gw2)/etc/certs"
cert_racoon_conf gw1 192.168.2.100 172.16.1.0/24 172.16.2.0/24 gw2 'ca_type x509 "ca.crt";'
cert_racoon_conf gw2 192.168.1.100 172.16.2.0/24 172.16.1.0/24 gw1 ''

log "==== part 1: two racoons with certificates"
for BACKEND in $(lab_backends); do
	log "---- backend $BACKEND"
	kame_policies "$BACKEND"
	racoon_pair gw1 192.168.1.100 gw2 192.168.2.100 "$BACKEND"

	capture inet to-gw1 "wire$BACKEND" "host 192.168.1.100 and host 192.168.2.100"
	wait_for "$BACKEND: a ping lan1 -> lan2 through the negotiated tunnel" 60 \
		on lan1 ping -c 1 -W 1 172.16.2.10
	on lan1 ping -c 3 -i 0.3 -W 2 172.16.2.10 >/dev/null || fail "$BACKEND: pings after the tunnel came up were lost"
	wire=$(capture_text "wire$BACKEND")
	log "==== $BACKEND: racoon log, gw1"
	cat "$LOG1"
	log "==== $BACKEND: racoon log, gw2"
	cat "$LOG2"
	expect_contains "$BACKEND: ESP on the wire" "$wire" "192.168.1.100 > 192.168.2.100: ESP"
	expect_contains "$BACKEND: ESP back on the wire" "$wire" "192.168.2.100 > 192.168.1.100: ESP"
	expect_not_contains "$BACKEND: no clear ICMP between the gateways" "$wire" "ICMP echo"
	for f in "$LOG1" "$LOG2"; do
		expect_contains "$BACKEND: $f: phase 1" "$(cat "$f")" "ISAKMP-SA established"
		expect_contains "$BACKEND: $f: phase 2" "$(cat "$f")" "IPsec-SA established: ESP/Tunnel"
		expect_not_contains "$BACKEND: $f: no failure" "$(cat "$f")" "negotiation failed"
		expect_contains "$BACKEND: $f: the peer's certificate checked" "$(cat "$f")" "CERT validated"
		expect_contains "$BACKEND: $f: the peer's signature checked" "$(cat "$f")" "SIG authenticated"
	done
	expect_eq "$BACKEND: gw1 holds the two ESP SAs" "$(on gw1 ip xfrm state | grep -c '^	proto esp')" 2

	kill -TERM "$RACOON1" "$RACOON2"
	wait "$RACOON1" "$RACOON2" || fail "$BACKEND: racoon did not exit cleanly on SIGTERM"
done

log "==== part 2: gw2 presents a certificate of another CA"
certs_for gw2 rogue-gw2
cp "$PKI/ca.crt" "$(hostdir gw2)/etc/certs/ca.crt"
openssl rehash "$(hostdir gw2)/etc/certs" || fail "openssl rehash failed"
kame_policies xfrm
racoon_pair gw1 192.168.1.100 gw2 192.168.2.100 xfrm rogue
on lan1 ping -c 1 -W 1 172.16.2.10 >/dev/null 2>&1 || true
wait_for "gw1 refused gw2's certificate" 60 \
	grep -qF "the peer's certificate is not verified." "$LOG1"
log "==== racoon log, gw1"
cat "$LOG1"
expect_contains "part 2: openssl's reason" "$(cat "$LOG1")" \
	"unable to get local issuer certificate(20) at depth:0 SubjectName:/C=JP/O=KAME/CN=gw2"
expect_contains "part 2: phase 1 failed" "$(cat "$LOG1")" "phase1 negotiation failed."
expect_not_contains "part 2: no ISAKMP-SA on gw1" "$(cat "$LOG1")" "ISAKMP-SA established"
# The kernel's larval SA of the ACQUIRE (SPI 0) is not an SA anyone installed.
expect_eq "part 2: no ESP SA on gw1" "$(esp_spis gw1 | grep -vx 0x00000000)" ""
expect_eq "part 2: no ESP SA on gw2" "$(esp_spis gw2 | grep -vx 0x00000000)" ""
kill -TERM "$RACOON1" "$RACOON2"
wait "$RACOON1" "$RACOON2" || fail "part 2: racoon did not exit cleanly on SIGTERM"

log "==== part 3: our racoon against charon, both with certificates"
on gw2 ip xfrm policy flush
on gw2 ip xfrm state flush
mkdir -p "$(hostdir gw1)/etc/certs-charon"
cp "$PKI/ca.crt" "$PKI/gw1.crt" "$PKI/gw1.key" "$(hostdir gw1)/etc/certs-charon/"
racoon_gw1 "$SWAN/racoon-cert.conf" 192.168.2.100 unused \
	CERTDIR="$(hostdir gw1)/etc/certs-charon" REMOTE=192.168.2.100 \
	"PEER_DN=C=JP, O=KAME, CN=gw2" LOCAL_TS=172.16.1.0/24 REMOTE_TS=172.16.2.0/24
# swanctl reads private keys only from its directory's private/ (SWANCTL_DIR).
SWANCTL=$(hostdir gw2)/etc/swanctl
mkdir -p "$SWANCTL/private"
cp "$PKI/gw2.key" "$SWANCTL/private/gw2.key"
lab_template "$SWAN/net2net-cert.conf" "$SWANCTL/swanctl.conf" AGGRESSIVE=no \
	LOCAL=192.168.2.100 REMOTE=192.168.1.100 "REMOTE_ID=C=JP, O=KAME, CN=gw1" \
	CERT="$PKI/gw2.crt" CACERT="$PKI/ca.crt" \
	LOCAL_TS=172.16.2.0/24 REMOTE_TS=172.16.1.0/24 \
	IKE=aes128-sha256-modp2048 ESP=aes128-sha1-modp2048
charon_start gw2
on gw2 env STRONGSWAN_CONF="$(hostdir gw2)/etc/strongswan.conf" SWANCTL_DIR="$SWANCTL" \
	swanctl --load-all --uri "unix://$(hostdir gw2)/run/charon.vici" --file "$SWANCTL/swanctl.conf" \
	>"$(hostdir gw2)/log/swanctl-load.log" 2>&1 ||
	fail "swanctl could not load gw2's connection: $(cat "$(hostdir gw2)/log/swanctl-load.log")"
cat "$(hostdir gw2)/log/swanctl-load.log"
grep -qi "loaded rsa key" "$(hostdir gw2)/log/swanctl-load.log" || fail "part 3: swanctl loaded no RSA key for gw2"

for from in lan1:172.16.2.10:initiate lan2:172.16.1.10:respond; do
	lan=${from%%:*} rest=${from#*:}
	r="part 3 from $lan"
	peer_round "$r" "$lan" "${rest%%:*}"
	expect_contains "$r: racoon's side" "$ROUND_LOG" "${rest#*:} new phase 1 negotiation: 192.168.1.100[500]<=>192.168.2.100[500]"
	expect_contains "$r: racoon validated charon's certificate" "$ROUND_LOG" "CERT validated"
	sas=$(swanctl_on gw2 --list-sas 2>/dev/null)
	log "==== $r: swanctl --list-sas on gw2"
	printf '%s\n' "$sas"
	expect_contains "$r: charon: IKEv1 SA established" "$sas" "ESTABLISHED, IKEv1"
	expect_contains "$r: charon: racoon's DN" "$sas" "C=JP, O=KAME, CN=gw1"
	expect_contains "$r: charon: CHILD_SA installed" "$sas" "INSTALLED, TUNNEL"
	swanctl_on gw2 --terminate --ike lab >/dev/null 2>&1 || true
	wait_for "$r: no SAs left on gw1" 20 sad_empty gw1
done
log "==== part 4: aggressive mode against charon, each side initiating"
# racoon.conf switches to exchange_mode aggressive (SIGHUP); charon's connection gets
# aggressive = yes. IDs and a CR travel in the first message, SIGs in the second and third.
sed -i 's/exchange_mode main;/exchange_mode aggressive;/' "$(hostdir gw1)/etc/racoon.conf"
peer_mark
kill -HUP "$RACOON_PID"
sleep 2
! peer_log_has "config reload failed" || fail "part 4: racoon could not reload racoon.conf: $(peer_log)"
sed -i 's/aggressive = no/aggressive = yes/' "$SWANCTL/swanctl.conf"
on gw2 env STRONGSWAN_CONF="$(hostdir gw2)/etc/strongswan.conf" SWANCTL_DIR="$SWANCTL" \
	swanctl --load-conns --uri "unix://$(hostdir gw2)/run/charon.vici" --file "$SWANCTL/swanctl.conf" \
	>>"$(hostdir gw2)/log/swanctl-load.log" 2>&1 || fail "swanctl could not reload gw2's connection"
for from in lan1:172.16.2.10:initiate lan2:172.16.1.10:respond; do
	lan=${from%%:*} rest=${from#*:}
	r="part 4 from $lan"
	peer_round "$r" "$lan" "${rest%%:*}"
	expect_contains "$r: aggressive mode" "$ROUND_LOG" "begin Aggressive mode."
	expect_contains "$r: racoon's side" "$ROUND_LOG" "${rest#*:} new phase 1 negotiation: 192.168.1.100[500]<=>192.168.2.100[500]"
	expect_contains "$r: racoon validated charon's certificate" "$ROUND_LOG" "CERT validated"
	sas=$(swanctl_on gw2 --list-sas 2>/dev/null)
	printf '%s\n' "$sas"
	expect_contains "$r: charon: IKEv1 SA established" "$sas" "ESTABLISHED, IKEv1"
	expect_contains "$r: charon: racoon's DN" "$sas" "C=JP, O=KAME, CN=gw1"
	swanctl_on gw2 --terminate --ike lab >/dev/null 2>&1 || true
	wait_for "$r: no SAs left on gw1" 20 sad_empty gw1
done

kill -TERM "$RACOON_PID"
wait "$RACOON_PID" || fail "racoon did not exit cleanly on SIGTERM"
log "==== charon's log on gw2"
cat "$(hostdir gw2)/log/charon.log"
