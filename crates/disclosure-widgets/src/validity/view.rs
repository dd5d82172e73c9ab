//! What the validity lookup shows, as pure function components of the entries, the text
//! typed and the day: tested in a browser without any fetch.

use std::rc::Rc;

use crate::status::{change_sentence, status_change, status_line, DocTitle};
use disclosure_core::library::{
    Library, LibraryAction, LibraryQuery, LibrarySort, LibraryView, StatusGroup, PAGE_SIZE,
};
use disclosure_core::lookup::{lookup, LookupEntry, LookupOutcome};
use time::Date;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::labels::{use_lang, Lang};
use crate::page::link_to;

/// Where the lookup file stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Records {
    Loading,
    Ready(Rc<Vec<LookupEntry>>),
    Failed(String),
}

#[derive(Properties, PartialEq)]
pub struct ValidityViewProps {
    pub records: Records,
    pub query: AttrValue,
    pub today: Date,
    pub on_query: Callback<String>,
    pub on_retry: Callback<()>,
    /// The library prepared for `today`, browsed while nothing is typed in the lookup.
    #[prop_or_default]
    pub library: Option<Rc<Library>>,
    /// The library's filters, order and page.
    #[prop_or_default]
    pub library_query: LibraryQuery,
    /// Every change of the library's filters, order or page.
    #[prop_or_default]
    pub on_library: Callback<LibraryAction>,
    /// Download one published list (现行有效, 已废止, 已失效) as CSV.
    #[prop_or_default]
    pub on_download: Callback<StatusGroup>,
    /// Print one published list.
    #[prop_or_default]
    pub on_print: Callback<StatusGroup>,
    /// The whole list is drawn on one page, for printing.
    #[prop_or_default]
    pub printing: bool,
    /// The Atom feed of status changes, linked from the library.
    #[prop_or_default]
    pub feed_url: Option<AttrValue>,
}

#[function_component(ValidityView)]
pub fn validity_view(props: &ValidityViewProps) -> Html {
    let oninput = props
        .on_query
        .reform(|event: InputEvent| event.target_unchecked_into::<HtmlInputElement>().value());
    let onsubmit = Callback::from(|event: SubmitEvent| event.prevent_default());
    let lang = use_lang();
    let (status, body) = match &props.records {
        Records::Loading => (
            lang.pick("正在载入文件库…", "Loading the document register…")
                .to_string(),
            Html::default(),
        ),
        Records::Failed(message) => (
            lang.pick("文件库载入失败", "The document register did not load")
                .to_string(),
            html! {
                <div class="nx-validity__error" role="alert">
                    <p>{ message.clone() }</p>
                    <button type="button" class="nx-button" onclick={props.on_retry.reform(|_| ())}>{ lang.pick("重新载入", "Load again") }</button>
                </div>
            },
        ),
        Records::Ready(_) if props.query.trim().is_empty() && props.library.is_some() => {
            match &props.library {
                Some(library) => browse(library, props, lang),
                None => (String::new(), Html::default()),
            }
        }
        Records::Ready(entries) => answer(entries, &props.query, props.today, lang),
    };
    html! {
        <section class="nx-validity" lang={lang.tag()} aria-label={lang.pick("文件效力查询", "Is a normative document in force?")}>
            <form role="search" class="nx-validity__form" {onsubmit}>
                <label for="nx-validity-input" class="nx-validity__label">{ lang.pick("查询规范性文件是否有效", "Check whether a normative document is in force") }</label>
                <input id="nx-validity-input" type="search" class="nx-validity__input" value={props.query.clone()}
                    {oninput} autocomplete="off" maxlength="100" aria-describedby="nx-validity-hint" />
                <p id="nx-validity-hint" class="nx-validity__hint">
                    { lang.pick("输入文号（如：宁政发〔2019〕3号，括号写法不限）或标题中的词",
                        "Type its number (such as 宁政发〔2019〕3号, any brackets) or words of its title") }
                </p>
            </form>
            <p class="nx-validity__status" role="status" aria-live="polite" aria-atomic="true">{ status }</p>
            { body }
        </section>
    }
}

