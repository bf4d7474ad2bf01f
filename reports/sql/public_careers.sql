-- public_careers: alumni (graduates so far) of each program and cohort band by the UCOT sector and, separately, the
-- UCOT career type of their current position ('unknown' when none is on file, counted like any other category):
-- one row per program, band, dimension and category shown, in the vocabulary's order; alumni_pct = of all alumni
-- of the program and band, a whole percent (null without alumni).
-- Coarsening: when a program-band's row has a category with from 1 to $threshold - 1 alumni, every category under
-- $threshold (zeros too, so no pooled category is known to be non-empty) goes into one 'pooled' row, and the
-- smallest other category joins it while the pool is under $threshold; members lists the pooled codes.
with vocabulary as (
    select vocabulary as dimension, code, label, sort_order
    from main.vocabulary
    where vocabulary in ('sector', 'career_type')
),

counted as (
    select
        pb.program_id,
        pb.program_name,
        pb.band_start,
        pb.band_label,
        v.dimension,
        v.code,
        v.label,
        v.sort_order,
        count(e.start_date) as alumni,
    from program_bands as pb
    cross join vocabulary as v
    left join entrants as e
        on
            e.program_id = pb.program_id
            and e.band_start = pb.band_start
            and v.code = case v.dimension when 'sector' then e.sector else e.career_type end
    group by all
),

marked as (
    select
        *,
        (sum(alumni) over category_row)::bigint as all_alumni,
        bool_or(alumni between 1 and $threshold::integer - 1) over category_row as has_small,
        sum(case when alumni < $threshold::integer then alumni else 0 end) over category_row as small_alumni,
        row_number() over (
            partition by program_id, band_start, dimension, alumni >= $threshold::integer order by alumni, sort_order
        ) as size_rank,
    from counted
    window category_row as (partition by program_id, band_start, dimension)
),

pooling as (
    select
        *,
        has_small and (
            alumni < $threshold::integer or (small_alumni < $threshold::integer and size_rank = 1)
        ) as is_pooled,
    from marked
),

final as (
    select
        program_id, program_name, band_start, band_label, dimension, code as category, label, sort_order,
        [code] as members, alumni, all_alumni,
    from pooling
    where not is_pooled
    union all
    select
        program_id, program_name, band_start, band_label, dimension, 'pooled' as category,
        'Pooled: ' || string_agg(label, ', ' order by sort_order) as label, 99 as sort_order,
        list(code order by sort_order) as members, sum(alumni)::bigint as alumni, any_value(all_alumni) as all_alumni,
    from pooling
    where is_pooled
    group by program_id, program_name, band_start, band_label, dimension
)

select
    *,
    round(100 * alumni / nullif(all_alumni, 0))::integer as alumni_pct,
from final
order by program_id, band_start, dimension desc, sort_order
