//! `certif`: the command-line program that runs certif. With no argument it runs the API and
//! the scheduler in one process on embedded defaults; subcommands run each part alone.

mod admin;
mod commands;
mod config;
mod demo;
mod shutdown;
mod telemetry;

use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "certif",
    version,
    about = "Runs the certification of beta.gouv.fr intrapreneurs."
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Clone)]
enum Command {
    /// Run the API and the scheduler in one process (the default).
    Up,
    /// Run the GraphQL API alone (production: several replicas against one database).
    Api,
    /// Run the scheduler daemon alone (several instances may run against one database).
    Scheduler,
    /// Apply the pending database migrations, then exit.
    Migrate,
    /// Load the demo data set (idempotent): sessions in every phase, admins and coaches.
    Demo,
    /// Manage accounts from the command line.
    #[command(subcommand)]
    Admin(AdminCommand),
}

#[derive(Subcommand, Clone)]
enum AdminCommand {
    /// Create an admin (the first one). The password is read from standard input or a prompt.
    Create {
        /// The admin's email address.
        #[arg(long)]
        email: String,
        /// The admin's name, as shown to others.
        #[arg(long)]
        name: String,
    },
}

/// The stack of each runtime thread (tokio's default is 2 MiB).
const WORKER_STACK_BYTES: usize = 8 * 1024 * 1024;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match config::Config::from_env() {
        Ok(config) => config,
        Err(error) => return fail(&error),
    };
    telemetry::init(config.log_json);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // A belt only: the API bounds every request's nesting before anything recurses on it
        // (`api::graphql::query_shape`), so no request comes near even tokio's 2 MiB default. A
        // stack overflow cannot be caught and would abort the API and the scheduler together.
        .thread_stack_size(WORKER_STACK_BYTES)
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => return fail(&error),
    };
    let outcome = runtime.block_on(async {
        match cli.command.unwrap_or(Command::Up) {
            Command::Up => commands::up(&config, true, true).await,
            Command::Api => commands::up(&config, true, false).await,
            Command::Scheduler => commands::up(&config, false, true).await,
            Command::Migrate => commands::migrate(&config).await,
            Command::Demo => commands::demo(&config).await,
            Command::Admin(AdminCommand::Create { email, name }) => {
                commands::create_admin(&config, &email, &name).await
            }
        }
    });
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(&error),
    }
}

/// Prints the error as one sentence (no panic trace) and exits non-zero.
fn fail(error: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("certif: {error}.");
    ExitCode::FAILURE
}
