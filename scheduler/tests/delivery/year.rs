//! A simulated year: from Tuesday 1 December 2026, with no session, to 1 December 2027, an hour
//! at a time across both daylight-saving changes (28 March and 31 October 2027). Two instances
//! run the heartbeat, the session cycle and the reminders on every tick — through the tick
//! claims, and directly, racing each other — the outbox is delivered to a loopback SMTP server
//! and a loopback chat webhook, and candidates act through the schema's models in between.
//! Every session creation, announcement and reminder is checked: sent once, at the right
//! Paris day and hour, and read back with mail-parser.

pub(crate) mod cast;

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, TimeZone, Timelike, Utc};
use chrono_tz::Europe::Paris;
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use diesel_async::RunQueryDsl;
use mail_parser::MessageParser;
use scheduler::Dispatcher;
use scheduler::config::{ChatConfig, JobSettings, parse_webhook_url};
use scheduler::jobs::{self, JobContext};
use scheduler::testing::{WebhookReceiver, WebhookRequest};
use schema::db::Pool;
use schema::domain::session_calendar::paris_instant;
use schema::domain::{ApplicationState, CalendarDefaults, Email, OutboxMessageId, PublicUrl};
use schema::models::{
    Application, BookingLink, CertificationSession, OutboxMessage, WaitingListEntry,
};
use schema::security::TokenSecret;

use crate::support::{Setup, deliveries, fast, smtp_mail};

const PUBLIC_URL: &str = "https://certif.example";

/// `hour`:00 in Paris on that day.
fn paris(year: i32, month: u32, day: u32, hour: u32) -> DateTime<Utc> {
    paris_instant(
        NaiveDate::from_ymd_opt(year, month, day).unwrap(),
        NaiveTime::from_hms_opt(hour, 0, 0).unwrap(),
    )
}

fn utc(year: i32, month: u32, day: u32, hour: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, day, hour, 0, 0).unwrap()
}

/// An email as it arrived: the tick it was delivered at, and what it says.
#[derive(Debug, Clone)]
struct Mail {
    tick: DateTime<Utc>,
    kind: String,
    to: String,
    /// The Date header: when the message was queued.
    date: DateTime<Utc>,
    subject: String,
    text: String,
    html: String,
}

struct Year {
    setup: Setup,
    pool: Pool,
    webhook: WebhookReceiver,
    dispatcher: Dispatcher,
    instances: [JobContext; 2],
    ticks: usize,
    mails: Vec<Mail>,
    /// Each webhook request, with the tick it arrived at.
    posts: Vec<(DateTime<Utc>, WebhookRequest)>,
    /// Each session (by its label), with the tick it first existed at.
    sessions: BTreeMap<String, DateTime<Utc>>,
}

impl Year {
    /// A year whose sessions open in `months` (`SESSION_MONTHS`).
    async fn new(months: &[u32]) -> Self {
        let setup = Setup::new().await;
        let pool = fast_pool(setup.db.url());
        let webhook = WebhookReceiver::start().await;
        let chat =
            ChatConfig::Webhook(parse_webhook_url(&webhook.url(), Duration::from_secs(5)).unwrap());
        let dispatcher = setup
            .dispatcher_full(smtp_mail(&setup.smtp.url()), chat, fast())
            .await;
        let instance = |name: &str| JobContext {
            pool: pool.clone(),
            clock: std::sync::Arc::new(setup.clock.clone()),
            instance: name.to_owned(),
            settings: JobSettings {
                calendar: CalendarDefaults {
                    months: months.to_vec(),
                    ..CalendarDefaults::default()
                },
                public_url: PublicUrl::new(PUBLIC_URL),
            },
        };
        let instances = [instance("instance-a"), instance("instance-b")];
        Self {
            setup,
            pool,
            webhook,
            dispatcher,
            instances,
            ticks: 0,
            mails: Vec::new(),
            posts: Vec::new(),
            sessions: BTreeMap::new(),
        }
    }

    async fn conn(&self) -> schema::db::PooledConnection {
        self.pool.get().await.unwrap()
    }

