-- The audit trail page reads an organization's newest events first.
CREATE INDEX audit_events_org ON audit_events(organization_id, id);
