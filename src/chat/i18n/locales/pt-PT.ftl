# As respostas do Herald em português de Portugal. Cada mensagem de en.ftl
# existe aqui, com as mesmas variáveis (os testes do catálogo conferem).
# pt-BR.ftl é um ficheiro completo à parte, com as palavras do Brasil.

## Palavras usadas em outras mensagens

weekday = { $day ->
    [mon] segunda-feira
    [tue] terça-feira
    [wed] quarta-feira
    [thu] quinta-feira
    [fri] sexta-feira
    [sat] sábado
   *[sun] domingo
}
weekday-repeated = { $day ->
    [mon] segundas
    [tue] terças
    [wed] quartas
    [thu] quintas
    [fri] sextas
    [sat] sábados
   *[sun] domingos
}
month = { $month ->
    [1] janeiro
    [2] fevereiro
    [3] março
    [4] abril
    [5] maio
    [6] junho
    [7] julho
    [8] agosto
    [9] setembro
    [10] outubro
    [11] novembro
   *[12] dezembro
}
list-and = e
list-and-weeks = e
date = { $days ->
    [0] hoje
    [1] amanhã
   *[other] { $weekday }, { $day } de { $month }{ $year }
}
date-year = {" "}de { $year }
moment = { $days ->
    [0] { $date } { $at }
    [1] { $date } { $at }
   *[other] { $wday ->
        [sat] no
        [sun] no
       *[other] na
    } { $date }, { $at }
}
at-time = { $hour ->
    [1] à
   *[other] às
} { $time }
repeat-interval = { $seconds ->
    [60] a cada minuto
    [3600] a cada hora
    [86400] todos os dias
    [604800] toda semana
   *[other] a cada { $duration }
}
repeat-daily = todos os dias { $at }
repeat-workweek = de segunda a sexta { $at }
repeat-weekend = aos sábados e domingos { $at }
repeat-weekly = { $weekend ->
    [yes] aos
   *[no] às
} { $days } { $at }
repeat-weeks-apart = { $weeks ->
    [2] a cada duas semanas
   *[other] a cada { $weeks } semanas
}, { $weekly }
repeat-monthly = todo mês no dia { $day } { $at }
repeat-monthly-weekday = { $wday ->
    [sat] { $nth ->
        [0] no último
        [1] no primeiro
        [2] no segundo
        [3] no terceiro
       *[other] no quarto
    }
    [sun] { $nth ->
        [0] no último
        [1] no primeiro
        [2] no segundo
        [3] no terceiro
       *[other] no quarto
    }
   *[other] { $nth ->
        [0] na última
        [1] na primeira
        [2] na segunda
        [3] na terceira
       *[other] na quarta
    }
} { $weekday } de cada mês { $at }
repeat-cron = conforme o agendamento `{ $expression }`
ending-count = { $count ->
    [1] , uma vez
   *[other] , { $count } vezes
}
ending-until = , até { $date }
starting = , próximo: { $moment }
duration-days = { $count ->
    [1] 1 dia
   *[other] { $count } dias
}
duration-hours = { $count } h
duration-minutes = { $count } min
duration-seconds = { $count } s
state = { $state ->
    [active] ativo
    [paused] pausado
    [completed] concluído
    [cancelled] cancelado
   *[failed] com erro
}
rule-below = ficar abaixo de { $price }
rule-above = ficar acima de { $price }
rule-drops = cair { $percent }%
rule-rises = subir { $percent }%
rule-changes = variar { $percent }%
rule-new-low = atingir uma nova mínima
problem-status = a fonte respondeu { $status }
problem-throttled = a fonte está a limitar os pedidos
problem-timeout = a fonte não respondeu a tempo
problem-unreachable = não consigo contactar a fonte: { $detail }
problem-too-large = a resposta tem mais de { $bytes } bytes
problem-not-json = a resposta não é JSON
problem-no-price = não há preço em { $pointer } na resposta
problem-bad-price = o preço na resposta não é utilizável: { $detail }
problem-forbidden = recusado: { $detail }
problem-waiting = a fonte chegou ao limite de pedidos, ou está a aguardar depois de falhas
problem-push-only = esta fonte só recebe preços enviados