    /// One tick at `at`: both instances run the jobs, the outbox is delivered, and what
    /// arrived is recorded. On even ticks (9:00 in Paris in winter) the instances fire the
    /// jobs through the tick claims; on odd ones (9:00 in Paris in summer) they run them
    /// directly, racing. The heartbeat runs at midnight UTC.
    async fn tick(&mut self, at: DateTime<Utc>) {
        self.setup.clock.set(at);
        if at.hour() == 0 {
            self.heartbeat(at).await;
        }
        if self.ticks.is_multiple_of(2) {
            self.claimed(at).await;
        } else {
            self.racing().await;
        }
        if self.anything_due(at).await {
            self.dispatcher.deliver_due().await.unwrap();
        }
        self.collect(at).await;
        self.ticks += 1;
    }

    async fn heartbeat(&self, at: DateTime<Utc>) {
        let [a, b] = &self.instances;
        let tick = jobs::tick_of(at);
        let ran = tokio::join!(
            jobs::run_claimed(a, "heartbeat", tick, jobs::heartbeat),
            jobs::run_claimed(b, "heartbeat", tick, jobs::heartbeat),
        );
        assert!(ran.0 != ran.1, "one heartbeat at {at}");
    }

    /// Whether a message waits to be sent (the dispatcher's passes are skipped otherwise, to
    /// keep the year short).
    async fn anything_due(&self, at: DateTime<Utc>) -> bool {
        use schema::schema::outbox_messages::dsl::*;
        let mut conn = self.conn().await;
        diesel::select(diesel::dsl::exists(
            outbox_messages.filter(state.eq("pending").and(next_attempt_at.le(at))),
        ))
        .get_result(&mut conn)
        .await
        .unwrap()
    }

    /// Both instances fire each job on the same tick: exactly one of them runs it.
    async fn claimed(&self, at: DateTime<Utc>) {
        let [a, b] = &self.instances;
        let tick = jobs::tick_of(at);
        let ran = tokio::join!(
            jobs::run_claimed(a, "session_cycle", tick, jobs::session_cycle),
            jobs::run_claimed(b, "session_cycle", tick, jobs::session_cycle),
        );
        assert!(ran.0 != ran.1, "one session cycle at {at}");
        let ran = tokio::join!(
            jobs::run_claimed(a, "reminders", tick, jobs::reminders),
            jobs::run_claimed(b, "reminders", tick, jobs::reminders),
        );
        assert!(ran.0 != ran.1, "one reminders run at {at}");
    }

    /// Both instances run the jobs at once without claiming the tick (a re-run, or two
    /// daemons whose ticks fall on different seconds): the database keeps the work single.
    async fn racing(&self) {
        let [a, b] = &self.instances;
        let (x, y) = tokio::join!(jobs::run_session_cycle(a), jobs::run_session_cycle(b));
        x.unwrap();
        y.unwrap();
        let (x, y) = tokio::join!(jobs::run_reminders(a), jobs::run_reminders(b));
        x.unwrap();
        y.unwrap();
    }

    async fn collect(&mut self, at: DateTime<Utc>) {
        let received = self.setup.smtp.received();
        for message in &received[self.mails.len()..] {
            let parsed = MessageParser::default().parse(&message.data).unwrap();
            let id: OutboxMessageId = parsed
                .message_id()
                .and_then(|id| id.split('@').next())
                .unwrap()
                .parse()
                .unwrap();
            let row = self.setup.message(id).await;
            self.mails.push(Mail {
                tick: at,
                kind: row.kind,
                to: parsed
                    .to()
                    .and_then(|to| to.first())
                    .and_then(|to| to.address())
                    .unwrap()
                    .to_owned(),
                date: Utc
                    .timestamp_opt(parsed.date().unwrap().to_timestamp(), 0)
                    .unwrap(),
                subject: parsed.subject().unwrap().to_owned(),
                text: parsed.body_text(0).unwrap().into_owned(),
                html: parsed.body_html(0).unwrap().into_owned(),
            });
        }
        let requests = self.webhook.requests();
        for request in &requests[self.posts.len()..] {
            self.posts.push((at, request.clone()));
        }
        let mut conn = self.conn().await;
        for session in CertificationSession::list(&mut conn).await.unwrap() {
            self.sessions.entry(session.label()).or_insert(at);
        }
    }

