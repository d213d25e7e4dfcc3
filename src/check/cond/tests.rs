use super::*;
use crate::catalog::Version;
use crate::check::build::Family;

fn build(family: Family, minor: u8) -> Build {
    Build {
        family,
        version: Version::new(3, minor),
    }
}

/// `Py_LIMITED_API` per build, `PY_VERSION_HEX` the build's release,
/// `FOO` unknown, the rest undefined.
struct Test;

impl Lookup for Test {
    fn value(&self, name: &str, b: Build) -> Value {
        let hex = i64::from(b.version.hex());
        match name {
            "Py_LIMITED_API" => Value::Number(hex),
            "PY_VERSION_HEX" => Value::Range(hex + 0xF0, hex + 0xFFFF),
            "FOO" => Value::Unknown,
            _ => Value::Undefined,
        }
    }
}

fn holds(expr: &str, b: Build) -> Option<bool> {
    let t = evaluate(expr, &Test).truth;
    match (t.surely.contains(b), t.maybe.contains(b)) {
        (true, _) => Some(true),
        (false, true) => None,
        (false, false) => Some(false),
    }
}

#[test]
fn conditions_are_decided_per_build() {
    let b9 = build(Family::Abi3, 9);
    let b12 = build(Family::Abi3, 12);
    assert_eq!(holds("Py_LIMITED_API+0 >= 0x030A0000", b9), Some(false));
    assert_eq!(holds("Py_LIMITED_API >= Py_PACK_VERSION(3, 12)", b12), Some(true));
    assert_eq!(holds("PY_VERSION_HEX >= 0x030C0000", b12), Some(true));
    assert_eq!(holds("PY_VERSION_HEX < 0x030D00A1", b12), Some(true));
    assert_eq!(holds("PY_VERSION_HEX < 0x030C0000", b12), Some(false));
    assert_eq!(holds("PY_VERSION_HEX >= 0x030C0A00", b12), None, "a micro release");
    assert_eq!(
        holds("(Py_LIMITED_API & 0xFFFF0000) > (PY_VERSION_HEX & 0xFFFF0000)", b12),
        Some(false),
        "Cython's check that the limited version is not in the future"
    );
    assert_eq!(holds("defined(FOO) ? 1 : 1", b9), Some(true));
    assert_eq!(holds("FOO || defined(Py_LIMITED_API)", b9), Some(true));
    assert_eq!(holds("FOO && 0", b9), Some(false));
    assert_eq!(holds("FOO", b9), None);
    assert_eq!(holds("BAR", b9), Some(false), "undefined is 0");
    assert_eq!(holds("__has_include(<stdatomic.h>)", b9), None);
    assert_eq!(holds("1 / 0", b9), None);
    assert_eq!(holds("(((", b9), None, "a malformed expression is unknown");
}

#[test]
fn unknown_names_are_reported_only_where_they_decide() {
    let e = evaluate("FOO && Py_LIMITED_API >= 0x030C0000", &Test);
    assert!(e.truth.is_uncertain());
    assert_eq!(e.unknown, vec!["FOO".to_string()]);
    let e = evaluate("FOO && 0", &Test);
    assert!(e.unknown.is_empty(), "0 decides it");
}

#[test]
fn deep_expressions_are_unknown_not_a_crash() {
    let b = build(Family::Abi3, 9);
    for deep in [
        format!("{}1{}", "(".repeat(4000), ")".repeat(4000)),
        format!("{}1", "!".repeat(100_000)),
        format!("1{}", "+1".repeat(200_000)),
        format!("{}0", "1 ? ".repeat(5000).replace('?', "? 1 :")),
        format!("{}1", "-".repeat(50_000)),
    ] {
        let e = evaluate(&deep, &Test);
        assert!(e.too_deep, "{}", &deep[..20]);
        assert_eq!(e.truth, Truth::UNKNOWN);
    }
    assert_eq!(holds(&format!("{}1{}", "(".repeat(50), ")".repeat(50)), b), Some(true));
    assert_eq!(holds(&format!("1{}", "+1".repeat(50)), b), Some(true));
}

#[test]
fn branches_exclude_what_earlier_branches_surely_took() {
    let b9 = build(Family::Abi3, 9);
    let t = build(Family::Abi3t, 15);
    let mut stack = Stack::default();
    stack.open(evaluate("Py_LIMITED_API >= 0x030F0000", &Test).truth);
    assert!(stack.active().contains(t) && !stack.active().contains(b9));
    stack.otherwise();
    assert!(!stack.active().contains(t) && stack.active().contains(b9));
    stack.open(evaluate("FOO", &Test).truth);
    assert!(stack.active().contains(b9), "unknown keeps the outer builds");
    stack.otherwise();
    assert!(stack.active().contains(b9));
    stack.close();
    stack.close();
    assert_eq!(stack.active(), Builds::ALL);
}

#[test]
fn error_branches_rule_builds_out() {
    let b3 = build(Family::Abi3, 3);
    let b9 = build(Family::Abi3, 9);
    let mut stack = Stack::default();
    stack.open(evaluate("Py_LIMITED_API < 0x03090000", &Test).truth);
    let failing = stack.error();
    assert!(failing.contains(b3) && !failing.contains(b9));
    stack.otherwise();
    assert!(stack.active().contains(b9) && !stack.active().contains(b3));
    stack.close();
    stack.open(evaluate("FOO", &Test).truth);
    assert!(
        stack.error().is_empty(),
        "a build that may take #error is not ruled out"
    );
    stack.otherwise();
    assert_eq!(stack.here().maybe, Builds::ALL);
}

#[test]
fn constant_values() {
    assert_eq!(value_of("0x030B0000"), Some(0x030B_0000));
    assert_eq!(value_of("Py_PACK_VERSION(3, 11)"), Some(0x030B_0000));
    assert_eq!(value_of("FOO"), None);
    assert_eq!(value_of("(("), None);
}
