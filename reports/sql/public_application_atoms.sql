-- public_application_atoms: the audit's truth: one row per program, cycle-year band and funnel stage
-- (public_base: matriculated, admitted, not_admitted), with the number of applications in it.
select program_id, band_start, stage, count(*) as applications
from applications
group by all
order by all
