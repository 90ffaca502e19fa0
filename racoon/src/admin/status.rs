//! `racoonctl status [-v] [-f text|json]`: the maintained fork's read-only view of the
//! phase-1 (and with -v phase-2) SAs, as text or as JSON of schema_version 2.0
//! (share/schema/racoonctl-status.schema.json of rdratlos/racoon-ipsec-tools). SPIs
//! are shown masked to their top 16 bits.

use crate::engine::admin::{Ph1View, Ph2View};
use common::sa::{Mode, SaType};

pub const SCHEMA_VERSION: &str = "2.0";

/// `2026-11-23T02:11:23Z` for seconds since the epoch.
pub fn utc_timestamp(t: i64) -> String {
    let days = t.div_euclid(86_400);
    let secs = t.rem_euclid(86_400);
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

fn cookie_pair(p: &Ph1View) -> String {
    let hex: String = p
        .icookie
        .iter()
        .chain(p.rcookie.iter())
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("0x{hex}")
}

fn mask_spi(spi: Option<u32>) -> Option<String> {
    spi.map(|s| format!("0x{:04x}****", s >> 16))
}

fn protocol(t: SaType) -> &'static str {
    match t {
        SaType::Esp => "ESP",
        SaType::Ah => "AH",
        SaType::IpComp => "IPCOMP",
        _ => "unknown",
    }
}

fn encmode(m: Mode) -> &'static str {
    match m {
        Mode::Tunnel => "Tunnel",
        Mode::Transport => "Transport",
        _ => "Any",
    }
}

/// One phase 2 with everything the renderers need, worked out once.
struct Ph2Line<'a> {
    v: &'a Ph2View,
    phase1_index: Option<String>,
    src: String,
    dst: String,
    proto: Option<u8>,
    sport: Option<u16>,
    dport: Option<u16>,
    effective_group: u16,
}

fn ph2_lines<'a>(ph1s: &[Ph1View], ph2s: &'a [Ph2View]) -> Vec<Ph2Line<'a>> {
    ph2s.iter()
        .map(|v| {
            let parent = v.ph1.and_then(|id| ph1s.iter().find(|p| p.id == id));
            let (src, dst, proto, sport, dport) = match &v.selector {
                Some((s, d, ul)) => (
                    format!("{}/{}", s.network(), s.prefix_len()),
                    format!("{}/{}", d.network(), d.prefix_len()),
                    (*ul != 255 && *ul != 0).then_some(*ul),
                    s.port().map(u16::from).filter(|p| *p != 0),
                    d.port().map(u16::from).filter(|p| *p != 0),
                ),
                None => (
                    format!("{}/{}", v.local, if v.local.is_ipv4() { 32 } else { 128 }),
                    format!("{}/{}", v.remote, if v.remote.is_ipv4() { 32 } else { 128 }),
                    None,
                    None,
                    None,
                ),
            };
            let pfs = v.proposal.as_ref().and_then(|p| p.pfs_group);
            let effective_group = pfs
                .or_else(|| parent.and_then(|p| p.proposal.as_ref().map(|q| q.dh_group)))
                .unwrap_or(0);
            Ph2Line {
                v,
                phase1_index: parent.map(cookie_pair),
                src,
                dst,
                proto,
                sport,
                dport,
                effective_group,
            }
        })
        .collect()
}

