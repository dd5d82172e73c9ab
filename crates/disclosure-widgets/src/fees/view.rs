//! What the fee-list browser shows, as pure function components of the lists, the
//! validity of their legal bases and what the citizen chose: tested in a browser without
//! any fetch.

use std::collections::HashMap;
use std::rc::Rc;

use disclosure_core::fees::{
    Basis, FeeFilter, FeeIndex, FeeItem, FeeList, FeeListKind, FeeSort, Level, Standard,
};
use disclosure_core::validity::Status;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::labels::{use_lang, Lang};
use crate::page::link_to;

/// The lists, each prepared for filtering, with how it is published (name, version,
/// notice, changes: a [`FeeList`] whose items are in the index) and each item also shared
/// by its row.
#[derive(Debug, PartialEq)]
pub struct FeeLists {
    lists: Vec<(Rc<FeeList>, FeeIndex, Vec<Rc<FeeItem>>)>,
}

impl FeeLists {
    /// Prepares each list; the items of `FeeList` are moved into its index.
    pub fn new(lists: Vec<FeeList>) -> FeeLists {
        FeeLists {
            lists: lists
                .into_iter()
                .map(|mut list| {
                    let index = FeeIndex::new(std::mem::take(&mut list.items));
                    let shared = index.items.iter().cloned().map(Rc::new).collect();
                    (Rc::new(list), index, shared)
                })
                .collect(),
        }
    }

    /// The prepared items of a list.
    pub fn list(&self, kind: FeeListKind) -> Option<&FeeIndex> {
        self.lists
            .iter()
            .find(|(list, _, _)| list.kind == kind)
            .map(|(_, index, _)| index)
    }

    /// How a list is published (its items are in [`FeeLists::list`]).
    pub fn published(&self, kind: FeeListKind) -> Option<&Rc<FeeList>> {
        self.lists
            .iter()
            .find(|(list, _, _)| list.kind == kind)
            .map(|(list, _, _)| list)
    }

    /// The item at `position` of a list, as its row holds it.
    fn shared(&self, kind: FeeListKind, position: usize) -> Option<Rc<FeeItem>> {
        self.lists
            .iter()
            .find(|(list, _, _)| list.kind == kind)
            .and_then(|(_, _, shared)| shared.get(position).cloned())
    }
}

/// Where the fee lists stand.
#[derive(Debug, Clone)]
pub enum FeeRecords {
    Loading,
    Ready(Rc<FeeLists>),
    Failed(String),
}

/// Loaded lists are equal when they are the same lists: comparing thousands of items on
/// every keystroke would cost more than the filtering.
impl PartialEq for FeeRecords {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (FeeRecords::Loading, FeeRecords::Loading) => true,
            (FeeRecords::Ready(a), FeeRecords::Ready(b)) => Rc::ptr_eq(a, b),
            (FeeRecords::Failed(a), FeeRecords::Failed(b)) => a == b,
            _ => false,
        }
    }
}

/// The status today of each legal basis the validity lookup knows, by canonical number.
pub type BasisStatus = HashMap<String, Status>;

/// This many rows are drawn at first, so that typing stays fast on a list of thousands;
/// printing and the CSV download take the whole view.
pub const ROWS_AT_FIRST: usize = 50;

/// What the citizen chose.
#[derive(Debug, Clone, PartialEq)]
pub struct FeeChoice {
    pub list: FeeListKind,
    pub filter: FeeFilter,
    pub sort: FeeSort,
    /// How many matching rows are drawn.
    pub shown: usize,
}

impl Default for FeeChoice {
    fn default() -> Self {
        FeeChoice {
            list: FeeListKind::Administrative,
            filter: FeeFilter::default(),
            sort: FeeSort::Department,
            shown: ROWS_AT_FIRST,
        }
    }
}

impl FeeChoice {
    /// The positions in their list of the items of the current view, in order, whole.
    pub fn positions(&self, lists: &FeeLists) -> Vec<usize> {
        lists
            .list(self.list)
            .map(|index| index.select(&self.filter, self.sort))
            .unwrap_or_default()
    }

