// Starts the widgets' UI module on pages that trunk does not process (validity.html).
import init from './app.js';
init({ module_or_path: './app_bg.wasm' });
