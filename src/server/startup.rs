//! Building the axum application and serving it.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{FromRef, MatchedPath, Request, State};
use axum::http::{Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use leptos::prelude::*;
use leptos_axum::{LeptosRoutes, generate_route_list};
use tower_http::trace::{DefaultOnResponse, TraceLayer};

use crate::app::{App, shell};
use crate::server::Clock;
use crate::server::auth::{Sessions, session};
use crate::server::config::Config;
use crate::server::db::{self, Db};
use crate::server::events::Hub;
use crate::server::jobs::JobRunner;
use crate::server::mail::{Composer, Transport, Worker};
use crate::server::page_language;
use crate::server::site::SiteFiles;
use crate::server::storage::Storage;

/// Everything a request handler or server function needs. Cloned per request
/// (cheaply: it is all handles), given to the Leptos routes as context.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    /// Signs people in and finds who is signed in.
    pub sessions: Sessions,
    pub config: Arc<Config>,
    /// Wakes the outbox worker after email is queued.
    pub mail: Worker,
    /// Tells open pages what changed.
    pub events: Hub,
    /// Runs bulk invitation jobs.
    pub jobs: JobRunner,
    /// The site's files, served from memory.
    pub site: Arc<SiteFiles>,
    /// Where documents are kept.
    pub storage: Storage,
    /// Set once first-run setup is known to be done (it is never undone), so
    /// page requests stop asking the database.
    pub set_up: Arc<std::sync::atomic::AtomicBool>,
}

impl AppState {
    /// True once first-run setup has happened.
    pub async fn is_set_up(&self) -> Result<bool, crate::model::AppError> {
        use std::sync::atomic::Ordering;
        if self.set_up.load(Ordering::Relaxed) {
            return Ok(true);
        }
        let done = !db::orgs::needs_setup(&self.db.pool).await?;
        self.set_up.store(done, Ordering::Relaxed);
        Ok(done)
    }

    /// Now, in milliseconds since the epoch, by the server's clock
    /// ([`Config::clock`]).
    pub fn now(&self) -> i64 {
        self.config.clock.now_ms()
    }

    /// The state inside a server function or a component rendered on the server.
    pub fn from_context() -> Result<AppState, crate::model::AppError> {
        use_context::<AppState>()
            .ok_or_else(|| crate::model::AppError::internal("AppState missing from context"))
    }
}

/// Why the server could not start, named by the setting to look at.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("DATABASE_URL: cannot open or migrate the database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("SMTP_URL: {0}")]
    Smtp(crate::server::mail::smtp::RelayError),
    #[error("LEPTOS_SITE_ROOT: cannot read the site's files: {0}")]
    Site(std::io::Error),
    #[error("{0}")]
    Storage(#[from] crate::server::config::ConfigError),
}

/// Connects to the database, migrates it, starts the outbox worker and
/// builds the application.
pub async fn build(
    config: Config,
    leptos_options: LeptosOptions,
) -> Result<(Router, AppState), StartupError> {
    let site = SiteFiles::load(std::path::Path::new(&*leptos_options.site_root))
        .map_err(StartupError::Site)?;
    let storage = Storage::open(&config.storage, &config.data_dir)?;
    let db = Db::connect_and_migrate(&config.database_url).await?;
    // What a migration cannot do the same on both databases: fold names'
    // case the Unicode way.
    let filled = crate::server::domain::client_accounts::fill_name_lower(&db).await?;
    if filled > 0 {
        tracing::info!(
            accounts = filled,
            "account names made searchable in any case"
        );
    }
    tracing::info!(backend = ?db.backend, "database ready");
    let transport = match &config.smtp_url {
        Some(url) => Transport::smtp(
            url,
            config.mail_from.clone(),
            config.smtp_ca.as_deref(),
            config.worker.connections,
        )
        .map_err(StartupError::Smtp)?,
        None => {
            tracing::info!("no SMTP_URL: email goes to the development mailbox at /mailbox");
            Transport::dev_mailbox(db.clone())
        }
    };
    let events = Hub::start(&db, &config.database_url);
    let composer = Composer {
        db: db.clone(),
        public_url: config.public_url.clone(),
        secret: config.secret.shared(),
        clock: config.clock.clone(),
        signup_link_lifetime: crate::server::domain::signup::LINK_LIFETIME,
    };
    let mail = Worker::start(transport, composer, config.worker.clone(), events.clone());
    let jobs = JobRunner::start(
        db.clone(),
        mail.clone(),
        events.clone(),
        config.jobs.clone(),
        config.clock.clone(),
    );
    let sessions = Sessions {
        db: db.clone(),
        secret: config.secret.clone(),
        clock: config.clock.clone(),
        secure_cookies: config.cookie_secure(),
    };
    let state = AppState {
        leptos_options,
        db,
        sessions,
        config: Arc::new(config),
        mail,
        events,
        jobs,
        site: Arc::new(site),
        set_up: Arc::default(),
        storage,
    };
    Ok((router(state.clone()), state))
}