    /// The items of the current view, in order, whole.
    pub fn select<'a>(&self, lists: &'a FeeLists) -> Vec<&'a FeeItem> {
        match lists.list(self.list) {
            Some(index) => self
                .positions(lists)
                .into_iter()
                .map(|i| &index.items[i])
                .collect(),
            None => Vec::new(),
        }
    }

    /// The title of a download or printout of the current view (the list's official name).
    pub fn title(&self, county: &str) -> String {
        format!("{county}{}目录清单", self.list.title())
    }

    /// The same title for the caption, in the labels' language.
    pub fn caption_title(&self, county: &str, lang: Lang) -> String {
        match lang {
            Lang::Chinese => self.title(county),
            Lang::English => format!("{county}: {}", list_title(self.list, lang)),
        }
    }
}

/// A list's name in the labels' language.
pub fn list_title(kind: FeeListKind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (_, Lang::Chinese) => kind.title(),
        (FeeListKind::Administrative, Lang::English) => "Administrative fees",
        (FeeListKind::Enterprise, Lang::English) => "Fees charged to enterprises",
        (FeeListKind::Fund, Lang::English) => "Government funds",
        (FeeListKind::Deposit, Lang::English) => "Deposits from enterprises",
        (FeeListKind::PricedService, Lang::English) => "Government-priced services",
    }
}

/// "（12项）" or " (12)".
fn count_label(count: usize, lang: Lang) -> String {
    lang.pick(format!("（{count}项）"), format!(" ({count})"))
}

#[derive(Properties, PartialEq)]
pub struct FeeViewProps {
    pub records: FeeRecords,
    pub basis: Rc<BasisStatus>,
    pub choice: FeeChoice,
    /// The page of the validity lookup, which a legal basis links to.
    pub validity_page: AttrValue,
    /// The issuing government's name, in captions and file names.
    pub county: AttrValue,
    pub on_choice: Callback<FeeChoice>,
    pub on_download: Callback<()>,
    pub on_print: Callback<()>,
    pub on_retry: Callback<()>,
}

#[function_component(FeeView)]
pub fn fee_view(props: &FeeViewProps) -> Html {
    let lang = use_lang();
    let body = match &props.records {
        FeeRecords::Loading => html! {
            <p class="nx-fees__status" role="status">{ lang.pick("正在载入收费清单…", "Loading the fee lists…") }</p>
        },
        FeeRecords::Failed(message) => html! {
            <div class="nx-fees__error" role="alert">
                <p>{ message.clone() }</p>
                <button type="button" class="nx-button" onclick={props.on_retry.reform(|_| ())}>{ lang.pick("重新载入", "Load again") }</button>
            </div>
        },
        FeeRecords::Ready(lists) => {
            html! { <ListPanel lists={lists.clone()} props_of={PanelInputs::of(props)} /> }
        }
    };
    html! {
        <section class="nx-fees" lang={lang.tag()} aria-label={lang.pick("收费目录清单", "Fee lists")}>
            { body }
        </section>
    }
}

/// What the panel needs of the view's properties (all cheap to clone).
#[derive(Clone, PartialEq)]
pub struct PanelInputs {
    basis: Rc<BasisStatus>,
    choice: FeeChoice,
    validity_page: AttrValue,
    county: AttrValue,
    on_choice: Callback<FeeChoice>,
    on_download: Callback<()>,
    on_print: Callback<()>,
}

