//! The normative-document validity lookup (文件效力查询): one box for a document number
//! or words of a title, answered as you type from the compact lookup file, with the
//! status computed for today.

pub mod view;

use std::rc::Rc;

use disclosure_core::lookup::LookupEntry;
use time::Date;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use view::{Records, ValidityView};

#[derive(Properties, PartialEq, Clone)]
pub struct ValidityWidgetProps {
    /// Folder holding `validity.json`.
    #[prop_or(AttrValue::Static("data/"))]
    pub data_url: AttrValue,
}

#[function_component(ValidityWidget)]
pub fn validity_widget(props: &ValidityWidgetProps) -> Html {
    let records = use_state(|| Records::Loading);
    let query = use_state(|| initial_query().unwrap_or_default());
    let attempt = use_state(|| 0u32);

    {
        let records = records.clone();
        let url = format!("{}validity.json", with_slash(&props.data_url));
        use_effect_with(*attempt, move |_| {
            records.set(Records::Loading);
            wasm_bindgen_futures::spawn_local(async move {
                records.set(match fetch_entries(&url).await {
                    Ok(entries) => Records::Ready(Rc::new(entries)),
                    Err(message) => Records::Failed(message),
                });
            });
        });
    }
    {
        // What is typed is kept in the address (?wh=), so a lookup can be linked.
        use_effect_with((*query).clone(), |query| replace_query(query));
    }

    let on_query = {
        let query = query.clone();
        Callback::from(move |text: String| query.set(text))
    };
    let on_retry = {
        let attempt = attempt.clone();
        Callback::from(move |_| attempt.set(*attempt + 1))
    };
    html! {
        <ValidityView records={(*records).clone()} query={AttrValue::from((*query).clone())}
            today={today()} {on_query} {on_retry} />
    }
}

fn with_slash(url: &str) -> String {
    if url.ends_with('/') {
        url.to_string()
    } else {
        format!("{url}/")
    }
}

/// The day in the citizen's own calendar.
fn today() -> Date {
    let now = js_sys::Date::new_0();
    let month = time::Month::try_from(now.get_month() as u8 + 1).unwrap_or(time::Month::January);
    Date::from_calendar_date(now.get_full_year() as i32, month, now.get_date() as u8)
        .unwrap_or(Date::MIN)
}

fn initial_query() -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    form_urlencoded::parse(search.trim_start_matches('?').as_bytes())
        .find(|(key, _)| key == "wh")
        .map(|(_, value)| value.into_owned())
}

fn replace_query(query: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let path = window.location().pathname().unwrap_or_default();
    let url = if query.trim().is_empty() {
        path
    } else {
        format!(
            "{path}?{}",
            form_urlencoded::Serializer::new(String::new())
                .append_pair("wh", query)
                .finish()
        )
    };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
}

async fn fetch_entries(url: &str) -> Result<Vec<LookupEntry>, String> {
    let unreachable = "文件库暂时无法连接，请检查网络后重试。".to_string();
    let window = web_sys::window().ok_or_else(|| unreachable.clone())?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(url))
        .await
        .map_err(|_| unreachable.clone())?
        .unchecked_into();
    if !response.ok() {
        return Err(format!(
            "文件库暂时不可用（HTTP {}），请稍后重试。",
            response.status()
        ));
    }
    let text = JsFuture::from(response.text().map_err(|_| unreachable.clone())?)
        .await
        .map_err(|_| unreachable.clone())?
        .as_string()
        .unwrap_or_default();
    serde_json::from_str(&text)
        .map_err(|_| "文件库数据已损坏，请稍后重试或联系网站管理员。".to_string())
}
