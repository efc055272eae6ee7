//! The emails' texts: template files under `scheduler/templates/`, embedded at build time and
//! rendered with minijinja (HTML parts escaped automatically, unknown values refused).

use chrono::{DateTime, Utc};
use minijinja::{AutoEscape, Environment, UndefinedBehavior, Value};
use schema::messages::{CHAT_RECIPIENT, Message, MessageKind};

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

    /// Renders the email of `message` to `recipient`.
    pub fn render(&self, message: &Message, recipient: &str) -> Result<Rendered, RenderError> {
        let (kind, context) = context(message, recipient)?;
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

    /// Renders the chat post of `message`: the markdown text, trimmed.
    pub fn render_chat(&self, message: &Message) -> Result<String, RenderError> {
        let (kind, context) = context(message, CHAT_RECIPIENT)?;
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

/// The kind, and what its templates see: the message's fields and `recipient`.
fn context(message: &Message, recipient: &str) -> Result<(MessageKind, Value), RenderError> {
    let Ok(serde_json::Value::Object(mut context)) = message.to_data() else {
        return Err(RenderError::NotAnObject);
    };
    context.insert("recipient".to_owned(), recipient.into());
    Ok((
        message.kind(),
        Value::from(minijinja::value::Serde(&context)),
    ))
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

/// An instant in French, Paris time: « jeudi 3 décembre 2026 à 14 h 05 ».
pub fn french_paris_time(instant: DateTime<Utc>) -> String {
    schema::domain::french::weekday_datetime(instant)
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
    use schema::calendar::Method;
    use schema::messages::testing::{oral_message, sample};
    use schema::messages::{OralRemoval, RemovedAs};

    /// The templates of `kind` and their names.
    fn files_of(kind: MessageKind) -> Vec<(&'static str, &'static str)> {
        sources(kind).files()
    }

    /// Every kind has its templates, renders from a sample of its type through its own
    /// channel, and its templates use no value its type lacks: each variable they read (and
    /// each field of it, `certificate.number`) is in the sample's serialized form, or is
    /// `recipient`. A template reading a field its type does not have fails here, not in
    /// production as a dead letter.
    #[test]
    fn every_kind_has_templates_that_read_only_the_fields_of_its_type() {
        let templates = Templates::new().unwrap();
        for kind in MessageKind::ALL {
            let message = sample(kind);
            let files = files_of(kind);
            assert!(!files.is_empty(), "{kind:?} has no templates");
            if kind.is_chat() {
                assert!(
                    !templates.render_chat(&message).unwrap().is_empty(),
                    "{kind:?}"
                );
            } else {
                let rendered = templates.render(&message, "camille@example.org").unwrap();
                assert!(!rendered.subject.is_empty(), "{kind:?}");
                assert!(!rendered.text.trim().is_empty(), "{kind:?}");
                assert!(rendered.html.contains("<p>"), "{kind:?}");
            }
            let data = message.to_data().unwrap();
            for (name, _) in files {
                let template = templates.env.get_template(name).unwrap();
                for variable in template.undeclared_variables(true) {
                    let mut path = variable.split('.');
                    let root = path.next().unwrap_or_default();
                    if root == "recipient" {
                        continue;
                    }
                    let mut value = data.get(root).unwrap_or_else(|| {
                        panic!("{name} reads `{variable}`, which {kind:?}'s type has not")
                    });
                    for field in path {
                        match value {
                            serde_json::Value::Object(fields) => {
                                value = fields.get(field).unwrap_or_else(|| {
                                    panic!(
                                        "{name} reads `{variable}`, which {kind:?}'s type has not"
                                    )
                                });
                            }
                            _ => break,
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn account_messages_render_in_french_with_their_link_and_paris_time() {
        let templates = Templates::new().unwrap();
        for kind in [
            MessageKind::UserInvitation,
            MessageKind::PasswordReset,
            MessageKind::CandidateSignIn,
        ] {
            let message = sample(kind);
            let link = message.to_data().unwrap()["link"]
                .as_str()
                .unwrap()
                .to_owned();
            assert!(link.ends_with("/abc?x=1&y=2"), "{link}");
            let rendered = templates.render(&message, "camille@example.org").unwrap();
            assert!(!rendered.subject.is_empty() && !rendered.subject.contains('\n'));
            assert!(
                rendered.text.contains("Bonjour Camille <Martin>,"),
                "{kind:?}"
            );
            assert!(rendered.text.contains(&link));
            assert!(rendered.text.contains("jeudi 3 décembre 2026 à 14 h 05"));
            // HTML escapes the values, links included.
            assert!(rendered.html.contains("Camille &lt;Martin&gt;"), "{kind:?}");
            let escaped = link.replace('&', "&amp;");
            assert!(rendered.html.contains(&format!("href=\"{escaped}\"")));
            assert!(rendered.html.contains("jeudi 3 décembre 2026 à 14 h 05"));
        }
    }

    #[test]
    fn registration_booking_and_oral_messages_render_from_the_messages_the_api_queues() {
        let templates = Templates::new().unwrap();
        let mut cancelled = oral_message(2, Method::Cancel);
        cancelled.cancel_reason = Some("Empêchement".to_owned());
        let removal = |removed_as| {
            Message::OralRemoved(OralRemoval {
                message: oral_message(1, Method::Cancel),
                removed_as,
            })
        };
        let cases = [
            (sample(MessageKind::RegistrationReceived), "Il faut 6 mois."),
            (sample(MessageKind::WaitingListJoined), "desinscription/abc"),
            (sample(MessageKind::BookingInvitation), "reservation/abc"),
            (
                sample(MessageKind::OralConfirmed),
                "mardi 25 mai 2027 à 9 h 00",
            ),
            (sample(MessageKind::OralMoved), "https://visio.example/oral"),
            (Message::OralCancelled(cancelled), "Empêchement"),
            (
                removal(RemovedAs::Coach),
                "a été déplacé sur le créneau d’un autre coach : vous n’y participez plus.",
            ),
            (
                removal(RemovedAs::SecondJuror),
                "vous n’y participez plus en tant que second juré.",
            ),
        ];
        for (message, expected) in cases {
            let kind = message.kind();
            let rendered = templates
                .render(&message, "camille@administration.example")
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
    fn announcements_and_reminders_render_from_the_messages_the_jobs_queue() {
        let templates = Templates::new().unwrap();
        let reminder = |days_before, days_left, returned, missing: &[&str]| {
            let Message::DossierDeadlineReminder(mut reminder) =
                sample(MessageKind::DossierDeadlineReminder)
            else {
                unreachable!()
            };
            reminder.days_before = days_before;
            reminder.days_left = days_left;
            reminder.returned = returned;
            reminder.missing = missing.iter().map(ToString::to_string).collect();
            Message::DossierDeadlineReminder(reminder)
        };
        let cases = [
            (
                sample(MessageKind::RegistrationOpened),
                vec![
                    "jeudi 13 mai 2027 à 0 h 00",
                    "desinscription/abc",
                    "https://certif.example/inscription",
                ],
            ),
            (
                reminder(7, 7, true, &["la présentation du service"]),
                vec![
                    "jeudi 20 mai 2027 à 0 h 00",
                    "dans 7 jours",
                    "- la présentation du service",
                    "renvoyé",
                ],
            ),
            (
                reminder(1, 1, false, &[]),
                vec!["c'est bientôt", "Il est complet"],
            ),
            // First seen three days before its deadline: the D-7 step says what is left.
            (reminder(7, 3, false, &[]), vec!["dans 3 jours"]),
            (
                sample(MessageKind::BookingReminder),
                vec!["reservation/abc", "vendredi 21 mai 2027 à 10 h 00"],
            ),
            (
                sample(MessageKind::OralReminderCandidate),
                vec![
                    "mardi 25 mai 2027 à 9 h 00",
                    "https://vimeo.com/320507167",
                    "12 vidéos",
                    "demain",
                ],
            ),
            (
                sample(MessageKind::OralReminderJury),
                vec![
                    "Camille Martin (Aides Jeunes)",
                    "juree@beta.gouv.fr",
                    "https://visio.example/oral",
                ],
            ),
        ];
        for (message, expected) in cases {
            let kind = message.kind();
            let rendered = templates
                .render(&message, "camille@administration.example")
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
                templates.render_chat(&message),
                Err(RenderError::WrongChannel(_))
            ));
        }
    }

    #[test]
    fn the_chat_announcement_is_one_markdown_text_with_the_dates_and_the_link() {
        let templates = Templates::new().unwrap();
        let message = sample(MessageKind::ChatAnnouncement);
        let text = templates.render_chat(&message).unwrap();
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
            templates.render(&message, "a@example.org"),
            Err(RenderError::WrongChannel(_))
        ));
    }

    #[test]
    fn every_kind_renders_through_its_own_channel() {
        let templates = Templates::new().unwrap();
        for kind in MessageKind::ALL {
            let message = sample(kind);
            let outcome = if kind.is_chat() {
                templates.render(&message, "a@example.org").err()
            } else {
                templates.render_chat(&message).err()
            };
            assert!(
                matches!(outcome, Some(RenderError::WrongChannel(_))),
                "{kind:?}: {outcome:?}"
            );
        }
    }

    #[test]
    fn a_missing_value_is_an_error_not_a_blank() {
        let templates = Templates::new().unwrap();
        let mut data = sample(MessageKind::CandidateSignIn).to_data().unwrap();
        data.as_object_mut().unwrap().remove("link");
        let context = Value::from(minijinja::value::Serde(&data));
        let error = templates
            .render_file("candidate_sign_in/body.txt", &context)
            .unwrap_err();
        assert!(
            error.to_string().contains("candidate_sign_in/body.txt")
                && error.to_string().contains("undefined"),
            "{error}"
        );
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
