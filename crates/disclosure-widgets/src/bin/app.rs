//! Entry point of the UI Wasm. On the demo portal's pages it mounts each widget on its
//! element by id; embedding pages call [`mount_widget`] from `nx-widgets.js`, once per
//! custom element, into that element's shadow root. One module serves every widget of a
//! page.

use disclosure_widgets::consultation::{ConsultationWidget, ConsultationWidgetProps};
use disclosure_widgets::fees::{FeeWidget, FeeWidgetProps};
use disclosure_widgets::labels::Lang;
use disclosure_widgets::search::answers::AnswerLinks;
use disclosure_widgets::search::{SearchWidget, SearchWidgetProps};
use disclosure_widgets::validity::{ValidityWidget, ValidityWidgetProps};
use wasm_bindgen::prelude::wasm_bindgen;
use web_sys::Element;
use yew::{AppHandle, AttrValue};

/// The language of the labels: the host's `lang` attribute (`en` for English); the
/// embedding script sets it from the element, its nearest ancestor with `lang`, or the
/// page's `<html lang>`.
fn lang(host: &Element) -> Lang {
    Lang::from_tag(host.get_attribute("lang").as_deref())
}

/// A configuration attribute of the element that hosts a widget.
fn attribute(host: &Element, name: &str, default: &'static str) -> AttrValue {
    host.get_attribute(name)
        .map(AttrValue::from)
        .unwrap_or(AttrValue::Static(default))
}

/// A mounted widget, kept by the embedding script so a change of language re-labels it
/// without losing what the citizen typed or found.
#[wasm_bindgen]
pub struct MountedWidget {
    app: App,
}

/// The running app of each kind, with the properties it was last given.
enum App {
    Search(AppHandle<SearchWidget>, SearchWidgetProps),
    Validity(AppHandle<ValidityWidget>, ValidityWidgetProps),
    Fees(AppHandle<FeeWidget>, FeeWidgetProps),
    Consultation(AppHandle<ConsultationWidget>, ConsultationWidgetProps),
}

#[wasm_bindgen]
impl MountedWidget {
    /// Re-labels the widget in the language of the BCP 47 `tag` (`en…` for English,
    /// anything else Chinese); the widget's state stays.
    pub fn relabel(&mut self, tag: &str) {
        let lang = Lang::from_tag(Some(tag));
        match &mut self.app {
            App::Search(app, props) => relabel(app, props, |p| &mut p.lang, lang),
            App::Validity(app, props) => relabel(app, props, |p| &mut p.lang, lang),
            App::Fees(app, props) => relabel(app, props, |p| &mut p.lang, lang),
            App::Consultation(app, props) => relabel(app, props, |p| &mut p.lang, lang),
        }
    }
}

fn relabel<C: yew::BaseComponent>(
    app: &mut AppHandle<C>,
    props: &mut C::Properties,
    field: impl Fn(&mut C::Properties) -> &mut Lang,
    lang: Lang,
) where
    C::Properties: Clone,
{
    if *field(props) != lang {
        *field(props) = lang;
        app.update(props.clone());
    }
}

/// Mounts the widget `kind` (`search`, `validity`, `fees`, `consultation`) into `root`,
/// configured by the `data-*` attributes and the `lang` of `host`. Returns the mounted
/// widget, or nothing for an unknown kind.
#[wasm_bindgen]
pub fn mount_widget(kind: &str, root: Element, host: Element) -> Option<MountedWidget> {
    let app = match kind {
        "search" => {
            let props = SearchWidgetProps {
                data_url: attribute(&host, "data-index", "data/"),
                worker_url: attribute(&host, "data-worker", "./worker_loader.js"),
                initial_query: host.get_attribute("data-query").map(AttrValue::from),
                lang: lang(&host),
                fallback_url: host.get_attribute("data-fallback").map(AttrValue::from),
                api_url: host.get_attribute("data-api").map(AttrValue::from),
                warm_on_idle: !host
                    .get_attribute("data-warm")
                    .is_some_and(|warm| warm.trim().eq_ignore_ascii_case("focus")),
                links: AnswerLinks {
                    validity_page: attribute(&host, "data-validity-page", "validity.html"),
                    fees_page: attribute(&host, "data-fees-page", "fees.html"),
                    consultation_page: attribute(
                        &host,
                        "data-consultation-page",
                        "consultation.html",
                    ),
                },
            };
            App::Search(
                yew::Renderer::<SearchWidget>::with_root_and_props(root, props.clone()).render(),
                props,
            )
        }
        "validity" => {
            let props = ValidityWidgetProps {
                data_url: attribute(&host, "data-index", "data/"),
                initial_query: host.get_attribute("data-query").map(AttrValue::from),
                lang: lang(&host),
            };
            App::Validity(
                yew::Renderer::<ValidityWidget>::with_root_and_props(root, props.clone()).render(),
                props,
            )
        }
        "fees" => {
            let props = FeeWidgetProps {
                data_url: attribute(&host, "data-index", "data/"),
                validity_page: attribute(&host, "data-validity-page", "validity.html"),
                county: attribute(&host, "data-county", "宁乡市"),
                initial_query: host.get_attribute("data-query").map(AttrValue::from),
                lang: lang(&host),
            };
            App::Fees(
                yew::Renderer::<FeeWidget>::with_root_and_props(root, props.clone()).render(),
                props,
            )
        }
        "consultation" => {
            let props = ConsultationWidgetProps {
                api_url: attribute(&host, "data-api", "/api/"),
                retention_days: host
                    .get_attribute("data-retention-days")
                    .and_then(|days| days.parse().ok())
                    .unwrap_or(180),
                lang: lang(&host),
            };
            App::Consultation(
                yew::Renderer::<ConsultationWidget>::with_root_and_props(root, props.clone())
                    .render(),
                props,
            )
        }
        _ => return None,
    };
    Some(MountedWidget { app })
}

/// The demo portal's pages: each widget on the element with its id.
fn main() {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    for (id, kind) in [
        ("policy-search", "search"),
        ("validity-lookup", "validity"),
        ("fee-list", "fees"),
        ("consultation", "consultation"),
    ] {
        if let Some(element) = document.get_element_by_id(id) {
            // The demo pages never re-label: the handle is not kept.
            let _ = mount_widget(kind, element.clone(), element);
        }
    }
}
