-- Criminal proceedings linked to a case — never required for its status (CoE art. 12(6)).
create table criminal_proceedings (
  id uuid primary key,
  case_id uuid not null references cases (id),
  -- The pre-trial investigation register number (ЕРДР), encrypted under the person's data key.
  register_number_enc text not null,
  article text not null,
  stage text not null,
  procedural_role text not null,
  protection_measures text[] not null default '{}',
  non_punishment_requested boolean not null default false,
  compensation_claimed boolean not null default false,
  compensation_amount_kzt bigint check (compensation_amount_kzt is null or compensation_amount_kzt >= 0),
  created_by uuid not null references users (id),
  version integer not null default 1,
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index criminal_proceedings_case_idx on criminal_proceedings (case_id);