impl PanelInputs {
    fn of(props: &FeeViewProps) -> PanelInputs {
        PanelInputs {
            basis: props.basis.clone(),
            choice: props.choice.clone(),
            validity_page: props.validity_page.clone(),
            county: props.county.clone(),
            on_choice: props.on_choice.clone(),
            on_download: props.on_download.clone(),
            on_print: props.on_print.clone(),
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct ListPanelProps {
    pub lists: Rc<FeeLists>,
    pub props_of: PanelInputs,
}

/// Tabs for the lists, the chosen list's name, version and notice, what changed in it,
/// the controls, and its table.
#[function_component(ListPanel)]
pub fn list_panel(props: &ListPanelProps) -> Html {
    let lang = use_lang();
    let inputs = &props.props_of;
    let choice = &inputs.choice;
    let tab_refs = use_memo((), |_| FeeListKind::ALL.map(|_| NodeRef::default()));
    let change = |update: Box<dyn Fn(&mut FeeChoice)>| {
        let choice = choice.clone();
        let on_choice = inputs.on_choice.clone();
        move || {
            let mut next = choice.clone();
            update(&mut next);
            next.shown = next.shown.max(ROWS_AT_FIRST);
            on_choice.emit(next);
        }
    };
    let switch_to = |kind: FeeListKind| {
        let choice = choice.clone();
        let on_choice = inputs.on_choice.clone();
        move || {
            on_choice.emit(FeeChoice {
                list: kind,
                filter: FeeFilter {
                    department: None,
                    ..choice.filter.clone()
                },
                shown: ROWS_AT_FIRST,
                ..choice.clone()
            })
        }
    };
    // Arrow keys, Home and End move between tabs, as screen-reader users expect of a tablist.
    let onkeydown = {
        let refs = tab_refs.clone();
        let current = FeeListKind::ALL
            .iter()
            .position(|k| *k == choice.list)
            .unwrap_or(0);
        let switches: Vec<_> = FeeListKind::ALL.iter().map(|k| switch_to(*k)).collect();
        Callback::from(move |event: KeyboardEvent| {
            let last = FeeListKind::ALL.len() - 1;
            let target = match event.key().as_str() {
                "ArrowRight" => (current + 1) % (last + 1),
                "ArrowLeft" => (current + last) % (last + 1),
                "Home" => 0,
                "End" => last,
                _ => return,
            };
            event.prevent_default();
            switches[target]();
            if let Some(tab) = refs[target].cast::<web_sys::HtmlElement>() {
                let _ = tab.focus();
            }
        })
    };
    let tabs = FeeListKind::ALL.iter().enumerate().map(|(n, kind)| {
        let selected = *kind == choice.list;
        let count = props.lists.list(*kind).map_or(0, |l| l.items.len());
        let onclick = {
            let switch = switch_to(*kind);
            Callback::from(move |_| switch())
        };
        html! {
            <button type="button" role="tab" id={format!("nx-fees-tab-{}", kind.slug())} ref={tab_refs[n].clone()}
                class={classes!("nx-fees__tab", selected.then_some("nx-fees__tab--selected"))}
                aria-selected={selected.to_string()} aria-controls="nx-fees-panel"
                tabindex={if selected { "0" } else { "-1" }} {onclick}>
                { list_title(*kind, lang) }<span class="nx-fees__count">{ count_label(count, lang) }</span>
            </button>
        }
    });

    let index = props.lists.list(choice.list);
    let total = index.map_or(0, |l| l.items.len());
    let chosen = choice.positions(&props.lists);

    let oninput = {
        let choice = choice.clone();
        let on_choice = inputs.on_choice.clone();
        Callback::from(move |event: InputEvent| {
            let text = event.target_unchecked_into::<HtmlInputElement>().value();
            let mut next = choice.clone();
            next.filter.text = text;
            next.shown = ROWS_AT_FIRST;
            on_choice.emit(next);
        })
    };
    let on_enterprise = {
        let choice = choice.clone();
        let on_choice = inputs.on_choice.clone();
        Callback::from(move |event: Event| {
            let mut next = choice.clone();
            next.filter.enterprise_only =
                event.target_unchecked_into::<HtmlInputElement>().checked();
            on_choice.emit(next);
        })
    };
    let on_department = {
        let choice = choice.clone();
        let on_choice = inputs.on_choice.clone();
        Callback::from(move |event: Event| {
            let value = event.target_unchecked_into::<HtmlSelectElement>().value();
            let mut next = choice.clone();
            next.filter.department = (!value.is_empty()).then_some(value);
            on_choice.emit(next);
        })
    };
    let on_sort = {
        let choice = choice.clone();
        let on_choice = inputs.on_choice.clone();
        Callback::from(move |event: Event| {
            let mut next = choice.clone();
            next.sort = match event
                .target_unchecked_into::<HtmlSelectElement>()
                .value()
                .as_str()
            {
                "amount-up" => FeeSort::AmountAscending,
                "amount-down" => FeeSort::AmountDescending,
                _ => FeeSort::Department,
            };
            on_choice.emit(next);
        })
    };
    let on_more = {
        let more = change(Box::new(|next: &mut FeeChoice| next.shown = usize::MAX));
        Callback::from(move |_| more())
    };
    let departments = index.map(|l| l.departments()).unwrap_or_default();
    let department_options = departments.iter().map(|(name, count)| {
        let selected = choice.filter.department.as_deref() == Some(*name);
        html! { <option value={name.to_string()} {selected}>{ format!("{name}{}", count_label(*count, lang)) }</option> }
    });
    let sort_value = match choice.sort {
        FeeSort::Department => "department",
        FeeSort::AmountAscending => "amount-up",
        FeeSort::AmountDescending => "amount-down",
    };
    let narrowed = !choice.filter.text.trim().is_empty()
        || choice.filter.enterprise_only
        || choice.filter.department.is_some();
    let status = if total == 0 {
        lang.pick(
            format!("本级未公布{}目录。", choice.list.title()),
            format!(
                "No list of {} is published here.",
                list_title(choice.list, lang).to_lowercase()
            ),
        )
    } else if narrowed {
        lang.pick(
            format!("共 {total} 项，符合条件的 {} 项", chosen.len()),
            format!("{} of {total} items match", chosen.len()),
        )
    } else {
        lang.pick(format!("共 {total} 项"), format!("{total} items"))
    };
    let shown = chosen.len().min(choice.shown);
    let table = if chosen.is_empty() && total > 0 {
        html! {
            <div class="nx-fees__empty">
                <p>{ lang.pick("没有符合条件的收费项目。可减少筛选用词，或换一个清单查看。",
                    "No fee matches. Use fewer words, or look in another list.") }</p>
                <p>{ lang.pick("清单之外的收费项目一律不得收取；如遇清单外收费，可拨打 12345 政务服务便民热线反映。",
                    "Nothing outside these lists may be charged; report any other charge to the 12345 government service hotline.") }</p>
            </div>
        }
    } else if chosen.is_empty() {
        Html::default()
    } else {
        html! {
            <FeeTable items={Rc::new(chosen[..shown].iter().filter_map(|&i| Some((i, props.lists.shared(choice.list, i)?))).collect::<Vec<_>>())}
                grouped={choice.sort == FeeSort::Department} caption={caption(inputs, chosen.len(), lang)}
                basis={inputs.basis.clone()} validity_page={inputs.validity_page.clone()} />
        }
    };
    let enterprise_box = if choice.list == FeeListKind::Enterprise {
        Html::default()
    } else {
        html! {
            <label class="nx-fees__check">
                <input type="checkbox" checked={choice.filter.enterprise_only} onchange={on_enterprise} />
                { lang.pick("只看涉企收费", "Only fees charged to enterprises") }
            </label>
        }
    };
    html! {
        <>
            <div role="tablist" aria-label={lang.pick("收费清单", "Fee lists")} class="nx-fees__tabs" {onkeydown}>
                { for tabs }
            </div>
            <div role="tabpanel" id="nx-fees-panel" class="nx-fees__panel"
                aria-labelledby={format!("nx-fees-tab-{}", choice.list.slug())}>
                if let Some(list) = props.lists.published(choice.list) {
                    <ListHeadingView list={list.clone()} county={inputs.county.clone()} validity_page={inputs.validity_page.clone()} />
                }
                <form role="search" class="nx-fees__controls" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                    <div class="nx-fees__field nx-fees__field--wide">
                        <label for="nx-fees-filter">{ lang.pick("筛选收费项目", "Filter the fees") }</label>
                        <input id="nx-fees-filter" type="search" autocomplete="off" maxlength="100"
                            value={choice.filter.text.clone()} {oninput} aria-describedby="nx-fees-hint" />
                        <p id="nx-fees-hint" class="nx-fees__hint">{ lang.pick("输入项目名称、部门或政策依据文号中的任意字词，如：护照、不动产、2559号",
                            "Any words of a fee's name, its department or the number of its legal basis, such as 护照, 不动产, 2559号") }</p>
                    </div>
                    <div class="nx-fees__field">
                        <label for="nx-fees-department">{ lang.pick("部门", "Department") }</label>
                        <select id="nx-fees-department" onchange={on_department}>
                            <option value="" selected={choice.filter.department.is_none()}>{ format!("{}{}", lang.pick("全部部门", "All departments"), count_label(total, lang)) }</option>
                            { for department_options }
                        </select>
                    </div>
                    <div class="nx-fees__field">
                        <label for="nx-fees-sort">{ lang.pick("排序", "Order") }</label>
                        <select id="nx-fees-sort" onchange={on_sort}>
                            <option value="department" selected={sort_value == "department"}>{ lang.pick("按部门", "By department") }</option>
                            <option value="amount-up" selected={sort_value == "amount-up"}>{ lang.pick("收费金额从低到高", "Amount, lowest first") }</option>
                            <option value="amount-down" selected={sort_value == "amount-down"}>{ lang.pick("收费金额从高到低", "Amount, highest first") }</option>
                        </select>
                    </div>
                    { enterprise_box }
                </form>
                <div class="nx-fees__bar">
                    <p class="nx-fees__status" role="status" aria-live="polite" aria-atomic="true">{ status }</p>
                    <div class="nx-fees__actions">
                        <button type="button" class="nx-button" disabled={chosen.is_empty()}
                            onclick={inputs.on_download.reform(|_| ())}>{ lang.pick("下载当前清单（CSV）", "Download this list (CSV)") }</button>
                        <button type="button" class="nx-button" disabled={chosen.is_empty()}
                            onclick={inputs.on_print.reform(|_| ())}>{ lang.pick("打印当前清单", "Print this list") }</button>
                    </div>
                </div>
                { table }
                if chosen.len() > shown {
                    <button type="button" class="nx-button nx-fees__more" onclick={on_more}>
                        { lang.pick(format!("显示其余 {} 项", chosen.len() - shown), format!("Show the other {}", chosen.len() - shown)) }
                    </button>
                }
            </div>
        </>
    }
}

#[derive(Properties)]
pub struct ListHeadingProps {
    /// The list as published (its items are in the index, not here).
    pub list: Rc<FeeList>,
    /// The issuing government's name, for a list published without a name of its own.
    pub county: AttrValue,
    /// The validity lookup, which the notice's number links to.
    pub validity_page: AttrValue,
}

/// The heading is the same while it shows the same list: compared by identity, so a
/// keystroke in the filter does not compare the changes item by item.
impl PartialEq for ListHeadingProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.list, &other.list)
            && self.county == other.county
            && self.validity_page == other.validity_page
    }
}

