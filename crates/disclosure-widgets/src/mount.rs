//! Mounting a widget on a page's element: its properties read from the `data-*` attributes
//! and `lang` of the element that hosts it, and the handle that re-labels it later.
//!
//! One function per widget kind, so a UI binary that mounts only the search (`search_ui`,
//! the portal's search page) links none of the other widgets' code: the binaries, not this
//! library, decide which kinds they offer ([`crate`]'s `bin/`).

use wasm_bindgen::prelude::wasm_bindgen;
use web_sys::Element;
use yew::{AppHandle, AttrValue, BaseComponent};

use crate::consultation::{ConsultationWidget, ConsultationWidgetProps};
use crate::fees::{FeeWidget, FeeWidgetProps};
use crate::labels::Lang;
use crate::search::answers::AnswerLinks;
use crate::search::{SearchWidget, SearchWidgetProps};
use crate::validity::{ValidityWidget, ValidityWidgetProps};

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

/// A running widget that can be given another language.
trait Relabel {
    fn relabel(&mut self, lang: Lang);
}

/// A running widget of kind `C`, with the properties it was last given.
struct Running<C: BaseComponent> {
    app: AppHandle<C>,
    props: C::Properties,
    lang: fn(&mut C::Properties) -> &mut Lang,
}

impl<C: BaseComponent> Relabel for Running<C>
where
    C::Properties: Clone,
{
    fn relabel(&mut self, lang: Lang) {
        let current = (self.lang)(&mut self.props);
        if *current != lang {
            *current = lang;
            self.app.update(self.props.clone());
        }
    }
}

/// A mounted widget, kept by the embedding script so a change of language re-labels it
/// without losing what the citizen typed or found.
#[wasm_bindgen]
pub struct MountedWidget {
    app: Box<dyn Relabel>,
}

#[wasm_bindgen]
impl MountedWidget {
    /// Re-labels the widget in the language of the BCP 47 `tag` (`en…` for English,
    /// anything else Chinese); the widget's state stays.
    pub fn relabel(&mut self, tag: &str) {
        self.app.relabel(Lang::from_tag(Some(tag)));
    }
}

/// Renders `C` into `root` with `props`.
fn render<C: BaseComponent + 'static>(
    root: Element,
    props: C::Properties,
    lang: fn(&mut C::Properties) -> &mut Lang,
) -> MountedWidget
where
    C::Properties: Clone,
{
    let app = yew::Renderer::<C>::with_root_and_props(root, props.clone()).render();
    MountedWidget {
        app: Box::new(Running { app, props, lang }),
    }
}

/// The policy search in `root`, configured by `host`: `data-index` (the index folder,
/// default `data/`), `data-worker` (the engine's loader), `data-query`, `data-fallback`,
/// `data-api`, `data-warm` (`focus`: fetch the engine only once the box is used) and the
/// pages its answers link to (`data-validity-page`, `data-fees-page`,
/// `data-consultation-page`).
pub fn search(root: Element, host: &Element) -> MountedWidget {
    let props = SearchWidgetProps {
        data_url: attribute(host, "data-index", "data/"),
        worker_url: attribute(host, "data-worker", "./worker_loader.js"),
        initial_query: host.get_attribute("data-query").map(AttrValue::from),
        lang: lang(host),
        fallback_url: host.get_attribute("data-fallback").map(AttrValue::from),
        api_url: host.get_attribute("data-api").map(AttrValue::from),
        warm_on_idle: !host
            .get_attribute("data-warm")
            .is_some_and(|warm| warm.trim().eq_ignore_ascii_case("focus")),
        links: AnswerLinks {
            validity_page: attribute(host, "data-validity-page", "validity.html"),
            fees_page: attribute(host, "data-fees-page", "fees.html"),
            consultation_page: attribute(host, "data-consultation-page", "consultation.html"),
        },
    };
    render::<SearchWidget>(root, props, |props| &mut props.lang)
}

/// The validity lookup in `root`: `data-index`, `data-query`.
pub fn validity(root: Element, host: &Element) -> MountedWidget {
    let props = ValidityWidgetProps {
        data_url: attribute(host, "data-index", "data/"),
        initial_query: host.get_attribute("data-query").map(AttrValue::from),
        lang: lang(host),
    };
    render::<ValidityWidget>(root, props, |props| &mut props.lang)
}

/// The fee-list browser in `root`: `data-index`, `data-validity-page`, `data-county`,
/// `data-query`.
pub fn fees(root: Element, host: &Element) -> MountedWidget {
    let props = FeeWidgetProps {
        data_url: attribute(host, "data-index", "data/"),
        validity_page: attribute(host, "data-validity-page", "validity.html"),
        county: attribute(host, "data-county", "宁乡市"),
        initial_query: host.get_attribute("data-query").map(AttrValue::from),
        lang: lang(host),
    };
    render::<FeeWidget>(root, props, |props| &mut props.lang)
}

/// The consultation form in `root`: `data-api` (default `/api/`), `data-retention-days`
/// (days opinions are kept, default 180).
pub fn consultation(root: Element, host: &Element) -> MountedWidget {
    let props = ConsultationWidgetProps {
        api_url: attribute(host, "data-api", "/api/"),
        retention_days: host
            .get_attribute("data-retention-days")
            .and_then(|days| days.parse().ok())
            .unwrap_or(180),
        lang: lang(host),
    };
    render::<ConsultationWidget>(root, props, |props| &mut props.lang)
}

/// A widget kind a binary offers: its name in `mount_widget` (`search` …), the id of its
/// element on the demo portal's pages, and how it is mounted.
pub type Kind = (
    &'static str,
    &'static str,
    fn(Element, &Element) -> MountedWidget,
);

/// The search ([`search`]).
pub const SEARCH: Kind = ("search", "policy-search", search);
/// The validity lookup ([`validity`]).
pub const VALIDITY: Kind = ("validity", "validity-lookup", validity);
/// The fee-list browser ([`fees`]).
pub const FEES: Kind = ("fees", "fee-list", fees);
/// The consultation form ([`consultation`]).
pub const CONSULTATION: Kind = ("consultation", "consultation", consultation);

/// Mounts the widget `kind` among `offered` into `root`, configured by `host`; nothing for
/// a kind the binary does not offer.
pub fn mount(offered: &[Kind], kind: &str, root: Element, host: &Element) -> Option<MountedWidget> {
    offered
        .iter()
        .find(|(name, _, _)| *name == kind)
        .map(|(_, _, mount)| mount(root, host))
}

/// The demo portal's pages: each widget of `offered` on the element with its id.
pub fn mount_demo_page(offered: &[Kind]) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else {
        return;
    };
    for (_, id, mount) in offered {
        if let Some(element) = document.get_element_by_id(id) {
            // The demo pages never re-label: the handle is not kept.
            let _ = mount(element.clone(), &element);
        }
    }
}