/// The largest request body accepted, in bytes (forms and server-function
/// calls; the largest, a bulk selection of 5,000 ids, is well under it).
pub const MAX_REQUEST_BODY: usize = 256 * 1024;

fn router(state: AppState) -> Router {
    let routes = generate_route_list(App);
    let context_state = state.clone();
    // The pages (and the server functions Leptos routes beside them), each
    // told its language first.
    let pages = Router::new()
        .leptos_routes_with_context(
            &state,
            routes,
            move || {
                provide_context(context_state.clone());
                page_language::provide();
            },
            {
                let options = state.leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            page_language::choose,
        ));
    Router::new()
        .route("/healthz", get(healthz))
        .route("/events", get(crate::server::live::events))
        .route(
            "/clients/export.csv",
            get(crate::server::export::clients_csv),
        )
        .route(
            "/clients/import/{id}/skipped.csv",
            get(crate::server::import::skipped),
        )
        .route(
            "/documents/{id}/download",
            get(crate::server::files::download),
        )
        .route(
            "/settings/forms/{id}/answers.csv",
            get(crate::server::form_files::answers_csv),
        )
        .merge(pages)
        // Site files (the wasm, CSS, public/) from memory; any other
        // address gets the app's "not found" page (its router renders
        // `NotFound`, which sets 404), and other methods 405.
        .fallback({
            let not_found = leptos_axum::render_app_to_stream_with_context(
                {
                    let state = state.clone();
                    move || {
                        provide_context(state.clone());
                        page_language::provide();
                    }
                },
                {
                    let options = state.leptos_options.clone();
                    move || shell(options.clone())
                },
            );
            move |State(state): State<AppState>, req: Request| async move {
                if !matches!(*req.method(), Method::GET | Method::HEAD) {
                    return StatusCode::METHOD_NOT_ALLOWED.into_response();
                }
                match state.site.response(req.uri().path(), req.headers()).await {
                    Some(file) => file,
                    None => {
                        let req = page_language::told(&state, req).await;
                        not_found(req).await
                    }
                }
            }
        })
        // Every request body (forms, server-function calls) is capped here,
        // not by whatever a dependency happens to default to: the extractors'
        // limit, and the body itself for handlers that read it directly.
        .layer(axum::extract::DefaultBodyLimit::max(MAX_REQUEST_BODY))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            MAX_REQUEST_BODY,
        ))
        // A CSV file to import may be larger: its route has its own cap.
        .merge(
            Router::new()
                .route(
                    "/clients/import/upload",
                    axum::routing::post(crate::server::import::upload),
                )
                .layer(axum::extract::DefaultBodyLimit::max(
                    crate::server::import::MAX_UPLOAD_BODY,
                ))
                .layer(tower_http::limit::RequestBodyLimitLayer::new(
                    crate::server::import::MAX_UPLOAD_BODY,
                )),
        )
        // So may a document: it is counted while it arrives, and refused
        // past its cap before the body limit is reached.
        .merge(
            Router::new()
                .route(
                    "/accounts/{id}/documents",
                    axum::routing::post(crate::server::files::staff_upload),
                )
                .route(
                    "/documents/upload",
                    axum::routing::post(crate::server::files::client_upload),
                )
                .route(
                    "/forms/{request}/files/{key}",
                    axum::routing::post(crate::server::form_files::attach),
                )
                .layer(axum::extract::DefaultBodyLimit::max(
                    crate::server::files::MAX_UPLOAD_BODY,
                ))
                .layer(tower_http::limit::RequestBodyLimitLayer::new(
                    crate::server::files::MAX_UPLOAD_BODY,
                )),
        )
        .layer(middleware::from_fn_with_state(state.clone(), page_guard))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            crate::server::security::same_origin,
        ))
        .layer(middleware::from_fn(crate::server::security::headers))
        .layer(
            TraceLayer::new_for_http()
                .make_span_with(|req: &Request| {
                    // The matched route, not the raw path: paths may carry tokens.
                    let route = req
                        .extensions()
                        .get::<MatchedPath>()
                        .map_or("<unmatched>", MatchedPath::as_str);
                    tracing::info_span!("request", method = %req.method(), route)
                })
                .on_response(DefaultOnResponse::new().level(tracing::Level::INFO)),
        )
        .with_state(state)
}

