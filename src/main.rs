#[cfg(feature = "ssr")]
fn main() -> std::process::ExitCode {
    porchlight::server::tune_allocator();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("the async runtime starts")
        .block_on(serve())
}

#[cfg(feature = "ssr")]
async fn serve() -> std::process::ExitCode {
    use std::process::ExitCode;

    use clap::Parser;
    use leptos::config::get_configuration;
    use porchlight::server::{config::Cli, startup};
    use tracing_subscriber::EnvFilter;

    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,porchlight=info")),
        )
        .init();

    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => match porchlight::server::config::describe_cli_error(&e) {
            // --help, --version, and errors clap cannot tie to one setting.
            None => e.exit(),
            Some(line) => {
                eprintln!("porchlight: configuration error: {line}");
                return ExitCode::from(2);
            }
        },
    };
    let config = match cli.into_config() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("porchlight: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    // Site files (the wasm bundle, CSS, public/) come from LEPTOS_SITE_ROOT and
    // friends when set, as cargo-leptos sets them; otherwise from Cargo.toml's
    // [package.metadata.leptos] in the working directory.
    let cargo_toml = std::path::Path::new("Cargo.toml");
    let leptos_conf = if std::env::var_os("LEPTOS_OUTPUT_NAME").is_none() && cargo_toml.exists() {
        get_configuration(Some("Cargo.toml"))
    } else {
        get_configuration(None)
    };
    let mut leptos_options = match leptos_conf {
        Ok(conf) => conf.leptos_options,
        Err(e) => {
            eprintln!("porchlight: configuration error: LEPTOS_SITE_ROOT: {e}");
            return ExitCode::from(2);
        }
    };
    leptos_options.site_addr = config.site_addr;

    let (router, state) = match startup::build(config, leptos_options).await {
        Ok(app) => app,
        Err(e) => {
            eprintln!("porchlight: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    if let Err(e) = startup::serve(router, state).await {
        eprintln!("porchlight: LEPTOS_SITE_ADDR: {e}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

#[cfg(not(feature = "ssr"))]
fn main() {
    // The wasm build starts from `porchlight::hydrate`; this binary is server-only.
}
