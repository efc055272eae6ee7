//! The emails' texts: template files under `scheduler/templates/`, embedded at build time and
//! rendered with minijinja (HTML parts escaped automatically, unknown values refused).

use chrono::{DateTime, Datelike, Timelike, Utc};
use chrono_tz::Europe::Paris;
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
use schema::models::{CHAT_RECIPIENT, MessageKind};

/// The three parts of a rendered message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Why a message could not be rendered: it is parked as dead with this text.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    #[error("unknown message kind {0:?}: no templates")]
    UnknownKind(String),
    #[error("{0:?} is a chat post, not an email (or the reverse)")]
    WrongChannel(String),
    #[error("the data of the message is not a JSON object")]
    NotAnObject,
    #[error("cannot render {template}: {detail}")]
    Template { template: String, detail: String },
}

/// Shared pieces every kind may include.
const SHARED: [(&str, &str); 3] = [
    ("_layout.html", include_str!("../../templates/_layout.html")),
    ("_button.html", include_str!("../../templates/_button.html")),
    ("_footer.txt", include_str!("../../templates/_footer.txt")),
];

/// The three files of a kind's folder, embedded.
macro_rules! kind_templates {
    ($folder:literal) => {
        [
            (
                concat!($folder, "/subject.txt"),
                include_str!(concat!("../../templates/", $folder, "/subject.txt")),
            ),
            (
                concat!($folder, "/body.txt"),
                include_str!(concat!("../../templates/", $folder, "/body.txt")),
            ),
            (
                concat!($folder, "/body.html"),
                include_str!(concat!("../../templates/", $folder, "/body.html")),
            ),
        ]
    };
}

/// What a kind's folder holds: the three files of an email, or the one text of a chat post.
enum Sources {
    Mail([(&'static str, &'static str); 3]),
    Chat((&'static str, &'static str)),
}

impl Sources {
    fn files(self) -> Vec<(&'static str, &'static str)> {
        match self {
            Self::Mail(files) => files.to_vec(),
            Self::Chat(file) => vec![file],
        }
    }
}

/// A chat post's folder: `text.md`, the markdown posted.
macro_rules! chat_template {
    ($folder:literal) => {
        (
            concat!($folder, "/text.md"),
            include_str!(concat!("../../templates/", $folder, "/text.md")),
        )
    };
}

/// Each kind's folder. Adding a kind: its folder, and one line here.
fn sources(kind: MessageKind) -> Sources {
    Sources::Mail(match kind {
        MessageKind::UserInvitation => kind_templates!("user_invitation"),
        MessageKind::PasswordReset => kind_templates!("password_reset"),
        MessageKind::CandidateSignIn => kind_templates!("candidate_sign_in"),
        MessageKind::RegistrationReceived => kind_templates!("registration_received"),
        MessageKind::WaitingListJoined => kind_templates!("waiting_list_joined"),
        MessageKind::BookingInvitation => kind_templates!("booking_invitation"),
        MessageKind::OralConfirmed => kind_templates!("oral_confirmed"),
        MessageKind::OralMoved => kind_templates!("oral_moved"),
        MessageKind::OralCancelled => kind_templates!("oral_cancelled"),
        MessageKind::OralRemoved => kind_templates!("oral_removed"),
        MessageKind::RegistrationOpened => kind_templates!("registration_opened"),
        MessageKind::DossierDeadlineReminder => kind_templates!("dossier_deadline_reminder"),
        MessageKind::BookingReminder => kind_templates!("booking_reminder"),
        MessageKind::OralReminderCandidate => kind_templates!("oral_reminder_candidate"),
        MessageKind::OralReminderJury => kind_templates!("oral_reminder_jury"),
        MessageKind::ResultPublished => kind_templates!("result_published"),
        MessageKind::AdministrationLetter => kind_templates!("administration_letter"),
        MessageKind::ChatAnnouncement => {
            return Sources::Chat(chat_template!("chat_announcement"));
        }
    })
}

/// Every template, parsed once.
#[derive(Debug)]
pub struct Templates {
    env: Environment<'static>,
}

