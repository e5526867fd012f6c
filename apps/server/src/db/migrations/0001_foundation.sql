-- Foundation: agencies, users, sessions, settings, and the append-only, hash-chained audit trail.
create extension if not exists pg_trgm with schema public;

create table agencies (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  type text not null,
  region text not null,
  is_competent_authority boolean not null default false,
  contact_email text,
  contact_phone text,
  address text,
  active boolean not null default true,
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index agencies_name_key on agencies (lower(name));

create table users (
  id uuid primary key default gen_random_uuid(),
  agency_id uuid not null references agencies (id),
  username text not null,
  email text,
  display_name text not null,
  password_hash text not null,
  roles text[] not null check (cardinality(roles) > 0),
  locale text not null default 'ru' check (locale in ('kk', 'ru', 'en')),
  active boolean not null default true,
  failed_logins integer not null default 0,
  locked_until timestamptz,
  totp_secret_enc text,
  totp_enabled boolean not null default false,
  totp_last_step bigint,
  last_login_at timestamptz,
  password_changed_at timestamptz not null default now(),
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create unique index users_username_key on users (lower(username));
create unique index users_email_key on users (lower(email)) where email is not null;
create index users_agency_idx on users (agency_id);

create table sessions (
  id text primary key,
  user_id uuid not null references users (id) on delete cascade,
  csrf_token text not null,
  ip text,
  user_agent text,
  created_at timestamptz not null default now(),
  last_seen_at timestamptz not null default now(),
  expires_at timestamptz not null
);
create index sessions_user_idx on sessions (user_id);

create table settings (
  key text primary key,
  value jsonb not null,
  version integer not null default 1,
  updated_at timestamptz not null default now(),
  updated_by uuid references users (id)
);

-- The audit trail. Each event stores the SHA-256 of its own content (computed by the server);
-- a sealer links blocks of events, grouped by the transaction that wrote them, into a hash chain.
create table audit_events (
  id bigserial primary key,
  tx xid8 not null default pg_current_xact_id(),
  at timestamptz not null,
  actor_id uuid,
  actor_username text,
  agency_id uuid,
  action text not null,
  target_type text,
  target_id text,
  ip text,
  outcome text not null check (outcome in ('success', 'failure', 'denied')),
  details jsonb not null default '{}'::jsonb,
  hash text not null
);
create index audit_events_tx_idx on audit_events (tx);
create index audit_events_at_idx on audit_events (at desc);
create index audit_events_actor_idx on audit_events (actor_id, at desc);
create index audit_events_target_idx on audit_events (target_type, target_id, at desc);

-- A block seals every event written by transactions with xid in [xid_from, xid_to): all such
-- transactions had finished when the block was sealed, so the set can never change afterwards.
create table audit_blocks (
  id bigserial primary key,
  xid_from xid8 not null,
  xid_to xid8 not null,
  event_count integer not null,
  first_event_id bigint,
  last_event_id bigint,
  prev_hash text not null,
  hash text not null,
  sealed_at timestamptz not null default now(),
  check (xid_to > xid_from)
);

create function opennrm_forbid_change() returns trigger language plpgsql as $$
begin
  raise exception 'the audit trail is append-only: % on % refused', tg_op, tg_table_name using errcode = '42501';
end
$$;

create trigger audit_events_append_only before update or delete on audit_events
  for each row execute function opennrm_forbid_change();
create trigger audit_events_no_truncate before truncate on audit_events
  for each statement execute function opennrm_forbid_change();
create trigger audit_blocks_append_only before update or delete on audit_blocks
  for each row execute function opennrm_forbid_change();
create trigger audit_blocks_no_truncate before truncate on audit_blocks
  for each statement execute function opennrm_forbid_change();
