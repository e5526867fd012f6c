-- Time-limited emergency access of a police or health user to a case they cannot otherwise see.
create table emergency_access (
  id uuid primary key,
  case_id uuid not null references cases (id),
  user_id uuid not null references users (id),
  agency_id uuid not null references agencies (id),
  -- The written reason, encrypted under the person's data key (it may describe the person).
  reason_enc text not null,
  granted_at timestamptz not null default now(),
  expires_at timestamptz not null,
  review_outcome text check (review_outcome in ('justified', 'not_justified')),
  reviewed_by uuid references users (id),
  reviewed_at timestamptz
);
create index emergency_access_case_idx on emergency_access (case_id, granted_at desc);
create index emergency_access_user_idx on emergency_access (user_id, expires_at);
