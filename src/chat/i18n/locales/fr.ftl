# Les réponses de Herald en français. Chaque message de en.ftl existe ici,
# avec les mêmes variables (les tests du catalogue le vérifient).

## Mots utilisés dans d'autres messages

weekday = { $day ->
    [mon] lundi
    [tue] mardi
    [wed] mercredi
    [thu] jeudi
    [fri] vendredi
    [sat] samedi
   *[sun] dimanche
}
weekday-repeated = { $day ->
    [mon] lundi
    [tue] mardi
    [wed] mercredi
    [thu] jeudi
    [fri] vendredi
    [sat] samedi
   *[sun] dimanche
}
month = { $month ->
    [1] janvier
    [2] février
    [3] mars
    [4] avril
    [5] mai
    [6] juin
    [7] juillet
    [8] août
    [9] septembre
    [10] octobre
    [11] novembre
   *[12] décembre
}
list-and = et
list-and-weeks = et le
date = { $days ->
    [0] aujourd'hui
    [1] demain
   *[other] { $weekday } { $day ->
        [1] 1er
       *[other] { $day }
    } { $month }{ $year }
}
date-year = {" "}{ $year }
moment = { $days ->
    [0] { $date } { $at }
    [1] { $date } { $at }
   *[other] le { $date } { $at }
}
at-time = à { $time }
repeat-interval = { $seconds ->
    [60] toutes les minutes
    [3600] toutes les heures
    [86400] tous les jours
    [604800] chaque semaine
   *[other] toutes les { $duration }
}
repeat-daily = tous les jours { $at }
repeat-workweek = en semaine { $at }
repeat-weekend = le week-end { $at }
repeat-weekly = chaque { $days } { $at }
repeat-weeks-apart = { $weeks ->
    [2] { $count ->
        [1] un { $days } sur deux { $at }
       *[other] toutes les deux semaines, le { $days } { $at }
    }
   *[other] toutes les { $weeks } semaines, le { $days } { $at }
}
repeat-monthly = tous les mois le { $day ->
    [1] 1er
   *[other] { $day }
} { $at }
repeat-monthly-weekday = le { $nth ->
    [0] dernier
    [1] premier
    [2] deuxième
    [3] troisième
   *[other] quatrième
} { $weekday } de chaque mois { $at }
repeat-cron = selon le calendrier `{ $expression }`
ending-count = { $count ->
    [1] , une fois
   *[other] , { $count } fois
}
ending-until = , jusqu'à { $date }
starting = , prochain : { $moment }
duration-days = { $count ->
    [1] 1 jour
   *[other] { $count } jours
}
duration-hours = { $count } h
duration-minutes = { $count } min
duration-seconds = { $count } s
state = { $state ->
    [active] actif
    [paused] en pause
    [completed] terminé
    [cancelled] annulé
   *[failed] en échec
}
rule-below = passe sous { $price }
rule-above = passe au-dessus de { $price }
rule-drops = baisse de { $percent } %
rule-rises = monte de { $percent } %
rule-changes = varie de { $percent } %
rule-new-low = atteint un nouveau plus bas
problem-status = la source a répondu { $status }
problem-throttled = la source limite les requêtes
problem-timeout = la source n'a pas répondu à temps
problem-unreachable = impossible de joindre la source : { $detail }
problem-too-large = la réponse dépasse { $bytes } octets
problem-not-json = la réponse n'est pas du JSON
problem-no-price = aucun prix à { $pointer } dans la réponse
problem-bad-price = le prix de la réponse est inutilisable : { $detail }
problem-forbidden = refusé : { $detail }
problem-waiting = la source a atteint son quota de requêtes, ou attend après des échecs
problem-push-only = cette source ne prend que des prix envoyés

## Accueil et aide

