//! Plain terminal tables that line up with CJK text (two columns per wide character).

use std::fmt;
use unicode_width::UnicodeWidthStr;

/// A table printed with columns padded to their widest cell.
pub struct Table {
    rows: Vec<Vec<String>>,
}

impl Table {
    pub fn new<const N: usize>(header: [&str; N]) -> Table {
        Table {
            rows: vec![header.iter().map(|s| s.to_string()).collect()],
        }
    }

    /// A table whose columns are only known at run time (e.g. one per rubric category).
    pub fn from_rows(header: Vec<String>, rows: Vec<Vec<String>>) -> Table {
        Table {
            rows: std::iter::once(header)
                .chain(rows.into_iter().map(cleaned))
                .collect(),
        }
    }

    pub fn row<const N: usize>(&mut self, cells: [String; N]) {
        self.rows.push(cleaned(cells.to_vec()));
    }
}

/// Cells are cleaned when added, so that column widths are measured on what will be shown.
fn cleaned(cells: Vec<String>) -> Vec<String> {
    cells
        .into_iter()
        .map(|c| super::terminal::clean(&c).into_owned())
        .collect()
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let columns = self.rows.iter().map(Vec::len).max().unwrap_or(0);
        let widths: Vec<usize> = (0..columns)
            .map(|c| {
                self.rows
                    .iter()
                    .filter_map(|r| r.get(c))
                    .map(|s| s.width())
                    .max()
                    .unwrap_or(0)
            })
            .collect();
        for row in &self.rows {
            let mut line = String::new();
            for (c, cell) in row.iter().enumerate() {
                line.push_str(cell);
                if c + 1 < row.len() {
                    line.push_str(&" ".repeat(widths[c] - cell.width() + 2));
                }
            }
            writeln!(f, "{}", line.trim_end())?;
        }
        Ok(())
    }
}
