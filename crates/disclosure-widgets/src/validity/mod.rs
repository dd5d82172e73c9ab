//! The normative-document validity lookup (文件效力查询): one box for a document number
//! or words of a title, answered as you type from the compact lookup file, with the
//! status computed for today; with nothing typed, the library (行政规范性文件库) to
//! browse by issuing body, year and status, its published lists to download or print.

pub mod view;

use std::rc::Rc;

use disclosure_core::library::{Library, LibraryAction, LibraryQuery, LibrarySort, StatusGroup};
use disclosure_core::lookup::LookupEntry;
use time::{Date, OffsetDateTime};
use yew::prelude::*;

use crate::labels::Lang;
use crate::page::Named;
use crate::page::{address_parameter, fetch_json, replace_address_parameters, today, with_slash};
use view::{Records, ValidityView};

/// Today in China, from the browser's clock (not its time zone): statuses are counted on
/// the day in China, as the builder's plain page counts them.
pub fn china_today() -> Date {
    let millis = js_sys::Date::now();
    if !millis.is_finite() {
        return today();
    }
    let nanos = (millis as i128).saturating_mul(1_000_000);
    match OffsetDateTime::from_unix_timestamp_nanos(nanos) {
        Ok(now) => disclosure_core::date::china_date(now),
        Err(_) => today(),
    }
}

/// The library's filters as the address keeps them (lq, li, ly, ls, lo, lp).
fn library_query_from_address() -> LibraryQuery {
    LibraryQuery {
        text: address_parameter("lq").unwrap_or_default(),
        issuer: address_parameter("li").filter(|i| !i.trim().is_empty()),
        year: address_parameter("ly").and_then(|y| y.parse().ok()),
        status: address_parameter("ls").and_then(|s| StatusGroup::from_slug(&s)),
        sort: if address_parameter("lo").as_deref() == Some("old") {
            LibrarySort::OldestFirst
        } else {
            LibrarySort::NewestFirst
        },
        page: address_parameter("lp")
            .and_then(|p| p.parse::<usize>().ok())
            .map_or(0, |p| p.saturating_sub(1)),
    }
}

/// The validity file, as errors name it.
pub const REGISTER: Named = ("文件库", "The document register");

#[derive(Properties, PartialEq, Clone)]
pub struct ValidityWidgetProps {
    /// Folder holding `validity.json`.
    #[prop_or(AttrValue::Static("data/"))]
    pub data_url: AttrValue,
    /// What to look up when the page opens without `?wh=`.
    #[prop_or_default]
    pub initial_query: Option<AttrValue>,
    #[prop_or_default]
    pub lang: Lang,
}

#[function_component(ValidityWidget)]
pub fn validity_widget(props: &ValidityWidgetProps) -> Html {
    let records = use_state(|| Records::Loading);
    let query = use_state(|| {
        address_parameter("wh")
            .or_else(|| props.initial_query.as_ref().map(|q| q.to_string()))
            .unwrap_or_default()
    });
    let attempt = use_state(|| 0u32);
    let library_query = use_state(library_query_from_address);
    let printing = use_state(|| false);
    let day = *use_memo((), |_| china_today());
    let library = use_memo(((*records).clone(), day), |(records, day)| match records {
        Records::Ready(entries) => Some(Rc::new(Library::new(entries, *day))),
        _ => None,
    });

    {
        let records = records.clone();
        let url = format!("{}validity.json", with_slash(&props.data_url));
        let lang = props.lang;
        use_effect_with(*attempt, move |_| {
            records.set(Records::Loading);
            wasm_bindgen_futures::spawn_local(async move {
                records.set(
                    match fetch_json::<Vec<LookupEntry>>(&url).await {
                        Ok(entries) => Records::Ready(Rc::new(entries)),
                        Err(error) => Records::Failed(error.sentence(REGISTER, lang)),
                    },
                );
            });
        });
    }
    {
        // What is typed is kept in the address (?wh=), so a lookup can be linked.
        // So are the library's filters, order and page.
        use_effect_with(
            ((*query).clone(), (*library_query).clone()),
            |(query, library)| {
                let year = library.year.map(|y| y.to_string()).unwrap_or_default();
                let page = if library.page > 0 {
                    (library.page + 1).to_string()
                } else {
                    String::new()
                };
                let sort = if library.sort == LibrarySort::OldestFirst {
                    "old"
                } else {
                    ""
                };
                replace_address_parameters(&[
                    ("wh", query),
                    ("lq", &library.text),
                    ("li", library.issuer.as_deref().unwrap_or("")),
                    ("ly", &year),
                    ("ls", library.status.map_or("", |s| s.slug())),
                    ("lo", sort),
                    ("lp", &page),
                ])
            },
        );
    }
    {
        // Printing waits for the whole list to be drawn.
        let printing = printing.clone();
        use_effect_with(*printing, move |pending| {
            if *pending {
                if let Some(window) = web_sys::window() {
                    let _ = window.print();
                }
                printing.set(false);
            }
        });
    }

    let on_query = {
        let query = query.clone();
        Callback::from(move |text: String| query.set(text))
    };
    let on_retry = {
        let attempt = attempt.clone();
        Callback::from(move |_| attempt.set(*attempt + 1))
    };
    let on_library = {
        let library_query = library_query.clone();
        Callback::from(move |action: LibraryAction| library_query.set(library_query.apply(action)))
    };
    let on_print = {
        let library_query = library_query.clone();
        let printing = printing.clone();
        Callback::from(move |group: StatusGroup| {
            library_query.set(LibraryQuery::default().apply(LibraryAction::Status(Some(group))));
            printing.set(true);
        })
    };
    let on_download = {
        let library = library.clone();
        Callback::from(move |group: StatusGroup| {
            if let Some(library) = library.as_ref() {
                let name = format!(
                    "宁乡市{}行政规范性文件目录-{}.csv",
                    group.word(),
                    library.today()
                );
                // A byte-order mark, so spreadsheets read the file as UTF-8.
                crate::page::download_csv(&name, &format!("\u{feff}{}", library.list_csv(group)));
            }
        })
    };
    // Written beside validity.json by `disclosure-index validity`.
    let feed_url = Some(AttrValue::from(format!(
        "{}validity-changes.atom",
        with_slash(&props.data_url)
    )));
    html! {
        <ContextProvider<Lang> context={props.lang}>
        <ValidityView records={(*records).clone()} query={AttrValue::from((*query).clone())}
            today={day} {on_query} {on_retry} library={(*library).clone()}
            library_query={(*library_query).clone()} {on_library} {on_download} {on_print}
            printing={*printing} {feed_url} />
        </ContextProvider<Lang>>
    }
}
