//! A small JSON reader and the part of JSON Schema the status schema uses (type,
//! const, enum, required, properties, additionalProperties: false, items, $ref,
//! oneOf, minimum, maximum and the schema's few patterns), for checking
//! `racoonctl status -f json` without a JSON crate.

use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    Num(f64),
    Str(String),
    Arr(Vec<Value>),
    Obj(BTreeMap<String, Value>),
}

impl Value {
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Obj(m) => m.get(key),
            _ => None,
        }
    }
}

pub fn parse(text: &str) -> Result<Value, String> {
    let b = text.as_bytes();
    let mut i = 0;
    let v = value(b, &mut i)?;
    ws(b, &mut i);
    if i != b.len() {
        return Err(format!("trailing data at {i}"));
    }
    Ok(v)
}

fn ws(b: &[u8], i: &mut usize) {
    while *i < b.len() && b[*i].is_ascii_whitespace() {
        *i += 1;
    }
}

fn value(b: &[u8], i: &mut usize) -> Result<Value, String> {
    ws(b, i);
    let lit = |i: &mut usize, s: &str, v: Value| {
        if b[*i..].starts_with(s.as_bytes()) {
            *i += s.len();
            Ok(v)
        } else {
            Err(format!("bad literal at {i}"))
        }
    };
    match b.get(*i) {
        None => Err("unexpected end".into()),
        Some(b'n') => lit(i, "null", Value::Null),
        Some(b't') => lit(i, "true", Value::Bool(true)),
        Some(b'f') => lit(i, "false", Value::Bool(false)),
        Some(b'"') => string(b, i).map(Value::Str),
        Some(b'[') => {
            *i += 1;
            let mut v = Vec::new();
            ws(b, i);
            if b.get(*i) == Some(&b']') {
                *i += 1;
                return Ok(Value::Arr(v));
            }
            loop {
                v.push(value(b, i)?);
                ws(b, i);
                match b.get(*i) {
                    Some(b',') => *i += 1,
                    Some(b']') => {
                        *i += 1;
                        return Ok(Value::Arr(v));
                    }
                    _ => return Err(format!("expected , or ] at {i}")),
                }
            }
        }
        Some(b'{') => {
            *i += 1;
            let mut m = BTreeMap::new();
            ws(b, i);
            if b.get(*i) == Some(&b'}') {
                *i += 1;
                return Ok(Value::Obj(m));
            }
            loop {
                ws(b, i);
                let k = string(b, i)?;
                ws(b, i);
                if b.get(*i) != Some(&b':') {
                    return Err(format!("expected : at {i}"));
                }
                *i += 1;
                let v = value(b, i)?;
                if m.insert(k.clone(), v).is_some() {
                    return Err(format!("duplicate key {k}"));
                }
                ws(b, i);
                match b.get(*i) {
                    Some(b',') => *i += 1,
                    Some(b'}') => {
                        *i += 1;
                        return Ok(Value::Obj(m));
                    }
                    _ => return Err(format!("expected , or }} at {i}")),
                }
            }
        }
        Some(c) if *c == b'-' || c.is_ascii_digit() => {
            let start = *i;
            while *i < b.len() && (b[*i].is_ascii_digit() || b"+-.eE".contains(&b[*i])) {
                *i += 1;
            }
            std::str::from_utf8(&b[start..*i])
                .ok()
                .and_then(|s| s.parse().ok())
                .map(Value::Num)
                .ok_or_else(|| format!("bad number at {start}"))
        }
        Some(_) => Err(format!("unexpected byte at {i}")),
    }
}

fn string(b: &[u8], i: &mut usize) -> Result<String, String> {
    if b.get(*i) != Some(&b'"') {
        return Err(format!("expected string at {i}"));
    }
    *i += 1;
    let mut out = Vec::new();
    loop {
        match b.get(*i) {
            None => return Err("unterminated string".into()),
            Some(b'"') => {
                *i += 1;
                return String::from_utf8(out).map_err(|e| e.to_string());
            }
            Some(b'\\') => {
                let c = *b.get(*i + 1).ok_or("bad escape")?;
                *i += 2;
                match c {
                    b'"' | b'\\' | b'/' => out.push(c),
                    b'n' => out.push(b'\n'),
                    b't' => out.push(b'\t'),
                    b'r' => out.push(b'\r'),
                    b'b' => out.push(8),
                    b'f' => out.push(12),
                    b'u' => {
                        let hex = std::str::from_utf8(b.get(*i..*i + 4).ok_or("bad \\u")?)
                            .map_err(|e| e.to_string())?;
                        let n = u32::from_str_radix(hex, 16).map_err(|e| e.to_string())?;
                        *i += 4;
                        let ch = char::from_u32(n).ok_or("bad \\u")?;
                        out.extend(ch.to_string().as_bytes());
                    }
                    _ => return Err("bad escape".into()),
                }
            }
            Some(c) if *c < 0x20 => return Err("control character in string".into()),
            Some(c) => {
                out.push(*c);
                *i += 1;
            }
        }
    }
}

