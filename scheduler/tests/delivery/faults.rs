//! Delivery through faults: a mail server refusing transactions or down for an hour, a
//! dispatcher killed mid-batch, two dispatchers at once, and messages that keep failing.

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::TimeDelta;
use schema::models::OutboxMessage;
use schema::models::outbox_message::LEASE_EXPIRED_ERROR;
use tokio_util::sync::CancellationToken;

use crate::support::{Setup, deliveries, expected_id, fast};

fn ids(queued: &[OutboxMessage]) -> BTreeSet<String> {
    queued.iter().map(expected_id).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_server_refusing_30_percent_of_transactions_still_gets_every_message_exactly_once() {
    let setup = Setup::new().await;
    let queued = setup.queue(90).await;
    setup.smtp.refuse(30, 451);
    let dispatcher = setup.dispatcher(fast()).await;
    // Each pass moves the clock past the longest first backoffs.
    setup.drain(&dispatcher, TimeDelta::minutes(30), 60).await;

    let counts = deliveries(&setup.smtp.received());
    assert_eq!(
        counts.keys().cloned().collect::<BTreeSet<_>>(),
        ids(&queued)
    );
    assert!(
        counts.values().all(|&times| times == 1),
        "no message arrived twice"
    );
    assert!(
        setup.smtp.refused() >= 20,
        "refusals happened: {}",
        setup.smtp.refused()
    );
    let states = setup.states().await;
    assert_eq!(states.get("sent"), Some(&90), "{states:?}");

    // The retried ones carry their attempts and the server's answer.
    let mut retried = 0;
    for row in &queued {
        let after = setup.message(row.id).await;
        if after.attempts > 1 {
            retried += 1;
            let error = after.last_error.unwrap();
            assert!(
                error.starts_with("SMTP: ") && error.contains("451"),
                "{error}"
            );
        }
    }
    assert!(retried >= 15, "{retried} messages needed a retry");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dispatcher_killed_mid_batch_loses_nothing_and_duplicates_only_its_batch_in_flight() {
    let setup = Setup::new().await;
    let queued = setup.queue(60).await;
    // A slow server, so that the kill lands in the middle of a batch.
    setup.smtp.set_reply_delay(Duration::from_millis(40));
    let first = setup.dispatcher(fast()).await;
    let running = tokio::spawn(first.clone().run(CancellationToken::new()));
    assert!(setup.smtp.wait_for(25, Duration::from_secs(20)).await);
    running.abort();
    let _ = running.await;

    // What the killed dispatcher left: the rows of its batch in flight are still claimed.
    let mut conn = setup.db.connection().await;
    let mut in_flight = BTreeSet::new();
    for row in &queued {
        let after = OutboxMessage::find(&mut conn, row.id).await.unwrap();
        if after.state == "sending" {
            assert_eq!(after.claimed_by.as_deref(), Some(first.claimer()));
            in_flight.insert(expected_id(row));
        }
    }
    assert!(!in_flight.is_empty(), "the kill landed mid-batch");
    assert!(in_flight.len() <= 20, "at most one batch is in flight");

    // A new dispatcher sends the rest at once, but leaves the claimed rows alone...
    setup.smtp.set_reply_delay(Duration::ZERO);
    let second = setup.dispatcher(fast()).await;
    for _ in 0..5 {
        second.deliver_due().await.unwrap();
    }
    assert_eq!(
        setup.states().await.get("sending"),
        Some(&(in_flight.len() as i64))
    );
    // ...until their lease expires: then they are taken back and sent.
    setup.clock.advance(TimeDelta::seconds(121));
    let batch = second.deliver_due().await.unwrap();
    assert_eq!(batch.released, in_flight.len());
    setup.drain(&second, TimeDelta::minutes(1), 10).await;

    let counts = deliveries(&setup.smtp.received());
    assert_eq!(
        counts.keys().cloned().collect::<BTreeSet<_>>(),
        ids(&queued),
        "nothing lost"
    );
    let twice: BTreeSet<String> = counts
        .iter()
        .filter(|(_, times)| **times > 1)
        .map(|(id, _)| id.clone())
        .collect();
    assert!(counts.values().all(|&times| times <= 2));
    assert!(
        twice.is_subset(&in_flight),
        "duplicates only from the batch in flight: {twice:?}"
    );
    for row in &queued {
        let after = OutboxMessage::find(&mut conn, row.id).await.unwrap();
        assert_eq!(after.state, "sent");
        if in_flight.contains(&expected_id(row)) {
            assert_eq!(after.attempts, 2, "the expired lease counts as an attempt");
            assert_eq!(after.last_error.as_deref(), Some(LEASE_EXPIRED_ERROR));
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn two_dispatchers_at_once_send_every_message_once() {
    let setup = Setup::new().await;
    let queued = setup.queue(300).await;
    setup.smtp.set_reply_delay(Duration::from_millis(1));
    let stop = CancellationToken::new();
    let one = setup.dispatcher(fast()).await;
    let two = setup.dispatcher(fast()).await;
    let runs = [
        tokio::spawn(one.clone().run(stop.clone())),
        tokio::spawn(two.clone().run(stop.clone())),
    ];
    assert!(setup.smtp.wait_for(300, Duration::from_secs(60)).await);
    // Each dispatcher then finishes two more passes, so the one after the last send has looked
    // at the outbox: a wrongly doubled send would be made by then, and counted below.
    for dispatcher in [&one, &two] {
        let mut passes = dispatcher.passes();
        let seen = *passes.borrow_and_update();
        passes.wait_for(|&passes| passes >= seen + 2).await.unwrap();
    }
    stop.cancel();
    for run in runs {
        tokio::time::timeout(Duration::from_secs(10), run)
            .await
            .unwrap()
            .unwrap();
    }

    let counts = deliveries(&setup.smtp.received());
    assert_eq!(counts.len(), 300);
    assert_eq!(
        counts.keys().cloned().collect::<BTreeSet<_>>(),
        ids(&queued)
    );
    assert!(
        counts.values().all(|&times| times == 1),
        "no message sent twice"
    );
    assert_eq!(setup.states().await.get("sent"), Some(&300));
    let mut conn = setup.db.connection().await;
    let mut claimers = BTreeSet::new();
    for row in &queued {
        claimers.insert(
            OutboxMessage::find(&mut conn, row.id)
                .await
                .unwrap()
                .claimed_by
                .unwrap(),
        );
    }
    assert!(claimers.is_subset(&BTreeSet::from([
        one.claimer().to_owned(),
        two.claimer().to_owned()
    ])));
}

#[tokio::test(flavor = "multi_thread")]
async fn after_an_hour_with_the_server_down_delivery_resumes_by_itself() {
    let setup = Setup::new().await;
    let queued = setup.queue(12).await;
    setup.smtp.set_down(true);
    let dispatcher = setup.dispatcher(fast()).await;
    let started = crate::support::start();
    // An hour of simulated time, a pass a minute: every attempt fails.
    while setup.clock_now() < started + TimeDelta::hours(1) {
        let batch = dispatcher.deliver_due().await.unwrap();
        assert_eq!(batch.sent, 0);
        setup.clock.advance(TimeDelta::minutes(1));
    }
    assert_eq!(setup.states().await.get("pending"), Some(&12));
    let first = setup.message(queued[0].id).await;
    assert!(
        first.attempts >= 4,
        "retried during the hour: {}",
        first.attempts
    );
    assert!(first.last_error.unwrap().starts_with("SMTP: "));

    // The server is back; nobody does anything but time passing.
    setup.smtp.set_down(false);
    let passes = setup
        .drain(&dispatcher, TimeDelta::minutes(1), 24 * 60)
        .await;
    let back_after = TimeDelta::minutes(passes as i64);
    // The next attempt came within the current backoff step (48 minutes nominal, + 20 %).
    assert!(
        back_after <= TimeDelta::minutes(70),
        "resumed after {back_after}"
    );
    let counts = deliveries(&setup.smtp.received());
    assert_eq!(
        counts.keys().cloned().collect::<BTreeSet<_>>(),
        ids(&queued)
    );
    assert!(counts.values().all(|&times| times == 1));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_message_failing_every_attempt_is_parked_dead_with_its_error_and_can_be_resent() {
    let setup = Setup::new().await;
    let queued = setup.queue(3).await;
    // Refused for now on every attempt (a refusal for good parks it at once: `refusals.rs`).
    setup.smtp.refuse(100, 451);
    let config = scheduler::config::OutboxConfig {
        max_attempts: 3,
        ..fast()
    };
    let dispatcher = setup.dispatcher(config).await;
    setup.drain(&dispatcher, TimeDelta::minutes(30), 10).await;

    let mut conn = setup.db.connection().await;
    let dead = OutboxMessage::list_dead(&mut conn, 10, 0).await.unwrap();
    assert_eq!(dead.len(), 3);
    for message in &dead {
        assert_eq!(message.attempts, 3);
        let error = message.last_error.as_deref().unwrap();
        assert!(
            error.starts_with("SMTP: ") && error.contains("451"),
            "{error}"
        );
        assert!(error.chars().count() <= 301);
        assert!(
            message.data.get("link").is_some(),
            "a dead message keeps what it needs"
        );
    }
    assert_eq!(setup.smtp.count(), 0);
    // Dead messages are not retried.
    setup.clock.advance(TimeDelta::days(2));
    assert_eq!(dispatcher.deliver_due().await.unwrap().claimed, 0);

    // An admin fixes the cause and sends one again: it goes out at the next pass.
    setup.smtp.refuse(0, 451);
    let resent = OutboxMessage::resend(&mut conn, queued[0].id, setup.clock_now())
        .await
        .unwrap()
        .expect("a dead message can be re-sent");
    assert_eq!((resent.state.as_str(), resent.attempts), ("pending", 0));
    assert!(
        OutboxMessage::resend(&mut conn, queued[0].id, setup.clock_now())
            .await
            .unwrap()
            .is_none(),
        "re-sending twice is a conflict, not a second message"
    );
    let batch = dispatcher.deliver_due().await.unwrap();
    assert_eq!(batch.sent, 1);
    assert_eq!(setup.message(queued[0].id).await.state, "sent");
    assert_eq!(
        OutboxMessage::list_dead(&mut conn, 10, 0)
            .await
            .unwrap()
            .len(),
        2
    );
    assert_eq!(
        deliveries(&setup.smtp.received())
            .keys()
            .cloned()
            .collect::<Vec<_>>(),
        vec![expected_id(&queued[0])]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lease_that_expires_on_the_last_attempt_parks_the_message() {
    let setup = Setup::new().await;
    let queued = setup.queue(1).await;
    let mut conn = setup.db.connection().await;
    // A dispatcher claimed it on its last attempt, then died.
    let config = scheduler::config::OutboxConfig {
        max_attempts: 1,
        ..fast()
    };
    let claimed = OutboxMessage::claim_due(
        &mut conn,
        "dead-instance",
        setup.clock_now(),
        TimeDelta::seconds(120),
        10,
    )
    .await
    .unwrap();
    assert_eq!(claimed.len(), 1);
    let dispatcher = setup.dispatcher(config).await;
    assert_eq!(dispatcher.deliver_due().await.unwrap().claimed, 0);
    setup.clock.advance(TimeDelta::seconds(121));
    let batch = dispatcher.deliver_due().await.unwrap();
    assert_eq!((batch.released, batch.claimed), (1, 0));
    let after = setup.message(queued[0].id).await;
    assert_eq!(after.state, "dead");
    assert_eq!(after.last_error.as_deref(), Some(LEASE_EXPIRED_ERROR));
}

#[tokio::test(flavor = "multi_thread")]
async fn stopping_finishes_the_sends_in_flight_and_claims_nothing_more() {
    let setup = Setup::new().await;
    setup.queue(40).await;
    setup.smtp.set_reply_delay(Duration::from_millis(50));
    let dispatcher = setup.dispatcher(fast()).await;
    let stop = CancellationToken::new();
    let running = tokio::spawn(dispatcher.run(stop.clone()));
    assert!(setup.smtp.wait_for(1, Duration::from_secs(10)).await);
    stop.cancel();
    tokio::time::timeout(Duration::from_secs(10), running)
        .await
        .expect("stops once its batch is done")
        .unwrap();

    // The batch in flight (20) was sent and recorded; the next one was never claimed.
    let states = setup.states().await;
    assert_eq!(states.get("sending"), None, "{states:?}");
    assert_eq!(states.get("sent"), Some(&20), "{states:?}");
    assert_eq!(states.get("pending"), Some(&20), "{states:?}");
    assert_eq!(setup.smtp.count(), 20);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_wake_up_sends_at_once_without_waiting_for_the_poll() {
    let setup = Setup::new().await;
    let config = scheduler::config::OutboxConfig {
        poll_interval: Duration::from_secs(3600),
        ..fast()
    };
    let dispatcher = setup.dispatcher(config).await;
    let stop = CancellationToken::new();
    let running = tokio::spawn(dispatcher.clone().run(stop.clone()));
    // The first (empty) pass is over: the loop is waiting.
    dispatcher
        .passes()
        .wait_for(|&passes| passes >= 1)
        .await
        .unwrap();
    setup.queue(2).await;
    assert!(!setup.smtp.wait_for(1, Duration::from_millis(300)).await);
    dispatcher.wake();
    assert!(setup.smtp.wait_for(2, Duration::from_secs(5)).await);
    stop.cancel();
    running.await.unwrap();
}