/// Serves until Ctrl-C or SIGTERM.
pub async fn serve(router: Router, state: AppState) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(state.config.site_addr).await?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    tokio::spawn(expire_sessions(
        state.db.clone(),
        state.config.clock.clone(),
    ));
    serve_until(listener, router, state, shutdown_signal()).await
}

/// The listener every connection is accepted through: each accepted socket
/// gets `TCP_NODELAY`. Without it, a response written in more than one piece
/// (a page, a static file) waits for the client's delayed ACK, about 40 ms
/// on a kept-alive connection, for every request.
pub fn without_nagle(
    listener: tokio::net::TcpListener,
) -> axum::serve::TapIo<tokio::net::TcpListener, fn(&mut tokio::net::TcpStream)> {
    use axum::serve::ListenerExt;
    listener.tap_io(set_nodelay as fn(&mut tokio::net::TcpStream))
}

fn set_nodelay(stream: &mut tokio::net::TcpStream) {
    if let Err(e) = stream.set_nodelay(true) {
        tracing::warn!(error = %e, "could not set TCP_NODELAY on a connection");
    }
}

/// How long a stopping server waits for the email it is sending.
const MAIL_PATIENCE: Duration = Duration::from_secs(30);

/// Serves on `listener` until `stop` resolves; then ends the open event
/// streams (a graceful shutdown waits for every response to end, and theirs
/// never do) and lets the outbox worker finish and record what it is sending.
pub async fn serve_until(
    listener: tokio::net::TcpListener,
    router: Router,
    state: AppState,
    stop: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let events = state.events.clone();
    let served = axum::serve(
        without_nagle(listener),
        router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        stop.await;
        events.close();
    })
    .await;
    if !state.mail.stop(MAIL_PATIENCE).await {
        tracing::warn!(
            "stopped while email was still being sent: what was not recorded is sent again after the next start"
        );
    }
    served
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    tokio::select! { () = ctrl_c => {}, () = term => {} }
    tracing::info!("shutting down");
}

/// Deletes expired sessions (and forgets old rate events) once an hour.
async fn expire_sessions(db: Db, clock: Clock) {
    let mut tick = tokio::time::interval(Duration::from_secs(3600));
    loop {
        tick.tick().await;
        if let Err(e) = crate::server::throttle::forget_old(&db, clock.now_ms()).await {
            tracing::warn!(error = %e, "could not forget old rate events");
        }
        match db::sessions::delete_expired(&db, clock.now_ms()).await {
            Ok(n) if n > 0 => tracing::info!(removed = n, "expired sessions removed"),
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "could not remove expired sessions"),
        }
    }
}

/// 200 when the database answers, 503 otherwise.
async fn healthz(State(db): State<Db>) -> Response {
    match db.ping().await {
        Ok(()) => (StatusCode::OK, "ok").into_response(),
        Err(e) => {
            tracing::warn!(error = %e, "health check failed");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response()
        }
    }
}

/// Pages that need a signed-in member of staff.
const STAFF_PAGES: &[&str] = &[
    // The overview, "/", is matched on its own (it is every path's prefix).
    "/clients",
    "/invitations",
    "/approvals",
    "/audit",
    "/organizations",
    "/mailbox",
    "/settings",
    "/accounts",
];
/// Pages for anyone signed in.
const MEMBER_PAGES: &[&str] = &["/dashboard", "/forms"];

