//! The search widget's state and the actions that change it: plain Rust, so the rules
//! (stale answers dropped, paging, filters) are tested natively.

use std::rc::Rc;

use disclosure_search::{MatchKind, SearchRequest, SearchResults, SortOrder};
use yew::Reducible;

use super::answers::AnswerCards;
use crate::protocol::{LoadFailure, WorkerAnswer};

/// Hits shown per page; "load more" adds another page.
pub const PAGE: usize = 10;

/// A filter the facets set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FacetKind {
    Category,
    Department,
    Year,
}

/// The filters of a request ([`SearchState::filters`]), apart from its query: what the
/// facets need, so that typing and searching (the query changes, the filters stay) do not
/// render the facets again.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Filters {
    pub category: Option<String>,
    pub department: Option<String>,
    pub year_from: Option<u16>,
    pub year_to: Option<u16>,
    /// 只看现行有效.
    pub in_force_only: bool,
}

impl Filters {
    /// Whether any filter is set.
    pub fn any(&self) -> bool {
        self.category.is_some()
            || self.department.is_some()
            || self.year_from.is_some()
            || self.year_to.is_some()
            || self.in_force_only
    }

    /// Whether a facet value is the active filter (a year when the range is that year).
    pub fn is_selected(&self, kind: FacetKind, value: &str) -> bool {
        match kind {
            FacetKind::Category => self.category.as_deref() == Some(value),
            FacetKind::Department => self.department.as_deref() == Some(value),
            FacetKind::Year => {
                let year = value.parse::<u16>().ok();
                year.is_some() && self.year_from == year && self.year_to == year
            }
        }
    }
}