/// The library without a query: its filters with counts, one page of documents, the
/// pages, and the published lists to download or print; the sentence for the live region.
fn browse(library: &Library, props: &ValidityViewProps, lang: Lang) -> (String, Html) {
    let query = &props.library_query;
    let per_page = if props.printing {
        usize::MAX
    } else {
        PAGE_SIZE
    };
    let view = library.view(query, per_page);
    let status = match lang {
        Lang::Chinese if view.pages > 1 => format!(
            "文件库共 {} 份文件，符合条件的 {} 份，第 {} / {} 页",
            library.len(),
            view.total,
            view.page + 1,
            view.pages
        ),
        Lang::Chinese => format!(
            "文件库共 {} 份文件，符合条件的 {} 份",
            library.len(),
            view.total
        ),
        Lang::English if view.pages > 1 => format!(
            "{} of the library's {} documents match; page {} of {}",
            view.total,
            library.len(),
            view.page + 1,
            view.pages
        ),
        Lang::English => format!(
            "{} of the library's {} documents match",
            view.total,
            library.len()
        ),
    };
    let body = html! {
        <LibraryBrowse view={Rc::new(LibraryShown::of(&view, library.today()))} query={query.clone()}
            on_action={props.on_library.clone()} on_download={props.on_download.clone()}
            on_print={props.on_print.clone()} feed_url={props.feed_url.clone()} />
    };
    (status, body)
}

/// What the library shows, owned, so the component compares it.
#[derive(Debug, Clone, PartialEq)]
pub struct LibraryShown {
    pub entries: Vec<LookupEntry>,
    pub total: usize,
    pub page: usize,
    pub pages: usize,
    pub issuers: Vec<(String, usize)>,
    pub years: Vec<(i32, usize)>,
    pub statuses: Vec<(StatusGroup, usize)>,
    pub today: Date,
}