    /// `(recipient, tick)` of each email of `kind`, by tick then recipient.
    fn sent(&self, kind: &str) -> Vec<(String, DateTime<Utc>)> {
        let mut sent: Vec<(String, DateTime<Utc>)> = self
            .mails
            .iter()
            .filter(|mail| mail.kind == kind)
            .map(|mail| (mail.to.clone(), mail.tick))
            .collect();
        sent.sort_by(|one, other| (one.1, &one.0).cmp(&(other.1, &other.0)));
        sent
    }

    fn mail(&self, kind: &str, to: &str) -> Vec<&Mail> {
        self.mails
            .iter()
            .filter(|mail| mail.kind == kind && mail.to == to)
            .collect()
    }

    async fn booking_tokens(&self) -> i64 {
        #[derive(QueryableByName)]
        struct Count {
            #[diesel(sql_type = BigInt)]
            count: i64,
        }
        let mut conn = self.conn().await;
        diesel::sql_query("SELECT count(*) AS count FROM tokens WHERE purpose = 'booking'")
            .get_result::<Count>(&mut conn)
            .await
            .unwrap()
            .count
    }
}

/// A pool whose connections are not pinged on each checkout: a year is many checkouts.
fn fast_pool(url: &str) -> Pool {
    schema::db::build_pool(
        url,
        &schema::config::PoolConfig {
            size: 8,
            verify_on_checkout: false,
            ..Default::default()
        },
    )
    .unwrap()
}

/// The token at the end of the first link with `path` in `text`.
fn token_after(text: &str, path: &str) -> TokenSecret {
    let start = text.find(path).unwrap() + path.len();
    TokenSecret::parse(&text[start..start + 64]).unwrap()
}