/// The list's published name, version date and issuing notice, and its
/// 动态调整情况说明 (本次调整) when the list carries one: shown above the table and printed.
#[function_component(ListHeadingView)]
pub fn list_heading_view(props: &ListHeadingProps) -> Html {
    let lang = use_lang();
    let list = &props.list;
    let notice = list.notice.as_ref().map(|notice| {
        let href = link_to(&props.validity_page, "wh", notice);
        html! {
            <span class="nx-fees__notice">
                { lang.pick("发布文号：", "Issued by notice ") }<a href={href}>{ notice.clone() }</a>
            </span>
        }
    });
    let version = list.version.as_ref().map(|version| {
        html! {
            <span class="nx-fees__version">{ lang.pick("版本日期：", "Version of ") }<time datetime={version.clone()}>{ version.clone() }</time></span>
        }
    });
    html! {
        <div class="nx-fees__heading">
            <p class="nx-fees__name">{ list.display_name(&props.county) }</p>
            if version.is_some() || notice.is_some() {
                <p class="nx-fees__meta">{ for version }{ for notice }</p>
            }
            if list.changes.is_some() {
                <ChangesView list={list.clone()} />
            }
        </div>
    }
}

#[derive(Properties)]
pub struct ChangesProps {
    /// The list whose [`FeeList::changes`] are shown.
    pub list: Rc<FeeList>,
}