impl Templates {
    /// Parses every embedded template; an error here is a broken template file (the tests
    /// parse them all).
    pub fn new() -> Result<Self, RenderError> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::Strict);
        env.add_filter("paris", paris);
        env.set_formatter(escape_html_plainly);
        let every = SHARED.into_iter().chain(
            MessageKind::ALL
                .into_iter()
                .flat_map(|kind| sources(kind).files()),
        );
        for (name, source) in every {
            env.add_template(name, source)
                .map_err(|error| template_error(name, &error))?;
        }
        Ok(Self { env })
    }

    /// Renders the email of `kind` (the outbox's column) from its data.
    pub fn render(
        &self,
        kind: &str,
        recipient: &str,
        data: &serde_json::Value,
    ) -> Result<Rendered, RenderError> {
        let (kind, context) = context(kind, recipient, data)?;
        let Sources::Mail(files) = sources(kind) else {
            return Err(RenderError::WrongChannel(kind.as_str().to_owned()));
        };
        let [subject, text, html] = files.map(|(name, _)| name);
        let subject = self.render_file(subject, &context)?;
        Ok(Rendered {
            // One line, whatever the file holds.
            subject: subject.split_whitespace().collect::<Vec<_>>().join(" "),
            text: self.render_file(text, &context)?,
            html: self.render_file(html, &context)?,
        })
    }

    /// Renders the chat post of `kind` from its data: the markdown text, trimmed.
    pub fn render_chat(&self, kind: &str, data: &serde_json::Value) -> Result<String, RenderError> {
        let (kind, context) = context(kind, CHAT_RECIPIENT, data)?;
        let Sources::Chat((name, _)) = sources(kind) else {
            return Err(RenderError::WrongChannel(kind.as_str().to_owned()));
        };
        Ok(self.render_file(name, &context)?.trim().to_owned())
    }

    fn render_file(&self, name: &str, context: &Value) -> Result<String, RenderError> {
        self.env
            .get_template(name)
            .and_then(|template| template.render(context))
            .map_err(|error| template_error(name, &error))
    }
}

/// The kind, and what its templates see: the data's fields and `recipient`.
fn context(
    kind: &str,
    recipient: &str,
    data: &serde_json::Value,
) -> Result<(MessageKind, Value), RenderError> {
    let kind: MessageKind = kind
        .parse()
        .map_err(|_| RenderError::UnknownKind(kind.to_owned()))?;
    let Some(fields) = data.as_object() else {
        return Err(RenderError::NotAnObject);
    };
    let mut context = fields.clone();
    context.insert("recipient".to_owned(), recipient.into());
    Ok((kind, Value::from(minijinja::value::Serde(&context))))
}

/// HTML escaping of the five characters that matter, and only those: minijinja's own also
/// writes `/` as `&#x2f;`, which is valid but turns every link of the HTML source into noise.
fn escape_html_plainly(
    out: &mut minijinja::Output<'_>,
    state: &mut minijinja::State<'_, '_>,
    value: &Value,
) -> Result<(), minijinja::Error> {
    match value.as_str() {
        Some(text) if *state.auto_escape() == AutoEscape::Html && !value.is_safe() => {
            let mut escaped = String::with_capacity(text.len());
            for character in text.chars() {
                match character {
                    '&' => escaped.push_str("&amp;"),
                    '<' => escaped.push_str("&lt;"),
                    '>' => escaped.push_str("&gt;"),
                    '"' => escaped.push_str("&quot;"),
                    '\'' => escaped.push_str("&#39;"),
                    other => escaped.push(other),
                }
            }
            out.write_str(&escaped).map_err(minijinja::Error::from)
        }
        _ => minijinja::escape_formatter(out, state, value),
    }
}

fn template_error(name: &str, error: &minijinja::Error) -> RenderError {
    let mut detail = error.to_string();
    if let Some(line) = error.line() {
        detail.push_str(&format!(" (line {line})"));
    }
    RenderError::Template {
        template: error.name().unwrap_or(name).to_owned(),
        detail,
    }
}

const WEEKDAYS: [&str; 7] = [
    "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche",
];
const MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// An instant in French, Paris time: « jeudi 3 décembre 2026 à 14 h 05 ».
pub fn french_paris_time(instant: DateTime<Utc>) -> String {
    let local = instant.with_timezone(&Paris);
    let day = local.day();
    let ordinal = if day == 1 {
        "1er".to_owned()
    } else {
        day.to_string()
    };
    format!(
        "{} {ordinal} {} {} à {} h {:02}",
        WEEKDAYS[local.weekday().num_days_from_monday() as usize],
        MONTHS[local.month0() as usize],
        local.year(),
        local.hour(),
        local.minute()
    )
}

