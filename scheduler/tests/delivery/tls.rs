//! SMTP over TLS with authentication, as real mail servers want it: STARTTLS (what `smtp://`
//! requires by default) and implicit TLS (`smtps://`), against the loopback server under a
//! certificate for `localhost` from an authority made for the test. A certificate that cannot
//! be verified, or a server without STARTTLS when it is required, stops the send (to be tried
//! again: it is not the message's fault).

use std::time::Duration;

use lettre::Message;
use scheduler::config::parse_smtp_url;
use scheduler::mail::smtp::SmtpClient;
use scheduler::testing::{SmtpReceiver, TestTls};
use secrecy::ExposeSecret;

fn email() -> Message {
    Message::builder()
        .from("certification@beta.gouv.fr".parse().unwrap())
        .to("personne@example.org".parse().unwrap())
        .subject("Essai")
        .body("Bonjour".to_owned())
        .unwrap()
}

/// The server's URL with credentials, read as `SMTP_URL` is.
fn url_with_credentials(smtp: &SmtpReceiver) -> String {
    let url = smtp.url().replacen("://", "://certif:s3cret@", 1);
    parse_smtp_url(&url).unwrap().url.expose_secret().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn starttls_and_implicit_tls_carry_authenticated_messages_on_kept_connections() {
    for mode in [TestTls::Starttls, TestTls::Implicit] {
        let smtp = SmtpReceiver::start_tls(mode).await;
        let client = SmtpClient::from_url_trusting(
            &url_with_credentials(&smtp),
            Duration::from_secs(5),
            2,
            smtp.ca_der().unwrap(),
        )
        .unwrap();
        let email = email();
        // The second message goes on the kept connection: still encrypted and authenticated.
        for _ in 0..2 {
            client
                .send(email.envelope(), &email.formatted())
                .await
                .unwrap_or_else(|error| panic!("{mode:?}: {error}"));
        }
        let received = smtp.received();
        assert_eq!(received.len(), 2, "{mode:?}");
        for message in &received {
            assert!(message.encrypted, "{mode:?}: over TLS");
            assert!(message.authenticated, "{mode:?}: after AUTH");
            assert_eq!(message.rcpt_to, vec!["<personne@example.org>"]);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unverifiable_certificate_or_a_server_without_starttls_sends_nothing() {
    // The webpki roots alone do not know the test's authority.
    for mode in [TestTls::Starttls, TestTls::Implicit] {
        let smtp = SmtpReceiver::start_tls(mode).await;
        let client =
            SmtpClient::from_url(&url_with_credentials(&smtp), Duration::from_secs(5), 2).unwrap();
        let error = client
            .send(email().envelope(), &email().formatted())
            .await
            .unwrap_err();
        assert!(!error.is_permanent(), "{mode:?}: {error}");
        assert!(
            error.to_string().contains("certificate"),
            "{mode:?}: {error}"
        );
        assert_eq!(smtp.count(), 0);
    }
    // STARTTLS required (the default of `smtp://`), and the server does not offer it.
    let plain = SmtpReceiver::start().await;
    let url = format!("smtp://certif:s3cret@{}", plain.addr());
    let client = SmtpClient::from_url(
        parse_smtp_url(&url).unwrap().url.expose_secret(),
        Duration::from_secs(5),
        2,
    )
    .unwrap();
    let error = client
        .send(email().envelope(), &email().formatted())
        .await
        .unwrap_err();
    assert!(error.to_string().contains("STARTTLS"), "{error}");
    assert!(!error.is_permanent());
    assert_eq!((plain.count(), plain.transactions()), (0, 0));
}