/// Compared by identity, as the heading.
impl PartialEq for ChangesProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.list, &other.list)
    }
}

/// 本次调整: the items added, removed and changed since the previous version, each change
/// with its old and new value, in a disclosure (`details`) closed until the citizen opens
/// it; its summary says how many of each.
#[function_component(ChangesView)]
pub fn changes_view(props: &ChangesProps) -> Html {
    let lang = use_lang();
    let Some(changes) = props.list.changes.as_ref() else {
        return Html::default();
    };
    if changes.is_empty() {
        return html! {
            <p class="nx-fees__changes-none">{ lang.pick("本次调整：与上一版相比无变化。", "This version: no change from the previous one.") }</p>
        };
    }
    let summary = lang.pick(
        format!(
            "本次调整（动态调整情况说明）：新增 {} 项，取消 {} 项，调整 {} 项",
            changes.added.len(),
            changes.removed.len(),
            changes.changed.len()
        ),
        format!(
            "Changes in this version: {} added, {} removed, {} changed",
            changes.added.len(),
            changes.removed.len(),
            changes.changed.len()
        ),
    );
    let headers = lang.pick(
        ["调整", "部门", "收费项目", "调整内容", "原值", "新值"],
        [
            "Change",
            "Department",
            "Fee",
            "What changed",
            "Before",
            "Now",
        ],
    );
    let row = |what: &'static str, item: &FeeItem, field: String, old: String, new: String| {
        html! {
            <tr class={classes!("nx-fees__change", format!("nx-fees__change--{}", match what { "新增" | "Added" => "added", "取消" | "Removed" => "removed", _ => "changed" }))}>
                <td data-label={headers[0]}>{ what }</td>
                <td data-label={headers[1]}>{ item.department.clone() }</td>
                <th scope="row" data-label={headers[2]}>{ item.full_name() }</th>
                <td data-label={headers[3]}>{ field }</td>
                <td data-label={headers[4]}>{ old }</td>
                <td data-label={headers[5]}>{ new }</td>
            </tr>
        }
    };
    let added = changes.added.iter().map(|item| {
        row(
            lang.pick("新增", "Added"),
            item,
            String::new(),
            String::new(),
            item.standard.describe(&item.unit),
        )
    });
    let removed = changes.removed.iter().map(|item| {
        row(
            lang.pick("取消", "Removed"),
            item,
            String::new(),
            item.standard.describe(&item.unit),
            String::new(),
        )
    });
    let changed = changes
        .changed
        .iter()
        .flat_map(|change| change.fields.iter().map(move |field| (change, field)))
        .map(|(change, field)| {
            let name = match lang {
                Lang::Chinese => field.field.word(),
                Lang::English => match field.field {
                    disclosure_core::fees::ChangedField::Standard => "Amount",
                    disclosure_core::fees::ChangedField::Unit => "Unit",
                    disclosure_core::fees::ChangedField::Basis => "Legal basis",
                    disclosure_core::fees::ChangedField::Enterprise => "Enterprises",
                },
            };
            row(
                lang.pick("调整", "Changed"),
                &change.item,
                name.to_string(),
                field.old.clone(),
                field.new.clone(),
            )
        });
    let since = changes.since.as_ref().map(|since| {
        lang.pick(
            format!("与 {since} 版相比"),
            format!("compared with the version of {since}"),
        )
    });
    html! {
        <details class="nx-fees__changes">
            <summary>{ summary }</summary>
            <div class="nx-fees__scroll">
                <table class="nx-fees__table nx-fees__changes-table">
                    <caption>{ since.unwrap_or_else(|| lang.pick("与上一版相比", "compared with the previous version").to_string()) }</caption>
                    <thead><tr>{ for headers.iter().map(|h| html! { <th scope="col">{ *h }</th> }) }</tr></thead>
                    <tbody>{ for added }{ for removed }{ for changed }</tbody>
                </table>
            </div>
        </details>
    }
}

