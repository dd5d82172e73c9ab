//! Every character the search may meet, folded: what the builder folds natively and the
//! worker in Wasm must agree on (`disclosure_core::text::fold` takes NFKC from Unicode's
//! tables natively and from the JavaScript engine in Wasm).

use disclosure_core::text::fold;

/// One line per character of U+0080–U+2FFFF but the main block of CJK unified ideographs,
/// U+4E00–U+9FFF (NFKC-stable, folded by the same Rust on both sides), whose fold is not
/// itself: its code point, a tab, and the code points of its fold, each in hex, separated
/// by spaces (none when it folds to nothing).
pub fn changed_characters() -> String {
    let mut lines = String::new();
    for c in (0x80u32..0x30000).filter_map(char::from_u32) {
        if ('\u{4E00}'..='\u{9FFF}').contains(&c) {
            continue;
        }
        let folded = fold(c.encode_utf8(&mut [0; 4]));
        let mut chars = folded.chars();
        if chars.next() == Some(c) && chars.next().is_none() {
            continue;
        }
        let code_points: Vec<String> = folded
            .chars()
            .map(|f| format!("{:04X}", f as u32))
            .collect();
        lines.push_str(&format!("{:04X}\t{}\n", c as u32, code_points.join(" ")));
    }
    lines
}
