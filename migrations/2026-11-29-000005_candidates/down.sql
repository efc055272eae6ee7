DROP TABLE candidates;