/// The table's caption says which list, which filter and how many rows, so a printout
/// and a screen-reader user both know what they have.
fn caption(inputs: &PanelInputs, count: usize, lang: Lang) -> String {
    let choice = &inputs.choice;
    let mut narrowed = Vec::new();
    if let Some(department) = &choice.filter.department {
        narrowed.push(lang.pick(
            format!("部门：{department}"),
            format!("department {department}"),
        ));
    }
    if !choice.filter.text.trim().is_empty() {
        let text = choice.filter.text.trim();
        narrowed.push(lang.pick(format!("含“{text}”"), format!("with “{text}”")));
    }
    if choice.filter.enterprise_only {
        narrowed.push(
            lang.pick("只含涉企收费", "enterprise fees only")
                .to_string(),
        );
    }
    let title = choice.caption_title(&inputs.county, lang);
    match (narrowed.is_empty(), lang) {
        (true, Lang::Chinese) => format!("{title}，共 {count} 项"),
        (false, Lang::Chinese) => format!("{title}（{}），共 {count} 项", narrowed.join("，")),
        (true, Lang::English) => format!("{title}, {count} items"),
        (false, Lang::English) => format!("{title} ({}), {count} items", narrowed.join(", ")),
    }
}

#[derive(Properties, PartialEq)]
pub struct FeeTableProps {
    /// Each item with its position in its list, which keys its row: a row that stays in
    /// view as the filter changes is kept rather than rewritten.
    pub items: Rc<Vec<(usize, Rc<FeeItem>)>>,
    /// Rows under a heading per department (sorted by department) or one run (by amount).
    pub grouped: bool,
    pub caption: String,
    pub basis: Rc<BasisStatus>,
    pub validity_page: AttrValue,
}

