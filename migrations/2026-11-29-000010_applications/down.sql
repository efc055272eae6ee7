DROP TABLE waiting_list;
DROP TABLE dossier_files;
DROP TABLE stored_files;
DROP TABLE dossier_links;
DROP TABLE application_events;
DROP TABLE applications;
