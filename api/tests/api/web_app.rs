//! The single-page app served by certif: its files, `index.html` for client routes (never for
//! the server's own paths), caching, and the security headers it runs under.

use schema::config::Environment;

use super::Harness;
use super::booking::now;

#[tokio::test(flavor = "multi_thread")]
async fn client_routes_get_the_app_and_server_paths_never_do() {
    let harness = Harness::new(Environment::Development, now()).await;
    let server = harness.serve().await;
    let get = |path: &str| server.http.get(format!("{}{path}", server.base)).send();

    let home = get("/").await.unwrap();
    assert_eq!(home.status(), 200);
    let headers = home.headers().clone();
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/html")
    );
    assert_eq!(headers["cache-control"], "no-cache");
    let csp = headers["content-security-policy"].to_str().unwrap();
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ] {
        assert!(csp.contains(directive), "{csp}");
    }
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "no-referrer");
    assert!(
        !headers.contains_key("strict-transport-security"),
        "no HSTS over http"
    );
    let index = home.text().await.unwrap();
    assert!(index.contains("<html lang=\"fr\""), "{index}");
    assert!(
        !index.contains("<script>"),
        "no inline script under the CSP"
    );

    // Every link certif emails lands on the app.
    for route in [
        "/connexion/abc",
        "/reservation/abc",
        "/mot-de-passe/abc",
        "/invitation/abc",
        "/liste-d-attente/desinscription/abc",
        "/inscription",
        "/espace",
    ] {
        let response = get(route).await.unwrap();
        assert_eq!(response.status(), 200, "{route}");
        assert_eq!(response.text().await.unwrap(), index, "{route}");
    }
    // The server's own paths never fall back to the app.
    for path in [
        "/graphql/x",
        "/fichiers/a/b",
        "/export/x",
        "/calendar/a/b",
        "/certificats/a/b",
        "/verify/a/b",
        "/healthz/x",
        "/readyz/x",
        "/assets/missing.js",
    ] {
        let response = get(path).await.unwrap();
        assert_eq!(response.status(), 404, "{path}");
        let body: serde_json::Value = response.json().await.unwrap();
        assert_eq!(
            body["errors"][0]["extensions"]["code"], "NOT_FOUND",
            "{path}"
        );
    }
    // Hashed assets are cached for good, and revalidated by ETag.
    let script = index
        .split('"')
        .find(|part| part.starts_with("/assets/") && part.ends_with(".js"))
        .expect("index.html loads a hashed script");
    let asset = get(script).await.unwrap();
    assert_eq!(asset.status(), 200);
    assert_eq!(
        asset.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert!(
        asset.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("javascript")
    );
    let etag = asset.headers()["etag"].to_str().unwrap().to_owned();
    let asset_len = asset.bytes().await.unwrap().len();
    let again = server
        .http
        .get(format!("{}{script}", server.base))
        .header("if-none-match", &etag)
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 304);

    // Clients that take gzip get the twin compressed at build time.
    let gzipped = server
        .http
        .get(format!("{}{script}", server.base))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .unwrap();
    assert_eq!(gzipped.status(), 200);
    assert_eq!(gzipped.headers()["content-encoding"], "gzip");
    assert_eq!(gzipped.headers()["vary"], "Accept-Encoding");
    assert!(
        gzipped.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("javascript")
    );
    let compressed = gzipped.bytes().await.unwrap();
    assert_eq!(&compressed[..2], &[0x1f, 0x8b], "a gzip stream");
    assert!(
        compressed.len() < asset_len / 2,
        "{} of {asset_len}",
        compressed.len()
    );
    let refused = server
        .http
        .get(format!("{}{script}", server.base))
        .header("accept-encoding", "gzip;q=0, identity")
        .send()
        .await
        .unwrap();
    assert!(!refused.headers().contains_key("content-encoding"));

    let post = server
        .http
        .post(format!("{}/espace", server.base))
        .send()
        .await
        .unwrap();
    assert_eq!(post.status(), 405);
    let body: serde_json::Value = post.json().await.unwrap();
    assert_eq!(
        body["errors"][0]["extensions"]["code"],
        "METHOD_NOT_ALLOWED"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_path_that_climbs_out_of_the_bundle_is_not_found() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let harness = Harness::new(Environment::Development, now()).await;
    let server = harness.serve().await;
    let address = server.base.trim_start_matches("http://").to_owned();
    for path in [
        "/../../../../etc/passwd",
        "/assets/../../Cargo.toml",
        "/./index.html",
        "/..\\..\\Cargo.toml",
    ] {
        // Sent as is: an HTTP client would resolve the dots itself.
        let mut stream = tokio::net::TcpStream::connect(&address).await.unwrap();
        let request =
            format!("GET {path} HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await.unwrap();
        let status = answer.split(' ').nth(1).unwrap_or_default().to_owned();
        assert!(status == "404" || status == "400", "{path}: {answer}");
        assert!(
            !answer.contains("root:") && !answer.contains("[workspace]"),
            "{path}: {answer}"
        );
    }
}