## Boas-vindas e ajuda

-commands =
    - `me lembre amanhã às 9h de ligar para a Ana`, `lembre-me em 10 minutos de alongar`, `lembre-me dias úteis às 9h da reunião`
    - `lembretes` lista-os; `cancelar <n>`, `pausar <n>`, `retomar <n>`, `adiar <n> 15m`, `editar <n> às 10h`
    - `avise-me quando bitcoin cair abaixo de 30000 usd`, `avise-me quando AAPL cair 20%`; `alertas` lista-os, `parar alerta <n>` para um
    - `fuso Europe/Lisbon`, `idioma en`, `silêncio 22:00-07:00` (ou `silêncio off`)
    - `run` inicia um job, `show` lista o registo de jobs, `done <n>` conclui um job
    - `esqueça-me` apaga o que guardo sobre você
welcome-who = { $more ->
    [0] , { $names }
   *[other] , { $names } e mais { $more }
}
welcome =
    Olá{ $who }! Sou o Herald. Lembro-o de coisas, mantenho um registo de jobs e aviso quando os seus jobs terminam.

    { -commands }
help =
    Eis o que posso fazer:

    { -commands }
greeting = Olá! Em que posso ajudar? `ajuda` mostra o que posso fazer.
hint =
    Não entendi. Eis o que posso fazer:

    { -commands }
text-too-long = Essa mensagem é longa demais para mim (o limite é de { $limit } caracteres).
files-received = { $count ->
    [1] Recebi o seu ficheiro { $names }.
   *[other] Recebi os seus { $count } ficheiros: { $names }.
}

## Jobs

job-started = Estamos iniciando o job { $id }. Avisaremos quando terminar.
job-limit-conversation = Esta conversa já tem { $limit } jobs abertos, o máximo que guardo. Conclua alguns com `done <n>` primeiro.
job-limit-user = Você já tem { $limit } jobs abertos, o máximo que guardo por pessoa. Conclua alguns com `done <n>` primeiro.
job-completed-here = Job { $id } concluído. Aviso enviado à conversa dele.
job-already-completed = O job { $id } já está concluído.
no-such-job = Não existe o job { $id }.
job-id-needed = Indique o número do job depois de `done`, por exemplo `done 3`.
job-event-needs-id = Um evento de conclusão de job precisa do número do job como valor.
job-completed-notice = O seu job { $id } acabou de terminar.
job-log-empty = O registo de jobs está vazio.
job-log-title = Registo de jobs
job-log-count = { $count ->
    [1] { $count } job
   *[other] { $count } jobs
}
job-log-page = página { $number } de { $pages }
job-log-no-page = Não há página { $number }: são { $pages } página(s).
job-log-next-page = Diga `show { $number }` para a página seguinte.
job-log-line = - Job **{ $id }** · conversa `{ $label }` · { $done ->
    [yes] concluído
   *[no] pendente
}

## Lembretes

fired-untitled = Lembrete
fired = ⏰ { $text }
fired-late =
    ⏰ { $text }

    _Era para { $due }: chega com { $late } de atraso, porque o Herald não estava a funcionar._
