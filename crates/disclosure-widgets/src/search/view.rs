//! What the search widget shows, as pure function components of its state: no effects,
//! no browser calls, so each state renders the same in a test as on the page.

use std::rc::Rc;

use disclosure_search::{FacetCount, HighlightedText, Hit, MatchKind, SearchResults, SortOrder};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::answers::AnswerLinks;
use super::cards::AnswerCardsView;
use crate::labels::{use_lang, Lang};
use crate::status::{change_sentence, status_change, status_line};
use time::Date;

use super::state::{FacetKind, Filters, SearchAction, SearchState};
use crate::protocol::LoadFailure;

#[derive(Properties, PartialEq)]
pub struct SearchViewProps {
    pub state: SearchState,
    pub on_action: Callback<SearchAction>,
    /// Called when the search box gets focus or the pointer enters the widget, to warm
    /// the engine.
    pub on_engage: Callback<()>,
    /// The widget's root element (the page warms the engine only for a widget it shows).
    #[prop_or_default]
    pub root: NodeRef,
    /// A plain page with the same content, linked when the engine does not answer.
    #[prop_or_default]
    pub fallback_url: Option<AttrValue>,
    /// The citizen's day, for the status of each hit (the page's calendar by default).
    #[prop_or_else(crate::page::today)]
    pub today: Date,
    /// The pages the answer cards link to.
    #[prop_or_default]
    pub links: AnswerLinks,
}

