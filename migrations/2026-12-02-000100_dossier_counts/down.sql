DROP TRIGGER dossier_links_counts ON dossier_links;
DROP TRIGGER dossier_files_counts ON dossier_files;
DROP FUNCTION dossier_counts_follow();
DROP FUNCTION applications_count_dossier(uuid);
ALTER TABLE applications DROP COLUMN dossier_file_count, DROP COLUMN dossier_items_provided;
