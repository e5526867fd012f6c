-- Referral directory (issue 4): services an agency offers, regions it serves (empty = whole country), capacity.
alter table agencies add column services text[] not null default '{}';
alter table agencies add column regions_served text[] not null default '{}';
alter table agencies add column capacity integer check (capacity is null or capacity >= 0);
