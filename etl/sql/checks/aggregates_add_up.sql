-- The aggregate marts add up to the facts they summarise. Returns a row per mart that does not.
with totals as (
    select 'cohort_sizes.entrants' as figure, (select sum(entrants) from main.cohort_sizes) as mart_total,
        (select count(*) from main.trainee_facts) as expected
    union all
    select 'track_distribution.trainees', (select sum(trainees) from main.track_distribution),
        (select count(*) from main.trainee_facts)
    union all
    select 'completion.entrants', (select sum(entrants) from main.completion), (select count(*) from main.trainee_facts)
    union all
    select 'cohort_funnel.applicants', (select sum(applicants) from main.cohort_funnel),
        (select count(*) from main.applicant_facts)
    union all
    select 'career_outcomes.alumni (initial)',
        (select sum(alumni) from main.career_outcomes where position_kind = 'initial'),
        (select count(*) from main.trainee_facts where is_graduate)
    union all
    select 'career_outcomes.alumni (current)',
        (select sum(alumni) from main.career_outcomes where position_kind = 'current'),
        (select count(*) from main.trainee_facts where is_graduate)
    union all
    select 'stipend_funding.total_usd', (select sum(total_usd) from main.stipend_funding),
        (select sum(stipend_usd + tuition_fees_usd + health_insurance_usd + travel_usd) from staging.appointments)
)

select figure, mart_total, expected
from totals
where coalesce(mart_total, 0) <> coalesce(expected, 0)
