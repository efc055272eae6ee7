//! The single-page app (`web/`, built into `web/dist`): its files at their paths, and
//! `index.html` for every client route, under the security headers the app is built to run
//! with. Release builds carry the bundle inside the binary; debug builds read `web/dist` from
//! the source tree, so `cargo run` serves the committed bundle without Node.

use poem::http::{HeaderValue, Method, StatusCode, header};
use poem::{Endpoint, EndpointExt, Request, Response, handler};
use rust_embed::RustEmbed;

use crate::error::ErrorCode;
use crate::http::graphql::refuse;

/// The built app. A checkout without the bundle still compiles: every client route then
/// answers 404.
#[derive(RustEmbed)]
#[folder = "../web/dist"]
#[allow_missing = true]
struct Bundle;

/// Paths owned by the server, never answered with the app: an unknown path below them is a 404.
const SERVER_PREFIXES: &[&str] = &[
    "graphql",
    "healthz",
    "readyz",
    "fichiers",
    "export",
    "calendar",
    "certificats",
    "verify",
    "assets",
];

/// What the app runs under: scripts, styles, fonts and requests of its own origin only
/// (react-dsfr injects a `<style>`, DSFR uses `data:` images), never framed.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; \
    connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
    frame-ancestors 'none'";

/// Hashed build outputs never change under their name: cached for a year.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";
/// `index.html` names the current bundle: always fetched again.
const NO_CACHE: &str = "no-cache";
/// The design system's copied files (fonts, icons, favicons) keep their names across versions.
const SHORT_CACHE: &str = "public, max-age=3600";

/// The app's endpoint, for `/` and every path no other route takes.
pub fn endpoint(https: bool) -> impl Endpoint<Output = Response> {
    serve
        .map_to_response()
        .map(move |mut response: Response| async move {
            add_security_headers(&mut response, https);
            response
        })
}

fn not_found() -> Response {
    refuse(
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
        "Cette adresse n'existe pas.",
    )
}

#[handler]
fn serve(request: &Request) -> Response {
    if request.method() != Method::GET && request.method() != Method::HEAD {
        return refuse(
            StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::MethodNotAllowed,
            "Cette adresse ne se consulte qu'en GET.",
        );
    }
    let path = request.uri().path().trim_start_matches('/');
    // Never a path that climbs out of the bundle (debug builds read it from disk).
    if path
        .split(['/', '\\'])
        .any(|segment| segment == ".." || segment == ".")
        || path.contains('\\')
    {
        return not_found();
    }
    if !path.is_empty() && Bundle::get(path).is_some() {
        let cache = if path.starts_with("assets/") {
            IMMUTABLE
        } else {
            SHORT_CACHE
        };
        return answer(request, path, cache);
    }
    let first_segment = path.split('/').next().unwrap_or_default();
    if SERVER_PREFIXES.contains(&first_segment) {
        return not_found();
    }
    match Bundle::get("index.html") {
        Some(_) => answer(request, "index.html", NO_CACHE),
        None => not_found(),
    }
}

/// Whether the client takes gzip (`Accept-Encoding`, not refused with `q=0`).
fn accepts_gzip(request: &Request) -> bool {
    request
        .header(header::ACCEPT_ENCODING)
        .unwrap_or_default()
        .split(',')
        .any(|coding| {
            let mut parts = coding.split(';').map(str::trim);
            let name = parts.next().unwrap_or_default();
            let refused = parts.any(|param| {
                param
                    .strip_prefix("q=")
                    .and_then(|q| q.parse::<f32>().ok())
                    .is_some_and(|q| q == 0.0)
            });
            (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
        })
}

/// One file of the bundle (its gzip twin, made at build time, when the client takes it), with
/// its type, validators and caching; `304` when the client holds it already.
fn answer(request: &Request, path: &str, cache: &'static str) -> Response {
    let Some(original) = Bundle::get(path) else {
        return not_found();
    };
    let media_type = original.metadata.mimetype().to_owned();
    let gzipped = accepts_gzip(request)
        .then(|| Bundle::get(&format!("{path}.gz")))
        .flatten();
    let compressed = gzipped.is_some();
    let file = gzipped.unwrap_or(original);
    let etag = format!(
        "\"{}{}\"",
        hex(&file.metadata.sha256_hash()[..16]),
        if compressed { "-gz" } else { "" }
    );
    let matches = request.header(header::IF_NONE_MATCH).is_some_and(|held| {
        held.split(',')
            .any(|tag| tag.trim().trim_start_matches("W/") == etag)
    });
    let mut builder = Response::builder()
        .header(header::ETAG, etag)
        .header(header::CACHE_CONTROL, cache)
        .header(header::VARY, "Accept-Encoding");
    if matches {
        return builder.status(StatusCode::NOT_MODIFIED).finish();
    }
    if compressed {
        builder = builder.header(header::CONTENT_ENCODING, "gzip");
    }
    builder
        .header(header::CONTENT_TYPE, media_type)
        .body(file.data.into_owned())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// Adds the security headers of the app's pages: the CSP, no sniffing, no referrer (tokens
/// travel in URLs), no camera/microphone/location, its own browsing context group, and HSTS
/// when certif is reached over https.
pub fn add_security_headers(response: &mut Response, https: bool) {
    let headers = response.headers_mut();
    let mut set = |name: &'static str, value: &'static str| {
        headers.insert(name, HeaderValue::from_static(value));
    };
    set("content-security-policy", CONTENT_SECURITY_POLICY);
    set("x-content-type-options", "nosniff");
    set("referrer-policy", "no-referrer");
    set(
        "permissions-policy",
        "camera=(), microphone=(), geolocation=()",
    );
    set("cross-origin-opener-policy", "same-origin");
    set("x-frame-options", "DENY");
    if https {
        set(
            "strict-transport-security",
            "max-age=63072000; includeSubDomains",
        );
    }
}
