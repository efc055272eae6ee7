//! The addresses certif gives out (in emails, PDFs, chat posts and API answers): one type built
//! from `PUBLIC_URL`, with one method per route, so that no path is written twice. The web app
//! serves the client routes (`web/src/routes.ts`, checked by the test below) and the API the
//! others (`api/src/http/routes.rs` uses the same [`route`] constants).

use std::fmt;

/// The paths, without their last segment (a token, an id, a number).
pub mod route {
    /// The candidates' sign-in page; `/connexion/<token>` signs in with an emailed link.
    pub const SIGN_IN: &str = "/connexion";
    /// The registration form.
    pub const REGISTRATION: &str = "/inscription";
    /// `/reservation/<token>`: booking an oral with a booking link.
    pub const BOOKING: &str = "/reservation";
    /// `/mot-de-passe/<token>`: choosing a new password with a reset link.
    pub const PASSWORD: &str = "/mot-de-passe";
    /// `/invitation/<token>`: choosing a first password with an invitation.
    pub const INVITATION: &str = "/invitation";
    /// `/liste-d-attente/desinscription/<token>`: leaving the waiting list.
    pub const UNSUBSCRIBE: &str = "/liste-d-attente/desinscription";
    /// `/fichiers/<id>`: a dossier file (served by the API).
    pub const DOSSIER_FILE: &str = "/fichiers";
    /// `/certificats/<number>.pdf`: a certificate's PDF (served by the API).
    pub const CERTIFICATE: &str = "/certificats";
    /// `/verify/<number>`: the public verification page of a certificate (served by the API).
    pub const VERIFY: &str = "/verify";
    /// `/calendar/<token>.ics`: a coach's or admin's calendar feed (served by the API).
    pub const CALENDAR: &str = "/calendar";
}

/// The address people use to reach certif (`PUBLIC_URL`), without a trailing slash.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PublicUrl(String);

impl PublicUrl {
    /// The address `base` (a trailing slash is dropped). `schema::config::public_url_from_env`
    /// checks the configured one.
    pub fn new(base: impl Into<String>) -> Self {
        let mut base = base.into();
        while base.ends_with('/') {
            base.pop();
        }
        Self(base)
    }

