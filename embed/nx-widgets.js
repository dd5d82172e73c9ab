// The one script a portal page adds to embed the widgets:
//   <script type="module" src="https://…/nx-widgets.js"></script>
//   <nx-policy-search data-index="https://…/data/"></nx-policy-search>
// It registers four custom elements — nx-policy-search, nx-validity-lookup, nx-fee-list,
// nx-consultation — each drawn inside its own shadow root, so the portal's styles and ours
// never meet. The widgets of a page share one UI module, loaded once, the first time an
// element connects: the search's own (search_ui.js) on a page of searches alone, else the
// module with every widget (app.js). Nothing is put on window.
//
// A citizen is never left with nothing:
// - what the host page puts inside an element (a link to the plain page, a notice) shows
//   until the widget is drawn, and also in a browser that runs no module script at all;
// - when the UI module cannot load or compile (no WebAssembly, a Content-Security-Policy
//   without 'wasm-unsafe-eval' in an older browser, a failed download), the element says
//   so in its language, with a link to the plain page named by its data-fallback.
// The labels' language is the element's own lang, else its nearest ancestor's, else the
// page's <html lang>; changing any of them re-labels the widgets without losing state.

const base = new URL('.', import.meta.url);
/** The UI modules loading or loaded, by name. */
const loading = new Map();

/**
 * The UI module of a widget kind: on a page whose only widgets are searches, the search's
 * own (search_ui, about a quarter smaller: what a citizen who came to search downloads);
 * otherwise the module with every widget (app), which then serves the search too, so a
 * page loads one module. Each is loaded once for the whole page; rejects when it cannot
 * run here.
 */
function ready(kind) {
  const others = Object.keys(WIDGETS).filter((name) => WIDGETS[name].kind !== 'search').join(', ');
  const searchOnly = kind === 'search' && !loading.has('app') && !document.querySelector(others);
  const name = searchOnly ? 'search_ui' : 'app';
  if (!loading.has(name)) {
    loading.set(name, typeof WebAssembly !== 'object'
      ? Promise.reject(new Error('this browser runs no WebAssembly'))
      : import(new URL(`${name}.js`, base).href).then(async (module) => {
        await module.default({ module_or_path: new URL(`${name}_bg.wasm`, base) });
        return module;
      }));
  }
  return loading.get(name);
}

/** The widget kind and the defaults its attributes fall back to, relative to this script. */
const WIDGETS = {
  'nx-policy-search': { kind: 'search', defaults: { 'data-index': 'data/', 'data-worker': 'worker_loader.js' } },
  'nx-validity-lookup': { kind: 'validity', defaults: { 'data-index': 'data/' } },
  'nx-fee-list': { kind: 'fees', defaults: { 'data-index': 'data/', 'data-validity-page': 'validity.html' } },
  'nx-consultation': { kind: 'consultation', defaults: { 'data-api': '/api/' } },
};

/** Relative defaults resolve against this script's folder; absolute paths (/api/) stay. */
function resolve(value) {
  return value.startsWith('/') ? value : new URL(value, base).href;
}

/** The language of an element's labels: its own lang, its nearest ancestor's, the page's. */
function language(element) {
  const holder = element.closest('[lang]');
  return (holder && holder.getAttribute('lang')) || document.documentElement.lang || 'zh-CN';
}

/**
 * The plain page of an element: its data-fallback, else the page the data's builder writes
 * beside the data (library.html, fees.html) or the server's consultation pages.
 */
function plainPage(element) {
  const named = element.getAttribute('data-fallback');
  if (named) return named;
  const { kind } = WIDGETS[element.localName] || {};
  const data = new URL(element.getAttribute('data-index') || resolve('data/'), document.baseURI);
  switch (kind) {
    case 'search':
    case 'validity':
      return new URL('library.html', data).href;
    case 'fees':
      return new URL('fees.html', data).href;
    case 'consultation':
      return new URL('../consultations/', new URL(element.getAttribute('data-api') || '/api/', document.baseURI)).href;
    default:
      return null;
  }
}

