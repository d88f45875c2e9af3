# Herald's replies in English. Every message here must exist, with the same
# variables, in every other locale file (the catalog's tests check it).
# Arguments come already escaped for Markdown; `{ $text }` is safe to show.

## Words used inside other messages

weekday = { $day ->
    [mon] Monday
    [tue] Tuesday
    [wed] Wednesday
    [thu] Thursday
    [fri] Friday
    [sat] Saturday
   *[sun] Sunday
}
# A weekday in a list of repeating days (`every Monday and Friday`).
weekday-repeated = { $day ->
    [mon] Monday
    [tue] Tuesday
    [wed] Wednesday
    [thu] Thursday
    [fri] Friday
    [sat] Saturday
   *[sun] Sunday
}
month = { $month ->
    [1] January
    [2] February
    [3] March
    [4] April
    [5] May
    [6] June
    [7] July
    [8] August
    [9] September
    [10] October
    [11] November
   *[12] December
}
# Joins the last two items of a list.
list-and = and
# Joins the last two days of a repetition across weeks.
list-and-weeks = and
# `$days` is 0 for today, 1 for tomorrow; `$year` is empty in this year.
date = { $days ->
    [0] today
    [1] tomorrow
   *[other] { $weekday } { $day } { $month }{ $year }
}
date-year = {" "}{ $year }
# `$at` is an `at-time`; `$wday` (a hint) the weekday's key, mon … sun.
moment = { $days ->
    [0] { $date } { $at }
    [1] { $date } { $at }
   *[other] on { $date } { $at }
}
# A time of day; `$hour` (a hint) is its hour, 0–23.
at-time = at { $time }
repeat-interval = { $seconds ->
    [60] every minute
    [3600] every hour
    [86400] every day
    [604800] every week
   *[other] every { $duration }
}
repeat-daily = every day { $at }
repeat-workweek = every weekday { $at }
repeat-weekend = every weekend day { $at }
# `$weekend` (a hint) is yes when every day is Saturday or Sunday.
repeat-weekly = every { $days } { $at }
# `$weekly` (a hint) is the `repeat-weekly` of the same days; `$count` (a hint)
# how many days.
repeat-weeks-apart = { $weeks ->
    [2] every other { $days } { $at }
   *[other] every { $weeks } weeks on { $days } { $at }
}
repeat-monthly = every month on the { NUMBER($day, type: "ordinal") ->
    [one] { $day }st
    [two] { $day }nd
    [few] { $day }rd
   *[other] { $day }th
} { $at }
# `$nth` is the week in the month, or 0 for the last; `$wday` (a hint) the
# weekday's key.
repeat-monthly-weekday = every { $nth ->
    [0] last
    [1] first
    [2] second
    [3] third
    [4] fourth
   *[other] { NUMBER($nth, type: "ordinal") ->
        [one] { $nth }st
        [two] { $nth }nd
        [few] { $nth }rd
       *[other] { $nth }th
    }
} { $weekday } of the month { $at }
repeat-cron = on the schedule `{ $expression }`
ending-count = { $count ->
    [1] , once
   *[other] , { $count } times
}
ending-until = , until { $date }
starting = , next { $moment }
duration-days = { $count ->
    [1] 1 day
   *[other] { $count } days
}
duration-hours = { $count } h
duration-minutes = { $count } min
duration-seconds = { $count } s
state = { $state ->
    [active] active
    [paused] paused
    [completed] completed
    [cancelled] cancelled
   *[failed] failed
}
rule-below = goes below { $price }
rule-above = goes above { $price }
rule-drops = drops { $percent }%
rule-rises = rises { $percent }%
rule-changes = changes by { $percent }%
rule-new-low = hits a new low
problem-status = the source answered { $status }
problem-throttled = the source is throttling requests
problem-timeout = the source did not answer in time
problem-unreachable = cannot reach the source: { $detail }
problem-too-large = the answer is larger than { $bytes } bytes
problem-not-json = the answer is not JSON
problem-no-price = no price at { $pointer } in the answer
problem-bad-price = the price in the answer is not usable: { $detail }
problem-forbidden = refused: { $detail }
problem-waiting = over its request budget, or backing off after failures
problem-push-only = this source only takes pushed prices

## Greetings and help

-commands =
    - `remind me tomorrow at 9am to call Ana`, `remind me in 10 minutes to stretch`, `remind me every weekday at 9:00 to stand up`
    - `reminders` lists them; `cancel <id>`, `pause <id>`, `resume <id>`, `snooze <id> 15m`, `edit <id> at 10:00`
    - `watch bitcoin below 30000 usd`, `alert me when AAPL drops 20%`, `watch shop sku-123 above 200 repeat`; `watches` lists them, `unwatch <id>` stops one
    - `timezone Europe/Lisbon`, `language pt`, `quiet 22:00-07:00` (or `quiet off`)
    - `run` starts a job, `show` lists the job log, `done <id>` completes a job
    - `forget me` deletes what I keep about you
