# Xinzhou Mayor's Quality Award · messages (English)
#
# One message per key, parameters written { $name }; date parameters arrive written
# as "1 December 2026". Rewording needs no code change; the catalog test in qaward-app
# checks that the keys and parameters match the code's.

## Refusals and the article they cite

refusal = Under Article { $article } of the Measures ({ $rule }): { $message }
in-batch = { $name }: { $message }

## Login, accounts and permissions

log-in-first = Log in first.
bad-credentials = Wrong username or password.
denied-not-logged-in = Log in first.
denied-no-role = None of your roles may do this.
denied-out-of-scope = This is outside the scope of your roles.
denied-recused = You declared an interest in this applicant and are recused from its matters.
denied-own-account = You cannot change your own roles or account; ask another administrator.
too-many-attempts = Too many attempts; try again in about { $minutes ->
    [one] 1 minute
   *[other] { $minutes } minutes
}.
username-required = Enter your username.
username-too-long = A username has at most { $max } characters.
username-form = Use 2 to 40 lower-case letters, digits, “.”, “_” or “-”.
username-taken = The username “{ $username }” is taken; choose another.
password-too-short = Use at least { $min } characters.
token-unknown = The API token is unknown or revoked.
token-name-required = Name the token after what uses it.
token-days-range = A token lasts from 1 to 3650 days.
tokens-for-service-accounts = Tokens are issued to service accounts only; create one for the program that will use it.
token-already-revoked = The token is revoked already.
service-account-no-password = A service account logs in only with API tokens.
account-active-already = The account is active already.
account-inactive-already = The account is deactivated already.
account-needs-a-role = Give the account at least one role.
applicant-roles-by-registration = Applicant roles come with self-registration, not from an administrator.
grants-for-staff = Roles are granted to staff accounts only.
grant-invalid = The role and its scope do not fit together ({ $detail }); choose them from the lists.
grant-held-already = The account already holds this role ({ $role }).
scope-not-in-policy = The chosen scope is not a unit the measures name.
registration-impossible-org = This registration cannot be completed. If your organization is already registered, contact the Office.
registration-impossible-person = This registration cannot be completed. If you are already registered, contact the Office.
registration-already-confirmed = The registration of { $name } is already confirmed.
confirmation-document-required = Note the business licence (or other document) you checked, in at most { $max } characters.
demo-needs-empty-database = --demo needs an empty database: this one has accounts or programs and is not a demo database.

## Forms and input

field-required = Fill in this field.
field-too-long = This field takes at most { $max } characters.
field-malformed = This is not in the expected form ({ $detail }).
text-has-nul = The text contains a NUL character (U+0000), which cannot be stored; remove it and send again.
text-not-utf8 = The text is not valid UTF-8; reload the page and type it again.
form-expired = The form has expired or was sent from another site; reload the page and try again.
form-unreadable = The form cannot be read ({ $detail }); reload the page and fill it in again.
form-too-large = The form is larger than the upload limit.
form-too-many-fields = The form has too many fields; use the form on the page.
body-unreadable = The request's body cannot be read ({ $detail }).
json-unreadable = The JSON cannot be read: { $detail }
send-form = Send the form as application/x-www-form-urlencoded, as the page's form does.
send-json = Send the body as application/json.
unknown-choice = “{ $code }” is not one of the choices; choose from the list.
date-form = “{ $value }” is not a date; write it as 2026-12-01.
date-in-the-future = { $date } is still to come; give today or an earlier date.
date-in-the-past = { $date } is past; give today or a later date.
date-outside-calendar = { $date } is outside the working-day calendar, which covers { $first } to { $last }; load the State Council's holiday schedule for { $year } first.
date-in-missing-year = { $date } falls in { $year }: deadlines in working days will be known once the State Council publishes that year's schedule (the calendar ends on { $last }); ask the administrator to load the { $year } schedule, then try again.
calendar-next-year-missing = The working-day calendar ends on { $last }: load the State Council's holiday schedule for { $year } as soon as it is published; until then, deadlines in working days that fall in { $year } cannot be computed.
calendar-ended = The working-day calendar ends on { $last } and the holiday schedule for { $year } is not loaded: deadlines in working days cannot be computed; load it now.
date-range-empty = The dates are the wrong way round: { $from } is after { $to }.
not-found = Not found, or not yours to see.
no-such-page = There is no such page.
method-not-allowed = This page does not take this kind of request.
internal-error = Something went wrong on our side; it has been logged. Try again later or contact the Office.
changed-meanwhile = Someone changed this application a moment ago; reload the page and try again.

