DROP TABLE certification_sessions;
