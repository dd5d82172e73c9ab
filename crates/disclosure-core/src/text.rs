//! Folding what people type.

/// Full-width ASCII forms (U+FF01–U+FF5E: `２０１９`, `（`, `Ａ`) to ASCII, and the
/// ideographic space to a space. This is the part of NFKC that matters for document
/// numbers and titles typed by citizens, without NFKC's tables, which would add about a
/// hundred kilobytes to every page that embeds a widget.
pub fn fold_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFF01 + 0x21).unwrap_or(c),
        '\u{3000}' => ' ',
        other => other,
    }
}

/// One line of a CSV file that spreadsheets open safely: cells quoted where needed, and a
/// cell a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, tab, return first)
/// written with a leading apostrophe. Ends with CRLF, as Excel writes.
pub fn csv_line<'a>(cells: impl IntoIterator<Item = &'a str>) -> String {
    let cells: Vec<String> = cells.into_iter().map(csv_field).collect();
    format!("{}\r\n", cells.join(","))
}

fn csv_field(text: &str) -> String {
    let guarded = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    };
    if guarded.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", guarded.replace('"', "\"\""))
    } else {
        guarded
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_full_width_forms_only() {
        let folded: String = "（２０１９）Ａｂ　〔收〕".chars().map(fold_width).collect();
        assert_eq!(folded, "(2019)Ab 〔收〕");
    }

    #[test]
    fn csv_lines_quote_and_defuse_formulas() {
        assert_eq!(
            csv_line(["a,b", "=HYPERLINK(\"x\")", "plain"]),
            "\"a,b\",\"'=HYPERLINK(\"\"x\"\")\",plain\r\n"
        );
        assert_eq!(csv_line(["-1", "@x", "\tt"]), "'-1,'@x,'\tt\r\n");
    }
}