/// The text rendering.
pub fn text(ph1s: &[Ph1View], ph2s: &[Ph2View], verbose: bool, now: i64) -> String {
    let mut o = format!("racoon status at {}\n\n", utc_timestamp(now));
    if ph1s.is_empty() {
        o.push_str("(no phase 1 SAs)\n");
    }
    for p in ph1s {
        o.push_str(&format!("Phase 1: {}\n", cookie_pair(p)));
        o.push_str(&format!("  state:          {}\n", p.state));
        o.push_str(&format!("  remote:         {}\n", p.remote_id));
        o.push_str(&format!("  local:          {}\n", p.local_id));
        o.push_str(&format!(
            "  version:        1.0  exchange_mode: {}\n",
            if p.exchange == 4 {
                "AGGRESSIVE"
            } else {
                "MAIN"
            }
        ));
        if let Some(q) = &p.proposal {
            o.push_str(&format!(
                "  encryption:     {}  hash: {}  auth: {}  dh: {}\n",
                q.encryption, q.hash, q.auth_method, q.dh_group
            ));
            o.push_str(&format!("  lifetime:       {}s\n", q.lifetime));
        }
        let yn = |b: bool| if b { "yes" } else { "no" };
        if let Some((supported, fails)) = p.dpd {
            o.push_str(&format!(
                "  dpd:            supported={} fails={fails}\n",
                yn(supported)
            ));
        }
        if let Some((anonymous, passive, gp)) = p.remote_config {
            o.push_str(&format!(
                "  remote_config:  anonymous={} passive={} generate_policy={gp}\n",
                yn(anonymous),
                yn(passive)
            ));
        }
        o.push('\n');
    }
    if verbose {
        if ph2s.is_empty() {
            o.push_str("(no phase 2 SAs)\n");
        }
        for l in ph2_lines(ph1s, ph2s) {
            let v = l.v;
            o.push_str(&format!("Phase 2: 0x{:08x}\n", v.msgid));
            o.push_str(&format!(
                "  phase1:         {}\n",
                l.phase1_index.as_deref().unwrap_or("(unbound)")
            ));
            o.push_str(&format!(
                "  state:          {}  protocol: {}  mode: {}\n",
                v.state,
                protocol(v.satype),
                encmode(v.mode)
            ));
            match (mask_spi(v.spi_in), mask_spi(v.spi_out)) {
                (Some(i), Some(out)) => {
                    o.push_str(&format!("  spi:            in={i} out={out}\n"))
                }
                _ => o.push_str("  spi:            (pending)\n"),
            }
            let any = |x: Option<String>| x.unwrap_or_else(|| "any".to_owned());
            o.push_str(&format!(
                "  selector:       {} -> {}  proto={} sport={} dport={}\n",
                l.src,
                l.dst,
                any(l.proto.map(|p| p.to_string())),
                any(l.sport.map(|p| p.to_string())),
                any(l.dport.map(|p| p.to_string()))
            ));
            if let Some(q) = &v.proposal {
                o.push_str(&format!(
                    "  encryption:     {}  auth: {}\n",
                    q.encryption.as_deref().unwrap_or("(none)"),
                    q.authentication.as_deref().unwrap_or("(none)")
                ));
                match q.pfs_group {
                    Some(g) => o.push_str(&format!("  pfs_group:      {g}\n")),
                    None => o.push_str("  pfs_group:      (none)\n"),
                }
                o.push_str(&format!("  effective_group: {}\n", l.effective_group));
                o.push_str(&format!(
                    "  lifetime:       {}s / {} bytes\n",
                    q.lifetime, q.lifebytes
                ));
            }
            o.push_str(&format!(
                "  reqid:          in={} out={}  ok={}\n",
                v.reqid_in,
                v.reqid_out,
                if v.established { "yes" } else { "no" }
            ));
            o.push('\n');
        }
    }
    o
}

/// A JSON string literal.
fn js(s: &str) -> String {
    let mut o = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => o.push_str("\\\""),
            '\\' => o.push_str("\\\\"),
            '\n' => o.push_str("\\n"),
            '\r' => o.push_str("\\r"),
            '\t' => o.push_str("\\t"),
            c if (c as u32) < 0x20 => o.push_str(&format!("\\u{:04x}", c as u32)),
            c => o.push(c),
        }
    }
    o.push('"');
    o
}

fn js_opt(s: Option<&str>) -> String {
    s.map_or_else(|| "null".to_owned(), js)
}

