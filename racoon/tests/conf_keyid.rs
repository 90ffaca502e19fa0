//! `my_identifier keyid [file] "PATH"`: the file is read when the configuration is
//! loaded and its bytes, every one of them, are the KEY_ID (racoon's
//! set_identifier_qual); a file that cannot be read fails the load at its line.

use racoon::conf::{parse_str, Config, Identifier, MemIncluder};

const REMOTE: &str = "remote 192.168.2.100 {\n exchange_mode aggressive;\n \
    IDLINE\n proposal {\n encryption_algorithm 3des; hash_algorithm md5;\n \
    authentication_method pre_shared_key; dh_group modp1024;\n }\n}\n";

fn with_id(line: &str) -> String {
    REMOTE.replace("IDLINE", line)
}

#[test]
fn the_file_form_becomes_the_files_bytes() {
    for line in [
        "my_identifier keyid \"/etc/racoon/keyid\";",
        "my_identifier keyid file \"/etc/racoon/keyid\";",
    ] {
        let mut files = MemIncluder::new().with("/etc/racoon/keyid", "group-7\n");
        let config = parse_str("racoon.conf", &with_id(line), &mut files).unwrap();
        assert_eq!(
            config.remotes[0].my_identifier,
            Some(Identifier::KeyId(b"group-7\n".to_vec())),
            "{line}"
        );
    }
    let mut files = MemIncluder::new();
    let tag = with_id("my_identifier keyid tag \"/etc/racoon/keyid\";");
    let config = parse_str("racoon.conf", &tag, &mut files).unwrap();
    assert_eq!(
        config.remotes[0].my_identifier,
        Some(Identifier::KeyIdTag("/etc/racoon/keyid".into()))
    );
}

#[test]
fn load_reads_binary_keyid_files_and_names_a_missing_one() {
    let dir = std::env::temp_dir().join(format!("racoon-keyid-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let key = dir.join("keyid.bin");
    std::fs::write(&key, [0u8, 0xff, b'k', 0x80]).unwrap();
    let conf = dir.join("racoon.conf");
    let line = format!(
        "my_identifier keyid file \"{}\"; peers_identifier keyid \"{}\";",
        key.display(),
        key.display()
    );
    std::fs::write(&conf, with_id(&line)).unwrap();
    let config = Config::load(conf.to_str().unwrap()).expect("loads");
    let remote = &config.remotes[0];
    assert_eq!(
        remote.my_identifier,
        Some(Identifier::KeyId(vec![0, 0xff, b'k', 0x80]))
    );
    assert_eq!(
        remote.peers_identifiers,
        [Identifier::KeyId(vec![0, 0xff, b'k', 0x80])]
    );

    let missing = dir.join("no-such-keyid");
    let line = format!("my_identifier keyid \"{}\";", missing.display());
    std::fs::write(&conf, with_id(&line)).unwrap();
    let err = Config::load(conf.to_str().unwrap())
        .expect_err("a missing keyid file fails the load")
        .to_string();
    // Line 3 of the file, column 22: the quoted path.
    let expected = format!(
        "{}:3:22: cannot read {}: No such file or directory",
        conf.display(),
        missing.display()
    );
    assert_eq!(err, expected);
    std::fs::remove_dir_all(&dir).unwrap();
}
