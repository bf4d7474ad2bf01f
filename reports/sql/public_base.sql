-- public_base: the people the public outcomes count, as common table expressions that every public_* query is
-- prefixed with (never run alone). Parameters: $first_year, $last_year, $band_years.
-- bands: fixed, non-overlapping $band_years-year bands of calendar years from $first_year to $last_year.
-- program_bands: one row per program and band (so bands with nobody in them are counted as zeros).
-- entrants: one row per trainee whose cohort year falls in a band, grouped as the public tables show them:
--   gender_group: women (female), men (male), another (nonbinary or not reported; coarsened on purpose);
--   origin: domestic_urm / domestic_other (domestic = NRSA-eligible: US citizen, non-citizen national, permanent
--     resident; split by is_urm), international (temporary visa), unknown;
--   outcome: within_8 (graduated, years_to_degree at most 8), within_10 (more than 8, at most 10), later (more
--     than 10), not_graduated; years_to_degree as trainee_facts defines it (elapsed, leaves included);
--   sector, career_type: the UCOT tiers of the current position as trainee_facts defines it ('unknown' when none is
--     on file), for graduates only (null otherwise).
-- applications: one row per application whose cycle year falls in a band; stage: matriculated, admitted (and not
--   matriculated), not_admitted.
run as (select as_of_date from meta.run),

bands as (
    select
        band_start,
        band_start + $band_years::integer - 1 as band_end,
        format('{}–{}', band_start, band_start + $band_years::integer - 1) as band_label,
    from (
        select unnest(range($first_year::integer, $last_year::integer + 1, $band_years::integer)) as band_start
    )
),

programs as (
    select distinct program_id, program_name from main.trainee_facts
    union
    select distinct program_id, program_name from main.applicant_facts
),

program_bands as (select * from programs cross join bands),

entrants as (
    select
        t.program_id,
        b.band_start,
        t.start_date,
        t.years_to_degree,
        case t.gender when 'female' then 'women' when 'male' then 'men' else 'another' end as gender_group,
        case
            when t.is_nrsa_eligible and t.is_urm then 'domestic_urm'
            when t.is_nrsa_eligible then 'domestic_other'
            when t.citizenship = 'temporary_visa' then 'international'
            else 'unknown'
        end as origin,
        case
            when not t.is_graduate then 'not_graduated'
            when t.years_to_degree <= 8 then 'within_8'
            when t.years_to_degree <= 10 then 'within_10'
            else 'later'
        end as outcome,
        case when t.is_graduate then t.current_sector end as sector,
        case when t.is_graduate then t.current_career_type end as career_type,
    from main.trainee_facts as t
    inner join bands as b on t.cohort_year between b.band_start and b.band_end
),

applications as (
    select
        a.program_id,
        b.band_start,
        case when a.matriculated then 'matriculated' when a.admitted then 'admitted' else 'not_admitted' end as stage,
    from main.applicant_facts as a
    inner join bands as b on a.cycle_year between b.band_start and b.band_end
)