/// Sends page requests where they belong before any page renders:
/// from an organization's old address (`/o/<old slug>…`) to its current
/// one (308), to `/setup` while there is no organization, away from `/setup` after,
/// to `/login` for protected pages when signed out, and from `/` and `/login`
/// to the portal when signed in. Server functions, assets and `/healthz` pass.
async fn page_guard(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    // HEAD is a GET without the body: it is guarded alike.
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    let path = req.uri().path();
    if let Some(rest) = path.strip_prefix("/o/") {
        return match old_address(&state, rest, req.uri().query()).await {
            Ok(Some(to)) => Redirect::permanent(&to).into_response(),
            Ok(None) => next.run(req).await,
            Err(e) => {
                tracing::error!(error = %e, "portal address look-up failed");
                page_language::plain_answer(
                    req.headers(),
                    StatusCode::INTERNAL_SERVER_ERROR,
                    |locale| crate::i18n::td_string!(locale, errors.internal),
                )
            }
        };
    }
    let under = |pages: &[&str]| {
        pages
            .iter()
            .any(|p| path == *p || path.starts_with(&format!("{p}/")))
    };
    let is_staff_page = under(STAFF_PAGES);
    let is_member_page = under(MEMBER_PAGES);
    if !(is_staff_page || is_member_page || matches!(path, "/" | "/login" | "/setup")) {
        return next.run(req).await;
    }
    match guard_target(
        &state,
        req.uri(),
        req.headers(),
        is_staff_page,
        is_member_page,
    )
    .await
    {
        Ok(Guarded::Redirect(to)) => Redirect::to(&to).into_response(),
        Ok(Guarded::Pass(session)) => {
            // The page's language is chosen from the same session.
            req.extensions_mut()
                .insert(page_language::SessionLookup(session));
            next.run(req).await
        }
        Err(_) => page_language::plain_answer(
            req.headers(),
            StatusCode::INTERNAL_SERVER_ERROR,
            |locale| crate::i18n::td_string!(locale, errors.internal),
        ),
    }
}

/// For `/o/<slug>…` (`rest` is what follows `/o/`) at an address its
/// organization left: the same page, query included, at its current one.
async fn old_address(
    state: &AppState,
    rest: &str,
    query: Option<&str>,
) -> Result<Option<String>, crate::model::AppError> {
    let (slug, tail) = rest.find('/').map_or((rest, ""), |i| rest.split_at(i));
    let moved = crate::server::domain::portal::moved(&state.db, slug, tail).await?;
    Ok(moved.map(|to| match query {
        Some(q) => format!("{to}?{q}"),
        None => to,
    }))
}

/// Where a guarded page request goes.
enum Guarded {
    /// Elsewhere first.
    Redirect(String),
    /// On to the page, with the session looked up on the way (None when
    /// signed out, or before setup, when no session is looked up).
    Pass(Option<session::CurrentSession>),
}

async fn guard_target(
    state: &AppState,
    uri: &Uri,
    headers: &axum::http::HeaderMap,
    is_staff_page: bool,
    is_member_page: bool,
) -> Result<Guarded, crate::model::AppError> {
    let path = uri.path();
    if !state.is_set_up().await? {
        return Ok(if path == "/setup" {
            Guarded::Pass(None)
        } else {
            Guarded::Redirect("/setup".to_owned())
        });
    }
    if path == "/setup" {
        return Ok(Guarded::Redirect("/login".to_owned()));
    }
    let signed_in = session::current(&state.sessions, headers).await?;
    let to = match (&signed_in, path) {
        (Some(s), "/login") if s.role.is_staff() => Some("/".to_owned()),
        (Some(s), "/") if s.role.is_staff() => None,
        (Some(_), "/" | "/login") => Some("/dashboard".to_owned()),
        (Some(s), _) if is_staff_page && !s.role.is_staff() => Some("/dashboard".to_owned()),
        (None, "/") => Some("/login".to_owned()),
        (None, _) if is_staff_page || is_member_page => {
            let next = uri.path_and_query().map_or(path, |pq| pq.as_str());
            Some(format!("/login?next={}", encode_query_value(next)))
        }
        _ => None,
    };
    Ok(match to {
        Some(to) => Guarded::Redirect(to),
        None => Guarded::Pass(signed_in),
    })
}

fn encode_query_value(v: &str) -> String {
    url::form_urlencoded::byte_serialize(v.as_bytes()).collect()
}

#[cfg(test)]
mod tests {
    #[tokio::test]
    async fn every_accepted_connection_has_nodelay() {
        use axum::serve::Listener;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let mut accepting = super::without_nagle(listener);
        for _ in 0..3 {
            let client = tokio::net::TcpStream::connect(address).await.unwrap();
            let (accepted, peer) = accepting.accept().await;
            assert_eq!(peer, client.local_addr().unwrap());
            assert!(
                accepted.nodelay().unwrap(),
                "TCP_NODELAY on the server's side"
            );
        }
    }
}