## Uploads

choose-a-file = Choose a file to upload.
filename-required = Name the file.
file-empty = The file is empty.
file-too-large = The file is larger than the limit of { $mib } MB.
upload-quota = This account has uploaded { $used_mib } MB of the { $quota_mib } MB it may upload in all, and the file does not fit.
upload-stalled = The upload stalled: nothing arrived for too long. Upload it again.
upload-interrupted = The upload was interrupted ({ $detail }); upload it again.
upload-again = The same file was refused for another account while this one was stored; upload it again.
file-unreadable = The file cannot be read ({ $detail }).
file-damaged = The file is damaged and cannot be read.
file-kind-not-accepted = Only PDF, PNG, JPEG and Word, Excel or PowerPoint documents are accepted.
file-has-macros = Documents with macros or ActiveX controls are not accepted: save it as a plain .docx, .xlsx or .pptx (or as PDF) and upload that.
file-zip-not-office = The file is a ZIP archive, not an Office document. Only PDF, PNG, JPEG and Word, Excel or PowerPoint documents are accepted.
file-carries-program = The document carries a program ({ $name }) and is not accepted.
file-ole-not-office = The file is not a Word, Excel or PowerPoint document (an installer, perhaps) and is not accepted.
file-ole-damaged = The file is damaged and cannot be read.
file-password-protected = Password-protected documents cannot be checked: remove the password and upload it again.

## Credit codes and resident identity numbers

id-length = Expected 18 characters, got { $got }.
id-character = Character { $position } (“{ $found }”) is not allowed there: expected { $expected }.
id-check = The check character is “{ $found }”, but the first 17 characters give “{ $expected }”.
id-birth-date = The birth date “{ $date }” in characters 7–14 is not a valid date.
id-neither = Neither a unified social credit code ({ $credit_code }) nor a resident identity number ({ $resident_id }).
id-expect-authority = a registration authority code (1–9 or a letter of the code alphabet)
id-expect-org-type = an organization type digit 1–9
id-expect-division = a digit of the administrative division code
id-expect-code-char = a digit or a capital letter other than I, O, S, V, Z
id-expect-digit-1-9 = a digit 1–9
id-expect-digit = a digit

## Conditions (Articles 10 to 12 and 28)