/// How a change of the search enters the browser history.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HistoryEntry {
    /// A new entry: the back button returns to the search before.
    #[default]
    Push,
    /// The current entry changes (typing pauses), so the history is not flooded.
    Replace,
    /// The URL already shows this search (opened from it, or back/forward).
    Keep,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct SearchState {
    /// What is in the search box.
    pub typed: String,
    /// The search whose results are shown and whose state is in the URL.
    pub request: SearchRequest,
    pub history: HistoryEntry,
    /// Bumped by "retry", so the same request is sent again.
    pub attempt: u32,
    /// The number of the query whose answer is awaited.
    pub awaiting: Option<u64>,
    pub results: Option<Rc<SearchResults>>,
    /// The search `results` answer. It differs from `request` between a new search and
    /// the effect that sends it (a render apart): the earlier results stay on screen
    /// meanwhile, and [`SearchState::is_searching`] says they are not the new search's.
    pub answered: Option<SearchRequest>,
    pub failure: Option<LoadFailure>,
    /// Suggestions as you type for what is in the box (at most 8, from the worker).
    pub suggestions: Vec<String>,
    /// The suggestion the arrow keys chose.
    pub active_suggestion: Option<usize>,
    /// Whether the list of suggestions shows: typing opens it; Escape, a search or a
    /// choice closes it.
    pub suggestions_open: bool,
    /// 搜索即服务: the answer cards of the query shown, when it calls for some.
    pub cards: Option<Rc<AnswerCards>>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SearchAction {
    Type(String),
    /// Search for what was typed: `explicit` when the citizen pressed Enter or the button,
    /// not when typing paused.
    Submit {
        explicit: bool,
    },
    Toggle(FacetKind, String),
    /// 只看现行有效 on or off.
    ToggleInForce,
    ClearFilters,
    Sort(SortOrder),
    LoadMore,
    Retry,
    /// The URL changed (page opened with a search, back or forward).
    Restore(SearchRequest),
    Sent(u64),
    Answered(WorkerAnswer),
    /// The query `seq` has had no answer for [`crate::protocol::ENGINE_SILENCE_MS`].
    EngineSilent(u64),
    /// The worker's suggestions for `typed` (dropped if the box holds something else now).
    Suggested {
        typed: String,
        suggestions: Vec<String>,
    },
    /// The answer cards of a query (dropped if another query is shown now).
    Cards(AnswerCards),
    /// The arrow keys: the next (1) or previous (-1) suggestion, round the list.
    MoveSuggestion(i8),
    /// Escape, or focus gone: the list closes.
    CloseSuggestions,
    /// A suggestion chosen (Enter on it, or a click): it is typed and searched.
    PickSuggestion(usize),
}

impl SearchState {
    /// The suggestions to show: the list is open and holds some.
    pub fn shown_suggestions(&self) -> &[String] {
        match self.suggestions_for() {
            Some(_) => &self.suggestions,
            None => &[],
        }
    }

    /// The text suggestions are asked for (what is typed, trimmed): while the list may
    /// show, so not for a query the page opened with or went back to, nor once Enter or
    /// Escape closed the list. `None` when none are wanted.
    pub fn suggestions_for(&self) -> Option<&str> {
        let typed = self.typed.trim();
        (self.suggestions_open && !typed.is_empty()).then_some(typed)
    }

    /// 您是不是要找 (issue 13, item 7): when the answer holds only partial matches, the title
    /// of the best of them, the query the citizen most likely meant; `None` when something
    /// matched exactly, nothing was found, or that title is what was searched.
    pub fn did_you_mean(&self) -> Option<String> {
        let results = self.results.as_ref()?;
        let first = results.hits.first()?;
        if results.total_exact > 0 || first.match_kind != MatchKind::Partial {
            return None;
        }
        let title = first.title.text.trim().to_string();
        (!title.is_empty() && title != self.request.query).then_some(title)
    }

    pub fn has_filters(&self) -> bool {
        self.filters().any()
    }

    /// Whether a facet value is the active filter.
    pub fn is_selected(&self, kind: FacetKind, value: &str) -> bool {
        self.filters().is_selected(kind, value)
    }

    /// The filters of the request, what the facets show as chosen.
    pub fn filters(&self) -> Filters {
        let r = &self.request;
        Filters {
            category: r.category.clone(),
            department: r.department.clone(),
            year_from: r.year_from,
            year_to: r.year_to,
            in_force_only: r.in_force_only,
        }
    }

    /// Whether more hits exist than are shown.
    pub fn has_more(&self) -> bool {
        self.results
            .as_ref()
            .is_some_and(|results| results.hits.len() >= self.request.limit.max(PAGE))
    }

    /// Whether a search is under way: sent and not answered yet, or asked and not sent yet
    /// (the results shown answer an earlier search). Without this, the render between a
    /// new search and its sending announced the earlier results' count under the new
    /// query (找到 12 条与“<new query>”相关的结果), which a screen reader reads out and a
    /// benchmark took for the answer.
    pub fn is_searching(&self) -> bool {
        self.awaiting.is_some()
            || (self.results.is_some()
                && !self.request.query.is_empty()
                && self.answered.as_ref() != Some(&self.request))
    }

    /// A new search: filters and sort as they were, paging from the start.
    fn searching(&self, request: SearchRequest, history: HistoryEntry) -> SearchState {
        // Cards answer a query: another query's are gone (its own come back shortly).
        let cards = self
            .cards
            .clone()
            .filter(|cards| cards.query == request.query);
        SearchState {
            cards,
            request: SearchRequest {
                offset: 0,
                limit: PAGE,
                ..request
            },
            history,
            ..self.clone()
        }
    }
}

impl Reducible for SearchState {
    type Action = SearchAction;

    fn reduce(self: Rc<Self>, action: SearchAction) -> Rc<Self> {
        let state = &*self;
        let request = state.request.clone();
        let next = match action {
            SearchAction::Type(typed) => SearchState {
                typed,
                suggestions_open: true,
                active_suggestion: None,
                ..state.clone()
            },
            SearchAction::Submit { explicit } => {
                let query = state.typed.trim().to_string();
                if query == request.query && !explicit {
                    return self;
                }
                let history = if explicit {
                    HistoryEntry::Push
                } else {
                    HistoryEntry::Replace
                };
                let searching = state.searching(SearchRequest { query, ..request }, history);
                SearchState {
                    // Pressing Enter closes the list; a pause in typing leaves it.
                    suggestions_open: state.suggestions_open && !explicit,
                    ..searching
                }
            }
            SearchAction::Suggested { typed, suggestions } => {
                if typed.trim() != state.typed.trim() {
                    return self;
                }
                SearchState {
                    suggestions,
                    active_suggestion: None,
                    ..state.clone()
                }
            }
            SearchAction::Cards(cards) => {
                if cards.query != request.query {
                    return self;
                }
                SearchState {
                    cards: Some(Rc::new(cards)),
                    ..state.clone()
                }
            }
            SearchAction::MoveSuggestion(step) => {
                let count = state.suggestions.len();
                if count == 0 {
                    return self;
                }
                let active = match (state.active_suggestion, step >= 0) {
                    (None, true) => 0,
                    (None, false) => count - 1,
                    (Some(at), true) => (at + 1) % count,
                    (Some(at), false) => (at + count - 1) % count,
                };
                SearchState {
                    active_suggestion: Some(active),
                    suggestions_open: true,
                    ..state.clone()
                }
            }
            // Already closed: the same state, so nothing renders again (a render would
            // write the box's value back over what a script cleared).
            SearchAction::CloseSuggestions
                if !state.suggestions_open && state.active_suggestion.is_none() =>
            {
                return self
            }
            SearchAction::CloseSuggestions => SearchState {
                suggestions_open: false,
                active_suggestion: None,
                ..state.clone()
            },
            SearchAction::PickSuggestion(at) => {
                let Some(picked) = state.suggestions.get(at).cloned() else {
                    return self;
                };
                let searching = state.searching(
                    SearchRequest {
                        query: picked.clone(),
                        ..request
                    },
                    HistoryEntry::Push,
                );
                SearchState {
                    typed: picked,
                    suggestions_open: false,
                    active_suggestion: None,
                    ..searching
                }
            }
            SearchAction::Toggle(kind, value) => {
                let selected = state.is_selected(kind, &value);
                let chosen = (!selected).then_some(value);
                let mut request = request;
                match kind {
                    FacetKind::Category => request.category = chosen,
                    FacetKind::Department => request.department = chosen,
                    FacetKind::Year => {
                        let year = chosen.and_then(|y| y.parse().ok());
                        request.year_from = year;
                        request.year_to = year;
                    }
                }
                state.searching(request, HistoryEntry::Push)
            }
            SearchAction::ToggleInForce => state.searching(
                SearchRequest {
                    in_force_only: !request.in_force_only,
                    ..request
                },
                HistoryEntry::Push,
            ),
            SearchAction::ClearFilters => state.searching(
                SearchRequest {
                    query: request.query,
                    sort: request.sort,
                    ..SearchRequest::default()
                },
                HistoryEntry::Push,
            ),
            SearchAction::Sort(sort) => {
                state.searching(SearchRequest { sort, ..request }, HistoryEntry::Push)
            }
            SearchAction::LoadMore => SearchState {
                request: SearchRequest {
                    limit: request.limit.max(PAGE) + PAGE,
                    ..request
                },
                history: HistoryEntry::Keep,
                ..state.clone()
            },
            SearchAction::Retry => SearchState {
                attempt: state.attempt + 1,
                failure: None,
                ..state.clone()
            },
            SearchAction::Restore(restored) => SearchState {
                typed: restored.query.clone(),
                ..state.searching(restored, HistoryEntry::Keep)
            },
            SearchAction::Sent(seq) => SearchState {
                awaiting: Some(seq),
                ..state.clone()
            },
            // Still awaited: say so, and keep awaiting, so a late answer still shows.
            SearchAction::EngineSilent(seq) if state.awaiting == Some(seq) => SearchState {
                failure: Some(LoadFailure::EngineSilent),
                ..state.clone()
            },
            SearchAction::EngineSilent(_) => return self,
            SearchAction::Answered(answer) => {
                if state.awaiting != Some(answer.seq) {
                    // An answer to a query the page no longer shows.
                    return self;
                }
                match answer.outcome {
                    Ok(results) => SearchState {
                        awaiting: None,
                        results: Some(Rc::new(results)),
                        answered: Some(request),
                        failure: None,
                        ..state.clone()
                    },
                    Err(failure) => SearchState {
                        awaiting: None,
                        failure: Some(failure),
                        ..state.clone()
                    },
                }
            }
        };
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answer_cards_belong_to_their_query() {
        let searched = apply(
            SearchState::default(),
            vec![
                SearchAction::Type("宁政发〔2019〕3号".into()),
                SearchAction::Submit { explicit: true },
            ],
        );
        let cards = |query: &str| AnswerCards {
            query: query.into(),
            ..AnswerCards::default()
        };
        // A late card of an earlier query is dropped; the query's own is kept.
        let stale = apply(searched.clone(), vec![SearchAction::Cards(cards("宁政发"))]);
        assert!(stale.cards.is_none());
        let kept = apply(
            searched,
            vec![SearchAction::Cards(cards("宁政发〔2019〕3号"))],
        );
        assert!(kept.cards.is_some());
        // Paging or filtering keeps them; another query drops them.
        let paged = apply(
            kept.clone(),
            vec![SearchAction::LoadMore, SearchAction::ToggleInForce],
        );
        assert!(paged.cards.is_some());
        let other = apply(
            kept,
            vec![
                SearchAction::Type("收费".into()),
                SearchAction::Submit { explicit: true },
            ],
        );
        assert!(other.cards.is_none());
    }

    #[test]
    fn a_silent_engine_is_told_and_a_late_answer_still_shows() {
        let silent = apply(
            SearchState::default(),
            vec![SearchAction::Sent(1), SearchAction::EngineSilent(1)],
        );
        assert_eq!(silent.failure, Some(LoadFailure::EngineSilent));
        assert_eq!(silent.awaiting, Some(1));
        // An answered query's timer changes nothing.
        let answered = apply(
            SearchState::default(),
            vec![
                SearchAction::Sent(2),
                SearchAction::Answered(WorkerAnswer::of(2, Err(LoadFailure::Status(503)))),
                SearchAction::EngineSilent(2),
            ],
        );
        assert_eq!(answered.failure, Some(LoadFailure::Status(503)));
    }

    #[test]
    fn suggestions_open_as_you_type_move_round_and_close() {
        let suggested = |typed: &str| SearchAction::Suggested {
            typed: typed.into(),
            suggestions: vec!["社会保险".into(), "社会保险法".into()],
        };
        let state = apply(
            SearchState::default(),
            vec![SearchAction::Type("社会".into()), suggested("社会")],
        );
        assert_eq!(state.shown_suggestions().len(), 2);
        // A stale answer (the box holds something else now) is dropped.
        let stale = apply(
            state.clone(),
            vec![SearchAction::Type("社会保".into()), suggested("社会")],
        );
        assert!(stale.suggestions.len() == 2 && stale.typed == "社会保");
        let moved = apply(
            state.clone(),
            vec![
                SearchAction::MoveSuggestion(-1),
                SearchAction::MoveSuggestion(1),
            ],
        );
        assert_eq!(moved.active_suggestion, Some(0));
        // A pause in typing searches and leaves the list; Enter closes it.
        let paused = apply(
            state.clone(),
            vec![SearchAction::Submit { explicit: false }],
        );
        assert!(paused.suggestions_open);
        let entered = apply(state.clone(), vec![SearchAction::Submit { explicit: true }]);
        assert!(entered.shown_suggestions().is_empty());
        let picked = apply(state.clone(), vec![SearchAction::PickSuggestion(1)]);
        assert_eq!(picked.typed, "社会保险法");
        assert_eq!(picked.request.query, "社会保险法");
        assert_eq!(picked.history, HistoryEntry::Push);
        assert!(picked.shown_suggestions().is_empty());
        let closed = apply(state, vec![SearchAction::CloseSuggestions]);
        assert!(closed.shown_suggestions().is_empty());
        let none = apply(
            SearchState::default(),
            vec![SearchAction::MoveSuggestion(1)],
        );
        assert_eq!(none.active_suggestion, None);
    }

    #[test]
    fn only_partial_matches_offer_the_title_meant() {
        let hit = |title: &str, match_kind| disclosure_search::Hit {
            id: title.into(),
            title: disclosure_search::HighlightedText {
                text: title.into(),
                highlights: Vec::new(),
            },
            snippet: disclosure_search::HighlightedText {
                text: String::new(),
                highlights: Vec::new(),
            },
            url: None,
            category: None,
            department: None,
            doc_number: None,
            published: None,
            interpretation_url: None,
            validity: None,
            match_kind,
        };
        let answered = |total_exact, hits| SearchState {
            request: SearchRequest {
                query: "个税法".into(),
                ..SearchRequest::default()
            },
            results: Some(Rc::new(SearchResults {
                total_exact,
                hits,
                ..SearchResults::default()
            })),
            ..SearchState::default()
        };
        let partial = answered(
            0,
            vec![hit("中华人民共和国个人所得税法", MatchKind::Partial)],
        );
        assert_eq!(
            partial.did_you_mean().as_deref(),
            Some("中华人民共和国个人所得税法")
        );
        let exact = answered(1, vec![hit("中华人民共和国个人所得税法", MatchKind::Exact)]);
        assert_eq!(exact.did_you_mean(), None);
        assert_eq!(answered(0, Vec::new()).did_you_mean(), None);
        assert_eq!(
            answered(0, vec![hit("个税法", MatchKind::Partial)]).did_you_mean(),
            None
        );
    }

    #[test]
    fn suggestions_are_asked_for_only_while_the_list_may_show() {
        let opened = apply(
            SearchState::default(),
            vec![SearchAction::Restore(SearchRequest {
                query: "社会保险".into(),
                ..SearchRequest::default()
            })],
        );
        assert_eq!(opened.typed, "社会保险");
        assert_eq!(opened.suggestions_for(), None);
        let typing = apply(opened, vec![SearchAction::Type(" 工伤 ".into())]);
        assert_eq!(typing.suggestions_for(), Some("工伤"));
        // A pause in typing searches and leaves the list; Enter closes it.
        let paused = apply(
            typing.clone(),
            vec![SearchAction::Submit { explicit: false }],
        );
        assert_eq!(paused.suggestions_for(), Some("工伤"));
        let entered = apply(typing, vec![SearchAction::Submit { explicit: true }]);
        assert_eq!(entered.suggestions_for(), None);
        let escaped = apply(paused, vec![SearchAction::CloseSuggestions]);
        assert_eq!(escaped.suggestions_for(), None);
    }

    #[test]
    fn a_new_search_is_under_way_until_its_own_answer() {
        let typed = |query: &str| {
            vec![
                SearchAction::Type(query.into()),
                SearchAction::Submit { explicit: true },
            ]
        };
        let mut actions = typed("社会保险");
        actions.extend([SearchAction::Sent(1), answer(1, 12)]);
        let answered = apply(SearchState::default(), actions);
        assert!(!answered.is_searching());
        // Asked, not sent yet: the 12 results on screen are not this search's.
        let asked = apply(answered.clone(), typed("工伤保险"));
        assert!(asked.is_searching());
        assert!(
            crate::search::view::status_text(&asked, crate::labels::Lang::Chinese)
                .starts_with("正在搜索")
        );
        let sent = apply(asked.clone(), vec![SearchAction::Sent(2)]);
        assert!(sent.is_searching());
        // An answer to the earlier number changes nothing; its own ends the search.
        assert!(apply(sent.clone(), vec![answer(1, 12)]).is_searching());
        let done = apply(sent, vec![answer(2, 3)]);
        assert!(!done.is_searching());
        assert!(
            crate::search::view::status_text(&done, crate::labels::Lang::Chinese)
                .contains("工伤保险")
        );
        // A filter or a further page is a new search too.
        assert!(apply(done.clone(), vec![SearchAction::LoadMore]).is_searching());
        // An empty box sends nothing: nothing is under way.
        let cleared = apply(done, typed(""));
        assert!(!cleared.is_searching());
    }

    fn apply(state: SearchState, actions: Vec<SearchAction>) -> SearchState {
        let mut state = Rc::new(state);
        for action in actions {
            state = state.reduce(action);
        }
        (*state).clone()
    }

    fn answer(seq: u64, total: usize) -> SearchAction {
        SearchAction::Answered(WorkerAnswer::of(
            seq,
            Ok(SearchResults {
                total_exact: total,
                ..SearchResults::default()
            }),
        ))
    }

    #[test]
    fn a_pause_in_typing_searches_and_replaces_the_history_entry() {
        let state = apply(
            SearchState::default(),
            vec![
                SearchAction::Type(" 收费清单 ".into()),
                SearchAction::Submit { explicit: false },
            ],
        );
        assert_eq!(state.request.query, "收费清单");
        assert_eq!(state.request.limit, PAGE);
        assert_eq!(state.history, HistoryEntry::Replace);
        let again = apply(state.clone(), vec![SearchAction::Submit { explicit: true }]);
        assert_eq!(again.history, HistoryEntry::Push);
    }

    #[test]
    fn stale_answers_are_dropped() {
        let state = apply(
            SearchState::default(),
            vec![SearchAction::Sent(1), SearchAction::Sent(2), answer(1, 5)],
        );
        assert!(state.results.is_none());
        assert_eq!(state.awaiting, Some(2));
        let state = apply(state, vec![answer(2, 7)]);
        assert_eq!(state.results.unwrap().total_exact, 7);
        assert_eq!(state.awaiting, None);
    }

    #[test]
    fn facets_toggle_filters_and_restart_paging() {
        let state = apply(
            SearchState::default(),
            vec![
                SearchAction::LoadMore,
                SearchAction::Toggle(FacetKind::Year, "2023".into()),
                SearchAction::Toggle(FacetKind::Category, "通知公告".into()),
            ],
        );
        assert_eq!(state.request.year_from, Some(2023));
        assert_eq!(state.request.year_to, Some(2023));
        assert_eq!(state.request.limit, PAGE);
        assert!(state.is_selected(FacetKind::Category, "通知公告"));
        let state = apply(
            state,
            vec![SearchAction::Toggle(FacetKind::Category, "通知公告".into())],
        );
        assert_eq!(state.request.category, None);
        let state = apply(state, vec![SearchAction::ClearFilters]);
        assert!(!state.has_filters());
    }

    #[test]
    fn load_more_asks_for_another_page_and_retry_sends_again() {
        let state = apply(
            SearchState::default(),
            vec![SearchAction::LoadMore, SearchAction::LoadMore],
        );
        assert_eq!(state.request.limit, 3 * PAGE);
        let failed = apply(
            state,
            vec![
                SearchAction::Sent(1),
                SearchAction::Answered(WorkerAnswer::of(1, Err(LoadFailure::Status(503)))),
            ],
        );
        assert_eq!(failed.failure, Some(LoadFailure::Status(503)));
        let retried = apply(failed, vec![SearchAction::Retry]);
        assert_eq!(retried.attempt, 1);
        assert_eq!(retried.failure, None);
    }

    #[test]
    fn restoring_from_the_url_fills_the_box_and_keeps_the_history() {
        let restored = SearchRequest {
            query: "公积金".into(),
            ..SearchRequest::default()
        };
        let state = apply(
            SearchState::default(),
            vec![SearchAction::Restore(restored)],
        );
        assert_eq!(state.typed, "公积金");
        assert_eq!(state.history, HistoryEntry::Keep);
    }
}
