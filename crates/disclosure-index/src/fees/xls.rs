//! The number formats of an Excel 97–2003 workbook (`.xls`). calamine reads its values and
//! recognises date formats, but a percentage comes through as a bare number (`20%` as 0.2),
//! so the importer reads the cell styles itself: the compound file's `Workbook` stream, its
//! FORMAT and XF records, and the style index of every number cell (NUMBER, RK, MULRK,
//! FORMULA). Every read is bounds-checked: a damaged file gives fewer formats, never a panic.

use std::collections::HashMap;
use std::path::Path;

use super::cells::NumberFormat;

/// Sector chains longer than this are damaged (a loop), not read.
const MAX_CHAIN: usize = 1 << 20;
const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
const FREE: u32 = 0xFFFF_FFFF;

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(data.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(data.get(at..at + 4)?.try_into().ok()?))
}

/// A compound file (OLE2) read whole: enough to get one stream out of it.
struct Compound<'a> {
    data: &'a [u8],
    sector: usize,
    fat: Vec<u32>,
}

impl Compound<'_> {
    fn sector(&self, id: u32) -> Option<&[u8]> {
        let start = (id as usize).checked_add(1)?.checked_mul(self.sector)?;
        self.data.get(start..start + self.sector)
    }

    fn chain(
        &self,
        mut id: u32,
        fat: &[u32],
        size: usize,
        read: impl Fn(u32) -> Option<Vec<u8>>,
    ) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        let mut steps = 0;
        while id != END_OF_CHAIN && id != FREE {
            out.extend(read(id)?);
            id = *fat.get(id as usize)?;
            steps += 1;
            if steps > MAX_CHAIN {
                return None;
            }
        }
        out.truncate(size);
        Some(out)
    }

    fn stream(&self, id: u32, size: usize) -> Option<Vec<u8>> {
        self.chain(id, &self.fat, size, |id| {
            self.sector(id).map(<[u8]>::to_vec)
        })
    }
}

/// The `Workbook` stream of an `.xls` file.
fn workbook_stream(data: &[u8]) -> Option<Vec<u8>> {
    if data.get(..8)? != [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1] {
        return None;
    }
    let sector = match u16_at(data, 30)? {
        9 => 512,
        12 => 4096,
        _ => return None,
    };
    let mut compound = Compound {
        data,
        sector,
        fat: Vec::new(),
    };
    // FAT sectors: the 109 named in the header, then the DIFAT chain.
    let mut fat_sectors: Vec<u32> = (0..109).filter_map(|n| u32_at(data, 76 + 4 * n)).collect();
    let mut difat = u32_at(data, 68)?;
    let mut steps = 0;
    while difat < 0xFFFF_FFFA && steps < MAX_CHAIN {
        let block = compound.sector(difat)?;
        let entries = sector / 4 - 1;
        fat_sectors.extend((0..entries).filter_map(|n| u32_at(block, 4 * n)));
        difat = u32_at(block, 4 * entries)?;
        steps += 1;
    }
    let mut fat = Vec::new();
    for id in fat_sectors.into_iter().filter(|id| *id < 0xFFFF_FFFA) {
        let block = compound.sector(id)?;
        fat.extend((0..sector / 4).filter_map(|n| u32_at(block, 4 * n)));
    }
    compound.fat = fat;
    let directory = compound.stream(u32_at(data, 48)?, usize::MAX)?;
    let entries: Vec<&[u8]> = directory.chunks_exact(128).collect();
    let name = |entry: &[u8]| -> String {
        let length = (u16_at(entry, 64).unwrap_or(0) as usize)
            .min(64)
            .saturating_sub(2);
        let units: Vec<u16> = (0..length / 2)
            .filter_map(|n| u16_at(entry, 2 * n))
            .collect();
        String::from_utf16_lossy(&units)
    };
    let found = entries
        .iter()
        .find(|entry| matches!(name(entry).as_str(), "Workbook" | "Book"))?;
    let start = u32_at(found, 116)?;
    let size = u32_at(found, 120)? as usize;
    let cutoff = u32_at(data, 56)? as usize;
    if size >= cutoff {
        return compound.stream(start, size);
    }
    // A small stream lives in the mini stream, 64-byte sectors held by the root entry.
    let root = entries.first()?;
    let mini_stream = compound.stream(u32_at(root, 116)?, u32_at(root, 120)? as usize)?;
    let mini_fat_bytes = compound.stream(u32_at(data, 60)?, usize::MAX)?;
    let mini_fat: Vec<u32> = (0..mini_fat_bytes.len() / 4)
        .filter_map(|n| u32_at(&mini_fat_bytes, 4 * n))
        .collect();
    compound.chain(start, &mini_fat, size, |id| {
        let at = (id as usize).checked_mul(64)?;
        mini_stream.get(at..at + 64).map(<[u8]>::to_vec)
    })
}

