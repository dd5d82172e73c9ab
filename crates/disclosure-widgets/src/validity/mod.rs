//! The normative-document validity lookup (文件效力查询): one box for a document number
//! or words of a title, answered as you type from the compact lookup file, with the
//! status computed for today.

pub mod view;

use std::rc::Rc;

use disclosure_core::lookup::LookupEntry;
use yew::prelude::*;

use crate::labels::Lang;
use crate::page::Named;
use crate::page::{address_parameter, fetch_json, replace_address_parameters, today, with_slash};
use view::{Records, ValidityView};

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

    {
        let records = records.clone();
        let url = format!("{}validity.json", with_slash(&props.data_url));
        let lang = props.lang;
        use_effect_with(*attempt, move |_| {
            records.set(Records::Loading);
            wasm_bindgen_futures::spawn_local(async move {
                records.set(
                    match fetch_json::<Vec<LookupEntry>>(&url, REGISTER, lang).await {
                        Ok(entries) => Records::Ready(Rc::new(entries)),
                        Err(message) => Records::Failed(message),
                    },
                );
            });
        });
    }
    {
        // What is typed is kept in the address (?wh=), so a lookup can be linked.
        use_effect_with((*query).clone(), |query| {
            replace_address_parameters(&[("wh", query)])
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
    html! {
        <ContextProvider<Lang> context={props.lang}>
        <ValidityView records={(*records).clone()} query={AttrValue::from((*query).clone())}
            today={today()} {on_query} {on_retry} />
        </ContextProvider<Lang>>
    }
}
