-- headline: the figures a new snapshot changes that people notice first, one row per figure, in reading order:
-- trainees (trainee_facts rows), applicants (applicant_facts rows), entrants (sum of cohort_sizes.entrants),
-- graduates (sum of completion.graduated), stipend dollars (sum of stipend_funding.stipend_usd, every fiscal year).
select * from (
    values
        (1, 'Trainees', (select count(*) from trainee_facts)::double),
        (2, 'Applicants', (select count(*) from applicant_facts)::double),
        (3, 'Entrants', (select coalesce(sum(entrants), 0) from cohort_sizes)::double),
        (4, 'Graduates', (select coalesce(sum(graduated), 0) from completion)::double),
        (5, 'Stipend dollars', (select coalesce(sum(stipend_usd), 0) from stipend_funding)::double)
) as figures (position, figure, value)
order by position