/// The whole widget.
#[function_component(SearchView)]
pub fn search_view(props: &SearchViewProps) -> Html {
    let lang = use_lang();
    let state = &props.state;
    let on_action = props.on_action.clone();
    let oninput = {
        let on_action = on_action.clone();
        Callback::from(move |event: InputEvent| {
            let input: HtmlInputElement = event.target_unchecked_into();
            on_action.emit(SearchAction::Type(input.value()));
        })
    };
    let onsubmit = {
        let on_action = on_action.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            on_action.emit(SearchAction::Submit { explicit: true });
        })
    };
    let onfocus = {
        let on_engage = props.on_engage.clone();
        Callback::from(move |_: FocusEvent| on_engage.emit(()))
    };
    let onpointerenter = {
        let on_engage = props.on_engage.clone();
        Callback::from(move |_: PointerEvent| on_engage.emit(()))
    };
    // The suggestions as a WAI-ARIA 1.2 combobox: focus stays in the box; arrow keys move
    // the active option (aria-activedescendant), Enter searches it, Escape closes the list.
    let shown = state.shown_suggestions();
    let expanded = !shown.is_empty();
    let active_id = state
        .active_suggestion
        .filter(|at| *at < shown.len())
        .map(suggestion_id);
    let onkeydown = {
        let on_action = on_action.clone();
        let (expanded, active) = (expanded, state.active_suggestion);
        Callback::from(move |event: KeyboardEvent| match event.key().as_str() {
            "ArrowDown" | "Down" => {
                event.prevent_default();
                on_action.emit(SearchAction::MoveSuggestion(1));
            }
            "ArrowUp" | "Up" => {
                event.prevent_default();
                on_action.emit(SearchAction::MoveSuggestion(-1));
            }
            "Escape" | "Esc" if expanded => {
                event.prevent_default();
                on_action.emit(SearchAction::CloseSuggestions);
            }
            "Enter" if expanded && active.is_some() => {
                event.prevent_default();
                if let Some(at) = active {
                    on_action.emit(SearchAction::PickSuggestion(at));
                }
            }
            _ => {}
        })
    };
    // Leaving the box closes an open list; otherwise it changes nothing.
    let onblur = {
        let on_action = on_action.clone();
        Callback::from(move |_: FocusEvent| {
            if expanded {
                on_action.emit(SearchAction::CloseSuggestions);
            }
        })
    };
    html! {
        <section class="nx-search" lang={lang.tag()} aria-label={lang.pick("政策文件搜索", "Policy search")}
            ref={props.root.clone()} {onpointerenter}>
            <form role="search" class="nx-search__form" {onsubmit}>
                <label for="nx-search-input" class="nx-search__label">{ lang.pick("搜索政策文件", "Search policy documents") }</label>
                <div class="nx-search__box">
                    <input id="nx-search-input" type="search" class="nx-search__input"
                        value={state.typed.clone()} {oninput} {onfocus} {onkeydown} {onblur}
                        autocomplete="off" enterkeyhint="search" maxlength="200"
                        role="combobox" aria-autocomplete="list"
                        aria-expanded={expanded.to_string()} aria-controls={SUGGESTIONS_ID}
                        aria-activedescendant={active_id}
                        aria-describedby="nx-search-hint" />
                    <button type="submit" class="nx-search__submit">{ lang.pick("搜索", "Search") }</button>
                    <ul id={SUGGESTIONS_ID} role="listbox" class="nx-suggest" hidden={!expanded}
                        aria-label={lang.pick("搜索建议", "Suggestions")}>
                        { for shown.iter().enumerate().map(|(at, text)| {
                            let selected = state.active_suggestion == Some(at);
                            html! {
                                <li id={suggestion_id(at)} role="option"
                                    class={classes!("nx-suggest__option", selected.then_some("nx-suggest__option--active"))}
                                    aria-selected={selected.to_string()}
                                    // Pressing the mouse would take focus from the box: keep it.
                                    onmousedown={Callback::from(|event: MouseEvent| event.prevent_default())}
                                    onclick={on_action.reform(move |_| SearchAction::PickSuggestion(at))}>
                                    { text.clone() }
                                </li>
                            }
                        }) }
                    </ul>
                </div>
                <p class="nx-visually-hidden" aria-live="polite" aria-atomic="true">
                    { suggestions_status(shown.len(), lang) }
                </p>
                <p id="nx-search-hint" class="nx-search__hint">
                    { lang.pick("可输入标题中的词、正文中的一句话或文号，如：收费清单、宁政发〔2019〕3号",
                        "Words of a title, a sentence of the text or a document number, such as 收费清单 or 宁政发〔2019〕3号") }
                </p>
            </form>
            <p class="nx-search__status" role="status" aria-live="polite" aria-atomic="true">
                { status_text(state, lang) }
            </p>
            if let Some(failure) = &state.failure {
                <div class="nx-search__error" role="alert">
                    <p>{ failure.message(lang) }</p>
                    <button type="button" class="nx-button"
                        onclick={on_action.reform(|_| SearchAction::Retry)}>{ lang.pick("重新加载", "Try again") }</button>
                    if let (LoadFailure::EngineSilent, Some(plain)) = (failure, &props.fallback_url) {
                        <p><a href={plain.clone()}>{ lang.pick("查看本栏目的文字版页面", "Read the plain version of this page") }</a></p>
                    }
                </div>
            } else if let Some(results) = &state.results {
                // The results come first in reading order (and on a phone's first screen);
                // wide screens show the filters beside them, on the left.
                <div class="nx-search__layout">
                    <div class="nx-search__main">
                        if let Some(cards) = &state.cards {
                            <AnswerCardsView cards={(**cards).clone()} links={props.links.clone()} today={props.today} />
                        }
                        if let Some(meant) = state.did_you_mean() {
                            <DidYouMean {meant} on_action={on_action.clone()} />
                        }
                        if !results.hits.is_empty() {
                            <SortControl sort={state.request.sort} on_action={on_action.clone()} />
                            // Not keyed by document: a new search's hits take the places of the
                            // last one's, their text and links patched in place. Keyed, each new
                            // query removed ten items and built ten more (about 200 elements), a
                            // third of the page's time to show a search whose bytes are held
                            // (removeChild alone about 2 ms in Chromium on the project's machine).
                            // Paging appends, so the hits already shown keep their nodes either way.
                            <ol class="nx-results">
                                { for results.hits.iter().map(|hit| html! { <ResultItem hit={hit.clone()} today={props.today} /> }) }
                            </ol>
                            if state.has_more() {
                                <button type="button" class="nx-button nx-search__more"
                                    onclick={on_action.reform(|_| SearchAction::LoadMore)}>{ lang.pick("显示更多结果", "More results") }</button>
                            }
                        } else {
                            <NoResults has_filters={state.has_filters()} on_action={on_action.clone()} />
                        }
                    </div>
                    <Facets results={results.clone()} filters={state.filters()} on_action={on_action.clone()} />
                </div>
            }
        </section>
    }
}

