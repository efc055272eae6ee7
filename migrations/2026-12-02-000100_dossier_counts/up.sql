-- The équipe animation's list shows how much of each dossier is there. Counting it on every page
-- cost three index scans a row, half of the page's database time: the counts are kept on the
-- application instead, by triggers on the dossier tables, so that no write can leave them wrong.
ALTER TABLE applications
    ADD COLUMN dossier_items_provided smallint NOT NULL DEFAULT 0
        CHECK (dossier_items_provided BETWEEN 0 AND 6),
    ADD COLUMN dossier_file_count integer NOT NULL DEFAULT 0 CHECK (dossier_file_count >= 0);

-- Counts again the items (links given, file items with a file) and the files of one application.
-- The row is locked first, in a statement of its own: the counts are then read in a snapshot
-- taken after any concurrent writer of the same dossier committed. NO KEY UPDATE, as the UPDATE
-- itself takes, so that it does not wait on the key-share locks of foreign-key checks. A row the
-- current statement deletes (a cascade) is not found, and nothing is counted.
CREATE FUNCTION applications_count_dossier(application uuid) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM applications WHERE id = application FOR NO KEY UPDATE;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    UPDATE applications SET
        dossier_items_provided =
            (SELECT count(*) FROM dossier_links WHERE application_id = application)
            + (SELECT count(DISTINCT kind) FROM dossier_files WHERE application_id = application),
        dossier_file_count =
            (SELECT count(*) FROM dossier_files WHERE application_id = application)
    WHERE id = application;
END
$$;

CREATE FUNCTION dossier_counts_follow() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP <> 'INSERT' THEN
        PERFORM applications_count_dossier(OLD.application_id);
    END IF;
    IF TG_OP = 'INSERT'
        OR (TG_OP = 'UPDATE' AND NEW.application_id IS DISTINCT FROM OLD.application_id) THEN
        PERFORM applications_count_dossier(NEW.application_id);
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER dossier_files_counts
    AFTER INSERT OR DELETE OR UPDATE OF application_id, kind ON dossier_files
    FOR EACH ROW EXECUTE FUNCTION dossier_counts_follow();

CREATE TRIGGER dossier_links_counts
    AFTER INSERT OR DELETE OR UPDATE OF application_id, kind ON dossier_links
    FOR EACH ROW EXECUTE FUNCTION dossier_counts_follow();

-- The applications that have a dossier already.
SELECT applications_count_dossier(id) FROM applications
WHERE EXISTS (SELECT FROM dossier_links WHERE application_id = applications.id)
   OR EXISTS (SELECT FROM dossier_files WHERE application_id = applications.id);
