-- Attrition by cohort: one row per cohort year and way of leaving without the degree, over the filtered trainees.
-- Withdrew with a terminal degree: status withdrawn with a degree awarded (trainee_facts.has_terminal_degree, e.g. a
-- terminal master's); withdrew without a degree: the other withdrawals; transferred: status transferred. The three
-- are disjoint: withdrawn (as in the completion mart) = the first two.
with trainees as (select * from filtered_trainees),

cohorts as (select distinct cohort_year from trainees),

outcomes as (
    select * from (
        values
            (1, 'withdrawn', 'Withdrew without a degree'),
            (2, 'withdrawn', 'Withdrew with a terminal degree'),
            (3, 'transferred', 'Transferred')
    ) as o (outcome_order, status, outcome)
),

final as (
    select
        c.cohort_year,
        o.outcome,
        count(t.trainee_id) as trainees,
    from cohorts as c
    cross join outcomes as o
    left join trainees as t
        on t.cohort_year = c.cohort_year
        and t.status = o.status
        and (o.outcome_order = 3 or t.has_terminal_degree = (o.outcome_order = 2))
    group by c.cohort_year, o.outcome_order, o.outcome, o.status
    order by c.cohort_year, o.outcome_order
)

select * from final
