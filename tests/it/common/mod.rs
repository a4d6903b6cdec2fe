//! What the integration tests share: building the projects they work on (`project`) and
//! running the thematic binary (`run`). Re-exported here, so a module says
//! `common::copy_sample(..)` or `common::thematic(..)`.

#![allow(dead_code)]

pub mod fixed;
pub mod keys;
pub mod project;
pub mod run;

pub use project::{
    ProjectBuilder, copy_dir, copy_sample, fixtures, sample_copy, sample_project, transcript,
};
pub use run::{command, failed_with, succeeded, thematic, thematic_with_config};
