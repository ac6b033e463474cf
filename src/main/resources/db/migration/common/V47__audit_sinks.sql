-- Audit streaming: each configured sink (a SIEM's syslog or HTTPS receiver) is shipped the audit log
-- lane by lane from its cursor, at least once, by one node at a time. Written for both H2 (in
-- PostgreSQL mode) and PostgreSQL.

-- One row per sink: which node ships it now (a lease that another node takes over once it has
-- expired), and what the last attempt did. last_error holds no secret (never the token).
CREATE TABLE audit_sink (
    name             VARCHAR(64)  NOT NULL PRIMARY KEY,
    lease_owner      VARCHAR(255),
    lease_until      TIMESTAMP WITH TIME ZONE,
    last_delivery_at TIMESTAMP WITH TIME ZONE,
    last_error       VARCHAR(500),
    last_error_at    TIMESTAMP WITH TIME ZONE
);

-- How far each sink has been sent each lane: every record of the lane up to delivered_seq was
-- accepted by the receiver. It only moves forward; a record sent again after a failure or a
-- failover carries the same lane and sequence number.
CREATE TABLE audit_sink_cursor (
    sink             VARCHAR(64)  NOT NULL REFERENCES audit_sink (name),
    lane             VARCHAR(128) NOT NULL,
    delivered_seq    BIGINT       NOT NULL,
    delivered_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (sink, lane)
);
