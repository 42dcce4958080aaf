//! Pages and files on kept-alive connections, as browsers and load
//! balancers use them.
//!
//!     cargo bench --features ssr --bench pages     # (make bench runs it)
//!     BENCH_SECONDS=10 BENCH_CONNECTIONS=20 cargo bench --features ssr --bench pages
//!
//! Starts the real server in this process (release build, SQLite, the
//! development mailbox) through the binary's listener and router (without its
//! request log, which the binary writes at INFO), makes an organization
//! and one invited client, then for each of `/healthz`, the activation page,
//! the sign-in page and a static file (`/favicon.svg`, from `target/site`:
//! run `make build` first) keeps BENCH_CONNECTIONS connections (default 20)
//! busy for BENCH_SECONDS (default 5) and prints requests per second, p50 and
//! p99 latency, and each figure's share of `/healthz`'s requests per second.
//! The load comes from wrk (Debian's `wrk`, which `make bench` installs),
//! two threads on this machine's two cores beside the server: compare the
//! figures within one run.

use std::time::Duration;

use leptos::config::get_configuration;
use porchlight::server::config::Cli;
use porchlight::server::startup;

fn env_or<T: std::str::FromStr>(name: &str, default: T) -> T {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    // As the server binary does, before any other thread starts.
    porchlight::server::tune_allocator();
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(bench());
}

async fn bench() {
    let seconds: u64 = env_or("BENCH_SECONDS", 5);
    let connections: usize = env_or("BENCH_CONNECTIONS", 20);
    let dir = tempfile::tempdir().unwrap();
    let config = Cli {
        database_url: Some(format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("bench.db").display()
        )),
        site_addr: "127.0.0.1:0".parse().unwrap(),
        public_url: None,
        smtp_url: None,
        dev_mailbox: false,
        smtp_ca_file: None,
        mail_from: None,
        smtp_max_attempts: 6,
        login_failures_per_account: 5,
        login_failures_per_ip: 20,
        login_failure_window: 300,
        requests_per_key_per_minute: 5,
        requests_per_ip_per_minute: 20,
        smtp_connections: 10,
        secret: Some("bench-secret-".repeat(4)),
        data_dir: dir.path().to_owned(),
    }
    .into_config()
    .unwrap();
    let leptos_options = get_configuration(Some("Cargo.toml"))
        .unwrap()
        .leptos_options;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let (router, state) = startup::build(config, leptos_options).await.unwrap();
    tokio::spawn(startup::serve_until(
        listener,
        router,
        state.clone(),
        std::future::pending(),
    ));

    let token = invited_client(&base, &state.db.pool).await;
    let targets = [
        ("/healthz", "/healthz".to_owned()),
        ("activation page", format!("/activate/{token}")),
        ("sign-in page", "/login".to_owned()),
        ("static file (favicon.svg)", "/favicon.svg".to_owned()),
    ];
    println!(
        "pages: {connections} kept-alive connections, {seconds} s each, release build, SQLite"
    );
    let mut healthz = None;
    for (name, path) in targets {
        let url = format!("{base}{path}");
        let status = reqwest::get(&url).await.unwrap().status();
        if !status.is_success() {
            println!("{name:<28} answered {status}: skipped (for static files, run `make build`)");
            continue;
        }
        let (rate, p50, p99) = load(&url, connections, Duration::from_secs(seconds)).await;
        let share = match healthz {
            None => {
                healthz = Some(rate);
                String::new()
            }
            Some(h) => format!("  {:>4.0}% of /healthz", 100.0 * rate / h),
        };
        println!(
            "{name:<28} {rate:>9.0} req/s   p50 {:>7.2} ms   p99 {:>7.2} ms{share}",
            p50.as_secs_f64() * 1e3,
            p99.as_secs_f64() * 1e3,
        );
    }
}

/// Sets up the organization and invites one client; returns the token of the
/// client's activation link, read from the development mailbox.
async fn invited_client(base: &str, pool: &sqlx::AnyPool) -> String {
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let setup = http
        .post(format!("{base}/api/setup"))
        .header("accept", "application/json")
        .form(&[
            ("organization_name", "Bench Tutors"),
            ("organization_slug", "bench-tutors"),
            ("owner_name", "Olive Owner"),
            ("owner_email", "owner@example.com"),
            ("owner_password", "a long owner password"),
        ])
        .send()
        .await
        .unwrap();
    let cookie = setup
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .expect("setup signs in")
        .to_owned();
    let created = http
        .post(format!("{base}/api/create_client"))
        .header("accept", "application/json")
        .header("cookie", cookie)
        .form(&[
            ("first_name", "Ann"),
            ("last_name", "Lee"),
            ("email", "ann@example.com"),
            ("role", "client"),
        ])
        .send()
        .await
        .unwrap();
    assert!(created.status().is_success());
    for _ in 0..200 {
        let row: Option<(String,)> = sqlx::query_as("SELECT text_body FROM dev_mailbox LIMIT 1")
            .fetch_optional(pool)
            .await
            .unwrap();
        if let Some((text,)) = row {
            let start = text.find("/activate/").unwrap() + "/activate/".len();
            return text[start..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the invitation never reached the development mailbox");
}

/// Keeps `connections` kept-alive connections busy with GET `url` for
/// `duration` (wrk, two threads); returns requests per second, p50 and p99.
async fn load(url: &str, connections: usize, duration: Duration) -> (f64, Duration, Duration) {
    let mut wrk = std::process::Command::new("wrk");
    wrk.args(["-t2", "--latency"])
        .arg(format!("-c{connections}"))
        .arg(format!("-d{}s", duration.as_secs()))
        .arg(url);
    // Waited for off the runtime, whose threads serve the requests.
    let out = tokio::task::spawn_blocking(move || wrk.output())
        .await
        .unwrap()
        .expect("wrk runs (apt-get install wrk; `make bench` does)");
    let text = String::from_utf8_lossy(&out.stdout);
    let rate = text
        .lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no rate in wrk's output:\n{text}"));
    let percentile = |p: &str| {
        text.lines()
            .map(str::trim)
            .find_map(|l| l.strip_prefix(p))
            .and_then(|v| duration_of(v.trim()))
            .unwrap_or_else(|| panic!("no {p} in wrk's output:\n{text}"))
    };
    (rate, percentile("50%"), percentile("99%"))
}

/// wrk's "635.00us", "1.23ms" or "2.01s".
fn duration_of(v: &str) -> Option<Duration> {
    let (number, scale) = if let Some(n) = v.strip_suffix("us") {
        (n, 1e-6)
    } else if let Some(n) = v.strip_suffix("ms") {
        (n, 1e-3)
    } else if let Some(n) = v.strip_suffix('s') {
        (n, 1.0)
    } else {
        return None;
    };
    number
        .parse::<f64>()
        .ok()
        .map(|n| Duration::from_secs_f64(n * scale))
}
