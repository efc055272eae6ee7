//! With no DATABASE_URL, the program uses a server on the local socket if one answers, and
//! otherwise starts (and stops) a private cluster of its own.

use schema::db::cluster::PrivateCluster;

use crate::support::{Running, certif, scratch_dir};

#[tokio::test(flavor = "multi_thread")]
async fn with_no_server_it_starts_a_private_cluster_and_stops_it_on_exit() {
    let data_dir = scratch_dir("private");
    let mut command = certif();
    command
        .env("CERTIF_DATA_DIR", &data_dir)
        .env("CERTIF_PG_SOCKET_DIRS", data_dir.join("no-server-here"));
    let mut server = Running::start(command).await;
    assert!(
        server.log().contains("the private cluster in"),
        "{}",
        server.log()
    );
    assert!(
        server.log().contains("started by this process"),
        "{}",
        server.log()
    );
    let (_, body) = server.graphql("{ certificationSessions { id } }").await;
    assert_eq!(
        body["data"]["certificationSessions"],
        serde_json::json!([]),
        "{body}"
    );
    assert!(
        data_dir.join("postgres/data/postmaster.pid").exists(),
        "the cluster runs"
    );

    assert!(server.terminate().success(), "{}", server.log());
    assert!(
        !data_dir.join("postgres/data/postmaster.pid").exists(),
        "the cluster was stopped:\n{}",
        server.log()
    );
    assert!(
        server
            .log()
            .contains("Stopped the private PostgreSQL cluster"),
        "{}",
        server.log()
    );

    // A second start reuses the cluster's data: the database and its migrations are there.
    let mut command = certif();
    command
        .env("CERTIF_DATA_DIR", &data_dir)
        .env("CERTIF_PG_SOCKET_DIRS", data_dir.join("no-server-here"));
    let mut again = Running::start(command).await;
    assert!(
        !again
            .log()
            .contains("Creating a private PostgreSQL cluster"),
        "{}",
        again.log()
    );
    assert!(
        !again.log().contains("Applied the pending migrations"),
        "{}",
        again.log()
    );
    assert!(again.terminate().success());
    let _ = std::fs::remove_dir_all(&data_dir);
}

#[tokio::test(flavor = "multi_thread")]
async fn with_a_server_on_the_local_socket_it_uses_that_server() {
    // A server of the test's own, answering on a socket in a folder the test chooses.
    let server_dir = scratch_dir("local-server");
    let local = PrivateCluster::start(&server_dir).await.unwrap();
    let data_dir = scratch_dir("unused-data");
    let mut command = certif();
    command.env("CERTIF_DATA_DIR", &data_dir).env(
        "CERTIF_PG_SOCKET_DIRS",
        format!("/nonexistent:{}", server_dir.join("run").display()),
    );
    let mut server = Running::start(command).await;
    assert!(
        server
            .log()
            .contains("the PostgreSQL server on the local socket"),
        "{}",
        server.log()
    );
    assert!(
        !data_dir.join("postgres").exists(),
        "no private cluster was made"
    );
    let (_, body) = server.graphql("{ certificationSessions { id } }").await;
    assert_eq!(
        body["data"]["certificationSessions"],
        serde_json::json!([]),
        "{body}"
    );
    assert!(server.terminate().success());
    assert!(
        server_dir.join("data/postmaster.pid").exists(),
        "a server certif did not start is left running"
    );
    local.stop().await;
    let _ = std::fs::remove_dir_all(&server_dir);
}