declaration-a10-1 = Legally established in the city and operating normally for 3 years or more, with no violation of law, regulation or discipline
declaration-a10-2 = Quality first, with outstanding results in quality work and advanced quality-management methods applied effectively
declaration-a10-3 = Compliance with national, provincial and municipal law and policy on industry, environmental protection, energy saving, work safety and quality management
declaration-a10-4 = No major quality, safety or environmental accident in the last 3 years
declaration-a11-1 = Political steadfastness, good conduct and professional ethics, with no violation of law, regulation or discipline
declaration-a11-2 = Quality-related work with a distinctive model, method, experience or result in quality-management research or practice
not-declared = Not declared: { $what }.
not-a-declaration-of-this-applicant = { $rule } is not a declaration this applicant makes.
subject-outside-city = The applicant must be located in the city ({ $program }).
organization-too-young = Founded on { $founded }: under { $years } years of operation on { $date }, and no Leading Group approval relaxes it.
approval-after-application = The Leading Group approval { $reference } is dated { $decided }, after { $date }.
major-accident = Major accident on { $date } ({ $description }) within the last { $years } years.
quality-work-too-short = In quality-related work since { $since }: under { $years } years on { $date }.
award-ban = Won the Award in cycle { $cycle } ({ $year }): no application in the { $ban } cycles after it (through { $last }); may apply again from { $again }.
revocation-ban = The award of cycle { $cycle } was revoked on { $revoked }: no application for { $ban } cycles from { $from } (through { $last }); may apply again from { $again }.
registration-unconfirmed = The organization's registration has not yet been checked against its business licence; ask the market supervision department of your county-level unit (or the Office) to confirm it.
approval-reference-required = Name the Leading Group's minutes or document that records the approval.
approval-not-yet-decided = An approval is recorded once it has been decided.
award-reference-required = Name the decision or document the award is recorded from.
award-exists = This applicant's award for cycle { $cycle } is recorded already.
revocation-after-award = A revocation comes after the award.
accident-description-required = Say what happened.
accident-reference-required = Name the document the accident is recorded from.
accident-in-the-future = An accident is recorded after it happened.

## The application and its in-unit notice (Article 14)

materials-sealed = The application is “{ $state }” and its materials can no longer be changed.
unknown-section = The rubric has no section “{ $code }”.
section-too-long = Section “{ $code }” takes at most { $max } characters.
in-unit-notice-first = Record the in-unit notice first.
in-unit-notice-start-first = Record the in-unit notice's start date first.
in-unit-notice-before-application = The in-unit notice cannot start on { $start }, before the application was started on { $started }.
in-unit-objection-content-required = Say what the objection was.
in-unit-objection-settlement-required = Say how the objection was handled.
in-unit-objections-unanswered = Say how each objection to the in-unit notice was handled ({ $count ->
    [one] 1 objection
   *[other] { $count } objections
} without an account).
in-unit-scan-missing = Attach the scan or photo of the posted in-unit notice.
commitment-missing = Commit to the completeness, authenticity and accuracy of the materials.
no-secrets-missing = Confirm that the materials involve no national security or state secrets.
window-closed = The application window closed on { $close }; submissions are no longer accepted.
window-not-open = The application window opens on { $open }.
channel-not-own-county = Submit to the market supervision department of your own county-level unit ({ $own }), not { $chosen }.
channel-unknown-county = “{ $id }” is not a county-level unit of the measures.
unknown-county = “{ $value }” is not a county-level unit of the measures; choose from the list.
channel-unknown-industry = “{ $id }” is not a municipal industry department of the measures.
no-channel = The application has no channel yet.
application-exists-in-cycle = This applicant already has an application in this cycle.

## Review, recommendation and formal review (Articles 15 and 16)

confirm-in-unit-notice-clear = Confirm that the in-unit notice ran without objection before passing; otherwise return or reject the application.
pass-by-recommending = To pass the application on, recommend it.
recommender-county = An application submitted to a county is recommended by the county-level government or committee.
recommender-industry = An application submitted to an industry department is recommended by that department.
move-wrong-state = “{ $action }” is taken only while the application is { $from }; it is “{ $state }”.
move-not-possible = “{ $action }” is not possible while the application is “{ $state }”.
reason-required = Give the reason: { $what }.
reason-what-to-correct = what the applicant must correct
reason-rejection = why the application is rejected
reason-not-selected = why the application is not on the candidate list
reason-revocation-finding = the verified finding behind the revocation
opinions-during-formal-review = Opinions are asked during formal review; the application is “{ $state }”.
opinions-not-requested = No department has been asked for its written opinion.
opinions-unanswered = { $unanswered } of { $requested } opinion requests are still unanswered.
opinions-adverse = { $adverse ->
    [one] 1 department gave
   *[other] { $adverse } departments gave
} an adverse opinion: return or reject instead.
choose-a-department = Choose at least one department.
unknown-opinion-department = “{ $id }” is not an opinion department of the measures.
opinion-already-asked = { $dept } has already been asked about this application.
opinion-already-answered = This opinion request has been answered already, or the Office has proceeded without it.
adverse-opinion-needs-reasons = Give the reasons and evidence of the adverse finding.

