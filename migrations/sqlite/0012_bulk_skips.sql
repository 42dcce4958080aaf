-- Bulk jobs skip people the starter may not invite (a higher role) and
-- collaborators who would need a seat while the organization limits seats
-- (those are invited one by one, where the seat is counted exactly).
ALTER TABLE bulk_jobs ADD COLUMN skipped_rank BIGINT NOT NULL DEFAULT 0;
ALTER TABLE bulk_jobs ADD COLUMN skipped_seats BIGINT NOT NULL DEFAULT 0;
