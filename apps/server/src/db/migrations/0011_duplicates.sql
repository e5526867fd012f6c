-- Duplicate detection (issue 8). Blocking keys live in person_index (kind 'block', HMACs only);
-- block_keys_version says which version of the keys a person was indexed with, so a change of the
-- blocking rules re-indexes at the next start.
alter table persons add column block_keys_version integer not null default 0;
-- A merged person points at the person it was merged into; both keep their own case and history.
alter table persons add column merged_into uuid references persons (id);
create index persons_merged_into_idx on persons (merged_into) where merged_into is not null;
create index persons_block_keys_version_idx on persons (block_keys_version);

-- Candidate pairs found by the batch (and by new records), person_a < person_b. The explanation
-- (field agreements and weights) holds no personal data: no name, date or number.
create table duplicate_pairs (
  id uuid primary key default gen_random_uuid(),
  person_a uuid not null references persons (id) on delete cascade,
  person_b uuid not null references persons (id) on delete cascade,
  score double precision not null,
  band text not null,
  fields jsonb not null,
  config_version text not null,
  status text not null default 'open',
  decided_by uuid references users (id),
  decided_at timestamptz,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now(),
  unique (person_a, person_b),
  check (person_a < person_b),
  check (status in ('open', 'merged', 'dismissed')),
  check (band in ('likely', 'possible'))
);
create index duplicate_pairs_status_idx on duplicate_pairs (status, score desc);
create index duplicate_pairs_b_idx on duplicate_pairs (person_b);

-- Every merge, kept after an unmerge (who, when, which pair).
create table person_merges (
  id uuid primary key default gen_random_uuid(),
  pair_id uuid not null references duplicate_pairs (id),
  person_id uuid not null references persons (id),
  into_person_id uuid not null references persons (id),
  merged_by uuid not null references users (id),
  merged_at timestamptz not null default now(),
  unmerged_by uuid references users (id),
  unmerged_at timestamptz
);
create index person_merges_pair_idx on person_merges (pair_id);

-- Match inquiries: "agency X may hold the person we are registering; please refer the case".
-- No personal data: the asking agency and user, the asked agency and its case.
create table duplicate_inquiries (
  id uuid primary key default gen_random_uuid(),
  from_agency_id uuid not null references agencies (id),
  from_user_id uuid not null references users (id),
  to_agency_id uuid not null references agencies (id),
  case_id uuid not null references cases (id),
  created_at timestamptz not null default now()
);
create index duplicate_inquiries_case_idx on duplicate_inquiries (case_id);

-- The agency a notification comes from (a match inquiry names the asking agency).
alter table notifications add column from_agency_id uuid references agencies (id);
