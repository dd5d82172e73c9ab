//! Numbers written in Chinese numerals (`七十三`, `一百零五`): the one reader of them, for
//! the serials of 令号 (`国务院令第六百五十六号`) and the ages a question states (`十五岁`).

/// The value of a Chinese digit (`两` as `二`).
fn digit(c: char) -> Option<u32> {
    "零一二三四五六七八九"
        .chars()
        .position(|d| d == c)
        .map(|p| p as u32)
        .or((c == '两').then_some(2))
}

/// The value of a unit up to the thousands.
fn unit(c: char) -> Option<u32> {
    match c {
        '十' => Some(10),
        '百' => Some(100),
        '千' => Some(1000),
        _ => None,
    }
}

/// Whether [`chinese_number`] reads `c`: a digit or a unit.
pub fn is_numeral(c: char) -> bool {
    digit(c).is_some() || unit(c).is_some()
}

/// The value of Chinese numerals up to the thousands, as orders are numbered and ages
/// stated (`七十三`, `一百零五`, `十五`, `两`); `None` for empty text, any other character
/// or zero.
pub fn chinese_number(text: &str) -> Option<u32> {
    if text.is_empty() {
        return None;
    }
    let (mut total, mut current) = (0u32, 0u32);
    for c in text.chars() {
        if let Some(d) = digit(c) {
            current = d;
            continue;
        }
        let unit = unit(c)?;
        total += if current == 0 && unit == 10 {
            10
        } else {
            current * unit
        };
        current = 0;
    }
    Some(total + current).filter(|n| *n > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals_as_written() {
        for (text, value) in [
            ("十", 10),
            ("十五", 15),
            ("三十五", 35),
            ("两", 2),
            ("一百零五", 105),
        ] {
            assert_eq!(chinese_number(text), Some(value), "{text}");
        }
        for none in ["", "零", "几", "十几"] {
            assert_eq!(chinese_number(none), None, "{none}");
        }
        assert!("零一二两三四五六七八九十百千".chars().all(is_numeral));
        assert!(!is_numeral('几') && !is_numeral('5'));
    }
}
