# The kernel backends of common (PF_KEY, XFRM, and PF_KEY with the XFRM detour that
# setkey and racoon open) against a real kernel: the Rust integration tests
# common/tests/kernel_*.rs are marked #[ignore] because they need ESP and AF_KEY; here
# they run with --ignored inside a fresh namespace each. kernel_conformance holds the
# behaviour every backend must share; kernel_pfkey and kernel_xfrm what is specific to
# one. `cargo test` builds them before the lab runs.

ran=0
for name in kernel_pfkey kernel_xfrm kernel_conformance; do
	bin=$(find "$LAB_ROOT/target/debug/deps" -maxdepth 1 -type f -executable -name "$name-*" -printf '%T@ %p\n' 2>/dev/null |
		sort -n | tail -n 1 | cut -d' ' -f2-)
	[[ -n $bin ]] || { log "no test binary for $name (not written yet)"; continue; }
	host "$name"
	log "running $bin --ignored in host $name"
	on "$name" "$bin" --ignored --test-threads=1 >"$(hostdir "$name")/log/tests.log" 2>&1 ||
		fail "$name tests failed:
$(cat "$(hostdir "$name")/log/tests.log")"
	grep -E '^test |test result' "$(hostdir "$name")/log/tests.log"
	ran=$((ran + 1))
done
((ran > 0)) || fail "no kernel backend test binary found under target/debug/deps"