fn num_or_any<T: std::fmt::Display>(v: Option<T>) -> String {
    v.map_or_else(|| js("any"), |n| n.to_string())
}

/// The JSON rendering, one line with a newline at the end.
pub fn json(ph1s: &[Ph1View], ph2s: &[Ph2View], verbose: bool, now: i64) -> String {
    let mut o = format!(
        "{{\"schema_version\":{},\"timestamp\":{},\"phase1\":[",
        js(SCHEMA_VERSION),
        js(&utc_timestamp(now))
    );
    for (i, p) in ph1s.iter().enumerate() {
        if i > 0 {
            o.push(',');
        }
        o.push_str(&format!(
            "{{\"index\":{},\"state\":{},\"remote_id\":{},\"local_id\":{},\"version\":\"1.0\",\"exchange_mode\":{}",
            js(&cookie_pair(p)),
            js(p.state),
            js(&p.remote_id),
            js(&p.local_id),
            js(if p.exchange == 4 { "AGGRESSIVE" } else { "MAIN" })
        ));
        if let Some(q) = &p.proposal {
            o.push_str(&format!(
                ",\"proposal\":{{\"encryption_algorithm\":{},\"hash_algorithm\":{},\"authentication_method\":{},\"dh_group\":{},\"lifetime_time\":{}}}",
                js(&q.encryption),
                js(&q.hash),
                js(&q.auth_method),
                js(&q.dh_group.to_string()),
                q.lifetime
            ));
        }
        if let Some((supported, fails)) = p.dpd {
            o.push_str(&format!(
                ",\"dpd\":{{\"supported\":{supported},\"fails\":{fails}}}"
            ));
        }
        if let Some((anonymous, passive, gp)) = p.remote_config {
            o.push_str(&format!(
                ",\"remote_config\":{{\"anonymous\":{anonymous},\"passive\":{passive},\"generate_policy\":{}}}",
                js(gp)
            ));
        }
        o.push('}');
    }
    o.push(']');
    if verbose {
        o.push_str(",\"phase2\":[");
        for (i, l) in ph2_lines(ph1s, ph2s).iter().enumerate() {
            let v = l.v;
            if i > 0 {
                o.push(',');
            }
            o.push_str(&format!(
                "{{\"index\":{},\"phase1_index\":{},\"state\":{},\"spi_in\":{},\"spi_out\":{},\"protocol\":{},\"encmode\":{}",
                js(&format!("0x{:08x}", v.msgid)),
                js_opt(l.phase1_index.as_deref()),
                js(v.state),
                js_opt(mask_spi(v.spi_in).as_deref()),
                js_opt(mask_spi(v.spi_out).as_deref()),
                js(protocol(v.satype)),
                js(encmode(v.mode))
            ));
            o.push_str(&format!(
                ",\"selectors\":{{\"src\":{},\"dst\":{},\"protocol\":{},\"src_port\":{},\"dst_port\":{}}}",
                js(&l.src),
                js(&l.dst),
                num_or_any(l.proto),
                num_or_any(l.sport),
                num_or_any(l.dport)
            ));
            if let Some(q) = &v.proposal {
                o.push_str(&format!(
                    ",\"proposal\":{{\"encryption_algorithm\":{},\"authentication_algorithm\":{},\"pfs_group\":{},\"effective_group\":{},\"lifetime_time\":{},\"lifetime_bytes\":{}}}",
                    js_opt(q.encryption.as_deref()),
                    js_opt(q.authentication.as_deref()),
                    q.pfs_group.map_or_else(|| "null".to_owned(), |g| g.to_string()),
                    l.effective_group,
                    q.lifetime,
                    q.lifebytes
                ));
            }
            o.push_str(&format!(
                ",\"reqid_in\":{},\"reqid_out\":{},\"ok\":{}}}",
                v.reqid_in, v.reqid_out, v.established
            ));
        }
        o.push(']');
    }
    o.push_str("}\n");
    o
}