fired-missed = Lembrete perdido — era para { $due }, há { $late }: { $text }
snooze-button = { $minutes ->
    [60] Adiar 1 hora
   *[other] Adiar { $minutes } min
}
done-button = Feito
reminder-set = Vou lembrá-lo { $when } ({ $zone }): { $text }
-refusal-example = Experimente por exemplo `me lembre amanhã às 9h de ligar para a Ana`, `lembre-me em 10 minutos de alongar` ou `lembre-me toda segunda às 10h de planejar a semana`.
refused-misspelt = Não entendi "{ $typed }" — quis dizer "{ $meant }"? Não marquei nada. { -refusal-example }
refused-past = Essa hora já passou, por isso não marquei nada. Indique uma hora futura, como `amanhã às 9h`. { -refusal-example }
refused-date = Essa data ou hora não existe (confira o dia, o mês e a hora), por isso não marquei nada. { -refusal-example }
refused-text = Do que devo lembrar? Escreva depois da hora, por exemplo `me lembre amanhã às 9h de ligar para a Ana`.
refused-far = Isso é daqui a mais de dez anos, mais longe do que guardo lembretes. { -refusal-example }
refused-when = Não entendi quando. { -refusal-example }
other-reading = Se queria dizer { $when }, carregue no botão e eu mudo-o.
other-reading-button = Mudar para { $when }
reminder-no-time = Entendi a tarefa "{ $task }", mas não quando, por isso não marquei nada. Diga também a hora, por exemplo `{ $asked } { $code } amanhã às 9h`.
repeat-too-often = Entre dois lembretes é preciso pelo menos { $min }, por isso não criei nada. Por exemplo `lembre-me dias úteis às 9h da reunião`.
reminder-text-too-long = Um lembrete pode ter no máximo { $limit } caracteres; encurte-o, por exemplo `me lembre amanhã às 9h de ligar para a Ana`.
reminder-limit-user = Já tem { $limit } lembretes, o máximo que guardo por pessoa. Cancele alguns com `cancelar <n>` primeiro.
reminder-limit-conversation = Esta conversa já tem { $limit } lembretes, o máximo que guardo. Cancele alguns com `cancelar <n>` primeiro.
no-reminders = Não há lembretes aqui. Marque um com `me lembre amanhã às 9h de ligar para a Ana`.
reminders = **Lembretes** ({ $count })
reminders-some = **Lembretes** ({ $count }, os próximos { $shown })
line-owner = {" "}· de { $owner }
reminder-line-paused = {" "}· _pausado_
reminder-line = - **{ $id }** · { $when }{ $paused }{ $owner } · { $text }
no-such-reminder = Não há o lembrete { $id } aqui. Diga `lembretes` para vê-los.
reminder-id-needed = Qual lembrete? Indique o número, por exemplo `{ $example }`. Diga `lembretes` para vê-los.
not-yours = O lembrete { $id } é de { $owner }; só essa pessoa pode alterá-lo.
cancelled = Lembrete { $id } cancelado.
paused = Lembrete { $id } pausado. Diga `retomar { $id }` para continuar.
resumed = Lembrete { $id } reativado; o próximo é { $next }.
unchanged = O lembrete { $id } já está { $state }.
cannot-change = O lembrete { $id } já terminou; não há o que alterar. Marque um novo.
snoozed = Vou lembrá-lo de novo { $when } (lembrete { $id }).
snooze-needs-duration = Por quanto tempo? Por exemplo `adiar 3 15m` ou `adiar 3 1h`.
edited = O lembrete { $id } passa a ser { $when }.
edit-needs-time = Para quando? Por exemplo `editar 3 às 10h` ou `editar 3 amanhã às 9h`.
acknowledged = 👍
acknowledged-next = 👍 Próxima vez: { $next }.

## Alertas de preço