## Notices and objections (Articles 6, 14, 16, 18 and 19)

notice-too-short = { $kind }: from { $start } to { $end } it lasts { $ran ->
    [one] 1 working day
   *[other] { $ran } working days
}; at least { $required } are required (until { $earliest_end }).
notice-not-published = { $kind }: none has been published for this application.
notice-still-running = { $kind }: it runs until { $end }; the next step may follow from the day after.
notice-starts-in-the-past = { $start } is past: a notice starts today or later.
notice-contact-required = Give the contact for objections.
acceptance-notice-first = Publish the acceptance-list notice first.
notice-not-in-version = The version of the measures this cycle runs under has no { $kind }: there is none to publish.
accept-after-acceptance-list = Put it on the acceptance list first; it is accepted once the notice has run with no objection left open.
objection-window-not-open = { $kind }: objections are taken from { $start }.
objection-window-closed = { $kind }: the window for objections closed on { $end }.
objections-unhandled = { $kind }: { $open ->
    [one] 1 objection
   *[other] { $open } objections
} not yet handled by the Leading Group.
objection-upheld = An objection was upheld: { $reason }
objection-already-handled = This objection has already been handled.
objection-reason-required = Give the reason for the decision on the objection.
objection-content-required = Say what the objection is.
choose-a-notice-entry = Choose an entry of this notice.
choose-an-application = Choose at least one application.
application-chosen-twice = The same application is chosen twice.
application-of-another-cycle = The application of { $name } is of another cycle.

## Cycles (Articles 4, 33 and 34)

cycle-before-measures = A cycle opening on { $opens } cannot run under { $title }: it takes effect on { $effective }.
cycle-after-measures = A cycle opening on { $opens } cannot run under { $title }: it is in force until { $last_day }.
cycle-opens-in-its-year = The cycle of { $year } must open in { $year }, not on { $opens }.
cycle-numbered-from-one = Cycles are numbered from 1.
cycle-number-follows = The cycle after cycle { $previous } is cycle { $expected }, not { $given }.
cycle-too-soon = One evaluation every { $years } years: cycle { $previous } was held in { $previous_year }, so the next opens in { $earliest } at the earliest.
cycle-dates-out-of-order = The { $later } ({ $later_date }) is before the { $earlier } ({ $earlier_date }).
cycle-exists = Cycle { $cycle } of this program exists.
program-exists = A program with code “{ $code }” exists.
program-unknown = There is no program number { $program }.
program-code-unknown = There is no program with code “{ $code }”.
program-code-invalid = A program's code is 2 to 32 lower-case letters, digits and hyphens, beginning with a letter (for example xinfu-2027).
program-prefix-taken = The certificates of another program are numbered “{ $code }”: choose another code.
application-opens = opening of applications
application-closes = closing of applications
channel-review-due = channel review deadline
formal-review-due = formal review deadline

## Evaluation, quotas and commendation (Articles 4 and 17 to 20)

quota-taken = The { $level } quota of { $quota } per cycle is already taken ({ $taken } proposed or awarded).
score-below-threshold = The final score { $score } is below the threshold { $threshold }: the place stays vacant rather than being filled.
plan-stages-unweighted = The plan gives no weight to: { $stages }.
plan-weights-not-100 = Stage weights add up to { $sum }%, not 100%.
plan-threshold-out-of-range = The threshold { $threshold } is outside 0 to { $total }.
plan-frozen = Scoring has opened: the evaluation plan is frozen. An amendment needs a reason, which is kept and shown to the supervision group.
stages-incomplete = Stages not complete: { $stages }.
no-final-score = The evaluation has no final score.
joint-report-missing = The Office and the HR bureau have not filed their joint report.

