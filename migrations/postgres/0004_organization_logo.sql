-- An organization's logo for its emails: the https address of an image it
-- hosts; empty for none.
ALTER TABLE organizations ADD COLUMN logo_url TEXT NOT NULL DEFAULT '';