/// The listbox of suggestions, which the search box controls.
const SUGGESTIONS_ID: &str = "nx-search-suggestions";

/// The id of the suggestion at `at`, for `aria-activedescendant`.
fn suggestion_id(at: usize) -> String {
    format!("nx-search-suggestion-{at}")
}

/// What the suggestions' live region announces: their number and how to choose.
pub fn suggestions_status(count: usize, lang: Lang) -> String {
    match (count, lang) {
        (0, _) => String::new(),
        (n, Lang::Chinese) => format!("有 {n} 条搜索建议，可用上下方向键选择，按回车键搜索"),
        (n, Lang::English) => {
            format!("{n} suggestions: use the up and down arrow keys, then Enter to search")
        }
    }
}

/// The sentence the live region announces.
pub fn status_text(state: &SearchState, lang: Lang) -> String {
    if state.failure.is_some() {
        return lang.pick("搜索失败", "The search failed").to_string();
    }
    if state.is_searching() {
        return lang.pick("正在搜索…", "Searching…").to_string();
    }
    let Some(results) = &state.results else {
        return String::new();
    };
    let query = &state.request.query;
    let total = results.total_exact;
    let cards = state.cards.as_ref().map_or(0, |cards| cards.count());
    let said = status_of_results(query, total, !results.hits.is_empty(), lang);
    match (cards, lang) {
        (0, _) => said,
        (n, Lang::Chinese) => format!("{said}；另有 {n} 条直达答案"),
        (n, Lang::English) => format!("{said}; {n} direct answers above them"),
    }
}

fn status_of_results(query: &str, total: usize, any: bool, lang: Lang) -> String {
    match (total > 0, any, lang) {
        (true, _, Lang::Chinese) => format!("找到 {total} 条与“{query}”相关的结果"),
        (true, _, Lang::English) => format!("Found {total} results for “{query}”"),
        (false, true, Lang::Chinese) => {
            format!("没有完全匹配“{query}”的结果，以下是部分匹配的结果")
        }
        (false, true, Lang::English) => {
            format!("Nothing matches “{query}” exactly; these match in part")
        }
        (false, false, Lang::Chinese) => format!("没有找到与“{query}”相关的结果"),
        (false, false, Lang::English) => format!("No results for “{query}”"),
    }
}

/// Text with its matches in `<mark>`, built as DOM nodes: the text is never parsed as HTML.
/// A plain function, not a component: each hit shows two, and creating and destroying
/// twenty components a query was a share of the page's time for each new list of hits.
fn highlighted(text: &HighlightedText) -> Html {
    let chars: Vec<char> = text.text.chars().collect();
    let mut pieces = Vec::new();
    let mut at = 0;
    for range in &text.highlights {
        let (start, end) = (range.start.min(chars.len()), range.end.min(chars.len()));
        if start < at || start >= end {
            continue;
        }
        pieces.push(html! { { chars[at..start].iter().collect::<String>() } });
        pieces.push(html! { <mark>{ chars[start..end].iter().collect::<String>() }</mark> });
        at = end;
    }
    pieces.push(html! { { chars[at..].iter().collect::<String>() } });
    pieces.into_iter().collect::<Html>()
}

#[derive(Properties, PartialEq)]
pub struct ResultItemProps {
    pub hit: Hit,
    /// The day the status is shown for.
    pub today: Date,
}

