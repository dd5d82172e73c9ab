//! Entry point of the search worker (the engine Wasm).

use disclosure_widgets::protocol::WorkerCodec;
use disclosure_widgets::worker::SearchWorker;
use gloo_worker::Registrable;

fn main() {
    SearchWorker::registrar()
        .encoding::<WorkerCodec>()
        .register();
}
