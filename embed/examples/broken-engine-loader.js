// A search worker whose engine cannot load (its Wasm is missing), as when a download fails
// or is blocked: the widget must tell the citizen rather than search for ever.
importScripts('../worker.js');
wasm_bindgen('./no-such-engine_bg.wasm');
