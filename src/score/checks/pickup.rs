//! Answer speed: rings before pickup and/or seconds to the staff's first words.

use super::{Ctx, Decision};

pub(crate) fn check(cx: &Ctx, max_rings: Option<u32>, max_seconds: Option<f64>) -> Decision {
    let lang = cx.lang();
    let Some(first) = cx.audio.first_staff_speech.or(cx.staff.first) else {
        return Decision::fail(
            Vec::new(),
            lang.pick(
                "未偵測到接聽（無人員說話）",
                "no pickup detected (staff never spoke)",
            )
            .into(),
        );
    };
    let rings = cx.audio.rings;
    let mut parts = Vec::new();
    let mut ok = true;
    if let Some(max) = max_rings {
        ok &= rings <= max;
        parts.push(lang.pick(
            format!("響 {rings} 聲接聽（上限 {max} 聲）"),
            format!(
                "answered after {rings} ring{} (limit {max})",
                if rings == 1 { "" } else { "s" }
            ),
        ));
    }
    if let Some(max) = max_seconds {
        ok &= first <= max;
        parts.push(lang.pick(
            format!("{first:.1} 秒接聽（上限 {max} 秒）"),
            format!("first words at {first:.1} s (limit {max} s)"),
        ));
    }
    let reason = parts.join(lang.pick("；", "; "));
    if ok {
        Decision::pass(Vec::new(), reason)
    } else {
        Decision::fail(Vec::new(), reason)
    }
}