price-alert = 🔔 **{ $symbol }** ({ $source }) está em { $price }: a condição «{ $rule }» foi atingida. Desde o início do alerta: { $change } (de { $base }).
source-stalled = ⚠️ Não consigo mais obter preços de { $source } ({ $reason }), por isso o seu alerta { $watch } de { $symbol } está parado. Aviso quando voltar a funcionar.
source-recovered = ✅ { $source } voltou a responder: o seu alerta { $watch } de { $symbol } continua.
symbol-unpriced = ⚠️ { $source } já não dá preço para { $symbol } ({ $reason }), por isso o seu alerta { $watch } está parado. Aviso se o preço voltar; `parar alerta { $watch }` remove-o.
symbol-priced-again = ✅ { $source } voltou a dar preço para { $symbol }: o seu alerta { $watch } continua.
watch-set-now = {" "}(agora { $now })
watch-set = Estou de olho em { $symbol } ({ $source }): aviso quando { $rule }{ $now }. Diga `parar alerta { $id }` para parar. (#{ $id })
-watch-example = Experimente por exemplo `avise-me quando bitcoin ficar abaixo de 30000 usd`, `avise-me quando AAPL cair 20%` ou `observar loja sku-123 acima de 200 sempre`.
watch-unclear = Não entendi esse alerta. { -watch-example }
watch-no-sources = Não conheço a fonte de preços "{ $source }": nenhuma está configurada, e nenhum sistema me enviou preços dela.
watch-unknown-source = Não conheço a fonte de preços "{ $source }". Conheço: { $known }.
watch-no-price = { $source } não deu preço para "{ $symbol }" ({ $reason }), por isso não criei o alerta.
watch-needs-base = Ainda não chegou nenhum preço de { $symbol } de { $source }, então uma variação em porcentagem não tem ponto de partida. Indique um, por exemplo `observar { $source } { $symbol } cair 20% de 100`.
no-watches = Não há alertas de preço aqui. Crie um com `avise-me quando bitcoin ficar abaixo de 30000 usd`.
watches = **Alertas de preço** ({ $count })
watch-line-last = {" "}· último { $last }
watch-line-stalled = {" "}· _parado_
watch-line = - **{ $id }** · { $symbol } ({ $source }) { $rule }{ $last }{ $stalled }{ $owner }
no-such-watch = Não há o alerta de preço { $id } aqui. Diga `alertas` para vê-los.
not-your-watch = O alerta { $id } é de { $owner }; só essa pessoa pode pará-lo.
unwatched = Alerta { $id } parado.
watch-limit-user = Já tem { $limit } alertas de preço, o máximo que guardo por pessoa. Pare alguns com `parar alerta <n>` primeiro.
watch-limit-conversation = Esta conversa já tem { $limit } alertas de preço, o máximo que guardo. Pare alguns com `parar alerta <n>` primeiro.

## Configurações

timezone-set = O seu fuso horário agora é { $zone }. Vou ler e mostrar as horas nele.
timezone-is = O seu fuso horário é { $zone } ({ $source ->
    [setting] definido por si
    [channel] vindo do seu aplicativo; defina o seu com `fuso Área/Cidade`
   *[default] o meu padrão; defina o seu com `fuso Área/Cidade`
}).
timezone-unknown = Não conheço o fuso horário "{ $typed }". Use um nome como `America/Sao_Paulo` ou `Europe/Lisbon`.{ $suggestions }
timezone-suggestions = {" "}Quis dizer { $zones }?
language-set = A partir de agora falo português de Portugal consigo.
language-unknown = Não falo "{ $typed }". Falo inglês (`idioma en`), português (`idioma pt`, `idioma pt-PT`) e francês (`idioma fr`).
quiet-set = Horário de silêncio: { $from }–{ $to }. Avisos de jobs e alertas de preço que chegarem nesse horário esperam até { $to }; os lembretes chegam na hora que escolheu.
quiet-off = Horário de silêncio desligado.
quiet-invalid = Indique o horário de silêncio como `silêncio 22:00-07:00`, ou `silêncio off`.
offset-mismatch = Nota: o seu dispositivo indica UTC{ $offset }, mas estou a ler as suas horas em { $zone }.{ $suggestions }
offset-suggestion = `fuso { $zone }`
list-or = ou
offset-suggestions = {" "}Se não estiver aí, diga por exemplo { $commands }.

## Esquecer alguém

forget-question = Esquecê-lo neste canal? Vou apagar os seus lembretes, alertas de preço, jobs e preferências aqui, e o que guardo da nossa conversa individual. O que tiver noutros canais fica. Isto não pode ser desfeito.
forget-yes = Sim, esqueça-me
forget-no = Cancelar
forget-cancelled = Certo, não apaguei nada.
# `$channel` is the channel's id, `$items` how many reminders, watches and jobs went.
forget-done = Feito: neste canal (`{ $channel }`) apaguei { $items ->
        [one] um item
       *[other] { $items } itens
    } e o que guardava sobre si; os outros canais ficam como estão. Se voltar a falar comigo, começamos do zero.