-commands =
    - `rappelle-moi demain à 9h d'appeler Ana`, `rappelle-moi dans 10 minutes de m'étirer`, `rappelle-moi en semaine à 9h de la réunion`
    - `rappels` les liste ; `annuler <n>`, `pause <n>`, `reprendre <n>`, `reporter <n> 15m`, `modifier <n> à 10h`
    - `préviens-moi quand bitcoin passe sous 30000 usd`, `préviens-moi quand AAPL baisse de 20%`; `alertes` les liste, `annuler alerte <n>` en arrête une
    - `fuseau Europe/Paris`, `langue en`, `silence 22:00-07:00` (ou `silence off`)
    - `run` lance une tâche, `show` liste le journal des tâches, `done <n>` termine une tâche
    - `oublie-moi` efface ce que je garde sur toi
welcome-who = { $more ->
    [0] , { $names }
   *[other] , { $names } et { $more } autres
}
welcome =
    Bienvenue{ $who } ! Je suis Herald. Je te rappelle ce que tu veux, je tiens un journal des tâches et je te préviens quand elles sont terminées.

    { -commands }
help =
    Voici ce que je sais faire :

    { -commands }
greeting = Bonjour ! Que puis-je faire pour toi ? `aide` montre ce que je sais faire.
hint =
    Je n'ai pas compris. Voici ce que je sais faire :

    { -commands }
text-too-long = Ce message est trop long pour moi (la limite est de { $limit } caractères).
files-received = { $count ->
    [1] J'ai bien reçu ton fichier { $names }.
   *[other] J'ai bien reçu tes { $count } fichiers : { $names }.
}

## Tâches

job-started = Nous lançons la tâche { $id }. Nous te préviendrons quand elle sera terminée.
job-limit-conversation = Cette conversation a déjà { $limit } tâches ouvertes, le maximum que je garde. Termine-en d'abord avec `done <n>`.
job-limit-user = Tu as déjà { $limit } tâches ouvertes, le maximum que je garde par personne. Termine-en d'abord avec `done <n>`.
job-completed-here = Tâche { $id } terminée. Sa conversation a été prévenue.
job-already-completed = La tâche { $id } est déjà terminée.
no-such-job = Il n'y a pas de tâche { $id }.
job-id-needed = Indique le numéro de la tâche après `done`, par exemple `done 3`.
job-event-needs-id = Un événement de fin de tâche a besoin du numéro de la tâche comme valeur.
job-completed-notice = Ta tâche { $id } vient de se terminer.
job-log-empty = Le journal des tâches est vide.
job-log-title = Journal des tâches
job-log-count = { $count ->
    [1] { $count } tâche
   *[other] { $count } tâches
}
job-log-page = page { $number } sur { $pages }
job-log-no-page = Il n'y a pas de page { $number } : le journal a { $pages } page(s).
job-log-next-page = Dis `show { $number }` pour la page suivante.
job-log-line = - Tâche **{ $id }** · conversation `{ $label }` · { $done ->
    [yes] terminée
   *[no] en attente
}

## Rappels

fired-untitled = Rappel
fired = ⏰ { $text }
fired-late =
    ⏰ { $text }

    _Prévu { $due } : il arrive avec { $late } de retard, car Herald ne tournait pas._
