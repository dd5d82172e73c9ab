//! The fee-list browser (收费目录清单): the lists a county publishes (the four catalogues
//! of 2025 and the 涉企 part of the fee list), each with its name, version date, notice
//! and what changed in this version (本次调整), filtered as the citizen types, with each
//! legal basis checked against the validity lookup, printable and downloadable as CSV.

pub mod view;

use std::collections::HashMap;
use std::rc::Rc;

use disclosure_core::fees::{list_to_csv, FeeFile, FeeListKind};
use disclosure_core::lookup::{lookup, LookupEntry, LookupOutcome};
use time::Date;
use yew::prelude::*;

use crate::labels::Lang;
use crate::page::Named;
use crate::page::{address_parameter, fetch_json, replace_address_parameters, today, with_slash};
use view::{BasisStatus, FeeChoice, FeeLists, FeeRecords, FeeView};

/// The fee-list file, as errors name it.
const FEE_LISTS: Named = ("收费清单", "The fee lists");

#[derive(Properties, PartialEq, Clone)]
pub struct FeeWidgetProps {
    /// Folder holding `fees.json` and `validity.json`.
    #[prop_or(AttrValue::Static("data/"))]
    pub data_url: AttrValue,
    #[prop_or(AttrValue::Static("validity.html"))]
    pub validity_page: AttrValue,
    #[prop_or(AttrValue::Static("宁乡市"))]
    pub county: AttrValue,
    /// What to filter on when the page opens without `?fq=`.
    #[prop_or_default]
    pub initial_query: Option<AttrValue>,
    #[prop_or_default]
    pub lang: Lang,
}

#[function_component(FeeWidget)]
pub fn fee_widget(props: &FeeWidgetProps) -> Html {
    let records = use_state(|| FeeRecords::Loading);
    let basis = use_state(|| Rc::new(BasisStatus::new()));
    let choice = use_state(|| initial_choice(props.initial_query.as_deref()));
    let attempt = use_state(|| 0u32);
    let print_pending = use_state(|| false);

    {
        let records = records.clone();
        let basis = basis.clone();
        let data = with_slash(&props.data_url);
        let lang = props.lang;
        use_effect_with(*attempt, move |_| {
            records.set(FeeRecords::Loading);
            wasm_bindgen_futures::spawn_local(async move {
                let loaded =
                    fetch_json::<FeeFile>(&format!("{data}fees.json")).await;
                match loaded {
                    Ok(file) if file.is_readable() => {
                        // The check of legal bases is a help, not a condition: the lists show
                        // even when the validity file cannot be had.
                        let lists = prepare(&file);
                        records.set(FeeRecords::Ready(Rc::new(lists)));
                        let url = format!("{data}validity.json");
                        if let Ok(entries) = fetch_json::<Vec<LookupEntry>>(&url).await
                        {
                            basis.set(Rc::new(basis_status(&file, &entries, today())));
                        }
                    }
                    Ok(_) => records.set(FeeRecords::Failed(
                        lang.pick(
                            "收费清单的数据格式与本页面不符，请联系网站管理员。",
                            "The fee lists are in a format this page does not read; please tell the site's administrator.",
                        )
                        .to_string(),
                    )),
                    Err(error) => records.set(FeeRecords::Failed(error.sentence(FEE_LISTS, lang))),
                }
            });
        });
    }
    {
        // The list and the words typed are kept in the address, so a view can be linked.
        use_effect_with((*choice).clone(), |choice| {
            replace_address_parameters(&[("list", choice.list.slug()), ("fq", &choice.filter.text)])
        });
    }
    {
        // Printing waits for the whole view to be drawn.
        let print_pending = print_pending.clone();
        use_effect_with(*print_pending, move |pending| {
            if *pending {
                if let Some(window) = web_sys::window() {
                    let _ = window.print();
                }
                print_pending.set(false);
            }
        });
    }

    let on_choice = {
        let choice = choice.clone();
        Callback::from(move |next: FeeChoice| choice.set(next))
    };
    let on_print = {
        let choice = choice.clone();
        let print_pending = print_pending.clone();
        Callback::from(move |_| {
            let mut whole = (*choice).clone();
            whole.shown = usize::MAX;
            choice.set(whole);
            print_pending.set(true);
        })
    };
    let on_download = {
        let choice = choice.clone();
        let records = records.clone();
        let county = props.county.clone();
        Callback::from(move |_| {
            if let FeeRecords::Ready(lists) = &*records {
                let Some(list) = lists.published(choice.list) else {
                    return;
                };
                let csv = list_to_csv(list, &county, choice.select(lists));
                crate::page::download_csv(&format!("{}.csv", choice.title(&county)), &csv);
            }
        })
    };
    let on_retry = {
        let attempt = attempt.clone();
        Callback::from(move |_| attempt.set(*attempt + 1))
    };
    html! {
        <ContextProvider<Lang> context={props.lang}>
        <FeeView records={(*records).clone()} basis={(*basis).clone()} choice={(*choice).clone()}
            validity_page={props.validity_page.clone()} county={props.county.clone()}
            {on_choice} {on_download} {on_print} {on_retry} />
        </ContextProvider<Lang>>
    }
}

fn initial_choice(fallback_query: Option<&str>) -> FeeChoice {
    let mut choice = FeeChoice::default();
    if let Some(list) = address_parameter("list").and_then(|slug| FeeListKind::from_slug(&slug)) {
        choice.list = list;
    }
    choice.filter.text = address_parameter("fq")
        .or_else(|| fallback_query.map(str::to_string))
        .unwrap_or_default();
    choice
}

/// Each list prepared once for filtering as the citizen types, with how it is published.
pub fn prepare(file: &FeeFile) -> FeeLists {
    FeeLists::new(
        FeeListKind::ALL
            .into_iter()
            .map(|kind| file.published(kind))
            .collect(),
    )
}

/// The status on `day` of every document number the lists cite that the validity lookup
/// knows: its version in force if there is one, else its latest.
pub fn basis_status(file: &FeeFile, entries: &[LookupEntry], day: Date) -> BasisStatus {
    let mut statuses = HashMap::new();
    for list in &file.lists {
        let numbers = list
            .items
            .iter()
            .flat_map(|item| item.basis.iter())
            .filter_map(|basis| basis.key())
            .chain(list.notice.clone());
        for number in numbers {
            if statuses.contains_key(&number) {
                continue;
            }
            if let LookupOutcome::ByNumber { found, .. } = lookup(entries, &number, day) {
                if let Some(entry) = found.first() {
                    statuses.insert(number, entry.status_on(day));
                }
            }
        }
    }
    statuses
}
