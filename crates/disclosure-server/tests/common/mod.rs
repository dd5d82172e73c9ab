pub mod spawn;