fn email(address: &str) -> Email {
    Email::parse(address).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_simulated_year_creates_announces_and_reminds_once_at_the_right_paris_times() {
    let mut year = Year::new(&[5, 12]).await;
    let start = utc(2026, 12, 1, 8);
    assert_eq!(start, paris(2026, 12, 1, 9));
    let end = utc(2027, 12, 1, 8);
    // The chat server fails the first post: it is retried like an email.
    year.webhook.fail_next(1, 500);
    let bruno_joined = TokenSecret::generate().unwrap();
    {
        let mut conn = year.conn().await;
        let alice = TokenSecret::generate().unwrap();
        WaitingListEntry::join(
            &mut conn,
            &email("alice@administration.example"),
            alice.sha256(),
            start,
        )
        .await
        .unwrap()
        .unwrap();
        WaitingListEntry::join(
            &mut conn,
            &email("bruno@administration.example"),
            bruno_joined.sha256(),
            start,
        )
        .await
        .unwrap()
        .unwrap();
    }

    let mut people = BTreeMap::new();
    let mut coach = None;
    let mut at = start;
    while at <= end {
        year.setup.clock.set(at);
        {
            let mut conn = year.conn().await;
            let conn = &mut conn;
            // The December 2026 session (winter time, UTC+1).
            if at == paris(2026, 12, 8, 10) {
                let december = cast::session(conn, 2026, 12).await;
                for (key, address, name) in [
                    ("claire", "claire@administration.example", "Claire Jamais"),
                    ("damien", "damien@administration.example", "Damien Lien"),
                    ("emma", "emma@administration.example", "Emma Oral"),
                ] {
                    let application =
                        cast::candidate_starts_a_dossier(conn, address, name, &december, at).await;
                    people.insert(key, application);
                }
                coach =
                    Some(cast::coach(conn, "sophie@coachs.example", "Sophie Lefèvre", at).await);
            }
            if at == paris(2026, 12, 14, 10) {
                for key in ["damien", "emma"] {
                    cast::move_to(conn, &people[key], ApplicationState::Submitted, at).await;
                }
            }
            if at == paris(2026, 12, 15, 14) {
                let december = cast::session(conn, 2026, 12).await;
                for key in ["damien", "emma"] {
                    cast::complete_dossier(conn, &people[key], &december, at).await;
                }
            }
            if at == paris(2026, 12, 16, 11) {
                let oral = paris(2026, 12, 29, 10);
                cast::book_oral(
                    conn,
                    &people["emma"],
                    coach.as_ref().unwrap(),
                    oral,
                    Some("jure@beta.gouv.fr"),
                    at,
                )
                .await;
            }
            if at == paris(2026, 12, 21, 12) {
                // The booking reminder's new link opens Damien's application.
                let reminder = &year.mail("booking_reminder", "damien@administration.example")[0];
                let token = token_after(&reminder.text, "/reservation/");
                assert_eq!(
                    BookingLink::application(conn, &token.sha256(), at)
                        .await
                        .unwrap(),
                    Some(people["damien"].id)
                );
            }
            if at == paris(2027, 1, 5, 12) {
                // Damien's two links (the invitation's and the reminder's) and Emma's.
                assert_eq!(year.booking_tokens().await, 3);
            }
            if at == paris(2027, 1, 9, 12) {
                // Expired with the end of the orals, and pruned by the heartbeat a day later.
                assert_eq!(year.booking_tokens().await, 0);
            }
            if at == paris(2027, 1, 10, 10) {
                // Bruno leaves with the link of the announcement: the one he got on joining
                // was replaced by it.
                let announcement = year.mail("registration_opened", "bruno@administration.example");
                let token = token_after(&announcement[0].text, "/liste-d-attente/desinscription/");
                assert!(
                    !WaitingListEntry::leave(conn, &bruno_joined.sha256())
                        .await
                        .unwrap()
                );
                assert!(
                    WaitingListEntry::leave(conn, &token.sha256())
                        .await
                        .unwrap()
                );
            }
            if at == paris(2027, 2, 1, 10) {
                WaitingListEntry::join(
                    conn,
                    &email("chloe@administration.example"),
                    TokenSecret::generate().unwrap().sha256(),
                    at,
                )
                .await
                .unwrap()
                .unwrap();
            }
            // The May 2027 session (summer time, UTC+2).
            if at == paris(2027, 5, 4, 10) {
                let may = cast::session(conn, 2027, 5).await;
                for (key, address, name) in [
                    ("fanny", "fanny@administration.example", "Fanny Jamais"),
                    ("gaspard", "gaspard@administration.example", "Gaspard Oral"),
                ] {
                    let application =
                        cast::candidate_starts_a_dossier(conn, address, name, &may, at).await;
                    people.insert(key, application);
                }
            }
            if at == paris(2027, 5, 10, 10) {
                cast::move_to(conn, &people["gaspard"], ApplicationState::Submitted, at).await;
            }
            if at == paris(2027, 5, 11, 14) {
                let may = cast::session(conn, 2027, 5).await;
                cast::complete_dossier(conn, &people["gaspard"], &may, at).await;
            }
            if at == paris(2027, 5, 12, 11) {
                let oral = paris(2027, 5, 25, 10);
                cast::book_oral(
                    conn,
                    &people["gaspard"],
                    coach.as_ref().unwrap(),
                    oral,
                    None,
                    at,
                )
                .await;
            }
        }
        year.tick(at).await;
        at += TimeDelta::hours(1);
    }
    assert_eq!(year.ticks, 8761, "every hour of the year");

    // Sessions: the next two at the first tick, then one more each time a registration
    // closes (at the start of the 11th day, Paris time) — each created once.
    assert_eq!(
        year.sessions,
        BTreeMap::from([
            ("Session de décembre 2026".to_owned(), start),
            ("Session de mai 2027".to_owned(), start),
            (
                "Session de décembre 2027".to_owned(),
                paris(2026, 12, 17, 0)
            ),
            ("Session de mai 2028".to_owned(), paris(2027, 5, 13, 0)),
        ])
    );

    // Registration openings: Monday 7 December 2026 and Monday 3 May 2027 at 9:00 in Paris,
    // to whoever is on the waiting list then.
    let december_opens = utc(2026, 12, 7, 8);
    let may_opens = utc(2027, 5, 3, 7);
    assert_eq!(december_opens, paris(2026, 12, 7, 9));
    assert_eq!(may_opens, paris(2027, 5, 3, 9));
    assert_eq!(
        year.sent("registration_opened"),
        vec![
            ("alice@administration.example".to_owned(), december_opens),
            ("bruno@administration.example".to_owned(), december_opens),
            ("alice@administration.example".to_owned(), may_opens),
            ("chloe@administration.example".to_owned(), may_opens),
        ]
    );
    let alice = year.mail("registration_opened", "alice@administration.example");
    assert!(
        alice[0].subject.contains("session de décembre 2026"),
        "{}",
        alice[0].subject
    );
    assert!(
        alice[0]
            .text
            .contains("jusqu'au jeudi 17 décembre 2026 à 0 h 00"),
        "{}",
        alice[0].text
    );
    assert!(
        alice[0]
            .html
            .contains("href=\"https://certif.example/inscription\"")
    );
    assert!(alice[1].subject.contains("session de mai 2027"));
    // Each announcement carried a new unsubscribe link: only the last one works.
    let december_link = token_after(&alice[0].text, "/liste-d-attente/desinscription/");
    let may_link = token_after(&alice[1].text, "/liste-d-attente/desinscription/");
    assert_ne!(december_link.expose(), may_link.expose());
    {
        let mut conn = year.conn().await;
        assert!(
            !WaitingListEntry::leave(&mut conn, &december_link.sha256())
                .await
                .unwrap()
        );
        let may = cast::session(&mut conn, 2027, 5).await;
        let left = WaitingListEntry::not_announced(&mut conn, may.id)
            .await
            .unwrap();
        assert!(left.is_empty(), "everyone still listed was told: {left:?}");
    }

    // The chat: one post per opening; the first failed once and went through at the next tick.
    let statuses: Vec<(DateTime<Utc>, u16)> = year
        .posts
        .iter()
        .map(|(at, post)| (*at, post.status))
        .collect();
    assert_eq!(
        statuses,
        vec![
            (december_opens, 500),
            (december_opens + TimeDelta::hours(1), 200),
            (may_opens, 200),
        ]
    );
    for (_, post) in &year.posts {
        assert_eq!(post.method, "POST");
        assert_eq!(post.content_type.as_deref(), Some("application/json"));
    }
    assert_eq!(
        year.posts[0].1.body, year.posts[1].1.body,
        "the retry posts the same text"
    );
    let posted: Vec<String> = year
        .webhook
        .accepted()
        .iter()
        .map(|post| post.text().unwrap())
        .collect();
    assert!(
        posted[0].contains(
            "Session de décembre 2026 : inscriptions jusqu'au jeudi 17 décembre 2026 à 0 h 00"
        ),
        "{}",
        posted[0]
    );
    assert!(posted[0].contains("https://certif.example/inscription"));
    assert!(posted[1].contains("Session de mai 2027"), "{}", posted[1]);

    // Dossier reminders, to the candidates who never submitted: 9:00 in Paris, 7 days and the
    // day before the deadline's Paris day (24 December 2026, 20 May 2027) — 8:00 UTC in
    // winter, 7:00 UTC in summer.
    assert_eq!(
        year.sent("dossier_deadline_reminder"),
        vec![
            (
                "claire@administration.example".to_owned(),
                utc(2026, 12, 17, 8)
            ),
            (
                "claire@administration.example".to_owned(),
                utc(2026, 12, 23, 8)
            ),
            (
                "fanny@administration.example".to_owned(),
                utc(2027, 5, 13, 7)
            ),
            (
                "fanny@administration.example".to_owned(),
                utc(2027, 5, 19, 7)
            ),
        ]
    );
    let claire = year.mail("dossier_deadline_reminder", "claire@administration.example");
    assert!(
        claire[0].subject.starts_with("Plus qu'une semaine"),
        "{}",
        claire[0].subject
    );
    assert!(
        claire[1]
            .subject
            .contains("avant le jeudi 24 décembre 2026 à 0 h 00"),
        "{}",
        claire[1].subject
    );
    assert!(
        claire[1].text.contains("- la présentation du service"),
        "{}",
        claire[1].text
    );
    assert!(
        !claire[1].text.contains("site de la startup"),
        "the link given is not missing"
    );

    // The booking reminder: five days after the link, to the candidate who did not book, with
    // a new link (checked on 21 December above).
    let link_sent = paris(2026, 12, 15, 14);
    assert_eq!(
        year.sent("booking_reminder"),
        vec![(
            "damien@administration.example".to_owned(),
            link_sent + TimeDelta::days(5)
        )]
    );
    // Oral reminders, the Paris day before at 9:00: to the candidate (with the revision
    // videos) and to the coach and second juror.
    let december_eve = utc(2026, 12, 28, 8);
    let may_eve = utc(2027, 5, 24, 7);
    assert_eq!(december_eve, paris(2026, 12, 28, 9));
    assert_eq!(may_eve, paris(2027, 5, 24, 9));
    assert_eq!(
        year.sent("oral_reminder_candidate"),
        vec![
            ("emma@administration.example".to_owned(), december_eve),
            ("gaspard@administration.example".to_owned(), may_eve),
        ]
    );
    assert_eq!(
        year.sent("oral_reminder_jury"),
        vec![
            ("jure@beta.gouv.fr".to_owned(), december_eve),
            ("sophie@coachs.example".to_owned(), december_eve),
            ("sophie@coachs.example".to_owned(), may_eve),
        ]
    );
    let emma = &year.mail("oral_reminder_candidate", "emma@administration.example")[0];
    assert!(
        emma.subject
            .contains("demain, le mardi 29 décembre 2026 à 10 h 00"),
        "{}",
        emma.subject
    );
    assert!(emma.text.contains("https://vimeo.com/320507167"));
    assert!(emma.text.contains("https://visio.example/sophie"));
    let gaspard = &year.mail("oral_reminder_candidate", "gaspard@administration.example")[0];
    assert!(
        gaspard.subject.contains("mardi 25 mai 2027 à 10 h 00"),
        "{}",
        gaspard.subject
    );
    let jure = &year.mail("oral_reminder_jury", "jure@beta.gouv.fr")[0];
    assert!(
        jure.text.contains("Emma Oral (Startup de Emma Oral)"),
        "{}",
        jure.text
    );
    assert!(
        !jure.text.contains("vimeo"),
        "the jury's reminder has no revision videos"
    );

    // Every reminder goes out at 9:00 in Paris, whatever the season.
    for mail in &year.mails {
        if mail.kind.contains("reminder") && mail.kind != "booking_reminder" {
            let local = mail.tick.with_timezone(&Paris);
            assert_eq!((local.hour(), local.minute()), (9, 0), "{mail:?}");
        }
        assert_eq!(
            mail.date, mail.tick,
            "queued and delivered on the same tick: {mail:?}"
        );
    }

    // Nothing else, and nothing twice: every message delivered once, and nothing waits.
    let mut kinds = BTreeMap::new();
    for mail in &year.mails {
        *kinds.entry(mail.kind.as_str()).or_insert(0) += 1;
    }
    assert_eq!(
        kinds,
        BTreeMap::from([
            ("booking_invitation", 3),
            ("booking_reminder", 1),
            ("dossier_deadline_reminder", 4),
            ("oral_reminder_candidate", 2),
            ("oral_reminder_jury", 3),
            ("registration_opened", 4),
        ])
    );
    assert!(
        deliveries(&year.setup.smtp.received())
            .values()
            .all(|&times| times == 1)
    );
    let states = year.setup.states().await;
    assert_eq!(
        states,
        BTreeMap::from([("sent".to_owned(), 19)]),
        "{states:?}"
    );
    let mut conn = year.conn().await;
    let december = cast::session(&mut conn, 2026, 12).await;
    let post =
        OutboxMessage::find_by_dedupe_key(&mut conn, &format!("chat_announcement:{}", december.id))
            .await
            .unwrap()
            .unwrap();
    assert_eq!((post.state.as_str(), post.attempts), ("sent", 2));
    assert!(post.last_error.unwrap().contains("500"));
}

/// Sessions opening in March and October put deadlines and orals on both sides of the
/// daylight-saving changes (Sunday 28 March and Sunday 31 October 2027): each reminder still
/// goes out at 9:00 in Paris on the Paris day before (or seven days before), which is 8:00 UTC
/// in winter time and 7:00 UTC in summer time.
#[tokio::test(flavor = "multi_thread")]
async fn reminders_keep_paris_days_across_both_daylight_saving_changes() {
    let mut year = Year::new(&[3, 10]).await;
    let mut people = BTreeMap::new();
    let mut coach = None;
    let spring = (paris(2027, 2, 20, 0), paris(2027, 4, 5, 0));
    let autumn = (paris(2027, 9, 25, 0), paris(2027, 11, 8, 0));
    for (from, until) in [spring, autumn] {
        let mut at = from;
        while at <= until {
            year.setup.clock.set(at);
            {
                let mut conn = year.conn().await;
                let conn = &mut conn;
                // March 2027: registration opens Monday 1 March; dossiers due 18 March; orals
                // from 18 March to 1 April.
                if at == paris(2027, 3, 2, 10) {
                    let march = cast::session(conn, 2027, 3).await;
                    coach = Some(
                        cast::coach(conn, "sophie@coachs.example", "Sophie Lefèvre", at).await,
                    );
                    for (key, address, name) in [
                        ("hugo", "hugo@administration.example", "Hugo Prolongé"),
                        ("ines", "ines@administration.example", "Inès Lundi"),
                        ("jules", "jules@administration.example", "Jules Dimanche"),
                    ] {
                        let application =
                            cast::candidate_starts_a_dossier(conn, address, name, &march, at).await;
                        people.insert(key, application);
                    }
                    // Hugo's deadline is extended to the start of Tuesday 30 March (summer time).
                    Application::set_dossier_deadline(
                        conn,
                        people["hugo"].id,
                        paris(2027, 3, 30, 0),
                        at,
                    )
                    .await
                    .unwrap();
                    for key in ["ines", "jules"] {
                        cast::move_to(conn, &people[key], ApplicationState::Submitted, at).await;
                        cast::complete_dossier(conn, &people[key], &march, at).await;
                    }
                    let coach = coach.as_ref().unwrap();
                    cast::book_oral(
                        conn,
                        &people["jules"],
                        coach,
                        paris(2027, 3, 28, 10),
                        None,
                        at,
                    )
                    .await;
                    cast::book_oral(
                        conn,
                        &people["ines"],
                        coach,
                        paris(2027, 3, 29, 10),
                        None,
                        at,
                    )
                    .await;
                }
                // October 2027: registration opens Monday 4 October; orals from 21 October to
                // 4 November.
                if at == paris(2027, 10, 5, 10) {
                    let october = cast::session(conn, 2027, 10).await;
                    for (key, address, name) in [
                        ("karim", "karim@administration.example", "Karim Lundi"),
                        ("lea", "lea@administration.example", "Léa Dimanche"),
                        ("manon", "manon@administration.example", "Manon Prolongée"),
                    ] {
                        let application =
                            cast::candidate_starts_a_dossier(conn, address, name, &october, at)
                                .await;
                        people.insert(key, application);
                    }
                    // Manon's deadline is extended to the start of Saturday 6 November (winter
                    // time): seven days before is still summer time.
                    Application::set_dossier_deadline(
                        conn,
                        people["manon"].id,
                        paris(2027, 11, 6, 0),
                        at,
                    )
                    .await
                    .unwrap();
                    for key in ["karim", "lea"] {
                        cast::move_to(conn, &people[key], ApplicationState::Submitted, at).await;
                        cast::complete_dossier(conn, &people[key], &october, at).await;
                    }
                    let coach = coach.as_ref().unwrap();
                    cast::book_oral(
                        conn,
                        &people["lea"],
                        coach,
                        paris(2027, 10, 31, 10),
                        None,
                        at,
                    )
                    .await;
                    cast::book_oral(
                        conn,
                        &people["karim"],
                        coach,
                        paris(2027, 11, 1, 10),
                        None,
                        at,
                    )
                    .await;
                }
            }
            year.tick(at).await;
            at += TimeDelta::hours(1);
        }
    }

    assert_eq!(
        year.sent("dossier_deadline_reminder"),
        vec![
            // Seven days before 30 March: Tuesday 23 March, winter time.
            (
                "hugo@administration.example".to_owned(),
                utc(2027, 3, 23, 8)
            ),
            // The day before: Monday 29 March, summer time.
            (
                "hugo@administration.example".to_owned(),
                utc(2027, 3, 29, 7)
            ),
            // Seven days before 6 November: Saturday 30 October, still summer time.
            (
                "manon@administration.example".to_owned(),
                utc(2027, 10, 30, 7)
            ),
            // The day before: Friday 5 November, winter time.
            (
                "manon@administration.example".to_owned(),
                utc(2027, 11, 5, 8)
            ),
        ]
    );
    assert_eq!(
        year.sent("oral_reminder_candidate"),
        vec![
            // Oral on Sunday 28 March: reminded on Saturday 27, winter time.
            (
                "jules@administration.example".to_owned(),
                utc(2027, 3, 27, 8)
            ),
            // Oral on Monday 29 March: reminded on Sunday 28, the day of the change, summer time.
            (
                "ines@administration.example".to_owned(),
                utc(2027, 3, 28, 7)
            ),
            // Oral on Sunday 31 October: reminded on Saturday 30, summer time.
            (
                "lea@administration.example".to_owned(),
                utc(2027, 10, 30, 7)
            ),
            // Oral on Monday 1 November: reminded on Sunday 31, the day of the change, winter time.
            (
                "karim@administration.example".to_owned(),
                utc(2027, 10, 31, 8)
            ),
        ]
    );
    let jury: Vec<DateTime<Utc>> = year
        .sent("oral_reminder_jury")
        .into_iter()
        .map(|(to, at)| {
            assert_eq!(to, "sophie@coachs.example");
            at
        })
        .collect();
    let candidates: Vec<DateTime<Utc>> = year
        .sent("oral_reminder_candidate")
        .into_iter()
        .map(|(_, at)| at)
        .collect();
    assert_eq!(jury, candidates, "the coach is reminded with the candidate");
    for mail in year
        .mails
        .iter()
        .filter(|mail| mail.kind.contains("reminder"))
    {
        let local = mail.tick.with_timezone(&Paris);
        assert_eq!((local.hour(), local.minute()), (9, 0), "{mail:?}");
    }
    let ines = &year.mail("oral_reminder_candidate", "ines@administration.example")[0];
    assert!(
        ines.subject
            .contains("demain, le lundi 29 mars 2027 à 10 h 00"),
        "{}",
        ines.subject
    );
    let karim = &year.mail("oral_reminder_candidate", "karim@administration.example")[0];
    assert!(
        karim
            .subject
            .contains("demain, le lundi 1er novembre 2027 à 10 h 00"),
        "{}",
        karim.subject
    );
    // March 2028 and October 2028 were created when the 2027 registrations closed.
    assert_eq!(
        year.sessions,
        BTreeMap::from([
            ("Session de mars 2027".to_owned(), spring.0),
            ("Session d'octobre 2027".to_owned(), spring.0),
            ("Session de mars 2028".to_owned(), paris(2027, 3, 11, 0)),
            ("Session d'octobre 2028".to_owned(), paris(2027, 10, 14, 0)),
        ])
    );
    assert_eq!(
        year.webhook.accepted().len(),
        2,
        "one chat post per opening"
    );
}