fired-missed = Rappel manqué — prévu { $due }, il y a { $late } : { $text }
snooze-button = { $minutes ->
    [60] Reporter d'1 heure
   *[other] Reporter de { $minutes } min
}
done-button = Fait
reminder-set = Je te le rappellerai { $when } ({ $zone }) : { $text }
-refusal-example = Essaie par exemple `rappelle-moi demain à 9h d'appeler Ana`, `rappelle-moi dans 10 minutes de m'étirer` ou `rappelle-moi chaque lundi à 10h de planifier la semaine`.
refused-misspelt = Je n'ai pas compris « { $typed } » — tu voulais dire « { $meant } » ? Je n'ai rien programmé. { -refusal-example }
refused-past = Cette heure est déjà passée, je n'ai donc rien programmé. Donne-moi une heure à venir, comme `demain à 9h`. { -refusal-example }
refused-date = Cette date ou cette heure n'existe pas (vérifie le jour, le mois et l'heure), je n'ai donc rien programmé. { -refusal-example }
refused-text = De quoi dois-je te rappeler ? Écris-le après l'heure, par exemple `rappelle-moi demain à 9h d'appeler Ana`.
refused-far = C'est dans plus de dix ans, plus loin que je ne garde les rappels. { -refusal-example }
refused-when = Je n'ai pas compris quand. { -refusal-example }
other-reading = Si tu voulais dire { $when }, appuie sur le bouton et je le déplace.
other-reading-button = Plutôt { $when }
reminder-no-time = J'ai compris la tâche « { $task } », mais pas quand, je n'ai donc rien programmé. Ajoute une heure, par exemple `{ $asked } { $code } demain à 9h`.
repeat-too-often = Il faut au moins { $min } entre deux rappels, je n'ai donc rien programmé. Par exemple `rappelle-moi en semaine à 9h de la réunion`.
reminder-text-too-long = Un rappel peut faire au plus { $limit } caractères ; raccourcis-le, par exemple `rappelle-moi demain à 9h d'appeler Ana`.
reminder-limit-user = Tu as déjà { $limit } rappels, le maximum que je garde par personne. Annules-en d'abord avec `annuler <n>`.
reminder-limit-conversation = Cette conversation a déjà { $limit } rappels, le maximum que je garde. Annules-en d'abord avec `annuler <n>`.
no-reminders = Il n'y a pas de rappel ici. Programmes-en un avec `rappelle-moi demain à 9h d'appeler Ana`.
reminders = **Rappels** ({ $count })
reminders-some = **Rappels** ({ $count }, les { $shown } prochains)
line-owner = {" "}· de { $owner }
reminder-line-paused = {" "}· _en pause_
reminder-line = - **{ $id }** · { $when }{ $paused }{ $owner } · { $text }
no-such-reminder = Il n'y a pas de rappel { $id } ici. Dis `rappels` pour les voir.
reminder-id-needed = Quel rappel ? Donne son numéro, par exemple `{ $example }`. Dis `rappels` pour les voir.
not-yours = Le rappel { $id } appartient à { $owner } ; seule cette personne peut le modifier.
cancelled = Rappel { $id } annulé.
paused = Rappel { $id } en pause. Dis `reprendre { $id }` pour continuer.
resumed = Rappel { $id } réactivé ; le prochain : { $next }.
unchanged = Le rappel { $id } est déjà { $state }.
cannot-change = Le rappel { $id } est terminé ; il n'y a rien à modifier. Programmes-en un nouveau.
snoozed = Je te le rappellerai à nouveau { $when } (rappel { $id }).
snooze-needs-duration = Pour combien de temps ? Par exemple `reporter 3 15m` ou `reporter 3 1h`.
edited = Le rappel { $id } arrivera désormais { $when }.
edit-needs-time = Pour quand ? Par exemple `modifier 3 à 10h` ou `modifier 3 demain à 9h`.
acknowledged = 👍
acknowledged-next = 👍 Prochaine fois : { $next }.

## Alertes de prix

price-alert = 🔔 **{ $symbol }** ({ $source }) est à { $price } : il { $rule }. Depuis le début de l'alerte : { $change } (depuis { $base }).
source-stalled = ⚠️ Je n'arrive plus à obtenir les prix de { $source } ({ $reason }), ton alerte { $watch } sur { $symbol } est donc en panne. Je te préviendrai quand ça remarchera.
source-recovered = ✅ { $source } répond de nouveau : ton alerte { $watch } sur { $symbol } continue.
symbol-unpriced = ⚠️ { $source } ne donne plus de prix pour { $symbol } ({ $reason }), ton alerte { $watch } est donc en panne. Je te préviendrai si un prix revient ; `supprimer alerte { $watch }` l'enlève.
symbol-priced-again = ✅ { $source } donne de nouveau un prix pour { $symbol } : ton alerte { $watch } continue.
watch-set-now = {" "}(actuellement { $now })
watch-set = Je surveille { $symbol } ({ $source }) pour toi : je te préviendrai quand il { $rule }{ $now }. Dis `annuler alerte { $id }` pour arrêter. (#{ $id })
-watch-example = Essaie par exemple `préviens-moi quand bitcoin passe sous 30000 eur`, `préviens-moi quand AAPL baisse de 20 %` ou `surveille boutique sku-123 au-dessus de 200 toujours`.
watch-unclear = Je n'ai pas compris cette alerte. { -watch-example }
watch-no-sources = Je ne connais pas la source de prix « { $source } » : aucune n'est configurée, et aucun système ne m'en a envoyé les prix.
watch-unknown-source = Je ne connais pas la source de prix « { $source } ». Je connais : { $known }.
watch-no-price = { $source } ne m'a donné aucun prix pour « { $symbol } » ({ $reason }), je n'ai donc pas créé l'alerte.
watch-needs-base = Aucun prix de { $symbol } n'est encore venu de { $source }, une variation en pourcentage n'a donc pas de point de départ. Donnes-en un, par exemple `surveille { $source } { $symbol } baisse de 20 % depuis 100`.
no-watches = Il n'y a pas d'alerte de prix ici. Crées-en une avec `préviens-moi quand bitcoin passe sous 30000 eur`.
watches = **Alertes de prix** ({ $count })
watch-line-last = {" "}· dernier { $last }
watch-line-stalled = {" "}· _en panne_
watch-line = - **{ $id }** · { $symbol } ({ $source }) { $rule }{ $last }{ $stalled }{ $owner }
no-such-watch = Il n'y a pas d'alerte de prix { $id } ici. Dis `alertes` pour les voir.
not-your-watch = L'alerte { $id } appartient à { $owner } ; seule cette personne peut l'arrêter.
unwatched = Alerte { $id } arrêtée.
watch-limit-user = Tu as déjà { $limit } alertes de prix, le maximum que je garde par personne. Arrêtes-en d'abord avec `annuler alerte <n>`.
watch-limit-conversation = Cette conversation a déjà { $limit } alertes de prix, le maximum que je garde. Arrêtes-en d'abord avec `annuler alerte <n>`.

## Réglages

timezone-set = Ton fuseau horaire est maintenant { $zone }. J'y lirai et afficherai les heures.
timezone-is = Ton fuseau horaire est { $zone } ({ $source ->
    [setting] choisi par toi
    [channel] venu de ton application ; choisis le tien avec `fuseau Zone/Ville`
   *[default] mon réglage par défaut ; choisis le tien avec `fuseau Zone/Ville`
}).
timezone-unknown = Je ne connais pas le fuseau horaire « { $typed } ». Utilise un nom comme `Europe/Paris` ou `America/Montreal`.{ $suggestions }
timezone-suggestions = {" "}Tu voulais dire { $zones } ?
language-set = Désormais je te parle en français.
language-unknown = Je ne parle pas « { $typed } ». Je parle anglais (`langue en`), portugais (`langue pt`, `langue pt-PT`) et français (`langue fr`).
quiet-set = Heures calmes : { $from }–{ $to }. Les notifications de tâches et les alertes de prix qui arrivent pendant ce temps attendent { $to } ; les rappels arrivent à l'heure que tu as choisie.
quiet-off = Heures calmes désactivées.
quiet-invalid = Donne les heures calmes ainsi : `silence 22:00-07:00`, ou `silence off`.
offset-mismatch = Remarque : ton appareil indique UTC{ $offset }, mais je lis tes heures dans le fuseau { $zone }.{ $suggestions }
offset-suggestion = `fuseau { $zone }`
list-or = ou
offset-suggestions = {" "}Si tu n'y es pas, dis par exemple { $commands }.

## Oublier quelqu'un

forget-question = Vous oublier dans ce canal ? Je supprimerai ici vos rappels, alertes de prix, tâches et réglages, et ce que je garde de notre conversation individuelle. Ce que vous avez dans d'autres canaux reste. C'est définitif.
forget-yes = Oui, oubliez-moi
forget-no = Annuler
forget-cancelled = D'accord, je n'ai rien oublié.
# `$channel` is the channel's id, `$items` how many reminders, watches and jobs went.
forget-done = C'est fait : dans ce canal (`{ $channel }`), j'ai supprimé { $items ->
        [one] un élément
       *[other] { $items } éléments
    } et ce que je gardais de vous ; les autres canaux gardent les leurs. Si vous me reparlez, nous repartons de zéro.