## Interests (Article 29)

interest-reason-required = Say what the interest is (employment, kinship, financial, other).
interest-already-declared = You have already declared an interest in this applicant.

## Validity of the measures (Article 34)

measures-expiring = { $title } stays in force until { $last }, { $left ->
    [one] 1 day
   *[other] { $left } days
} from now; prepare the next version.
measures-expired = { $title } expired on { $last } ({ $years } years from { $effective }); load the measures now in force.
policy-version-exists = Version “{ $code }” of the measures is loaded already; a loaded version never changes, so give a new version a new id.
policy-file-required = Choose or paste the data file of the new version of the measures.
policy-file-invalid = The data file of the measures has an error and was not loaded: { $problem }
policy-value-invalid = The data file of the measures has an error and was not loaded (at { $field }): { $problem }
policy-empty = It must not be empty.
policy-id-characters = The version's id "{ $id }" may hold only lower-case letters, digits and hyphens.
policy-zero = It must be at least 1.
policy-too-large = { $value } is implausibly large (at most { $max }).
policy-fee = qaward supports only measures that charge no fee (Article 9 of the 2021 measures).
policy-empty-id = An entry of { $list } has no id.
policy-duplicate-id = The id "{ $id }" appears twice.
policy-no-county = List at least one county-level unit.
policy-bad-division = "{ $code }" is not a six-digit division code.
policy-no-department = Name at least one department.
policy-unknown-department = "{ $id }" is not among the opinion departments.
policy-renumber = An article number is a whole number from 1 to 99.
policy-validity-too-long = The period of validity is too long.
data-at-line = line { $line }, column { $column }
data-at-file = in the file
data-syntax = { $at }: not valid TOML ({ $detail })
data-unknown-field = { $at }: there is no field "{ $name }"; check the spelling
data-missing-field = The field "{ $name }" is missing (at { $field })
data-wrong-type = { $at }: the field "{ $field }" has a value of the wrong type ({ $detail })
data-field = The field "{ $field }" is wrong ({ $detail })
data-invalid = The value of the field "{ $field }" cannot be used ({ $detail })
policy-effective-before-in-force = The new version takes effect on { $effective }, before { $current } did ({ $current_effective }); check the file.
policy-document-required = Give the number of the document that issued the new version.
calendar-file-required = Paste the data file of one year's holiday schedule.
calendar-file-invalid = The holiday schedule's data file has an error and was not loaded: { $problem }
calendar-year-invalid = The holiday schedule has an error and was not loaded (at { $field }): { $problem }
calendar-no-year = The file holds no year.
calendar-not-consecutive = Years must follow one another in order: { $expected } was expected here.
calendar-source-missing = Name the State Council notice the schedule comes from.
calendar-checked-against-missing = Name the second source every day was checked against.
calendar-year-out-of-range = The year is out of range.
calendar-bad-date = A date cannot be read: { $why }
calendar-end-before-start = The last day, { $to }, is before the first, { $from }.
calendar-outside-year = { $from } to { $to } is not in { $year }.
calendar-name-empty = A holiday needs a name.
calendar-listed-twice = { $date } is listed twice.
calendar-make-up-not-in-year = The make-up working day { $date } is not in { $year }.
calendar-make-up-on-weekday = The make-up working day { $date } is a weekday already: only a Saturday or a Sunday is made a working day.
calendar-make-up-also-holiday = { $date } is listed both as a holiday and as a make-up working day.
calendar-make-up-for-no-holiday = The make-up working day is for "{ $name }", which is none of the year's holidays ({ $holidays }).
calendar-only-rest-days = { $from } to { $to } falls only on a weekend and no working day is made up for it, so it changes nothing: check the dates.
calendar-one-year = Load one year at a time; this file holds { $count }.
calendar-year-held = The calendar already holds { $year }; to correct it, load it again as a replacement ("replace a year in use" on the page, --replace at the console).
calendar-year-not-held = The calendar holds no { $year } to replace; load it as a new year, not as a replacement.
calendar-year-not-next = The calendar's years must follow one another: load { $before } or { $after }, or replace a year in use, not { $year }.
calendar-year-loaded-meanwhile = Someone has just loaded { $year }; look at the page again before deciding to replace it.
calendar-document-required = Give the number of the State Council's notice.
policy-document-in-future = The issuing date { $date } is still to come; give the day the document was issued.
policy-configured-differs = The configured policy file differs from the loaded version “{ $code }” of the same id; a loaded version never changes: give a new version a new id and load it with qaward policy load.
policy-configured-not-loaded = The configured policy file (version “{ $code }”) is not loaded; load it first with qaward policy load, giving its document number and date.
policy-version-missing = A cycle runs under version “{ $code }” of the measures, which the database does not hold; restore it before starting.