# `$more` is how many names were left out.
welcome-who = { $more ->
    [0] , { $names }
   *[other] , { $names } and { $more } more
}
welcome =
    Welcome{ $who }! I'm Herald. I remind you of things, keep a job log and tell you when your jobs complete.

    { -commands }
help =
    Here is what I can do:

    { -commands }
greeting = Hello! What can I do for you? `help` lists what I can do.
hint =
    I didn't understand that. Here is what I can do:

    { -commands }
text-too-long = That message is too long for me (the limit is { $limit } characters).
files-received = { $count ->
    [1] I received your file { $names }.
   *[other] I received your { $count } files: { $names }.
}

## Jobs

job-started = We're starting job { $id } for you. We'll notify you when it's complete.
job-limit-conversation = This conversation already has { $limit } open jobs, the most I keep. Complete some with `done <id>` first.
job-limit-user = You already have { $limit } open jobs, the most I keep per person. Complete some with `done <id>` first.
job-completed-here = Job { $id } completed. Notification sent to its conversation.
job-already-completed = Job { $id } is already complete.
no-such-job = There is no job { $id }.
job-id-needed = Enter the job id after `done`, for example `done 3`.
job-event-needs-id = A job completion event needs the job id as its value.
job-completed-notice = Your queued job { $id } just completed.
job-log-empty = The job log is empty.
job-log-title = Job log
job-log-count = { $count ->
    [1] { $count } job
   *[other] { $count } jobs
}
job-log-page = page { $number } of { $pages }
job-log-no-page = There is no page { $number }: the job log has { $pages } page(s).
job-log-next-page = Say `show { $number }` for the next page.
job-log-line = - Job **{ $id }** · conversation `{ $label }` · { $done ->
    [yes] completed
   *[no] pending
}

## Reminders

fired-untitled = Reminder
fired = ⏰ { $text }
fired-late =
    ⏰ { $text }

    _Due { $due }: this comes { $late } late, as Herald was not running then._
fired-missed = Missed reminder — due { $due }, { $late } ago: { $text }
snooze-button = { $minutes ->
    [60] Snooze 1 hour
   *[other] Snooze { $minutes } min
}
done-button = Done
reminder-set = I'll remind you { $when } ({ $zone }): { $text }
-refusal-example = Try for example `remind me tomorrow at 9am to call Ana`, `remind me in 10 minutes to stretch` or `remind me every monday at 10:00 to plan the week`.
refused-misspelt = I didn't understand "{ $typed }" — did you mean "{ $meant }"? I haven't set anything. { -refusal-example }
refused-past = That time has already passed, so I haven't set anything. Give me a time still ahead, such as `tomorrow at 9:00`. { -refusal-example }
refused-date = There is no such date or time (check the day, the month and the hour), so I haven't set anything. { -refusal-example }
refused-text = What should I remind you of? Add it after the time, for example `remind me tomorrow at 9am to call Ana`.
refused-far = That is more than ten years ahead, further than I keep reminders. { -refusal-example }
refused-when = I didn't understand when. { -refusal-example }
other-reading = If you meant { $when }, press the button and I'll move it.
other-reading-button = Make it { $when }
reminder-no-time = I understood the task "{ $task }" but not when, so I haven't set anything. Add a time, for example `{ $asked } { $code } tomorrow at 9am`.
repeat-too-often = There must be at least { $min } between two reminders, so I haven't set anything. For example `remind me every weekday at 9:00 to stand up`.
reminder-text-too-long = A reminder can say at most { $limit } characters; make it shorter, for example `remind me tomorrow at 9am to call Ana`.
reminder-limit-user = You already have { $limit } reminders, the most I keep per person. Cancel some with `cancel <id>` first.
reminder-limit-conversation = This conversation already has { $limit } reminders, the most I keep. Cancel some with `cancel <id>` first.
no-reminders = There are no reminders here. Set one with `remind me tomorrow at 9am to call Ana`.
reminders = **Reminders** ({ $count })
reminders-some = **Reminders** ({ $count }, the next { $shown } shown)
line-owner = {" "}· set by { $owner }
reminder-line-paused = {" "}· _paused_
reminder-line = - **{ $id }** · { $when }{ $paused }{ $owner } · { $text }
no-such-reminder = There is no reminder { $id } here. Say `reminders` to see them.
reminder-id-needed = Which reminder? Give its number, for example `{ $example }`. Say `reminders` to see them.
not-yours = Reminder { $id } belongs to { $owner }; only they can change it.
cancelled = Reminder { $id } is cancelled.
paused = Reminder { $id } is paused. Say `resume { $id }` to go on.
resumed = Reminder { $id } is on again; next { $next }.
unchanged = Reminder { $id } is already { $state }.
cannot-change = Reminder { $id } has ended; there is nothing to change. Set a new one instead.
snoozed = I'll remind you again { $when } (reminder { $id }).
snooze-needs-duration = How long? For example `snooze 3 15m` or `snooze 3 1h`.
edited = Reminder { $id } now comes { $when }.
edit-needs-time = When should it come? For example `edit 3 at 10:00` or `edit 3 tomorrow at 9am`.
acknowledged = 👍
acknowledged-next = 👍 Next time: { $next }.