fn type_ok(t: &str, v: &Value) -> bool {
    match (t, v) {
        ("null", Value::Null) | ("boolean", Value::Bool(_)) => true,
        ("string", Value::Str(_)) | ("array", Value::Arr(_)) | ("object", Value::Obj(_)) => true,
        ("number", Value::Num(_)) => true,
        ("integer", Value::Num(n)) => n.fract() == 0.0,
        _ => false,
    }
}

/// The schema's patterns, each checked by hand; an unknown pattern fails loudly.
fn pattern_ok(p: &str, s: &str) -> Result<bool, String> {
    let digits = |t: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&t.len()) && t.bytes().all(|c| c.is_ascii_digit())
    };
    let hex = |t: &str, n: usize| {
        t.len() == n && t.bytes().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'))
    };
    Ok(match p {
        r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$" => {
            let b = s.as_bytes();
            s.len() == 20
                && b[4] == b'-'
                && b[7] == b'-'
                && b[10] == b'T'
                && b[13] == b':'
                && b[16] == b':'
                && b[19] == b'Z'
                && [0..4, 5..7, 8..10, 11..13, 14..16, 17..19]
                    .iter()
                    .all(|r| digits(&s[r.clone()], 1..=4))
        }
        r"^\d{1,2}\.\d{1,2}$" => match s.split_once('.') {
            Some((a, b)) => digits(a, 1..=2) && digits(b, 1..=2),
            None => false,
        },
        r"^0x[0-9a-f]{8}$" => s.strip_prefix("0x").is_some_and(|h| hex(h, 8)),
        r"^(0x[0-9a-f]{4}\*\*\*\*|\?)$" => {
            s == "?"
                || s.strip_prefix("0x")
                    .and_then(|h| h.strip_suffix("****"))
                    .is_some_and(|h| hex(h, 4))
        }
        other => return Err(format!("pattern {other} not understood by this checker")),
    })
}

/// Checks `v` against `schema` (`root` for `$ref`); the error names the path.
pub fn validate(root: &Value, schema: &Value, v: &Value, path: &str) -> Result<(), String> {
    let fail = |why: String| Err(format!("{path}: {why}"));
    if let Some(Value::Str(r)) = schema.get("$ref") {
        let name = r
            .strip_prefix("#/$defs/")
            .ok_or(format!("{path}: ref {r}"))?;
        let target = root
            .get("$defs")
            .and_then(|d| d.get(name))
            .ok_or(format!("{path}: no def {name}"))?;
        return validate(root, target, v, path);
    }
    if let Some(Value::Arr(alts)) = schema.get("oneOf") {
        let n = alts
            .iter()
            .filter(|a| validate(root, a, v, path).is_ok())
            .count();
        if n != 1 {
            return fail(format!("{n} of oneOf match {v:?}"));
        }
    }
    if let Some(c) = schema.get("const") {
        if c != v {
            return fail(format!("{v:?} is not {c:?}"));
        }
    }
    match schema.get("type") {
        Some(Value::Str(t)) if !type_ok(t, v) => return fail(format!("{v:?} is not {t}")),
        Some(Value::Arr(ts))
            if !ts
                .iter()
                .any(|t| matches!(t, Value::Str(t) if type_ok(t, v))) =>
        {
            return fail(format!("{v:?} is none of {ts:?}"));
        }
        _ => {}
    }
    if let Some(Value::Arr(e)) = schema.get("enum") {
        if !e.contains(v) {
            return fail(format!("{v:?} not in enum"));
        }
    }
    if let (Some(Value::Str(p)), Value::Str(s)) = (schema.get("pattern"), v) {
        if !pattern_ok(p, s).map_err(|e| format!("{path}: {e}"))? {
            return fail(format!("{s:?} does not match {p}"));
        }
    }
    if let Value::Num(n) = v {
        if let Some(Value::Num(min)) = schema.get("minimum") {
            if n < min {
                return fail(format!("{n} < {min}"));
            }
        }
        if let Some(Value::Num(max)) = schema.get("maximum") {
            if n > max {
                return fail(format!("{n} > {max}"));
            }
        }
    }
    if let Value::Obj(m) = v {
        if let Some(Value::Arr(req)) = schema.get("required") {
            for r in req {
                if let Value::Str(k) = r {
                    if !m.contains_key(k) {
                        return fail(format!("missing {k}"));
                    }
                }
            }
        }
        let props = schema.get("properties");
        for (k, x) in m {
            match props.and_then(|p| p.get(k)) {
                Some(s) => validate(root, s, x, &format!("{path}.{k}"))?,
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    return fail(format!("unexpected property {k}"));
                }
                None => {}
            }
        }
    }
    if let (Value::Arr(items), Some(s)) = (v, schema.get("items")) {
        for (i, x) in items.iter().enumerate() {
            validate(root, s, x, &format!("{path}[{i}]"))?;
        }
    }
    Ok(())
}
