-- Intake forms (Settings → Forms): a title and its versions. A version
-- (its introduction and fields, as JSON) never changes once a client was
-- sent it: saving the form then makes a new version, and answers given to
-- an old one stay readable with its own words. Keep in step with the other
-- dialect.
CREATE TABLE forms (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id     BIGINT NOT NULL REFERENCES organizations(id),
    title               TEXT NOT NULL,
    created_at          BIGINT NOT NULL,
    -- The version sent from now on (set once the first version exists).
    current_version_id  BIGINT
);
CREATE INDEX forms_org ON forms(organization_id);

CREATE TABLE form_versions (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    form_id       BIGINT NOT NULL REFERENCES forms(id),
    -- 1, 2, 3… per form.
    number        BIGINT NOT NULL,
    introduction  TEXT NOT NULL,
    -- The fields as JSON: [{key, label, help, kind, required, choices}].
    fields        TEXT NOT NULL,
    created_by    BIGINT REFERENCES users(id),
    created_at    BIGINT NOT NULL,
    UNIQUE (form_id, number)
);

-- A form sent to a client (with an invitation): the version they fill, a
-- draft while they work on it, and their answers once submitted (JSON: the
-- field keys with their values; a file is the id of a document of their
-- account). At most one unsubmitted request per client and form.
CREATE TABLE form_requests (
    id               BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organization_id  BIGINT NOT NULL REFERENCES organizations(id),
    client_id        BIGINT NOT NULL REFERENCES clients(id),
    form_id          BIGINT NOT NULL REFERENCES forms(id),
    version_id       BIGINT NOT NULL REFERENCES form_versions(id),
    requested_by     BIGINT REFERENCES users(id),
    created_at       BIGINT NOT NULL,
    answers          TEXT NOT NULL DEFAULT '{}',
    saved_at         BIGINT,
    submitted_at     BIGINT
);
CREATE UNIQUE INDEX form_requests_open ON form_requests(client_id, form_id) WHERE submitted_at IS NULL;
CREATE INDEX form_requests_client ON form_requests(client_id, created_at);
CREATE INDEX form_requests_form ON form_requests(form_id, submitted_at);

-- A bulk invitation may send a form with each invitation.
ALTER TABLE bulk_jobs ADD COLUMN form_id BIGINT REFERENCES forms(id);
