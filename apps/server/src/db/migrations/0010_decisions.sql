-- Victim status (issue 5): the competent authority's preliminary and final decisions, the track that
-- a formal-identification referral opens (preliminary target, escalation), and reviews of negative
-- decisions. Nothing here refers to a criminal case, testimony or cooperation (CoE art. 12(6)).

-- One track per formal-identification referral to a competent authority; the preliminary target
-- (working days, data in settings 'status_rules') is computed when the referral is sent.
create table status_tracks (
  id uuid primary key,
  case_id uuid not null references cases (id),
  referral_id uuid not null unique references referrals (id),
  agency_id uuid not null references agencies (id),
  referred_at timestamptz not null,
  preliminary_due_at timestamptz not null,
  escalated_at timestamptz,
  created_at timestamptz not null default now()
);
create index status_tracks_case_idx on status_tracks (case_id);

create table status_decisions (
  id uuid primary key,
  case_id uuid not null references cases (id),
  kind text not null check (kind in ('preliminary', 'final')),
  outcome text not null check (
    (kind = 'preliminary' and outcome in ('presumed_victim', 'not_presumed_victim'))
    or (kind = 'final' and outcome in ('victim', 'not_victim'))
  ),
  -- The written reasons, encrypted under the person's data key (they describe the person).
  reasons_enc text not null,
  legal_basis text not null,
  decided_on date not null,
  decided_by uuid not null references users (id),
  agency_id uuid not null references agencies (id),
  requested_by_person boolean not null default false,
  -- A review decision names the negative decision it reviews; a reviewer is never its author.
  review_of uuid references status_decisions (id),
  created_at timestamptz not null default now()
);
create index status_decisions_case_idx on status_decisions (case_id, decided_on, created_at);

create table decision_reviews (
  id uuid primary key,
  decision_id uuid not null unique references status_decisions (id),
  requested_on date not null,
  requested_by uuid not null references users (id),
  due_on date not null,
  decided_by uuid references users (id),
  result_decision_id uuid references status_decisions (id),
  escalated_at timestamptz,
  created_at timestamptz not null default now()
);

-- HTCDS vic_TraffickingStatus and vic_TraffickingStatusDecisionMakingOrg, derived from the
-- decisions and stored on the case for export.
alter table cases add column trafficking_status text not null default 'PossibleVictimOfTrafficking'
  check (trafficking_status in ('PossibleVictimOfTrafficking', 'ActualVictimOfTrafficking', 'NotAVictimOfTrafficking'));
alter table cases add column status_decision_org text;
