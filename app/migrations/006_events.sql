-- Growth events (POST /api/events and the search endpoint's own SEARCH_QUERY) and experiment exposures
-- (GET /api/experiments/:key/assignment). Pseudonymous: a visitor is a client-chosen opaque id, erased on
-- request (DELETE /api/privacy/visitors/:id). Rows older than EVENTS_RETENTION_DAYS are removed by
-- `job purge-growth-events`. See docs/app-growth.md.
CREATE TABLE growth_events (
  -- Client-supplied UUID: the idempotency key (a retried batch inserts nothing twice).
  id             uuid PRIMARY KEY,
  type           text NOT NULL CHECK (type IN ('SEARCH_QUERY', 'SEARCH_RESULT_CLICK', 'CONTACT_CLICK', 'WHATSAPP_CLICK', 'BOOKING_INTENT')),
  visitor_id     text NOT NULL CHECK (visitor_id ~ '^[A-Za-z0-9_-]{8,64}$'),
  -- NULL only for SEARCH_QUERY rows recorded by the search endpoint without an x-session-id header.
  session_id     text CHECK (session_id ~ '^[A-Za-z0-9_-]{8,64}$'),
  -- No foreign key: events outlive the businesses they mention (analytics history).
  business_id    uuid,
  experiment_key text CHECK (experiment_key ~ '^[a-z0-9_]{1,64}$'),
  variant_key    text CHECK (variant_key ~ '^[a-z0-9_]{1,64}$'),
  -- SEARCH_QUERY context: the text searched and where/what it was about (client-supplied, or the best hit's).
  query          text CHECK (char_length(query) <= 200),
  category       text CHECK (category ~ '^[a-z0-9-]{1,64}$'),
  province       text CHECK (char_length(province) BETWEEN 1 AND 100),
  city           text CHECK (char_length(city) BETWEEN 1 AND 100),
  results        integer CHECK (results >= 0),
  occurred_at    timestamptz NOT NULL,
  received_at    timestamptz NOT NULL DEFAULT now(),
  CHECK ((experiment_key IS NULL) = (variant_key IS NULL))
);

-- Insights: every query filters one type over a time range (top categories, gaps, conversion).
CREATE INDEX growth_events_type_time ON growth_events (type, occurred_at) INCLUDE (category, province, city, session_id);
-- A/B comparison: one experiment's tagged events.
CREATE INDEX growth_events_experiment ON growth_events (experiment_key, variant_key, occurred_at)
  WHERE experiment_key IS NOT NULL;
-- Search -> WhatsApp conversion: a session's WhatsApp clicks after its first search.
CREATE INDEX growth_events_whatsapp_session ON growth_events (session_id, occurred_at) WHERE type = 'WHATSAPP_CLICK';
-- Privacy export/erase.
CREATE INDEX growth_events_visitor ON growth_events (visitor_id);
-- Retention: rows arrive roughly in time order, so a BRIN index finds old ones at a tiny cost.
CREATE INDEX growth_events_occurred_brin ON growth_events USING brin (occurred_at);

-- First assignment of a visitor to an experiment's variant (the exposure counted by the A/B comparison).
CREATE TABLE experiment_exposures (
  experiment_key text NOT NULL CHECK (experiment_key ~ '^[a-z0-9_]{1,64}$'),
  visitor_id     text NOT NULL CHECK (visitor_id ~ '^[A-Za-z0-9_-]{8,64}$'),
  variant_key    text NOT NULL CHECK (variant_key ~ '^[a-z0-9_]{1,64}$'),
  exposed_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (experiment_key, visitor_id)
);
CREATE INDEX experiment_exposures_time ON experiment_exposures (experiment_key, exposed_at);
CREATE INDEX experiment_exposures_visitor ON experiment_exposures (visitor_id);
