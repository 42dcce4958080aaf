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

mod support;

use std::time::Duration;

use support::env_or;

fn main() {
    support::run(bench());
}

async fn bench() {
    let seconds: u64 = env_or("BENCH_SECONDS", 5);
    let connections: usize = env_or("BENCH_CONNECTIONS", 20);
    let dir = tempfile::tempdir().unwrap();
    let sqlite = format!(
        "sqlite://{}?mode=rwc",
        dir.path().join("bench.db").display()
    );
    let server = support::serve(support::config(&sqlite, dir.path(), None, 10)).await;
    let (base, state) = (&server.base, &server.state);

    let token = invited_client(base, &state.db.pool).await;
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
    let http = support::http();
    let cookie = support::setup(&http, base).await;
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
            return support::activation_token(&text);
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