## Opinions recorded from letters, and proceeding without them (Article 16)

opinions-settled-during-formal-review = Opinions are settled during formal review; the application is “{ $state }”.
opinion-already-settled = This opinion request has been answered or settled already.
adverse-letter-needs-reasons = Give the reasons and evidence of the adverse finding as the letter states them.
letter-scan-required = Attach the scan of the letter.
opinion-not-yet-overdue = The opinion is due on { $due }: the Office may proceed without it only after that day.

## Evaluation (A17, A13, A26, A29)

draw-size-zero = A draw takes at least one expert.
draw-too-few-experts = Only { $eligible } { $eligible ->
    [one] expert
   *[other] experts
} can be drawn in “{ $field }”, and { $size } are needed: { $missing } missing. Add experts to the pool or change the panel size.
draw-unknown-algorithm = The record uses the algorithm “{ $algorithm }”, which this system cannot re-run.
draw-not-finished = The draw is not finished: the record has no value from the supervision group or no revealed seed.
draw-seed-mismatch = The revealed seed does not match the commitment published before: the draw cannot be trusted.
draw-result-differs = Re-running the record draws { $recomputed }, not the recorded { $recorded }.
score-not-in-steps = A score is a percentage from 0 to 100 in steps of 5; “{ $value }” is not.
plan-nomination-threshold-out-of-range = The Nomination Award's minimum ({ $nomination }) can be neither negative nor above the Award's ({ $threshold }).
plan-panel-size = A panel has { $least } to 25 experts; this plan says { $size }.
stage-already-opened = “{ $stage }” has been opened already.
stage-previous-not-complete = “{ $stage }” opens only once “{ $previous }” is complete.
stage-not-open = “{ $stage }” has not opened: no scores yet.
stage-closed = “{ $stage }” is complete: scores can no longer be given or changed.
stage-outstanding = “{ $stage }” cannot be completed yet: { $sheets } score { $sheets ->
    [one] sheet
   *[other] sheets
} not submitted, { $consensus } flagged { $consensus ->
    [one] item
   *[other] items
} without a consensus score, { $unscheduled } { $unscheduled ->
    [one] application
   *[other] applications
} not scheduled.
score-unknown-item = The rubric has no item “{ $item }”.
score-finding-too-long = The finding for item “{ $item }” is at most { $most } characters.
sheet-incomplete = { $count } { $count ->
    [one] item has
   *[other] items have
} no score or no written finding: { $items }.
amend-needs-reason = Changing a submitted score needs a reason; the old and new scores and the reason are kept and shown to the supervision group.
plan-already-set = This cycle has its evaluation plan: amend it instead.
panel-name-taken = This cycle already has a panel named “{ $name }”.
application-on-a-panel = Application { $id } is on a panel already.
plan-missing = This cycle has no evaluation plan yet: set one first.
plan-rubric-changed = The plan was set under the rubric { $planned }, but { $loaded } is loaded now: check and amend the plan.
expert-needs-a-field = Give at least one field of expertise.
expert-no-such-account = There is no such account. An administrator creates the expert's account with the expert role first.
expert-needs-expert-role = The account does not hold the expert role; an administrator grants it first.
expert-not-in-pool = That expert is not in the pool.
exclusion-not-now = The application is “{ $state }”: an expert's exclusion cannot be requested now.
exclusion-reason-required = Say why the expert should be excluded.
decision-reason-required = Give the reason for the decision.
exclusion-already-decided = This request has been decided already.
stage-panels-not-ready = { $count } { $count ->
    [one] application is
   *[other] applications are
} on no panel of { $size } experts: the material review cannot open.
stage-changed-meanwhile = Someone else changed this stage just now; reload and try again.
stage-not-to-sign = “{ $stage }” is not complete, or has been signed off already.
observation-answered-or-unknown = There is no such observation, or it has been answered already.
panel-scoring-opened = Scoring has opened: the panels' applications can no longer change.
panel-only-accepted = Only accepted applications go on a panel (application { $id }).
leader-not-a-member = That expert does not sit on this panel.
draw-not-awaiting-contribution = This draw is not waiting for the supervision group's value.
draw-changed-meanwhile = Someone else moved this draw on just now; reload and try again.
draw-in-progress = A draw of this panel is not finished yet.
draw-panel-drawn = This panel has been drawn; if an expert left, draw a replacement.
draw-replaces-no-former-member = A replacement replaces an expert who has left this panel.
draw-panel-empty = Put applications on the panel first: the draw leaves out experts with an interest in them.
draw-not-awaiting-draw = The draw is made once the supervision group has given its value.
evaluation-closed = The application is “{ $state }”: it is not under evaluation.
evaluation-incomplete = The final score cannot be computed: { $problem }
sheet-already-submitted = The score sheet was submitted and is sealed; to change it, give a reason.
sheet-not-submitted = The score sheet has not been submitted: change the draft instead.
sheet-finding-required = Every changed item needs a written finding.
consensus-leader-only = Only the panel leader records consensus scores.
consensus-not-flagged = The experts' scores for item “{ $item }” differ by no more than the plan allows: there is nothing to agree.
session-not-for-material = The material review has no visits or sessions.
session-in-the-past = The date cannot be before today.
session-team-from-panel = The team comes from the application's panel (those recused excepted).
agency-no-such-account = There is no such staff account. An administrator creates the agency's account first.
agency-entrusted-already = This agency is entrusted with this cycle already.
session-not-scheduled = No visit or session of this stage is scheduled for the application: schedule it first.
draw-made-already = This draw has been made already.
record-file-required = Choose the photo or record file to upload.
due-in-the-past = The deadline cannot be before today.