/// One hit: title (a link when the document has an address), snippet and metadata.
#[function_component(ResultItem)]
pub fn result_item(props: &ResultItemProps) -> Html {
    let lang = use_lang();
    let hit = &props.hit;
    let title = highlighted(&hit.title);
    let fields = [
        (lang.pick("发布日期", "Published"), &hit.published),
        (
            lang.pick(lang.pick("发文机关", "Issued by"), "Issued by"),
            &hit.department,
        ),
        (lang.pick("分类", "Category"), &hit.category),
        (lang.pick("文号", "Number"), &hit.doc_number),
    ];
    html! {
        // The document's id lets a portal's analytics, and the benchmark's recall, tell
        // which document a result is.
        <li class="nx-result" data-doc-id={hit.id.clone()}>
            <h3 class="nx-result__title">
                if let Some(url) = &hit.url {
                    <a href={url.clone()}>{ title }</a>
                } else {
                    { title }
                }
                if hit.match_kind == MatchKind::Partial {
                    <span class="nx-badge">{ lang.pick("部分匹配", "Partial match") }</span>
                }
            </h3>
            // Amended, repealed and expired documents stay findable, marked where they
            // appear: the status for today, and what changed it.
            if let Some(status) = hit.validity.as_ref().map(|record| record.status_on(props.today)) {
                { status_line(&status, lang) }
                if let Some(change) = status_change(&status) {
                    <p class="nx-result__change">{ change_sentence(change, lang) }</p>
                }
            }
            <p class="nx-result__snippet">{ highlighted(&hit.snippet) }</p>
            <dl class="nx-result__meta">
                { for fields.into_iter().filter_map(|(label, value)| value.as_ref().map(|value| html! {
                    <div class="nx-result__field"><dt>{ label }</dt><dd>{ value }</dd></div>
                })) }
            </dl>
            if let Some(url) = &hit.interpretation_url {
                <p class="nx-result__links">
                    <a href={url.clone()} class="nx-result__interpretation">{ lang.pick("查看政策解读", "Read the interpretation") }</a>
                </p>
            }
        </li>
    }
}

/// The facets' props: the results whose counts they show and the filters chosen, not the
/// whole state, so that typing and searching do not render them again.
#[derive(Properties, PartialEq)]
pub struct FacetsProps {
    pub results: Rc<SearchResults>,
    pub filters: Filters,
    pub on_action: Callback<SearchAction>,
}

/// The three filters with their counts.
#[function_component(Facets)]
pub fn facets(props: &FacetsProps) -> Html {
    let lang = use_lang();
    let facets = &props.results.facets;
    let groups = [
        (
            lang.pick("分类", "Category"),
            FacetKind::Category,
            &facets.categories,
        ),
        ("发文机关", FacetKind::Department, &facets.departments),
        (lang.pick("年份", "Year"), FacetKind::Year, &facets.years),
    ];
    html! {
        <aside class="nx-facets" aria-label={lang.pick("筛选结果", "Narrow the results")}>
            { for groups.into_iter().filter(|(_, _, counts)| !counts.is_empty()).map(|(legend, kind, counts)| html! {
                <FacetGroup legend={legend} kind={kind} counts={counts.clone()}
                    filters={props.filters.clone()} on_action={props.on_action.clone()} />
            }) }
            { in_force_filter(props, lang) }
            if props.filters.any() {
                <button type="button" class="nx-button nx-facets__clear"
                    onclick={props.on_action.reform(|_| SearchAction::ClearFilters)}>{ lang.pick("清除全部筛选", "Clear all filters") }</button>
            }
        </aside>
    }
}

/// 只看现行有效: a toggle with the number of matches in force, shown when some match has a
/// validity record (or the filter is on, so it can be turned off).
fn in_force_filter(props: &FacetsProps, lang: Lang) -> Html {
    let facets = &props.results.facets;
    let on = props.filters.in_force_only;
    if facets.in_force + facets.not_in_force == 0 && !on {
        return Html::default();
    }
    let count = facets.in_force;
    html! {
        <fieldset class="nx-facets__group">
            <legend>{ lang.pick("效力状态", "Validity") }</legend>
            <ul>
                <li>
                    <button type="button" class="nx-facet nx-facet--in-force" aria-pressed={on.to_string()}
                        onclick={props.on_action.reform(|_| SearchAction::ToggleInForce)}>
                        <span class="nx-facet__value">{ lang.pick("只看现行有效", "In force only") }</span>
                        <span class="nx-facet__count">{ lang.pick(format!("{count} 条"), format!("{count}")) }</span>
                    </button>
                </li>
            </ul>
        </fieldset>
    }
}

#[derive(Properties, PartialEq)]
pub struct FacetGroupProps {
    pub legend: AttrValue,
    pub kind: FacetKind,
    pub counts: Vec<FacetCount>,
    pub filters: Filters,
    pub on_action: Callback<SearchAction>,
}