/// The `paris` filter: an RFC 3339 instant as `french_paris_time` writes it.
fn paris(value: String) -> Result<String, minijinja::Error> {
    DateTime::parse_from_rfc3339(&value)
        .map(|instant| french_paris_time(instant.with_timezone(&Utc)))
        .map_err(|error| {
            minijinja::Error::new(
                minijinja::ErrorKind::InvalidOperation,
                format!("{value:?} is not an RFC 3339 instant: {error}"),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use serde_json::json;

    fn data() -> serde_json::Value {
        json!({
            "display_name": "Camille <Martin>",
            "invited_by": "Dominique",
            "roles": ["coach certificateur"],
            "link": "https://certif.example/connexion/abc?x=1&y=2",
            "expires_at": "2026-12-03T13:05:00Z",
        })
    }

    #[test]
    fn account_messages_render_in_french_with_their_link_and_paris_time() {
        let templates = Templates::new().unwrap();
        for kind in [
            MessageKind::UserInvitation,
            MessageKind::PasswordReset,
            MessageKind::CandidateSignIn,
        ] {
            let rendered = templates
                .render(kind.as_str(), "camille@example.org", &data())
                .unwrap();
            assert!(!rendered.subject.is_empty() && !rendered.subject.contains('\n'));
            assert!(
                rendered.text.contains("Bonjour Camille <Martin>,"),
                "{kind:?}"
            );
            assert!(
                rendered
                    .text
                    .contains("https://certif.example/connexion/abc?x=1&y=2")
            );
            assert!(rendered.text.contains("jeudi 3 décembre 2026 à 14 h 05"));
            // HTML escapes the values, links included.
            assert!(rendered.html.contains("Camille &lt;Martin&gt;"), "{kind:?}");
            assert!(
                rendered
                    .html
                    .contains("href=\"https://certif.example/connexion/abc?x=1&amp;y=2\"")
            );
            assert!(rendered.html.contains("jeudi 3 décembre 2026 à 14 h 05"));
        }
    }

    #[test]
    fn registration_booking_and_oral_messages_render_from_the_data_the_api_queues() {
        let templates = Templates::new().unwrap();
        let oral = json!({
            "booking_id": "b", "ical_uid": "b@certif.example", "sequence": 1, "method": "REQUEST",
            "starts_at": "2027-05-25T07:00:00Z", "ends_at": "2027-05-25T08:30:00Z", "mode": "video",
            "video_link": "https://visio.example/oral", "phone": null, "coach_name": "Sophie Lefèvre",
            "coach_email": "sophie@coachs.example", "candidate_name": "Camille Martin",
            "candidate_email": "camille@administration.example", "startup_name": "Aides Jeunes",
            "second_juror_email": null, "cancel_reason": "Empêchement", "booking_link": "https://certif.example/reservation/abc",
        });
        let cases = [
            (
                MessageKind::RegistrationReceived,
                json!({ "display_name": "Camille", "session_label": "Session de mai 2027", "eligible": false, "reasons": ["Il faut 6 mois."], "dossier_deadline_at": "2027-05-19T22:00:00Z" }),
                "Il faut 6 mois.",
            ),
            (
                MessageKind::WaitingListJoined,
                json!({ "unsubscribe_link": "https://certif.example/liste-d-attente/desinscription/abc" }),
                "desinscription/abc",
            ),
            (
                MessageKind::BookingInvitation,
                json!({ "display_name": "Camille", "session_label": "Session de mai 2027", "application_id": "a", "booking_link": "https://certif.example/reservation/abc", "orals_end_at": "2027-06-02T22:00:00Z" }),
                "reservation/abc",
            ),
            (
                MessageKind::OralConfirmed,
                oral.clone(),
                "mardi 25 mai 2027 à 9 h 00",
            ),
            (
                MessageKind::OralMoved,
                oral.clone(),
                "https://visio.example/oral",
            ),
            (MessageKind::OralCancelled, oral.clone(), "Empêchement"),
        ];
        let mut removed_coach = oral.clone();
        removed_coach["removed_as"] = json!("coach");
        let mut removed_juror = oral;
        removed_juror["removed_as"] = json!("second_juror");
        let cases = cases.into_iter().chain([
            (
                MessageKind::OralRemoved,
                removed_coach,
                "a été déplacé sur le créneau d’un autre coach : vous n’y participez plus.",
            ),
            (
                MessageKind::OralRemoved,
                removed_juror,
                "vous n’y participez plus en tant que second juré.",
            ),
        ]);
        for (kind, data, expected) in cases {
            let rendered = templates
                .render(kind.as_str(), "camille@administration.example", &data)
                .unwrap();
            assert!(
                rendered.text.contains(expected),
                "{kind:?}: {}",
                rendered.text
            );
            assert!(rendered.html.contains("<p>"), "{kind:?}");
            assert!(
                !rendered.subject.is_empty() && !rendered.subject.contains('\n'),
                "{kind:?}"
            );
        }
    }

    #[test]
    fn announcements_and_reminders_render_from_the_data_the_jobs_queue() {
        let templates = Templates::new().unwrap();
        let oral = json!({
            "starts_at": "2027-05-25T07:00:00Z", "ends_at": "2027-05-25T08:30:00Z", "mode": "video",
            "video_link": "https://visio.example/oral", "phone": null, "coach_name": "Sophie Lefèvre",
            "candidate_name": "Camille Martin", "startup_name": "Aides Jeunes",
            "second_juror_email": "juree@beta.gouv.fr",
        });
        let mut candidate_oral = oral.clone();
        candidate_oral["videos"] = json!([
            { "title": "Première vidéo de la série", "url": "https://vimeo.com/320507167" },
        ]);
        let cases = [
            (
                MessageKind::RegistrationOpened,
                json!({
                    "session_label": "Session de mai 2027",
                    "registration_opens_at": "2027-05-03T07:00:00Z",
                    "registration_closes_at": "2027-05-12T22:00:00Z",
                    "dossier_deadline_at": "2027-05-19T22:00:00Z",
                    "registration_link": "https://certif.example/inscription",
                    "unsubscribe_link": "https://certif.example/liste-d-attente/desinscription/abc",
                }),
                vec![
                    "jeudi 13 mai 2027 à 0 h 00",
                    "desinscription/abc",
                    "https://certif.example/inscription",
                ],
            ),
            (
                MessageKind::DossierDeadlineReminder,
                json!({
                    "display_name": "Camille", "session_label": "Session de mai 2027",
                    "deadline_at": "2027-05-19T22:00:00Z", "days_before": 7, "days_left": 7, "returned": true,
                    "missing": ["la présentation du service"],
                    "space_link": "https://certif.example/connexion",
                }),
                vec![
                    "jeudi 20 mai 2027 à 0 h 00",
                    "dans 7 jours",
                    "- la présentation du service",
                    "renvoyé",
                ],
            ),
            (
                MessageKind::DossierDeadlineReminder,
                json!({
                    "display_name": "Camille", "session_label": "Session de mai 2027",
                    "deadline_at": "2027-05-19T22:00:00Z", "days_before": 1, "days_left": 1, "returned": false,
                    "missing": [], "space_link": "https://certif.example/connexion",
                }),
                vec!["c'est bientôt", "Il est complet"],
            ),
            (
                // First seen three days before its deadline: the D-7 step says what is left.
                MessageKind::DossierDeadlineReminder,
                json!({
                    "display_name": "Camille", "session_label": "Session de mai 2027",
                    "deadline_at": "2027-05-19T22:00:00Z", "days_before": 7, "days_left": 3,
                    "returned": false, "missing": [], "space_link": "https://certif.example/connexion",
                }),
                vec!["dans 3 jours"],
            ),
            (
                MessageKind::BookingReminder,
                json!({
                    "display_name": "Camille", "session_label": "Session de mai 2027",
                    "booking_link": "https://certif.example/reservation/abc",
                    "link_sent_at": "2027-05-21T08:00:00Z", "orals_end_at": "2027-06-02T22:00:00Z",
                }),
                vec!["reservation/abc", "vendredi 21 mai 2027 à 10 h 00"],
            ),
            (
                MessageKind::OralReminderCandidate,
                candidate_oral,
                vec![
                    "mardi 25 mai 2027 à 9 h 00",
                    "https://vimeo.com/320507167",
                    "12 vidéos",
                    "demain",
                ],
            ),
            (
                MessageKind::OralReminderJury,
                oral,
                vec![
                    "Camille Martin (Aides Jeunes)",
                    "juree@beta.gouv.fr",
                    "https://visio.example/oral",
                ],
            ),
        ];
        for (kind, data, expected) in cases {
            let rendered = templates
                .render(kind.as_str(), "camille@administration.example", &data)
                .unwrap();
            for text in expected {
                assert!(
                    rendered.text.contains(text),
                    "{kind:?} lacks {text:?}: {}",
                    rendered.text
                );
            }
            assert!(rendered.html.contains("<p>"), "{kind:?}");
            assert!(
                !rendered.subject.is_empty() && !rendered.subject.contains('\n'),
                "{kind:?}"
            );
            assert!(matches!(
                templates.render_chat(kind.as_str(), &data),
                Err(RenderError::WrongChannel(_))
            ));
        }
    }

    #[test]
    fn the_chat_announcement_is_one_markdown_text_with_the_dates_and_the_link() {
        let templates = Templates::new().unwrap();
        let data = json!({
            "session_label": "Session de décembre 2026",
            "registration_closes_at": "2026-12-16T23:00:00Z",
            "dossier_deadline_at": "2026-12-23T23:00:00Z",
            "orals_start_at": "2026-12-23T23:00:00Z",
            "orals_end_at": "2027-01-06T23:00:00Z",
            "registration_link": "https://certif.example/inscription",
        });
        let text = templates
            .render_chat(MessageKind::ChatAnnouncement.as_str(), &data)
            .unwrap();
        assert!(text.starts_with("📣 **Les inscriptions"), "{text}");
        assert!(
            text.contains(
                "Session de décembre 2026 : inscriptions jusqu'au jeudi 17 décembre 2026 à 0 h 00"
            ),
            "{text}"
        );
        assert!(
            text.ends_with("Pour s'inscrire : https://certif.example/inscription"),
            "{text}"
        );
        assert!(matches!(
            templates.render(
                MessageKind::ChatAnnouncement.as_str(),
                "a@example.org",
                &data
            ),
            Err(RenderError::WrongChannel(_))
        ));
    }

    #[test]
    fn every_kind_renders_through_its_own_channel() {
        let templates = Templates::new().unwrap();
        for kind in MessageKind::ALL {
            let outcome = if kind.is_chat() {
                templates
                    .render(kind.as_str(), "a@example.org", &json!({}))
                    .err()
            } else {
                templates.render_chat(kind.as_str(), &json!({})).err()
            };
            assert!(
                matches!(outcome, Some(RenderError::WrongChannel(_))),
                "{kind:?}: {outcome:?}"
            );
        }
    }

    #[test]
    fn a_missing_value_or_an_unknown_kind_is_an_error_not_a_blank() {
        let templates = Templates::new().unwrap();
        let mut incomplete = data();
        incomplete.as_object_mut().unwrap().remove("link");
        let error = templates
            .render("candidate_sign_in", "a@example.org", &incomplete)
            .unwrap_err();
        assert!(
            error.to_string().contains("candidate_sign_in/body.txt"),
            "{error}"
        );
        assert!(matches!(
            templates.render("carrier_pigeon", "a@example.org", &data()),
            Err(RenderError::UnknownKind(_))
        ));
        assert!(matches!(
            templates.render("password_reset", "a@example.org", &json!([1])),
            Err(RenderError::NotAnObject)
        ));
    }

    #[test]
    fn paris_time_follows_daylight_saving_time() {
        let winter = Utc.with_ymd_and_hms(2026, 12, 1, 8, 0, 0).unwrap();
        let summer = Utc.with_ymd_and_hms(2026, 6, 1, 8, 0, 0).unwrap();
        assert_eq!(
            french_paris_time(winter),
            "mardi 1er décembre 2026 à 9 h 00"
        );
        assert_eq!(french_paris_time(summer), "lundi 1er juin 2026 à 10 h 00");
    }
}
