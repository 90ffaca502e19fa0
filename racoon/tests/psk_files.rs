//! psk.txt: the corpus files, the seed listings, lookups and the permission check.

use std::os::unix::fs::PermissionsExt;
use std::path::PathBuf;

use racoon::psk::{check_file_mode, check_file_mode_for, FileModeError, PskError, PskFile};

fn read(dir: &str, name: &str) -> PskFile {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../tests")
        .join(dir)
        .join(name);
    PskFile::parse(&std::fs::read(path).unwrap())
}

fn key(file: &PskFile, id: &str) -> Option<Vec<u8>> {
    file.lookup(id.as_bytes()).unwrap()
}

#[test]
fn corpus() {
    let dir = "corpus/psk";
    let f = read(dir, "libreswan__libreswan__testing__pluto__ikev1-xauth-37-cisco-split-racoon-responder__east.psk.txt");
    assert_eq!(
        key(&f, "west").unwrap(),
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890"
    );
    assert_eq!(
        key(&f, "192.1.2.45").unwrap(),
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZ1234567890"
    );
    let f = read(dir, "nixelsolutions__test_ipsec__psk.txt");
    assert_eq!(key(&f, "52.11.135.168").unwrap(), b"mimamamemima");
    let f = read(dir, "Soulghost__iblessing__rootfs__etc__racoon__psk.txt");
    assert_eq!(key(&f, "10.160.94.3"), None, "commented out");
    let mut names: Vec<String> =
        std::fs::read_dir(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/corpus/psk"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
    names.sort();
    assert_eq!(names.len(), 9);
    for name in &names {
        let f = read(dir, name);
        for e in &f.entries {
            assert!(!e.identity.is_empty() && !e.key_text.is_empty(), "{name}");
            assert!(e.key().is_ok(), "{name}:{}", e.line);
        }
        assert!(f.warnings().is_empty(), "{name}: {:?}", f.warnings());
    }
}

#[test]
fn kame_seed() {
    let f = read("seeds", "psk-kame.txt");
    assert_eq!(f.entries.len(), 4);
    assert_eq!(key(&f, "192.168.2.100").unwrap(), b"simple psk");
    assert_eq!(
        key(&f, "5.0.0.1").unwrap(),
        [
            0xe1, 0x0b, 0xd5, 0x2b, 0x05, 0x29, 0xb5, 0x4a, 0xac, 0x97, 0xdb, 0x63, 0x46, 0x28,
            0x50, 0xf3
        ]
    );
    assert_eq!(
        key(&f, "ralf@spenneberg.net").unwrap(),
        b"This is a psk for an email address"
    );
    assert_eq!(key(&f, "www.spenneberg.net").unwrap(), b"This is a psk");
    assert_eq!(key(&f, "10.0.0.1"), None);
    let scraped = read("seeds", "psk-habr-as-scraped.txt");
    assert!(scraped.entries.is_empty());
}

#[test]
fn format_details() {
    let f = PskFile::parse(
        b"# c\n  indented key\n10.0.0.1\n10.0.0.2   \t\n10.0.0.3 a  b \r\n10.0.0.4\t0x 01 02\n10.0.0.5 0x012\n*  fallback\n10.0.0.6 never",
    );
    assert_eq!(
        key(&f, "10.0.0.1"),
        Some(b"fallback".to_vec()),
        "no key: skipped"
    );
    assert_eq!(key(&f, "10.0.0.2"), Some(b"fallback".to_vec()));
    assert_eq!(
        key(&f, "10.0.0.3").unwrap(),
        b"a  b \r",
        "the rest of the line"
    );
    assert_eq!(key(&f, "10.0.0.4").unwrap(), [1, 2]);
    assert_eq!(f.lookup(b"10.0.0.5"), Err(PskError::BadHexKey { line: 7 }));
    assert_eq!(
        key(&f, "10.0.0.6"),
        Some(b"fallback".to_vec()),
        "* matches first"
    );
    assert_eq!(f.entries[0].identity, b"");
    assert_eq!(
        f.warnings(),
        [
            "line 5: the key ends with a carriage return (CRLF line end), which is part of the key",
            "line 7: the key after `0x' must be an even number of hex digits",
        ]
    );
}

#[test]
fn file_mode() {
    let path = std::env::temp_dir().join(format!("racoon-psk-mode-{}", std::process::id()));
    let p = path.to_str().unwrap();
    std::fs::write(&path, "x y\n").unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    check_file_mode(p).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let e = check_file_mode(p).unwrap_err();
    assert_eq!(
        e.to_string(),
        format!(
            "{p}: must not be accessible by group or others (mode 0644); run chmod 600 {p} \
             (racoon said: \"{p} has weak file permission\")"
        )
    );
    let uid = std::fs::metadata(&path)
        .map(|m| std::os::unix::fs::MetadataExt::uid(&m))
        .unwrap();
    let other = uid.wrapping_add(1);
    assert_eq!(
        check_file_mode_for(p, other).unwrap_err(),
        FileModeError::Owner {
            path: p.to_owned(),
            owner: uid,
            expected: other
        }
    );
    assert!(check_file_mode_for(p, other)
        .unwrap_err()
        .to_string()
        .contains("has invalid owner uid"));
    std::fs::remove_file(&path).unwrap();
    assert!(matches!(check_file_mode(p), Err(FileModeError::Io { .. })));
    let dir = std::env::temp_dir();
    let e = check_file_mode_for(
        dir.to_str().unwrap(),
        std::fs::metadata(&dir)
            .map(|m| std::os::unix::fs::MetadataExt::uid(&m))
            .unwrap(),
    );
    assert!(matches!(e, Err(FileModeError::NotRegular { .. })), "{e:?}");
}