/// The column headers, in the labels' language.
fn headers(lang: Lang) -> [&'static str; 7] {
    lang.pick(
        [
            "部门",
            "收费项目",
            "收费标准",
            "政策依据",
            "资金管理方式",
            "立项级次",
            "涉企",
        ],
        [
            "Department",
            "Fee",
            "Amount",
            "Legal basis",
            "Funds go to",
            "Approved by",
            "Enterprises",
        ],
    )
}

/// Column widths are fixed in the style sheet (`table-layout: fixed`), so that the browser
/// lays out a changed list without measuring every cell of it first.
const COLUMN_CLASSES: [&str; 7] = [
    "nx-fees__col-department",
    "nx-fees__col-item",
    "nx-fees__col-standard",
    "nx-fees__col-basis",
    "nx-fees__col-funds",
    "nx-fees__col-level",
    "nx-fees__col-enterprise",
];

/// A department's heading and its rows (each with its position in its list).
type Group<'a> = (&'a str, Vec<(usize, &'a Rc<FeeItem>)>);

/// An accessible table: a caption, column headers with scope, the item name as each row's
/// header, and a heading row per department. On a narrow screen each row becomes a card
/// whose cells carry their column's name (`data-label`).
#[function_component(FeeTable)]
pub fn fee_table(props: &FeeTableProps) -> Html {
    let lang = use_lang();
    let headers = headers(lang);
    let row = |item: &Rc<FeeItem>, n: usize| {
        html! { <FeeRowView key={n} item={item.clone()} basis={props.basis.clone()} validity_page={props.validity_page.clone()} /> }
    };
    let bodies = if props.grouped {
        let mut groups: Vec<Group> = Vec::new();
        for (n, item) in props.items.iter().map(|(n, item)| (*n, item)) {
            match groups.last_mut() {
                Some((department, rows)) if *department == item.department => rows.push((n, item)),
                _ => groups.push((&item.department, vec![(n, item)])),
            }
        }
        groups
            .into_iter()
            .map(|(department, rows)| {
                html! {
                    <tbody key={department.to_string()}>
                        <tr class="nx-fees__group">
                            <th scope="rowgroup" colspan={headers.len().to_string()}>
                                { format!("{department}{}", count_label(rows.len(), lang)) }
                            </th>
                        </tr>
                        { for rows.into_iter().map(|(n, item)| row(item, n)) }
                    </tbody>
                }
            })
            .collect::<Html>()
    } else {
        html! { <tbody>{ for props.items.iter().map(|(n, item)| row(item, *n)) }</tbody> }
    };
    html! {
        <div class="nx-fees__scroll">
            <table class="nx-fees__table nx-fees__list">
                <caption>{ props.caption.clone() }</caption>
                <colgroup>
                    { for COLUMN_CLASSES.iter().map(|class| html! { <col class={*class} /> }) }
                </colgroup>
                <thead>
                    <tr>{ for headers.iter().map(|h| html! { <th scope="col">{ *h }</th> }) }</tr>
                </thead>
                { bodies }
            </table>
        </div>
    }
}

#[derive(Properties)]
pub struct FeeRowProps {
    pub item: Rc<FeeItem>,
    pub basis: Rc<BasisStatus>,
    pub validity_page: AttrValue,
}

/// A row is the same row while it shows the same item with the same statuses: compared by
/// identity, so a row that stays in view as the citizen types is not drawn again.
impl PartialEq for FeeRowProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.item, &other.item)
            && Rc::ptr_eq(&self.basis, &other.basis)
            && self.validity_page == other.validity_page
    }
}

