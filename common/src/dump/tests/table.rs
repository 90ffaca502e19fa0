//! Whole dumps, empty tables and the `-l` short format.

use super::*;
use crate::dump::{no_entries, policy_table, sa_table, short_header, short_sa, Table};
use crate::policy::{Action, Direction, Policy, PolicySelector, UL_ANY};
use crate::sa::{Sa, SaState, SaType};

fn sa_dump(entries: &[Dumped<Sa>], opts: &DumpOptions<'_>) -> String {
    let mut out = String::new();
    sa_table(&mut out, entries, opts).unwrap();
    out
}

fn policy_dump(entries: &[Dumped<Policy>], opts: &DumpOptions<'_>) -> String {
    let mut out = String::new();
    policy_table(&mut out, entries, opts).unwrap();
    out
}

fn ah(spi: u32, state: SaState) -> Sa {
    let mut sa = Sa::new(ip("10.0.0.1"), ip("10.0.0.2"), SaType::Ah, spi);
    sa.state = state;
    sa
}

fn bypass(id: u32) -> Policy {
    let mut p = Policy::new(
        PolicySelector::Addresses {
            src: sel("10.0.0.1"),
            dst: sel("10.0.0.2"),
            ul_proto: UL_ANY,
        },
        Direction::Out,
        Action::None,
    );
    p.id = id;
    p
}

#[test]
fn empty_tables() {
    assert_eq!(sa_dump(&[], &opts()), "No SAD entries.\n");
    assert_eq!(policy_dump(&[], &opts()), "No SPD entries.\n");
    let script = DumpOptions {
        script_line: Some(3),
        ..opts()
    };
    assert_eq!(
        sa_dump(&[], &script),
        "The result of line 3: No SAD entries.\n"
    );
    assert_eq!(
        policy_dump(&[], &script),
        "The result of line 3: No SPD entries.\n"
    );
    let mut out = String::new();
    no_entries(&mut out, Table::Spd, None).unwrap();
    assert_eq!(out, "No SPD entries.\n");
}

/// Entries print in the order given, back to back; dead SAs only with `-a`, and a table
/// of nothing but dead SAs prints nothing at all.
#[test]
fn order_and_dead_filter() {
    let entries = [
        dumped(ah(3, SaState::Mature), 2, 0, 0),
        dumped(ah(1, SaState::Dead), 1, 0, 0),
        dumped(ah(2, SaState::Dying), 0, 0, 0),
    ];
    let out = sa_dump(&entries, &opts());
    let spis: Vec<&str> = out
        .lines()
        .filter_map(|l| l.strip_prefix("\tah mode=any spi="))
        .collect();
    assert_eq!(spis.len(), 2, "{out}");
    assert!(
        spis[0].starts_with("3(") && spis[1].starts_with("2("),
        "{out}"
    );
    assert!(out.starts_with("10.0.0.1 10.0.0.2 \n"));
    assert!(out.contains("refcnt=0\n10.0.0.1 10.0.0.2 \n"), "{out}");

    let all = DumpOptions {
        show_dead: true,
        ..opts()
    };
    let out = sa_dump(&entries, &all);
    assert_eq!(out.matches("\tah mode=any spi=").count(), 3);
    assert!(out.contains("state=dead \n"));

    assert_eq!(sa_dump(&entries[1..2], &opts()), "");
}

/// `-N` hides per-socket policies, and only those.
#[test]
fn hide_per_socket() {
    let entries = [
        dumped(bypass(8 + 3), 2, 0, 0),
        dumped(bypass(16 + 1), 1, 0, 0),
        dumped(bypass(24 + 4), 0, 0, 0),
    ];
    let out = policy_dump(&entries, &opts());
    assert_eq!(out.matches("(per-socket policy) ").count(), 2);
    assert_eq!(out.matches("\trefcnt=").count(), 3);
    let hidden = DumpOptions {
        hide_per_socket: true,
        ..opts()
    };
    let out = policy_dump(&entries, &hidden);
    assert_eq!(
        out,
        "10.0.0.1[any] 10.0.0.2[any] 255\n\tout none\n\tspid=17 seq=1 pid=0\n\trefcnt=0\n"
    );
}

/// `setkey -D -l`: minute and second of now, type, state letter, SPI, age and hard
/// lifetime (3 wide, `big` from 1000), addresses.
#[test]
fn short_format() {
    let mut out = String::new();
    short_header(&mut out).unwrap();
    assert_eq!(out, "time p   s spi      ltime   src -> dst\n");

    // SEED_NOW is 10:39:21.
    let mut esp = Sa::new(ip("10.0.0.1"), ip("10.0.0.2"), SaType::Esp, 0x1002);
    esp.hard.addtime = 600;
    esp.current = Some(used(SEED_NOW as u64 - 45, 0, 0, 0));
    let mut out = String::new();
    short_sa(&mut out, &esp, &CLOCK).unwrap();
    assert_eq!(out, "3921 esp M 00001002  45/600 10.0.0.1 -> 10.0.0.2\n");

    esp.hard.addtime = 28_800;
    esp.current = Some(used(SEED_CREATED, 0, 0, 0));
    esp.state = SaState::Dying;
    let mut out = String::new();
    short_sa(&mut out, &esp, &CLOCK).unwrap();
    assert_eq!(out, "3921 esp D 00001002 big/big 10.0.0.1 -> 10.0.0.2\n");

    esp.hard.addtime = 5;
    esp.current = Some(used(0, 0, 0, 0));
    let mut out = String::new();
    short_sa(&mut out, &esp, &CLOCK).unwrap();
    assert_eq!(out, "3921 esp D 00001002   0/5   10.0.0.1 -> 10.0.0.2\n");

    let mut comp = Sa::new(ip("::1"), ip("::2"), SaType::IpComp, 0xabc);
    comp.state = SaState::Larval;
    let mut out = String::new();
    short_sa(&mut out, &comp, &FixedClock::utc(61)).unwrap();
    assert_eq!(out, "0101 #9  L 00000abc ???/??? ::1 -> ::2\n");
}
