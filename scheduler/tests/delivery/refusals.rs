//! What the server's answer decides: a mailbox refused for good (5xx) parks its message dead at
//! once with the server's words; one refused for now (4xx) is tried again after the backoff.
//! Against the loopback SMTP server, told to refuse one recipient.

use chrono::TimeDelta;
use schema::models::OutboxMessage;

use crate::support::{Setup, fast};

#[tokio::test(flavor = "multi_thread")]
async fn a_mailbox_refused_for_good_is_parked_dead_after_one_attempt_with_the_servers_answer() {
    let setup = Setup::new().await;
    let queued = setup.queue(3).await;
    setup
        .smtp
        .refuse_recipient("personne1@example.org", Some(550));
    let dispatcher = setup.dispatcher(fast()).await;
    let batch = dispatcher.deliver_due().await.unwrap();
    assert_eq!(
        (batch.sent, batch.retried, batch.dead),
        (2, 0, 1),
        "{batch:?}"
    );

    let dead = setup.message(queued[1].id).await;
    assert_eq!((dead.state.as_str(), dead.attempts), ("dead", 1));
    let error = dead.last_error.unwrap();
    assert!(
        error.starts_with("SMTP: ")
            && error.contains("550")
            && error.contains("<personne1@example.org>: no such mailbox here"),
        "the server's answer: {error}"
    );
    let mut conn = setup.db.connection().await;
    let listed = OutboxMessage::list_dead(&mut conn, 10, 0).await.unwrap();
    assert_eq!(
        listed.iter().map(|message| message.id).collect::<Vec<_>>(),
        vec![queued[1].id],
        "shown to admins"
    );
    // Never tried again by itself, however long one waits.
    let transactions = setup.smtp.transactions();
    setup.clock.advance(TimeDelta::days(2));
    assert_eq!(dispatcher.deliver_due().await.unwrap().claimed, 0);
    assert_eq!(setup.smtp.transactions(), transactions);
    assert_eq!(setup.smtp.count(), 2);
    for row in [&queued[0], &queued[2]] {
        assert_eq!(setup.message(row.id).await.state, "sent");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_mailbox_refused_for_now_is_tried_again_after_the_backoff_until_it_accepts() {
    let setup = Setup::new().await;
    let queued = setup.queue(3).await;
    setup
        .smtp
        .refuse_recipient("personne1@example.org", Some(452));
    let config = fast();
    let base = TimeDelta::from_std(config.backoff_base).unwrap();
    let dispatcher = setup.dispatcher(config).await;
    let started = setup.clock_now();
    let batch = dispatcher.deliver_due().await.unwrap();
    assert_eq!(
        (batch.sent, batch.retried, batch.dead),
        (2, 1, 0),
        "{batch:?}"
    );

    let waiting = setup.message(queued[1].id).await;
    assert_eq!((waiting.state.as_str(), waiting.attempts), ("pending", 1));
    let error = waiting.last_error.unwrap();
    assert!(
        error.starts_with("SMTP: ") && error.contains("452") && error.contains("try again later"),
        "{error}"
    );
    // The first wait is the base, ± 20 %.
    let wait = waiting.next_attempt_at - started;
    assert!(wait >= base * 4 / 5 && wait <= base * 6 / 5, "{wait}");

    // Not before its time…
    setup.clock.advance(base * 3 / 4);
    assert_eq!(dispatcher.deliver_due().await.unwrap().claimed, 0);
    // …then again, refused again, and the next wait is twice as long.
    setup.clock.advance(base / 2);
    let retried_at = setup.clock_now();
    let batch = dispatcher.deliver_due().await.unwrap();
    assert_eq!((batch.claimed, batch.retried), (1, 1), "{batch:?}");
    let waiting = setup.message(queued[1].id).await;
    assert_eq!((waiting.state.as_str(), waiting.attempts), ("pending", 2));
    let wait = waiting.next_attempt_at - retried_at;
    assert!(wait >= base * 8 / 5 && wait <= base * 12 / 5, "{wait}");

    // The mailbox has room again: the next attempt delivers it.
    setup.smtp.refuse_recipient("personne1@example.org", None);
    setup.drain(&dispatcher, TimeDelta::minutes(5), 10).await;
    let sent = setup.message(queued[1].id).await;
    assert_eq!((sent.state.as_str(), sent.attempts), ("sent", 3));
    assert_eq!(setup.smtp.count(), 3);
}
