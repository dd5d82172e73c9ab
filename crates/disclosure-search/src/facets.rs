//! Counts of the exact matches per category, department and year, read from fast
//! fields, so the widget can offer filters with their counts.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::engine::columns::Columns;
use crate::validity::{Force, ForceOnDay};

/// How many matches have one value of a field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FacetCount {
    pub value: String,
    pub count: u64,
}

/// The matches counted per category, department and year; the largest counts first,
/// years newest first, at most [`MAX_FACET_VALUES`] of each.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Facets {
    pub categories: Vec<FacetCount>,
    pub departments: Vec<FacetCount>,
    pub years: Vec<FacetCount>,
    /// How many matches are in force on the request's day (有效, 已修改, 部分失效): the count
    /// beside the filter 只看现行有效. 0 when the request names no day.
    #[serde(default)]
    pub in_force: u64,
    /// How many matches have a validity record and are not in force that day (尚未生效,
    /// 失效, 废止); matches without a record are in neither count.
    #[serde(default)]
    pub not_in_force: u64,
}

/// At most this many values are listed per facet: a list of hundreds of departments helps
/// nobody, and rendering it would cost every keystroke.
pub const MAX_FACET_VALUES: usize = 12;

/// Collects [`Facets`], the validity counts for the day it is made [`on`](Self::on).
pub struct FacetCollector {
    today: Option<time::Date>,
    /// The index's columns, opened once ([`Columns`]).
    columns: Columns,
}

impl FacetCollector {
    /// Counts the validity of matches on `today` (none without a day), reading the index's
    /// `columns`.
    pub(crate) fn on(today: Option<time::Date>, columns: Columns) -> FacetCollector {
        FacetCollector { today, columns }
    }
}

pub struct SegmentFacets {
    category: Option<StrColumn>,
    department: Option<StrColumn>,
    year: Option<Column<u64>>,
    force: Option<ForceOnDay>,
    in_force: u64,
    not_in_force: u64,
    category_ords: HashMap<u64, u64>,
    department_ords: HashMap<u64, u64>,
    years: HashMap<u64, u64>,
}

/// Counts by value, before sorting.
#[derive(Default)]
pub struct FacetTally {
    categories: HashMap<String, u64>,
    departments: HashMap<String, u64>,
    years: HashMap<u64, u64>,
    in_force: u64,
    not_in_force: u64,
}

impl Collector for FacetCollector {
    type Fruit = Facets;
    type Child = SegmentFacets;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentFacets> {
        let columns = self.columns.of(segment);
        Ok(SegmentFacets {
            category: columns.and_then(|columns| columns.category.clone()),
            department: columns.and_then(|columns| columns.department.clone()),
            year: columns.and_then(|columns| columns.year.clone()),
            force: columns.and_then(|columns| columns.force_on(self.today)),
            in_force: 0,
            not_in_force: 0,
            category_ords: HashMap::new(),
            department_ords: HashMap::new(),
            years: HashMap::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, tallies: Vec<FacetTally>) -> tantivy::Result<Facets> {
        let mut total = FacetTally::default();
        for tally in tallies {
            for (value, count) in tally.categories {
                *total.categories.entry(value).or_default() += count;
            }
            for (value, count) in tally.departments {
                *total.departments.entry(value).or_default() += count;
            }
            for (year, count) in tally.years {
                *total.years.entry(year).or_default() += count;
            }
            total.in_force += tally.in_force;
            total.not_in_force += tally.not_in_force;
        }
        let by_count = |counts: HashMap<String, u64>| {
            let mut list: Vec<FacetCount> = counts
                .into_iter()
                .map(|(value, count)| FacetCount { value, count })
                .collect();
            crate::order::sort_by(&mut list, |a, b| {
                b.count.cmp(&a.count).then_with(|| a.value.cmp(&b.value))
            });
            list.truncate(MAX_FACET_VALUES);
            list
        };
        let mut years: Vec<(u64, u64)> = total.years.into_iter().collect();
        crate::order::sort_by_key(&mut years, |year| std::cmp::Reverse(year.0));
        Ok(Facets {
            categories: by_count(total.categories),
            departments: by_count(total.departments),
            years: years
                .into_iter()
                .take(MAX_FACET_VALUES)
                .map(|(year, count)| FacetCount {
                    value: year.to_string(),
                    count,
                })
                .collect(),
            in_force: total.in_force,
            not_in_force: total.not_in_force,
        })
    }
}

impl SegmentCollector for SegmentFacets {
    type Fruit = FacetTally;

    fn collect(&mut self, doc: DocId, _: Score) {
        for (column, counts) in [
            (&self.category, &mut self.category_ords),
            (&self.department, &mut self.department_ords),
        ] {
            if let Some(column) = column {
                for ord in column.term_ords(doc) {
                    *counts.entry(ord).or_default() += 1;
                }
            }
        }
        if let Some(year) = &self.year {
            for value in year.values_for_doc(doc) {
                *self.years.entry(value).or_default() += 1;
            }
        }
        match self.force.as_ref().map(|force| force.force(doc)) {
            Some(Force::InForce) => self.in_force += 1,
            Some(Force::NotInForce) => self.not_in_force += 1,
            _ => {}
        }
    }

    fn harvest(self) -> FacetTally {
        let resolve = |column: &Option<StrColumn>,
                       ords: HashMap<u64, u64>|
         -> HashMap<String, u64> {
            let Some(column) = column else {
                return HashMap::new();
            };
            ords.into_iter()
                .filter_map(|(ord, count)| {
                    let mut value = String::new();
                    matches!(column.ord_to_str(ord, &mut value), Ok(true)).then_some((value, count))
                })
                .collect()
        };
        FacetTally {
            categories: resolve(&self.category, self.category_ords),
            departments: resolve(&self.department, self.department_ords),
            years: self.years,
            in_force: self.in_force,
            not_in_force: self.not_in_force,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lists_keep_the_largest_counts_and_the_newest_years() {
        let tally = FacetTally {
            categories: HashMap::from([("通知公告".to_string(), 3)]),
            departments: (1..=20).map(|n| (format!("部门{n:02}"), n)).collect(),
            years: (2000..2020).map(|year| (year, 1)).collect(),
            in_force: 2,
            not_in_force: 1,
        };
        let facets = FacetCollector::on(None, Columns::default())
            .merge_fruits(vec![tally])
            .unwrap();
        assert_eq!(facets.departments.len(), MAX_FACET_VALUES);
        assert_eq!(
            facets.departments[0],
            FacetCount {
                value: "部门20".into(),
                count: 20
            }
        );
        assert_eq!(facets.years.len(), MAX_FACET_VALUES);
        assert_eq!(facets.years[0].value, "2019");
        assert_eq!(facets.categories.len(), 1);
    }
}
