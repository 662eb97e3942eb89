//! Canned answers (an action's official example) carry the times of the day the
//! example was written, years back. Served as they are, a user's code would see
//! a call that ended in 2020 and a login token that expired long ago. So the
//! times in a canned answer are moved by one offset, keeping their order and
//! distances, so that the latest lies at the simulated now; expiry times lie a
//! day ahead instead.

use serde_json::Value;

const DAY: i64 = 86_400;
/// Unix seconds that can be a time of these examples (2001 to 2096).
const SECONDS: std::ops::Range<i64> = 1_000_000_000..4_000_000_000;
/// The same in milliseconds.
const MILLIS: std::ops::Range<i64> = 1_000_000_000_000..4_000_000_000_000;

/// Whether a member of this name holds a time (ids in the same range do not).
fn is_time(key: &str) -> bool {
    let lower = key.to_ascii_lowercase();
    !lower.ends_with("id") && (lower.contains("time") || lower == "start" || lower == "end")
}

fn is_expiry(key: &str) -> bool {
    key.to_ascii_lowercase().contains("expire")
}

/// The seconds of a time member's value, if it is one.
fn seconds(v: i64) -> Option<i64> {
    if SECONDS.contains(&v) {
        Some(v)
    } else if MILLIS.contains(&v) {
        Some(v / 1000)
    } else {
        None
    }
}

fn visit(value: &mut Value, f: &mut impl FnMut(&str, &mut Value)) {
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                if v.is_i64() {
                    f(k, v);
                } else {
                    visit(v, f);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| visit(v, f)),
        _ => {}
    }
}

/// Moves the times in `answer` so that the latest is `now`.
pub fn freshen(answer: &mut Value, now: i64) {
    let mut latest = None::<i64>;
    visit(answer, &mut |k, v| {
        if let Some(s) = v
            .as_i64()
            .filter(|_| is_time(k) && !is_expiry(k))
            .and_then(seconds)
        {
            latest = Some(latest.map_or(s, |l| l.max(s)));
        }
    });
    let offset = latest.map_or(0, |l| now - l);
    visit(answer, &mut |k, v| {
        let Some(raw) = v.as_i64().filter(|_| is_time(k)) else {
            return;
        };
        let Some(s) = seconds(raw) else { return };
        let moved = if is_expiry(k) { now + DAY } else { s + offset };
        *v = Value::from(if MILLIS.contains(&raw) {
            moved * 1000 + raw % 1000
        } else {
            moved
        });
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn times_move_together_and_ids_stay() {
        let mut a = json!({"SdkAppId": 1400000000, "List": [
            {"StartTimestamp": 1607702199, "RingTimestamp": 1607702299, "Duration": 30},
            {"TimeMs": 1607702299123i64, "SessionId": "x"}],
            "ExpiredTime": 1601371974, "Total": 2});
        freshen(&mut a, 2_000_000_000);
        assert_eq!(a["SdkAppId"], 1400000000);
        assert_eq!(a["List"][0]["RingTimestamp"], 2_000_000_000);
        assert_eq!(a["List"][0]["StartTimestamp"], 2_000_000_000 - 100);
        assert_eq!(a["List"][0]["Duration"], 30);
        assert_eq!(a["List"][1]["TimeMs"], 2_000_000_000_123i64);
        assert_eq!(a["ExpiredTime"], 2_000_000_000 + DAY);
        assert_eq!(a["Total"], 2);
    }
}
