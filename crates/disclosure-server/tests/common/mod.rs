// Each test binary uses a part of the helpers.
#[allow(dead_code)]
pub mod spawn;
