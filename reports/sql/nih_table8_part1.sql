-- nih_table8_part1: NIH Table 8 Part I (program outcomes), predoctoral programs as 8A and postdoctoral as 8B: one row
-- per trainee (enrollment) appointed to the training grant, i.e. with an nlm_t15 appointment, whose first such
-- appointment began in the $years academic years through $through (academic year Y: 1 July Y to 30 June Y+1).
-- Certificate programs are not an NIH career level and are left out. Names come from trainee_directory: this table is
-- for roles that may see trainees.
-- grant_start: the first nlm_t15 appointment's start date (shown MM/YYYY).
-- support_by_year: for training years 1..n (TY1 = the first twelve months from the trainee's start_date, TY2 the next
--   twelve, ...; n = the last year with an appointment), the codes of the funding sources of the appointments that
--   began in that year, joined by '/': T this training grant (nlm_t15), RT another NIH training grant
--   (nih_training_other), F fellowship (external_fellowship), I institutional, O other (self_funded); '' = none;
--   the years' codes one space apart, as text.
--   An appointment that began before the trainee's start_date counts in TY1.
-- terminal_degrees: degrees held at entry (prior_degrees) then the degree awarded with the year it was conferred
--   (year of end_date); 'In training' while active or on leave, the status when the trainee left without a degree.
-- initial_position / current_position: title, employer of trainee_facts' initial and current positions.
with grant_trainees as (
    select
        trainee_id,
        min(start_date) as grant_start,
    from main.appointment_facts
    where funding_source = 'nlm_t15'
    group by trainee_id
),

chosen as (
    select
        t.*,
        g.grant_start,
        case t.program_level when 'predoctoral' then '8A' else '8B' end as nih_table,
    from main.trainee_facts as t
    inner join grant_trainees as g using (trainee_id)
    where t.program_level in ('predoctoral', 'postdoctoral')
        and year(g.grant_start) - (month(g.grant_start) < 7)::integer
        between $through::integer - $years::integer + 1 and $through::integer
),

coded as (
    select
        a.trainee_id,
        greatest(1, date_diff('month', c.start_date, a.start_date) // 12 + 1) as training_year,
        case a.funding_source
            when 'nlm_t15' then 'T'
            when 'nih_training_other' then 'RT'
            when 'external_fellowship' then 'F'
            when 'institutional' then 'I'
            else 'O'
        end as code,
        case a.funding_source
            when 'nlm_t15' then 1 when 'nih_training_other' then 2 when 'external_fellowship' then 3
            when 'institutional' then 4 else 5
        end as code_order,
    from main.appointment_facts as a
    inner join chosen as c using (trainee_id)
),

per_year as (
    select
        trainee_id,
        training_year,
        string_agg(code, '/' order by code_order) as codes,
    from (select distinct trainee_id, training_year, code, code_order from coded)
    group by trainee_id, training_year
),

support as (
    select
        s.trainee_id,
        string_agg(coalesce(p.codes, ''), ' ' order by s.training_year) as support_by_year,
    from (
        select trainee_id, unnest(range(1, max(training_year) + 1)) as training_year
        from per_year
        group by trainee_id
    ) as s
    left join per_year as p using (trainee_id, training_year)
    group by s.trainee_id
)

select
    c.nih_table,
    c.program_id,
    c.program_name,
    c.trainee_id,
    d.family_name || ', ' || d.given_name as trainee_name,
    c.mentor,
    c.grant_start,
    strftime(c.grant_start, '%m/%Y') as grant_start_label,
    s.support_by_year,
    concat_ws(
        '; ',
        nullif(replace(c.prior_degrees, ';', ', '), ''),
        case
            when c.degree_awarded is not null then c.degree_awarded || ' ' || year(c.end_date)
            when c.status in ('active', 'on_leave') then 'In training'
            else upper(c.status[1]) || c.status[2:] || ' without a degree'
        end
    ) as terminal_degrees,
    c.research_topic,
    nullif(concat_ws(', ', c.initial_title, c.initial_employer), '') as initial_position,
    nullif(concat_ws(', ', c.current_title, c.current_employer), '') as current_position,
from chosen as c
inner join main.trainee_directory as d using (trainee_id)
inner join support as s using (trainee_id)
order by c.nih_table, c.program_name, c.grant_start, trainee_name
