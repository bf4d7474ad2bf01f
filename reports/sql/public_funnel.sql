-- public_funnel: the admissions funnel, one row per program and cycle-year band (zeros included): applications,
-- admitted (offered admission), matriculated (enrolled); admit_pct = admitted / applications and yield_pct =
-- matriculated / admitted, as whole percents (null when the denominator is 0).
with counted as (
    select
        pb.program_id,
        pb.program_name,
        pb.band_start,
        pb.band_label,
        count(a.stage) as applications,
        count(a.stage) filter (where a.stage in ('admitted', 'matriculated')) as admitted,
        count(a.stage) filter (where a.stage = 'matriculated') as matriculated,
    from program_bands as pb
    left join applications as a on a.program_id = pb.program_id and a.band_start = pb.band_start
    group by all
)

select
    *,
    round(100 * admitted / nullif(applications, 0))::integer as admit_pct,
    round(100 * matriculated / nullif(admitted, 0))::integer as yield_pct,
from counted
order by program_id, band_start
