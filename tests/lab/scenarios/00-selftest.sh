# The lab's self-test, with no code of ours: two hosts, manually keyed ESP transport
# SAs and policies installed with `ip xfrm`, a ping that must cross as ESP (seen on
# the wire and in the SA counters), and an AF_KEY socket that answers. Then one key
# is broken and the same check must fail: proof that the check can fail.

topo_pair

ENC_A=0x000102030405060708090a0b0c0d0e0f
AUTH_A=0x101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f
ENC_B=0x303132333435363738393a3b3c3d3e3f
AUTH_B=0x404142434445464748494a4b4c4d4e4f505152535455565758595a5b5c5d5e5f

# sa HOST SRC DST SPI ENC AUTH
sa() {
	on "$1" ip xfrm state add src "$2" dst "$3" proto esp spi "$4" mode transport \
		enc 'cbc(aes)' "$5" auth-trunc 'hmac(sha256)' "$6" 128
}
# pol HOST SRC DST DIR
pol() {
	on "$1" ip xfrm policy add src "$2/32" dst "$3/32" dir "$4" \
		tmpl src "$2" dst "$3" proto esp mode transport level required
}

for h in left right; do
	sa "$h" 10.0.0.1 10.0.0.2 0x1001 "$ENC_A" "$AUTH_A"
	sa "$h" 10.0.0.2 10.0.0.1 0x1002 "$ENC_B" "$AUTH_B"
done
pol left 10.0.0.1 10.0.0.2 out
pol left 10.0.0.2 10.0.0.1 in
pol right 10.0.0.2 10.0.0.1 out
pol right 10.0.0.1 10.0.0.2 in

capture right to-left wire 'esp or icmp'
on left ping -c 3 -i 0.2 -W 2 10.0.0.2 >"$(hostdir left)/log/ping.log" 2>&1 ||
	fail "ping over manually keyed ESP did not cross: $(cat "$(hostdir left)/log/ping.log")"
log "ok: ping crossed"
wire=$(capture_text wire)
log "on the wire:"
printf '%s\n' "$wire"
expect_contains "requests travel as ESP with SPI 0x1001" "$wire" "10.0.0.1 > 10.0.0.2: ESP(spi=0x00001001"
expect_contains "replies travel as ESP with SPI 0x1002" "$wire" "10.0.0.2 > 10.0.0.1: ESP(spi=0x00001002"
expect_not_contains "no clear ICMP on the wire" "$wire" "ICMP echo"

in_pkts=$(xfrm_packets right 0x1001)
out_pkts=$(xfrm_packets left 0x1001)
log "SA 0x1001 counters: left sent $out_pkts, right received $in_pkts"
((in_pkts >= 3 && out_pkts >= 3)) || fail "ESP counters too low: left $out_pkts, right $in_pkts"

# An AF_KEY (PF_KEY v2) socket opens, and answers SADB_DUMP with our two SAs.
pfkey_out=$(on left python3 - <<'EOF'
import os, socket, struct
s = socket.socket(socket.AF_KEY, socket.SOCK_RAW, 2)  # PF_KEY_V2
s.settimeout(5)
# sadb_msg: version 2, type SADB_DUMP (10), errno, satype ESP (3), len (64-bit words), reserved, seq, pid
s.send(struct.pack("=BBBBHHII", 2, 10, 0, 3, 2, 0, 1, os.getpid()))
spis = []
while True:
    m = s.recv(65536)
    _, typ, err, _, _, _, seq, _ = struct.unpack_from("=BBBBHHII", m)
    assert typ == 10 and err == 0, (typ, err)
    off = 16
    while off < len(m):
        elen, etype = struct.unpack_from("=HH", m, off)
        if etype == 1:  # SADB_EXT_SA: spi in network order
            spis.append(struct.unpack_from("!I", m, off + 4)[0])
        off += elen * 8
    if seq == 0:
        break
print(" ".join("0x%x" % x for x in sorted(spis)))
EOF
) || fail "AF_KEY socket did not work: $pfkey_out"
expect_eq "PF_KEY SADB_DUMP lists both SAs" "$pfkey_out" "0x1001 0x1002"

# Break one key: right now expects a different integrity key on 0x1001. The same
# check must now fail, and the kernel must count the integrity failures.
on right ip xfrm state delete src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1001
sa right 10.0.0.1 10.0.0.2 0x1001 "$ENC_A" "$AUTH_B"
if on left ping -c 2 -i 0.2 -W 1 10.0.0.2 >/dev/null 2>&1; then
	fail "ping crossed although the keys differ: the self-test cannot detect broken ESP"
fi
log "ok: with mismatched keys the ping fails"
failed=$(on right ip -s xfrm state get src 10.0.0.1 dst 10.0.0.2 proto esp spi 0x1001 |
	sed -n 's/.*failed \([0-9]*\).*/\1/p')
((failed >= 2)) || fail "expected the kernel to count integrity failures on 0x1001, got '$failed'"
log "ok: kernel counted $failed integrity failures on the broken SA"
