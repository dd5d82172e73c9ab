//! The search state in the page URL (`?q=…&category=…`), so a search can be linked,
//! bookmarked and returned to with the back button.

use disclosure_search::{SearchRequest, SortOrder};

/// The query string (without `?`) for a request; empty when nothing is asked.
pub fn to_query_string(request: &SearchRequest) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    if !request.query.is_empty() {
        query.append_pair("q", &request.query);
    }
    if let Some(category) = &request.category {
        query.append_pair("category", category);
    }
    if let Some(department) = &request.department {
        query.append_pair("department", department);
    }
    match (request.year_from, request.year_to) {
        (Some(from), Some(to)) if from == to => {
            query.append_pair("year", &from.to_string());
        }
        (from, to) => {
            if let Some(from) = from {
                query.append_pair("from", &from.to_string());
            }
            if let Some(to) = to {
                query.append_pair("to", &to.to_string());
            }
        }
    }
    if request.sort == SortOrder::Newest {
        query.append_pair("sort", "newest");
    }
    if request.in_force_only {
        query.append_pair("inforce", "1");
    }
    query.finish()
}

/// The request a query string describes; unknown or malformed parameters are ignored,
/// so any link opens a page.
pub fn from_query_string(text: &str) -> SearchRequest {
    let mut request = SearchRequest::default();
    let year = |value: &str| {
        value
            .trim()
            .parse::<u16>()
            .ok()
            .filter(|y| (1000..=9999).contains(y))
    };
    let present = |value: &str| Some(value.trim().to_string()).filter(|v| !v.is_empty());
    for (key, value) in form_urlencoded::parse(text.trim_start_matches('?').as_bytes()) {
        match key.as_ref() {
            "q" => request.query = value.trim().to_string(),
            "category" => request.category = present(&value),
            "department" => request.department = present(&value),
            "year" => {
                request.year_from = year(&value);
                request.year_to = year(&value);
            }
            "from" => request.year_from = year(&value),
            "to" => request.year_to = year(&value),
            "inforce" => request.in_force_only = value.trim() == "1",
            "sort" => {
                request.sort = if value == "newest" {
                    SortOrder::Newest
                } else {
                    SortOrder::Relevance
                }
            }
            _ => {}
        }
    }
    request
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_a_search() {
        let request = SearchRequest {
            query: "收费清单 2023".into(),
            category: Some("通知公告".into()),
            department: Some("宁乡市财政局".into()),
            year_from: Some(2023),
            year_to: Some(2023),
            sort: SortOrder::Newest,
            in_force_only: true,
            ..SearchRequest::default()
        };
        let text = to_query_string(&request);
        assert!(text.ends_with("inforce=1"), "{text}");
        assert!(text.starts_with("q=%E6%94%B6"), "{text}");
        assert!(text.contains("year=2023"));
        assert_eq!(from_query_string(&format!("?{text}")), request);
    }

    #[test]
    fn ignores_what_it_cannot_read() {
        let request =
            from_query_string("q=%E6%94%B6&year=abc&from=99999&sort=oldest&x=1&category=");
        assert_eq!(request.query, "收");
        assert_eq!(request.year_from, None);
        assert_eq!(request.sort, SortOrder::Relevance);
        assert_eq!(request.category, None);
        assert_eq!(from_query_string(""), SearchRequest::default());
        assert_eq!(to_query_string(&SearchRequest::default()), "");
    }
}