## Commendation (A18–A21)
candidate-list-incomplete = The candidate list must say what becomes of every evaluated application: { $name } is missing.
candidate-chosen-twice = { $name } is on the candidate list twice.
candidate-level-above-score = { $name }'s final score { $score } does not reach the { $level }'s threshold: it cannot be a candidate for it.
candidate-moved-down = { $name }'s score reaches a higher level: a lower level or no place needs a written reason.
candidate-moved-up = { $name } is placed above { $other }, whose score is higher: this needs a written reason.
background-opinions-on-candidates = Background opinions are asked on candidates only (the application is: { $state }).
nothing-to-publish = No application waits for a { $kind }.
deliberation-meeting-required = Name the meeting that deliberated (its minutes' number or date).
joint-report-nobody-proposed = Nobody is proposed in this cycle: there is no joint report to file.
document-number-required = Give the document's number.
joint-report-not-filed = The Office has not filed the joint report yet.
joint-report-cosigned-already = The joint report is co-signed already.
decision-covers-every-proposed = The decision must settle every proposed winner: { $name } has no outcome.
joint-report-exists = This cycle's joint report has been filed already.
decision-exists = This cycle's commendation decision has been recorded already.
award-of-a-run-cycle = Cycle { $cycle } is run in this system: its awards come from the Government's decision and cannot be entered by hand.
choose-a-level = Choose a level for every row.
no-prize-for-level = The { $level } carries a plaque and a certificate, no prize money.
prize-amount-differs = The prize is { $due } yuan; the amount given is { $amount } yuan.
award-not-made = This application won no award (it is: { $state }): there is no plaque, certificate or prize to record.
prize-paid-already = The prize's payment has been recorded already.
handover-recorded-already = The plaque's and certificate's handover has been recorded already.
voucher-required = Give the payment voucher's number.
certificate-font-missing = The Chinese font the certificates are set in is not installed, so no certificate can be made yet. Ask the administrator (install fonts-droid-fallback or set QAWARD_CJK_FONT).
decision-not-made = The Municipal Government has not decided this cycle's commendation yet.
signed-decision-required = Choose the file of the signed decision (a PDF or a scan).
signed-decision-missing = The signed decision has not been attached yet.
award-confirmed-already = This award has been confirmed already.
award-confirmed-by-another = An award entered by hand is confirmed by another member of staff, not by the one who entered it.

# Complaints and reports (A27)
complaint-wrong-status = This complaint is { $status }: this step cannot be taken now.
complaint-closed = This complaint is { $status }: it takes no more evidence or notes.
complaint-reason-required = Give the reason for declining the complaint.
complaint-findings-required = Give the findings of the investigation.
complaint-answer-required = Write the answer to the reporter.
complaint-changed-meanwhile = Someone else has just handled this complaint; reload the page.
complaint-field-required = This field is required.
complaint-topic-required = Choose what the complaint is about.
complaint-file-required = Choose an evidence file to upload.
complaint-too-many-files = A complaint takes at most { $max } evidence files.
complaint-assignee-not-member = The member assigned must belong to the supervision group.
complaint-assignee-required = Choose a member or the subject the complaint concerns.
complaint-subject-unknown = No such subject.
complaint-note-required = Write what the note records.

# Revocation (A28)
revocation-field-required = This field is required.
revocation-not-awarded = This application is { $state }: there is no award to revoke.
revocation-not-revoked = This application is { $state }: its award has not been revoked.
revocation-complaint-unfit = The complaint cited must be one the supervision group found founded, about this winner.
revocation-decided-already = This revocation request is { $status }: it takes no second decision.
revocation-decided-meanwhile = Someone else has just decided this request; reload the page.
revocation-requested-already = A revocation request for this award already awaits the Government's decision.
return-recorded-already = The plaque and certificate were recorded as taken back already.
recovery-amount-zero = The amount recovered must be more than zero.
recovery-exceeds-payment = No more can be recovered than was paid: paid { $paid } yuan, recovered { $recovered } yuan, now { $amount } yuan.
office-request-answered-already = This request has been answered already; each request is answered once.
obligation-award-not-standing = The award no longer stands ({ $state }): no obligation can be set or reported on it.
obligation-request-required = Say what the winner is to report.
obligation-return-note-required = Say what is to be mended or added when you return a report.
obligation-changed-meanwhile = Obligation { $id } was just handled by someone else; reload and try again.
obligation-report-of-another-kind = This is not a { $kind }.
obligation-wrong-status = The obligation is "{ $status }": this cannot be done now.
voucher-file-required = Choose a voucher file to upload.
obligation-too-many-files = A report takes at most { $max } voucher files.
prize-use-lines-required = Give at least one use of the prize with its amount.
prize-use-line-incomplete = "{ $category }" needs both an amount above zero and what it paid for.
prize-use-vouchers-required = List the vouchers that show the prize's use (contracts, invoices, payment records).
promotion-activities-required = Say what promotion was done: when, how and for whom (trade secrets may be left out).
revocation-obligation-unfit = The obligation cited must be an overdue one of this award (not reported, or returned and not reported again), and the cause must be (3), misuse of the honour mark or refusal of obligations.