/// One fee as a table row.
#[function_component(FeeRowView)]
pub fn fee_row_view(props: &FeeRowProps) -> Html {
    let lang = use_lang();
    let headers = headers(lang);
    let item = &props.item;
    let basis = item.basis.iter().map(|basis| {
        let status = basis.key().and_then(|key| props.basis.get(&key));
        html! { <li>{ basis_link(basis, status, &props.validity_page, lang) }</li> }
    });
    let standard = match (&item.standard, lang) {
        (Standard::Free, Lang::English) => "Free".to_string(),
        (standard, _) => standard.describe(&item.unit),
    };
    let level = item.level.map(|level| match (level, lang) {
        (level, Lang::Chinese) => level.word(),
        (Level::Central, Lang::English) => "Central government",
        (Level::Provincial, Lang::English) => "Province",
    });
    html! {
        <tr class="nx-fees__row">
            <td data-label={headers[0]}>
                { item.department.clone() }
                if !item.unit_nature.is_empty() {
                    <span class="nx-fees__unit-nature">{ lang.pick(format!("单位性质：{}", item.unit_nature), format!("Unit: {}", item.unit_nature)) }</span>
                }
            </td>
            <th scope="row" data-label={headers[1]} class="nx-fees__item">
                { item.item.clone() }
                if !item.sub_item.is_empty() {
                    <span class="nx-fees__sub">{ item.sub_item.clone() }</span>
                }
                if !item.service.is_empty() {
                    <span class="nx-fees__service">{ lang.pick(format!("服务内容：{}", item.service), format!("Service: {}", item.service)) }</span>
                }
                if !item.nature.is_empty() {
                    <span class="nx-fees__nature">{ lang.pick(format!("收费性质：{}", item.nature), format!("Nature of the fee: {}", item.nature)) }</span>
                }
                if !item.remarks.is_empty() {
                    <span class="nx-fees__remarks">{ lang.pick(format!("备注：{}", item.remarks), format!("Note: {}", item.remarks)) }</span>
                }
            </th>
            <td data-label={headers[2]} class="nx-fees__standard">{ standard }</td>
            <td data-label={headers[3]}><ul class="nx-fees__basis">{ for basis }</ul></td>
            <td data-label={headers[4]}>{ item.fund_management.clone() }</td>
            <td data-label={headers[5]}>{ level.unwrap_or("") }</td>
            <td data-label={headers[6]}>{ if item.enterprise { lang.pick("是", "Yes") } else { lang.pick("否", "No") } }</td>
        </tr>
    }
}

/// A document number links to its validity lookup; one no longer in force says so in
/// words, so the citizen can ask before paying.
fn basis_link(basis: &Basis, status: Option<&Status>, validity_page: &str, lang: Lang) -> Html {
    let title = basis.title.clone().map(|title| {
        html! { <span class="nx-fees__basis-title">{ title }</span> }
    });
    let Some(text) = basis.key() else {
        return html! { { for title } };
    };
    let href = link_to(validity_page, "wh", &text);
    let warning = match (status, lang) {
        (Some(Status::NotYetInForce { .. }), Lang::Chinese) => {
            Some("该依据文件尚未生效，此项收费请向执收部门核实".to_string())
        }
        (Some(status), Lang::Chinese) if !status.in_force() => Some(format!(
            "该依据文件已{}，此项收费请向执收部门核实",
            status.word()
        )),
        (Some(status), Lang::English) if !status.in_force() => Some(format!(
            "This legal basis is {}: ask the collecting department before paying",
            status.word_en()
        )),
        _ => None,
    };
    html! {
        <>
            { for title }
            <a href={href}>{ text }</a>
            if let Some(warning) = warning {
                <span class="nx-fees__warning">
                    <span aria-hidden="true">{ "⚠ " }</span>
                    { warning }
                </span>
            }
        </>
    }
}
