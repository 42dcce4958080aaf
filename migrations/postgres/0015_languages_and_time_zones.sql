-- Languages and time zones. An organization writes to people in its default
-- language and shows times in its zone (an IANA name); a client may be given
-- a language of their own, and a person's own choice (on their account) comes
-- before both.
ALTER TABLE organizations ADD COLUMN default_language TEXT NOT NULL DEFAULT 'en';
ALTER TABLE organizations ADD COLUMN time_zone TEXT NOT NULL DEFAULT 'UTC';
ALTER TABLE clients ADD COLUMN language TEXT;
ALTER TABLE users ADD COLUMN language TEXT;