    /// The default: plain HTTP on the listening address.
    pub fn local(listen_addr: std::net::SocketAddr) -> Self {
        Self(format!("http://{listen_addr}"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether people reach certif over HTTPS (cookies are then `Secure`).
    pub fn is_https(&self) -> bool {
        self.0.starts_with("https://")
    }

    /// The host name (the domain of iCalendar UIDs).
    pub fn host(&self) -> Option<String> {
        url::Url::parse(&self.0)
            .ok()
            .and_then(|url| url.host_str().map(str::to_owned))
    }

    fn at(&self, path: &str) -> String {
        format!("{}{path}", self.0)
    }

    fn under(&self, prefix: &str, last: impl fmt::Display) -> String {
        format!("{}{prefix}/{last}", self.0)
    }

    /// The candidates' sign-in page (their space, once signed in).
    pub fn sign_in_page(&self) -> String {
        self.at(route::SIGN_IN)
    }

    /// An emailed sign-in link.
    pub fn sign_in(&self, token: &str) -> String {
        self.under(route::SIGN_IN, token)
    }

    /// The registration form.
    pub fn registration(&self) -> String {
        self.at(route::REGISTRATION)
    }

    /// A booking link.
    pub fn booking(&self, token: &str) -> String {
        self.under(route::BOOKING, token)
    }

    /// A password reset link.
    pub fn password(&self, token: &str) -> String {
        self.under(route::PASSWORD, token)
    }

    /// An invitation's set-password link.
    pub fn invitation(&self, token: &str) -> String {
        self.under(route::INVITATION, token)
    }

    /// A waiting list's unsubscribe link.
    pub fn unsubscribe(&self, token: &str) -> String {
        self.under(route::UNSUBSCRIBE, token)
    }

    /// Where a dossier file downloads from.
    pub fn dossier_file(&self, id: impl fmt::Display) -> String {
        self.under(route::DOSSIER_FILE, id)
    }

    /// Where a certificate's PDF downloads from.
    pub fn certificate_pdf(&self, number: &str) -> String {
        self.under(route::CERTIFICATE, format_args!("{number}.pdf"))
    }

    /// The public verification page of a certificate.
    pub fn verify(&self, number: &str) -> String {
        self.under(route::VERIFY, number)
    }

    /// A calendar feed (without its `?scope=`).
    pub fn calendar_feed(&self, token: &str) -> String {
        self.under(route::CALENDAR, format_args!("{token}.ics"))
    }
}

impl fmt::Display for PublicUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE: &str = "https://certif.example";

    /// Every address `PublicUrl` makes, with sample tokens.
    fn every_address(url: &PublicUrl) -> Vec<String> {
        vec![
            url.sign_in_page(),
            url.sign_in("tok"),
            url.registration(),
            url.booking("tok"),
            url.password("tok"),
            url.invitation("tok"),
            url.unsubscribe("tok"),
            url.dossier_file(uuid::Uuid::nil()),
            url.certificate_pdf("CERT-2027-05-7F3K9Q"),
            url.verify("CERT-2027-05-7F3K9Q"),
            url.calendar_feed("tok"),
        ]
    }

    #[test]
    fn addresses_are_the_base_and_the_route() {
        let url = PublicUrl::new("https://certif.example/");
        assert_eq!(url.as_str(), BASE);
        assert_eq!(url.booking("abc"), "https://certif.example/reservation/abc");
        assert_eq!(
            url.unsubscribe("abc"),
            "https://certif.example/liste-d-attente/desinscription/abc"
        );
        assert_eq!(url.sign_in("abc"), "https://certif.example/connexion/abc");
        assert_eq!(url.sign_in_page(), "https://certif.example/connexion");
        assert_eq!(url.verify("N"), "https://certif.example/verify/N");
        assert_eq!(
            url.certificate_pdf("N"),
            "https://certif.example/certificats/N.pdf"
        );
        assert_eq!(
            url.calendar_feed("t"),
            "https://certif.example/calendar/t.ics"
        );
        assert_eq!(url.host().as_deref(), Some("certif.example"));
        assert!(url.is_https());
        assert!(!PublicUrl::local(([127, 0, 0, 1], 8080).into()).is_https());
    }

    /// The quoted strings between `start` and the next `end` in `source`.
    fn quoted_between<'a>(source: &'a str, start: &str, end: &str) -> Vec<&'a str> {
        let from = source.find(start).expect("the start marker") + start.len();
        let block = &source[from..];
        let block = &block[..block.find(end).expect("the end marker")];
        block
            .split('"')
            .skip(1)
            .step_by(2)
            .filter(|quoted| quoted.starts_with('/'))
            .collect()
    }

    /// Whether `path` matches a react-router pattern (`:name` is one segment).
    fn matches(pattern: &str, path: &str) -> bool {
        let pattern: Vec<&str> = pattern.split('/').collect();
        let path: Vec<&str> = path.split('/').collect();
        pattern.len() == path.len()
            && pattern
                .iter()
                .zip(&path)
                .all(|(want, got)| want.starts_with(':') || want == got)
    }

    /// Every address certif gives out is a route of the web app (`routes` in
    /// `web/src/routes.ts`) or a path the server answers itself (`serverPrefixes` there).
    #[test]
    fn every_address_is_served_by_the_web_app_or_the_server() {
        let source = std::fs::read_to_string(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../web/src/routes.ts"),
        )
        .expect("web/src/routes.ts");
        let client = quoted_between(&source, "export const routes = {", "} as const");
        let server = quoted_between(&source, "export const serverPrefixes = [", "] as const");
        assert!(client.contains(&"/reservation/:token"), "{client:?}");
        assert!(server.contains(&"/verify"), "{server:?}");
        let url = PublicUrl::new(BASE);
        for address in every_address(&url) {
            let path = address.strip_prefix(BASE).expect("the base");
            let served = client.iter().any(|pattern| matches(pattern, path))
                || server.iter().any(|prefix| {
                    path.strip_prefix(prefix)
                        .is_some_and(|rest| rest.starts_with('/') || rest.starts_with('.'))
                });
            assert!(
                served,
                "{path} is neither a route of web/src/routes.ts nor a server path"
            );
        }
    }
}
