//! `GET /verify/<number>`: the public page anyone (an employer, a recruiter) uses to check a
//! certificate. It says valid, revoked or unknown, with the holder's name, the certification's
//! title and the date, and nothing else: no address, no reason for a revocation, no ids.
//! HTML in French, or JSON when the request prefers `application/json` (or `?format=json`).
//!
//! Look-ups count against the client address like the other public actions (`throttle.rs`):
//! the number's 40 random bits already make guessing hopeless (about 10¹⁰ guesses per hit
//! with a hundred certificates a month), and the limit keeps a script from trying.

use chrono::{DateTime, NaiveDate, Utc};
use poem::http::{HeaderValue, StatusCode, header};
use poem::web::{Data, Path};
use poem::{IntoResponse, Request, Response, handler};
use schema::domain::french;
use schema::models::Certificate;
use serde_json::json;

use crate::error::ApiError;
use crate::state::AppState;
use crate::throttle::{self, Action};
use crate::workflows::certificates;

/// What the page says about a number.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Verdict {
    Valid(Public),
    Revoked(Public, DateTime<Utc>),
    Unknown,
}

/// The only facts of a certificate shown to the public.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Public {
    holder: String,
    title: String,
    issued_on: NaiveDate,
}

impl Verdict {
    fn of(certificate: Option<Certificate>) -> Self {
        let Some(certificate) = certificate else {
            return Self::Unknown;
        };
        let public = Public {
            holder: certificate.holder_name,
            title: certificate.title,
            issued_on: certificate.issued_on,
        };
        match certificate.revoked_at {
            Some(revoked_at) => Self::Revoked(public, revoked_at),
            None => Self::Valid(public),
        }
    }

    fn status(&self) -> StatusCode {
        match self {
            Self::Unknown => StatusCode::NOT_FOUND,
            _ => StatusCode::OK,
        }
    }

    fn json(&self) -> serde_json::Value {
        match self {
            Self::Valid(public) => json!({
                "status": "valid",
                "holder": public.holder,
                "title": public.title,
                "issued_on": public.issued_on,
            }),
            Self::Revoked(public, revoked_at) => json!({
                "status": "revoked",
                "holder": public.holder,
                "title": public.title,
                "issued_on": public.issued_on,
                "revoked_on": revoked_at.with_timezone(&chrono_tz::Europe::Paris).date_naive(),
            }),
            Self::Unknown => json!({ "status": "unknown" }),
        }
    }

    fn html(&self) -> String {
        let (heading, colour, body) = match self {
            Self::Valid(public) => (
                "Certificat valide",
                "#18753c",
                format!(
                    "<p>Ce certificat a été délivré à <strong>{}</strong> le {}.</p>\n<p>Certification : <strong>{}</strong></p>",
                    escape(&public.holder),
                    escape(&french::date(public.issued_on)),
                    escape(&public.title),
                ),
            ),
            Self::Revoked(public, revoked_at) => (
                "Certificat révoqué",
                "#ce0500",
                format!(
                    "<p>Ce certificat avait été délivré à <strong>{}</strong> le {}. Il a été <strong>révoqué</strong> le {} : il n'atteste plus de la certification.</p>\n<p>Certification : <strong>{}</strong></p>",
                    escape(&public.holder),
                    escape(&french::date(public.issued_on)),
                    escape(&french::date(
                        revoked_at
                            .with_timezone(&chrono_tz::Europe::Paris)
                            .date_naive()
                    )),
                    escape(&public.title),
                ),
            ),
            Self::Unknown => (
                "Certificat inconnu",
                "#666666",
                "<p>Aucun certificat ne porte ce numéro. Vérifiez qu'il est recopié en entier, tirets compris (par exemple 2027-05-ABCD-EFGH).</p>".to_owned(),
            ),
        };
        page(heading, colour, &body)
    }
}

fn page(heading: &str, colour: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>
<html lang=\"fr\">
<head>
<meta charset=\"utf-8\">
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">
<meta name=\"robots\" content=\"noindex\">
<title>{heading} — Certification des intrapreneurs de beta.gouv.fr</title>
</head>
<body style=\"margin: 0; padding: 24px; background: #f6f6f6; font-family: Marianne, Arial, sans-serif; color: #161616; line-height: 1.5;\">
<main style=\"max-width: 560px; margin: 0 auto; padding: 24px; background: #ffffff; border-top: 4px solid #000091;\">
<p style=\"margin: 0; font-size: 14px; color: #666666;\">Vérification d'un certificat — certification des intrapreneurs de beta.gouv.fr</p>
<h1 style=\"color: {colour};\">{heading}</h1>
{body}
</main>
</body>
</html>
"
    )
}

/// Text made safe to place in HTML, between tags or in a quoted attribute.
fn escape(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str("&#39;"),
            c => escaped.push(c),
        }
    }
    escaped
}