impl LibraryShown {
    fn of(view: &LibraryView<'_>, today: Date) -> LibraryShown {
        LibraryShown {
            entries: view.entries.iter().map(|e| (*e).clone()).collect(),
            total: view.total,
            page: view.page,
            pages: view.pages,
            issuers: view.issuers.clone(),
            years: view.years.clone(),
            statuses: view.statuses.clone(),
            today,
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct LibraryBrowseProps {
    pub view: Rc<LibraryShown>,
    pub query: LibraryQuery,
    pub on_action: Callback<LibraryAction>,
    pub on_download: Callback<StatusGroup>,
    pub on_print: Callback<StatusGroup>,
    #[prop_or_default]
    pub feed_url: Option<AttrValue>,
}

/// The 行政规范性文件库 browsed by issuing body, year and status.
#[function_component(LibraryBrowse)]
pub fn library_browse(props: &LibraryBrowseProps) -> Html {
    let lang = use_lang();
    let view = &props.view;
    let query = &props.query;
    let select_value = |event: Event| event.target_unchecked_into::<HtmlSelectElement>().value();
    let on_text = props.on_action.reform(|event: InputEvent| {
        LibraryAction::Text(event.target_unchecked_into::<HtmlInputElement>().value())
    });
    let on_issuer = props.on_action.reform(move |event: Event| {
        let value = select_value(event);
        LibraryAction::Issuer(Some(value).filter(|v| !v.is_empty()))
    });
    let on_year = props
        .on_action
        .reform(move |event: Event| LibraryAction::Year(select_value(event).parse().ok()));
    let on_status = props.on_action.reform(move |event: Event| {
        LibraryAction::Status(StatusGroup::from_slug(&select_value(event)))
    });
    let on_sort = props.on_action.reform(move |event: Event| {
        LibraryAction::Sort(if select_value(event) == "old" {
            LibrarySort::OldestFirst
        } else {
            LibrarySort::NewestFirst
        })
    });
    let onsubmit = Callback::from(|event: SubmitEvent| event.prevent_default());
    let all = |n: usize| lang.pick(format!("全部（{n}）"), format!("All ({n})"));
    let every: usize = view.statuses.iter().map(|(_, n)| n).sum();
    let group_word = |g: StatusGroup| lang.pick(g.word(), g.word_en());
    let page = view.page;
    let (first, last) = (page == 0, page + 1 >= view.pages);
    // The ends are marked aria-disabled rather than disabled, so the focus stays on the
    // button a keyboard user pressed.
    let previous = {
        let on_action = props.on_action.clone();
        Callback::from(move |_: MouseEvent| {
            if !first {
                on_action.emit(LibraryAction::Page(page - 1));
            }
        })
    };
    let next = {
        let on_action = props.on_action.clone();
        Callback::from(move |_: MouseEvent| {
            if !last {
                on_action.emit(LibraryAction::Page(page + 1));
            }
        })
    };
    html! {
        <section class="nx-library" aria-labelledby="nx-library-heading">
            <h2 id="nx-library-heading" class="nx-library__heading">{ lang.pick("行政规范性文件库", "Library of normative documents") }</h2>
            <p class="nx-library__as-of">{ lang.pick(format!("效力状态按 {} 计算", view.today), format!("Statuses as of {}", view.today)) }</p>
            if let Some(group) = query.status {
                <p class="nx-library__caption">{ lang.pick(
                    format!("{}的行政规范性文件目录（{} 份）", group.word(), view.total),
                    format!("Normative documents {} ({})", group.word_en(), view.total)) }</p>
            }
            <form class="nx-library__filters" {onsubmit}>
                <div class="nx-library__field nx-library__field--text">
                    <label for="nx-library-text">{ lang.pick("在文件库中筛选（标题、文号或制定机关中的词）", "Filter the library (words of the title, number or issuer)") }</label>
                    <input id="nx-library-text" type="search" class="nx-library__input" value={query.text.clone()}
                        oninput={on_text} autocomplete="off" maxlength="100" />
                </div>
                <div class="nx-library__field">
                    <label for="nx-library-issuer">{ lang.pick("制定机关", "Issued by") }</label>
                    <select id="nx-library-issuer" onchange={on_issuer}>
                        <option value="" selected={query.issuer.is_none()}>{ all(view.issuers.iter().map(|(_, n)| n).sum()) }</option>
                        { for view.issuers.iter().map(|(issuer, n)| html! {
                            <option value={issuer.clone()} selected={query.issuer.as_deref() == Some(issuer.as_str())}>{ format!("{issuer}（{n}）") }</option>
                        }) }
                    </select>
                </div>
                <div class="nx-library__field">
                    <label for="nx-library-year">{ lang.pick("发布年份", "Year") }</label>
                    <select id="nx-library-year" onchange={on_year}>
                        <option value="" selected={query.year.is_none()}>{ all(view.years.iter().map(|(_, n)| n).sum()) }</option>
                        { for view.years.iter().map(|(year, n)| html! {
                            <option value={year.to_string()} selected={query.year == Some(*year)}>{ lang.pick(format!("{year}年（{n}）"), format!("{year} ({n})")) }</option>
                        }) }
                    </select>
                </div>
                <div class="nx-library__field">
                    <label for="nx-library-status">{ lang.pick("效力状态", "Status") }</label>
                    <select id="nx-library-status" onchange={on_status}>
                        <option value="" selected={query.status.is_none()}>{ all(every) }</option>
                        { for view.statuses.iter().map(|(group, n)| html! {
                            <option value={group.slug()} selected={query.status == Some(*group)}>{ format!("{}（{n}）", group_word(*group)) }</option>
                        }) }
                    </select>
                </div>
                <div class="nx-library__field">
                    <label for="nx-library-sort">{ lang.pick("排序", "Order") }</label>
                    <select id="nx-library-sort" onchange={on_sort}>
                        <option value="new" selected={query.sort == LibrarySort::NewestFirst}>{ lang.pick("发布日期从新到旧", "Newest first") }</option>
                        <option value="old" selected={query.sort == LibrarySort::OldestFirst}>{ lang.pick("发布日期从旧到新", "Oldest first") }</option>
                    </select>
                </div>
                if query.is_filtered() {
                    <button type="button" class="nx-button nx-library__clear" onclick={props.on_action.reform(|_: MouseEvent| LibraryAction::Clear)}>{ lang.pick("清除筛选", "Clear the filters") }</button>
                }
            </form>
            if view.entries.is_empty() {
                <p class="nx-library__empty">{ lang.pick("没有符合条件的文件。请减少筛选条件。", "No document matches. Remove a filter.") }</p>
            } else {
                <ol class="nx-validity__results nx-library__results">
                    { for view.entries.iter().map(|entry| html! { <EntryCard key={entry.id.clone()} entry={entry.clone()} today={view.today} /> }) }
                </ol>
            }
            if view.pages > 1 {
                <nav class="nx-library__pages" aria-label={lang.pick("分页", "Pages")}>
                    <button type="button" class="nx-button" aria-disabled={first.to_string()} onclick={previous}>{ lang.pick("上一页", "Previous page") }</button>
                    <span class="nx-library__page">{ lang.pick(format!("第 {} / {} 页", view.page + 1, view.pages), format!("Page {} of {}", view.page + 1, view.pages)) }</span>
                    <button type="button" class="nx-button" aria-disabled={last.to_string()} onclick={next}>{ lang.pick("下一页", "Next page") }</button>
                </nav>
            }
            <section class="nx-library__lists" aria-labelledby="nx-library-lists-heading">
                <h3 id="nx-library-lists-heading">{ lang.pick("公布目录", "Published lists") }</h3>
                <ul>
                    { for StatusGroup::PUBLISHED.into_iter().map(|group| {
                        let word = group.word();
                        html! {
                            <li class="nx-library__list">
                                <span>{ lang.pick(format!("{word}的行政规范性文件目录"), format!("Documents {}", group.word_en())) }</span>
                                <button type="button" class="nx-button" onclick={props.on_download.reform(move |_: MouseEvent| group)}>
                                    { lang.pick(format!("下载“{word}”目录（CSV）"), format!("Download the {} list (CSV)", group.word_en())) }</button>
                                <button type="button" class="nx-button" onclick={props.on_print.reform(move |_: MouseEvent| group)}>
                                    { lang.pick(format!("打印“{word}”目录"), format!("Print the {} list", group.word_en())) }</button>
                            </li>
                        }
                    }) }
                </ul>
                if let Some(feed) = &props.feed_url {
                    <p><a href={feed.clone()} class="nx-library__feed" type="application/atom+xml">
                        { lang.pick("订阅文件效力变化（Atom 源）", "Subscribe to status changes (Atom feed)") }</a></p>
                }
            </section>
        </section>
    }
}

/// The live-region sentence and the results for what was typed.
fn answer(entries: &[LookupEntry], query: &str, today: Date, lang: Lang) -> (String, Html) {
    match lookup(entries, query, today) {
        LookupOutcome::Empty => (String::new(), Html::default()),
        LookupOutcome::NotADocNumber(error) => (
            lang.pick(error.to_string(), error.english().to_string()),
            Html::default(),
        ),
        LookupOutcome::ByNumber { number, found } if found.is_empty() => (
            lang.pick(
                format!(
                    "没有找到文号为“{}”的文件。请核对文号，或改用标题中的词查找。",
                    number.key()
                ),
                format!(
                    "No document numbered “{}”. Check the number, or use words of the title.",
                    number.key()
                ),
            ),
            Html::default(),
        ),
        LookupOutcome::ByTitle { found } if found.is_empty() => (
            lang.pick(
                format!(
                    "没有找到标题含“{}”的文件。请减少用词，或改用文号查找。",
                    query.trim()
                ),
                format!(
                    "No document has “{}” in its title. Use fewer words, or its number.",
                    query.trim()
                ),
            ),
            Html::default(),
        ),
        LookupOutcome::ByNumber { number, found } => {
            let (key, count) = (number.key(), found.len());
            let status = match (count > 1, lang) {
                (true, Lang::Chinese) => format!(
                    "文号“{key}”下有 {count} 份文件（含历次版本），现行有效的排在最前"
                ),
                (true, Lang::English) => format!(
                    "{count} documents (versions) are numbered “{key}”; the one in force comes first"
                ),
                (false, Lang::Chinese) => format!("找到文号为“{key}”的文件"),
                (false, Lang::English) => format!("Found the document numbered “{key}”"),
            };
            (status, results(&found, today))
        }
        LookupOutcome::ByTitle { found } => (
            lang.pick(
                format!("找到 {} 份文件", found.len()),
                format!("Found {} documents", found.len()),
            ),
            results(&found, today),
        ),
    }
}

fn results(found: &[&LookupEntry], today: Date) -> Html {
    html! {
        <ol class="nx-validity__results">
            { for found.iter().map(|entry| html! { <EntryCard key={entry.id.clone()} entry={(*entry).clone()} {today} /> }) }
        </ol>
    }
}

#[derive(Properties, PartialEq)]
pub struct EntryCardProps {
    pub entry: LookupEntry,
    pub today: Date,
}

/// One document: what it is, and its status today as a word with an icon.
#[function_component(EntryCard)]
pub fn entry_card(props: &EntryCardProps) -> Html {
    let entry = &props.entry;
    let lang = use_lang();
    let status = entry.status_on(props.today);
    let last_day = entry.record().last_day();
    let fields = [
        (lang.pick("文号", "Number"), entry.number.clone()),
        (lang.pick("制定机关", "Issued by"), entry.issuer.clone()),
        (lang.pick("发布日期", "Published"), entry.published.clone()),
        (
            lang.pick("施行日期", "In force from"),
            Some(entry.effective.clone()).filter(|e| !e.is_empty()),
        ),
        (
            lang.pick("有效期至", "Valid until"),
            last_day.map(|d| d.to_string()),
        ),
    ];
    html! {
        <li class="nx-validity__entry">
            <DocTitle class="nx-validity__title" title={entry.title.clone()} url={entry.url.clone().map(AttrValue::from)} />
            { status_line(&status, lang) }
            if let Some(change) = status_change(&status) {
                <p class="nx-validity__change">{ change_sentence(change, lang) }
                    if let Some(number) = &change.by_number {
                        { " " }<a href={link_to("", "wh", number)}>{ lang.pick(format!("查看{number}"), format!("See {number}")) }</a>
                    }
                </p>
            }
            <dl class="nx-validity__meta">
                { for fields.into_iter().filter_map(|(label, value)| value.map(|value| html! {
                    <div class="nx-validity__field"><dt>{ label }</dt><dd>{ value }</dd></div>
                })) }
            </dl>
            if let Some(url) = &entry.interpretation_url {
                <p><a href={url.clone()} class="nx-validity__interpretation">{ lang.pick("查看政策解读", "Read the interpretation") }</a></p>
            }
        </li>
    }
}