/** The message shown when the UI module cannot run, in the element's language. */
function failure(element) {
  const english = language(element).toLowerCase().startsWith('en');
  const box = document.createElement('div');
  box.className = 'nx-unavailable';
  box.setAttribute('role', 'status');
  const text = document.createElement('p');
  text.textContent = english
    ? 'This service cannot run in this browser (it needs WebAssembly, which may be blocked or missing).'
    : '本栏目的查询功能无法在当前浏览器中运行（需要浏览器支持 WebAssembly，可能被禁用或不受支持）。';
  box.append(text);
  const plain = plainPage(element);
  if (plain) {
    const link = document.createElement('a');
    link.href = plain;
    link.textContent = english ? 'Read the plain version of this page' : '查看本栏目的文字版页面';
    const line = document.createElement('p');
    line.append(link);
    box.append(line);
  }
  return box;
}

/** Each element's widget and whether the module is loading for it (kept off the element). */
const states = new WeakMap();

/** Draws the widget of `element` into its shadow root. */
function mount(element, state, kind, defaults, module) {
  // The element's own attributes win; the mount reads them from a copy with defaults
  // filled in and the language decided.
  const config = document.createElement('div');
  for (const [attribute, value] of Object.entries(defaults)) {
    const given = element.getAttribute(attribute);
    config.setAttribute(attribute, resolve(given !== null ? given : value));
  }
  for (const { name: attribute, value } of element.attributes) {
    if (attribute.startsWith('data-')) config.setAttribute(attribute, value);
  }
  config.setAttribute('lang', language(element));
  const plain = plainPage(element);
  if (plain) config.setAttribute('data-fallback', plain);
  const root = element.shadowRoot.querySelector('div');
  state.widget = module.mount_widget(kind, root, config);
  const slot = element.shadowRoot.querySelector('slot');
  if (slot) slot.remove();
  mounted.add(element);
  watchLanguages();
}

/** Re-labels the widget of `element` when the language that applies to it changed. */
function relabel(element) {
  const state = states.get(element);
  if (state && state.widget) state.widget.relabel(language(element));
}

/** Elements whose widgets follow a language set on them, an ancestor or <html>. */
const mounted = new Set();
let watching = false;

function watchLanguages() {
  if (watching) return;
  watching = true;
  new MutationObserver(() => {
    for (const element of mounted) relabel(element);
  }).observe(document.documentElement, { attributes: true, attributeFilter: ['lang'], subtree: true });
}

for (const [name, { kind, defaults }] of Object.entries(WIDGETS)) {
  // A page that defined the name first keeps its element; a second copy of this script
  // finds the names taken and defines nothing.
  if (customElements.get(name)) continue;
  customElements.define(name, class extends HTMLElement {
    connectedCallback() {
      const state = states.get(this) || { widget: null, loading: false };
      states.set(this, state);
      // Moved elsewhere in the page (a toolbar's zoom wrapper does this): the widget and
      // its state stay as they are; nothing mounts twice.
      if (state.widget) {
        mounted.add(this);
        return;
      }
      if (state.loading) return;
      if (!this.shadowRoot) {
        const shadow = this.attachShadow({ mode: 'open' });
        const style = document.createElement('link');
        style.rel = 'stylesheet';
        style.href = new URL('widgets.css', base).href;
        // The host's own content shows through this slot until the widget is drawn.
        shadow.append(style, document.createElement('slot'), document.createElement('div'));
      }
      state.loading = true;
      ready(kind).then(
        (module) => {
          state.loading = false;
          // Removed while the module loaded: it mounts when it is connected again.
          if (this.isConnected) mount(this, state, kind, defaults, module);
        },
        () => {
          state.loading = false;
          if (!this.shadowRoot.querySelector('.nx-unavailable')) this.shadowRoot.append(failure(this));
        },
      );
    }

    disconnectedCallback() {
      mounted.delete(this);
    }
  });
}