/// Whether the client asked for JSON: `?format=json`, or an `Accept` header that ranks
/// `application/json` above HTML (a tie, or a bare `*/*`, gives HTML).
fn wants_json(req: &Request) -> bool {
    let by_query = req.uri().query().is_some_and(|query| {
        query
            .split('&')
            .any(|pair| pair.eq_ignore_ascii_case("format=json"))
    });
    by_query || prefers_json(req.header(header::ACCEPT).unwrap_or_default())
}

fn prefers_json(accept: &str) -> bool {
    let mut json = None::<f32>;
    let mut html = None::<f32>;
    for range in accept.split(',') {
        let mut parts = range.split(';');
        let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
        let quality = parts
            .filter_map(|parameter| {
                let (name, value) = parameter.split_once('=')?;
                (name.trim() == "q").then(|| value.trim().parse::<f32>().ok())?
            })
            .next()
            .unwrap_or(1.0);
        let slot = match media.as_str() {
            "application/json" => &mut json,
            "text/html" => &mut html,
            _ => continue,
        };
        *slot = Some(slot.map_or(quality, |known| known.max(quality)));
    }
    match (json, html) {
        (Some(json), Some(html)) => json > 0.0 && json > html,
        (Some(json), None) => json > 0.0,
        _ => false,
    }
}

fn respond(status: StatusCode, json: bool, body_json: serde_json::Value, html: String) -> Response {
    let mut response = if json {
        (status, poem::web::Json(body_json)).into_response()
    } else {
        (status, poem::web::Html(html)).into_response()
    };
    let headers = response.headers_mut();
    // A revocation must show at once: nothing keeps a copy.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::VARY, HeaderValue::from_static("Accept"));
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
    );
    headers.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    // Holders' names stay out of search engines.
    headers.insert("x-robots-tag", HeaderValue::from_static("noindex"));
    response
}

/// `GET /verify/<number>`: valid, revoked (200) or unknown (404), in HTML or JSON.
#[handler]
pub async fn verify(
    req: &Request,
    Path(typed): Path<String>,
    Data(state): Data<&AppState>,
) -> Response {
    let json = wants_json(req);
    let now = state.clock.now();
    let addr = crate::http::graphql::client_addr(req, state.config.trust_forwarded_for);
    let verdict =
        match throttle::attempt_from_address(state, Action::Verification, addr.as_deref(), now)
            .await
        {
            Ok(()) => look_up(state, &typed).await,
            Err(error) => Err(error),
        };
    match verdict {
        Ok(verdict) => respond(verdict.status(), json, verdict.json(), verdict.html()),
        Err(ApiError::RateLimited) => {
            let message = ApiError::RateLimited.message();
            let mut response = respond(
                StatusCode::TOO_MANY_REQUESTS,
                json,
                crate::error::error_body(crate::error::ErrorCode::RateLimited, &message),
                page(
                    "Trop de vérifications",
                    "#666666",
                    &format!("<p>{}</p>", escape(&message)),
                ),
            );
            response.headers_mut().insert(
                header::RETRY_AFTER,
                HeaderValue::from(state.config.throttle.window.num_seconds().max(1)),
            );
            response
        }
        Err(error) if error.is_unavailable() => {
            let message = crate::error::UNAVAILABLE_MESSAGE;
            let mut response = respond(
                StatusCode::SERVICE_UNAVAILABLE,
                json,
                crate::error::error_body(crate::error::ErrorCode::ServiceUnavailable, message),
                page(
                    "Vérification momentanément impossible",
                    "#666666",
                    &format!("<p>{}</p>", escape(message)),
                ),
            );
            crate::error::mark_unavailable(&mut response);
            response
        }
        Err(error) => {
            if let ApiError::Internal(cause) = &error {
                tracing::error!(%cause, "A certificate verification failed on the server side.");
            }
            let message = crate::error::INTERNAL_MESSAGE;
            respond(
                StatusCode::INTERNAL_SERVER_ERROR,
                json,
                crate::error::error_body(crate::error::ErrorCode::Internal, message),
                page(
                    "Vérification impossible",
                    "#666666",
                    &format!("<p>{}</p>", escape(message)),
                ),
            )
        }
    }
}

async fn look_up(state: &AppState, typed: &str) -> Result<Verdict, ApiError> {
    Ok(Verdict::of(certificates::find(state, typed).await?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_chosen_only_when_preferred() {
        assert!(prefers_json("application/json"));
        assert!(prefers_json("application/json, */*;q=0.5"));
        assert!(prefers_json("text/html;q=0.5, application/json"));
        assert!(!prefers_json(
            "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
        ));
        assert!(!prefers_json("*/*"));
        assert!(!prefers_json(""));
        assert!(!prefers_json("application/json, text/html"));
        assert!(!prefers_json("application/json;q=0"));
    }

    #[test]
    fn html_is_escaped() {
        assert_eq!(
            escape("<script>\"O'Brien\" & co</script>"),
            "&lt;script&gt;&quot;O&#39;Brien&quot; &amp; co&lt;/script&gt;"
        );
    }
}
