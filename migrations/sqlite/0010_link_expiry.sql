-- Each invitation link keeps its own expiry: the invitation's expiry when
-- the link was made. Extending an invitation (a resend, "email me a new
-- link") issues a new link and never brings an old one back.
ALTER TABLE invitation_links ADD COLUMN expires_at BIGINT NOT NULL DEFAULT 0;
UPDATE invitation_links SET expires_at =
    (SELECT i.expires_at FROM invitations i WHERE i.id = invitation_links.invitation_id);
