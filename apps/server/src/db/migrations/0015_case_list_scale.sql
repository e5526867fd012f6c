-- Case list at national scale (issue 9): every sort order of the list is read from an index per
-- holding agency, with the id as tie-breaker, so a page is the top of an index range, not a sort
-- of every case the agency holds.
drop index if exists cases_agency_idx;
create index cases_agency_created_idx on cases (agency_id, created_at, id);
create index cases_agency_updated_idx on cases (agency_id, updated_at, id);
create index cases_agency_encounter_idx on cases (agency_id, encounter_date, id);
create index cases_agency_number_idx on cases (agency_id, number, id);
