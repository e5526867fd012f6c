-- Statistics, the national report and the HTCDS export at 1,000,000 cases (issue 7).

-- The dashboard reads a period's cases from this index alone (index-only scan): the period, the
-- person, the order of the person's cases and every breakdown value. Supersedes cases_encounter_idx.
create index cases_statistics_idx on cases (encounter_date)
  include (person_id, created_at, id, encounter_region, is_child, agency_id, cross_border, exploitation_forms);
drop index if exists cases_encounter_idx;
-- "Does this person have an earlier case?" from the index alone. Supersedes cases_person_idx.
create index cases_person_first_idx on cases (person_id, encounter_date, created_at, id);
drop index if exists cases_person_idx;

-- The region of a case by its id from the index alone (the indicators join referrals, decisions,
-- reflection periods and proceedings to their case's region).
create index cases_region_idx on cases (id) include (encounter_region);

-- A person's breakdown values (and merge) from the index alone, for the statistics and the export.
create index persons_statistics_idx on persons (id) include (merged_into, sex, age_band, citizenships);

-- The indicators select their period by these dates.
create index referrals_sent_idx on referrals (sent_at);
create index status_decisions_decided_idx on status_decisions (decided_on);
create index reflection_periods_start_idx on reflection_periods (start_date);
create index criminal_proceedings_first_idx on criminal_proceedings (case_id, created_at);
drop index if exists criminal_proceedings_case_idx;

-- The statistics data version: a statement trigger on every table the statistics read records the
-- writing transaction once (no shared row is updated, so writers never wait on each other). The
-- version in a snapshot is base + the rows visible in it: it grows with every committed writer and
-- is unchanged by compaction (rows deleted and added to base in one transaction). The statistics
-- module caches a period's aggregates under the version and recomputes when it has changed.
create table statistics_changes (tx xid8 primary key);
create table statistics_version (
  id boolean primary key default true check (id),
  base bigint not null default 0
);
insert into statistics_version (id, base) values (true, 0);

create function statistics_changed() returns trigger language plpgsql as $$
begin
  insert into statistics_changes (tx) values (pg_current_xact_id()) on conflict do nothing;
  return null;
end
$$;

create trigger cases_statistics after insert or update or delete or truncate on cases
  for each statement execute function statistics_changed();
create trigger persons_statistics after insert or update or delete or truncate on persons
  for each statement execute function statistics_changed();
create trigger agencies_statistics after insert or update or delete or truncate on agencies
  for each statement execute function statistics_changed();
create trigger referrals_statistics after insert or update or delete or truncate on referrals
  for each statement execute function statistics_changed();
create trigger status_tracks_statistics after insert or update or delete or truncate on status_tracks
  for each statement execute function statistics_changed();
create trigger status_decisions_statistics after insert or update or delete or truncate on status_decisions
  for each statement execute function statistics_changed();
create trigger reflection_periods_statistics after insert or update or delete or truncate on reflection_periods
  for each statement execute function statistics_changed();
create trigger criminal_proceedings_statistics after insert or update or delete or truncate on criminal_proceedings
  for each statement execute function statistics_changed();