## Price watches

price-alert = 🔔 **{ $symbol }** ({ $source }) is at { $price }: you asked to hear when it { $rule }. Since the watch began: { $change } (from { $base }).
source-stalled = ⚠️ I can't get prices from { $source } any more ({ $reason }), so your watch { $watch } on { $symbol } is stalled. I'll tell you when it works again.
source-recovered = ✅ { $source } answers again: your watch { $watch } on { $symbol } goes on.
symbol-unpriced = ⚠️ { $source } no longer gives a price for { $symbol } ({ $reason }), so your watch { $watch } is stalled. I'll tell you if a price comes back; `unwatch { $watch }` removes it.
symbol-priced-again = ✅ { $source } has a price for { $symbol } again: your watch { $watch } goes on.
watch-set-now = {" "}(now { $now })
watch-set = I'm watching { $symbol } ({ $source }) for you: I'll tell you when it { $rule }{ $now }. Say `unwatch { $id }` to stop. (#{ $id })
-watch-example = Try for example `watch bitcoin below 30000 usd`, `alert me when AAPL drops 20%` or `watch shop sku-123 above 200 repeat`.
watch-unclear = I didn't understand that watch. { -watch-example }
watch-no-sources = I don't know the price source "{ $source }": none is configured, and no system has pushed its prices to me.
watch-unknown-source = I don't know the price source "{ $source }". I know: { $known }.
watch-no-price = { $source } gave me no price for "{ $symbol }" ({ $reason }), so I haven't set the watch.
watch-needs-base = No price of { $symbol } has come from { $source } yet, so a change in percent has nothing to start from. Give one, for example `watch { $source } { $symbol } drops 20% from 100`.
no-watches = There are no price watches here. Set one with `watch bitcoin below 30000 usd`.
watches = **Price watches** ({ $count })
watch-line-last = {" "}· last { $last }
watch-line-stalled = {" "}· _stalled_
watch-line = - **{ $id }** · { $symbol } ({ $source }) { $rule }{ $last }{ $stalled }{ $owner }
no-such-watch = There is no price watch { $id } here. Say `watches` to see them.
not-your-watch = Watch { $id } belongs to { $owner }; only they can stop it.
unwatched = Watch { $id } is stopped.
watch-limit-user = You already have { $limit } price watches, the most I keep per person. Stop some with `unwatch <id>` first.
watch-limit-conversation = This conversation already has { $limit } price watches, the most I keep. Stop some with `unwatch <id>` first.

## Settings

timezone-set = Your time zone is now { $zone }. I'll read and show times in it.
timezone-is = Your time zone is { $zone } ({ $source ->
    [setting] you set it
    [channel] from your app; set your own with `timezone Area/City`
   *[default] my default; set yours with `timezone Area/City`
}).
timezone-unknown = I don't know the time zone "{ $typed }". Use a name such as `Europe/Lisbon` or `America/Sao_Paulo`.{ $suggestions }
# `$zones` is a list of zone names, each in a code span.
timezone-suggestions = {" "}Did you mean { $zones }?
language-set = From now on I'll speak English with you.
language-unknown = I don't speak "{ $typed }". I speak English (`language en`), Portuguese (`language pt`, `language pt-PT`) and French (`language fr`).
quiet-set = Quiet hours set: { $from }–{ $to }. Job notifications and price alerts that come due then wait until { $to }; reminders still come at the time you chose.
quiet-off = Quiet hours are off.
quiet-invalid = Give quiet hours as `quiet 22:00-07:00`, or `quiet off`.
offset-mismatch = Note: your device says UTC{ $offset }, but I'm reading your times in { $zone }.{ $suggestions }
offset-suggestion = `timezone { $zone }`
list-or = or
offset-suggestions = {" "}If that's not where you are, say for example { $commands }.

## Forgetting someone

forget-question = Forget you in this channel? I will delete your reminders, price watches, jobs and settings here, and what I keep of our one-to-one conversation. What you have in other channels stays. This cannot be undone.
forget-yes = Yes, forget me
forget-no = Cancel
forget-cancelled = Alright, I have forgotten nothing.
# `$channel` is the channel's id, `$items` how many reminders, watches and jobs went.
forget-done = Done: in this channel (`{ $channel }`) I deleted { $items ->
        [one] one item
       *[other] { $items } items
    } and what I kept about you; other channels keep theirs. Talking to me again starts afresh.