/// The BIFF records of a stream from `at`: (type, data), until EOF or the stream's end.
fn records(stream: &[u8], mut at: usize) -> impl Iterator<Item = (u16, &[u8])> {
    std::iter::from_fn(move || {
        let kind = u16_at(stream, at)?;
        let length = u16_at(stream, at + 2)? as usize;
        let data = stream.get(at + 4..at + 4 + length)?;
        at += 4 + length;
        Some((kind, data))
    })
}

/// An XLUnicodeString (`cch` of `width` bytes, flags, characters) at the start of `data`.
fn unicode_string(data: &[u8], width: usize) -> Option<String> {
    let count = if width == 1 {
        *data.first()? as usize
    } else {
        u16_at(data, 0)? as usize
    };
    let flags = *data.get(width)?;
    let chars = data.get(width + 1..)?;
    Some(if flags & 1 == 1 {
        let units: Vec<u16> = (0..count).filter_map(|n| u16_at(chars, 2 * n)).collect();
        String::from_utf16_lossy(&units)
    } else {
        chars.iter().take(count).map(|b| char::from(*b)).collect()
    })
}

/// The number formats of every sheet of an `.xls` file, by sheet name and (row, column),
/// for the number cells whose format is not General. Empty when the file cannot be read
/// this way (calamine then reports what is wrong with it).
pub fn number_formats(path: &Path) -> HashMap<String, HashMap<(u32, u32), NumberFormat>> {
    let mut sheets = HashMap::new();
    let Ok(data) = std::fs::read(path) else {
        return sheets;
    };
    let Some(stream) = workbook_stream(&data) else {
        return sheets;
    };
    let mut codes: HashMap<u16, Option<NumberFormat>> = HashMap::new();
    let mut styles: Vec<Option<NumberFormat>> = Vec::new();
    let mut bound: Vec<(usize, String)> = Vec::new();
    for (kind, data) in records(&stream, 0) {
        match kind {
            // FILEPASS: encrypted; calamine says so.
            0x002F => return sheets,
            0x041E => {
                if let (Some(id), Some(code)) = (
                    u16_at(data, 0),
                    data.get(2..).and_then(|d| unicode_string(d, 2)),
                ) {
                    codes.insert(id, NumberFormat::from_code(&code));
                }
            }
            0x00E0 => {
                let id = u16_at(data, 2).unwrap_or(0);
                styles.push(match codes.get(&id) {
                    Some(format) => *format,
                    None => NumberFormat::builtin(u32::from(id)),
                });
            }
            0x0085 => {
                if let (Some(at), Some(name)) = (
                    u32_at(data, 0),
                    data.get(6..).and_then(|d| unicode_string(d, 1)),
                ) {
                    bound.push((at as usize, name));
                }
            }
            0x000A => break,
            _ => {}
        }
    }
    for (at, name) in bound {
        let mut formats = HashMap::new();
        let mut mark = |row: u16, column: u16, style: u16| {
            if let Some(Some(format)) = styles.get(style as usize) {
                formats.insert((u32::from(row), u32::from(column)), *format);
            }
        };
        for (kind, data) in records(&stream, at) {
            match kind {
                // NUMBER, RK, FORMULA: row, column, style.
                0x0203 | 0x027E | 0x0006 => {
                    if let (Some(row), Some(column), Some(style)) =
                        (u16_at(data, 0), u16_at(data, 2), u16_at(data, 4))
                    {
                        mark(row, column, style);
                    }
                }
                // MULRK: row, first column, then (style, RK) per column.
                0x00BD => {
                    if let (Some(row), Some(first)) = (u16_at(data, 0), u16_at(data, 2)) {
                        let cells = data.len().saturating_sub(6) / 6;
                        for n in 0..cells {
                            if let Some(style) = u16_at(data, 4 + 6 * n) {
                                mark(row, first.saturating_add(n as u16), style);
                            }
                        }
                    }
                }
                0x000A => break,
                _ => {}
            }
        }
        sheets.insert(name, formats);
    }
    sheets
}
