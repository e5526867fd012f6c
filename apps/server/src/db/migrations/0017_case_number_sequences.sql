-- Case numbers come from one sequence per country and year (case_number_<country>_<year>, created
-- on the first registration of a year) instead of a counter row: a counter row stays locked until
-- the registering transaction commits, so under load every registration waited for the one before
-- it to reach the disk. A registration that fails after taking its number leaves a gap.
do $$
declare
  r record;
  seq text;
begin
  for r in select country, year, last from case_counters loop
    seq := format('case_number_%s_%s', lower(r.country), r.year);
    execute format('create sequence if not exists %I', seq);
    if r.last > 0 then
      perform setval(seq, r.last, true);
    end if;
  end loop;
end
$$;

drop table case_counters;