#[function_component(FacetGroup)]
pub fn facet_group(props: &FacetGroupProps) -> Html {
    let lang = use_lang();
    let kind = props.kind;
    html! {
        <fieldset class="nx-facets__group">
            <legend>{ props.legend.clone() }</legend>
            <ul>
                { for props.counts.iter().map(|facet| {
                    let selected = props.filters.is_selected(kind, &facet.value);
                    let value = facet.value.clone();
                    let label = if kind == FacetKind::Year { lang.pick(format!("{}年", facet.value), facet.value.clone()) } else { facet.value.clone() };
                    html! {
                        <li>
                            <button type="button" class="nx-facet" aria-pressed={selected.to_string()}
                                onclick={props.on_action.reform(move |_| SearchAction::Toggle(kind, value.clone()))}>
                                <span class="nx-facet__value">{ label }</span>
                                <span class="nx-facet__count">{ lang.pick(format!("{} 条", facet.count), format!("{}", facet.count)) }</span>
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </fieldset>
    }
}

#[derive(Properties, PartialEq)]
pub struct SortControlProps {
    pub sort: SortOrder,
    pub on_action: Callback<SearchAction>,
}

#[function_component(SortControl)]
pub fn sort_control(props: &SortControlProps) -> Html {
    let lang = use_lang();
    let onchange = props.on_action.reform(|event: Event| {
        let select: HtmlSelectElement = event.target_unchecked_into();
        SearchAction::Sort(if select.value() == "newest" {
            SortOrder::Newest
        } else {
            SortOrder::Relevance
        })
    });
    html! {
        <div class="nx-search__toolbar">
            <label for="nx-search-sort">{ lang.pick("排序", "Order") }</label>
            <select id="nx-search-sort" {onchange}>
                <option value="relevance" selected={props.sort == SortOrder::Relevance}>{ lang.pick("按相关度", "Most relevant first") }</option>
                <option value="newest" selected={props.sort == SortOrder::Newest}>{ lang.pick("按发布时间（最新在前）", "Newest first") }</option>
            </select>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct DidYouMeanProps {
    /// The query the citizen most likely meant ([`SearchState::did_you_mean`]).
    pub meant: String,
    pub on_action: Callback<SearchAction>,
}

/// 您是不是要找: a link that searches the query meant (its address is that search's, so it
/// also opens in a new tab); no focus is moved.
#[function_component(DidYouMean)]
pub fn did_you_mean(props: &DidYouMeanProps) -> Html {
    let lang = use_lang();
    let href = format!(
        "?{}",
        crate::url_state::to_query_string(&disclosure_search::SearchRequest {
            query: props.meant.clone(),
            ..Default::default()
        })
    );
    let onclick = {
        let (meant, on_action) = (props.meant.clone(), props.on_action.clone());
        Callback::from(move |event: MouseEvent| {
            event.prevent_default();
            on_action.emit(SearchAction::Type(meant.clone()));
            on_action.emit(SearchAction::Submit { explicit: true });
        })
    };
    html! {
        <p class="nx-search__meant">
            { lang.pick("您是不是要找：", "Did you mean: ") }
            <a {href} {onclick}>{ props.meant.clone() }</a>
        </p>
    }
}

#[derive(Properties, PartialEq)]
pub struct NoResultsProps {
    pub has_filters: bool,
    pub on_action: Callback<SearchAction>,
}

/// What to try when nothing was found.
#[function_component(NoResults)]
pub fn no_results(props: &NoResultsProps) -> Html {
    let lang = use_lang();
    html! {
        <div class="nx-search__empty">
            <p>{ lang.pick("您可以：", "You can:") }</p>
            <ul>
                if props.has_filters {
                    <li>
                        <button type="button" class="nx-button"
                            onclick={props.on_action.reform(|_| SearchAction::ClearFilters)}>{ lang.pick("去掉筛选条件再搜索", "Search again without the filters") }</button>
                    </li>
                }
                <li>{ lang.pick("少用几个词，或只输入标题中的一部分，如“收费清单”", "Use fewer words, or only part of a title, such as “收费清单”") }</li>
                <li>{ lang.pick("检查是否有错别字，或改用文号搜索", "Check for typing mistakes, or search by document number") }</li>
            </ul>
        </div>
    }
}
