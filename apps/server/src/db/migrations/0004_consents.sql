-- Informed consent per purpose (issue 4). A child's "not required" note records that the guardian was informed.
create table consents (
  id uuid primary key,
  case_id uuid not null references cases (id),
  purpose text not null check (purpose in ('referral_identification', 'assistance', 'sharing', 'statistics', 'contact')),
  status text not null check (status in ('given', 'not_required', 'withdrawn')),
  guardian_informed boolean not null default false,
  recipient_agency_id uuid references agencies (id),
  recipient_agency_type text,
  scope text[] not null default '{}',
  language text not null,
  interpreter_used boolean not null,
  interpreter_language text,
  given_on date not null,
  recorded_by uuid not null references users (id),
  recorded_at timestamptz not null default now(),
  withdrawn_on date,
  withdrawn_at timestamptz,
  withdrawn_by uuid references users (id),
  check (purpose <> 'sharing' or (recipient_agency_id is null) <> (recipient_agency_type is null))
);
create index consents_case_idx on consents (case_id, recorded_at);
-- One valid consent per purpose (per recipient for sharing).
create unique index consents_valid_purpose_key on consents (case_id, purpose)
  where status <> 'withdrawn' and purpose <> 'sharing';
create unique index consents_valid_sharing_key
  on consents (case_id, coalesce(recipient_agency_id::text, ''), coalesce(recipient_agency_type, ''))
  where status <> 'withdrawn' and purpose = 'sharing';
