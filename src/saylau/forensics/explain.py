"""Plain-language explanations of every forensic screen in Kazakh, Russian and English.

``EXPLANATIONS[method][lang]`` holds ``title``, ``shows``, ``does_not_show``,
``assumptions`` and ``caveats``; ``DISCLAIMER[lang]`` is the sentence every forensic view
must show. The page renders them as plain text. No text calls a station fraudulent.
"""

from __future__ import annotations

FIELDS = ("title", "shows", "does_not_show", "assumptions", "caveats")

DISCLAIMER: dict[str, str] = {
    "kk": (
        "Бұл көрсеткіштер — тексеруге арналған белгі, бұрмалаудың дәлелі емес. Олар ресми "
        "сандардың әдеттегі адал санаудан қай жерде өзгеше екенін көрсетеді. Ешбір учаске "
        "осы көрсеткіштер бойынша ғана бұрмалаушы деп танылмайды."
    ),
    "ru": (
        "Эти показатели — сигнал для проверки, а не доказательство фальсификаций. Они "
        "показывают, где официальные цифры не похожи на результат обычного честного подсчёта. "
        "Ни один участок нельзя признать фальсифицирующим только по этим показателям."
    ),
    "en": (
        "These figures are screening signals, not proof of fraud. They show where official "
        "figures look unlike what honest counting usually produces. No polling station can be "
        "judged fraudulent from them alone."
    ),
}

EXPLANATIONS: dict[str, dict[str, dict[str, str]]] = {
    "integer_percent": {
        "en": {
            "title": "Round percentages",
            "shows": (
                "How many stations report a turnout or a leader's share that is a whole "
                "percent (within ±0.05 points, e.g. 70.0 %), compared with how many would do so "
                "by chance. The expected number is calculated exactly from each station's size; "
                "the excess is the difference and the 'sd' shows how large a chance difference can be."
            ),
            "does_not_show": (
                "Which particular station changed its figures: every station has about a one in "
                "five chance of looking round by accident. It does not measure how many votes "
                "were affected."
            ),
            "assumptions": (
                "Without interference, a station's ballots behave like random draws with its own "
                "turnout and share. Stations with fewer than 100 voters and those at 99–100 % are "
                "left out, as in the original study (Kobak, Shpilkin and Pshenichnikov, 2016)."
            ),
            "caveats": (
                "An excess of more than about three 'sd' is unusual by chance. With fewer "
                "stations (for example, observer copies only) the test detects only large "
                "excesses. A figure typed with rounding in mind would also show up here."
            ),
        },
        "ru": {
            "title": "Круглые проценты",
            "shows": (
                "Сколько участков сообщили явку или долю лидера, равную целому проценту "
                "(с точностью ±0,05 пункта, например 70,0 %), по сравнению с тем, сколько таких "
                "участков получилось бы случайно. Ожидаемое число рассчитано точно по размеру "
                "каждого участка; превышение — разница, а «sd» показывает, насколько большой "
                "бывает случайная разница."
            ),
            "does_not_show": (
                "Какой именно участок изменил цифры: у каждого участка примерно один шанс из пяти "
                "выглядеть «круглым» случайно. Не показывает, сколько голосов затронуто."
            ),
            "assumptions": (
                "Без вмешательства бюллетени участка ведут себя как случайная выборка с его "
                "собственной явкой и долей. Участки меньше 100 избирателей и с результатом "
                "99–100 % исключены, как в исходной работе (Кобак, Шпилькин, Пшеничников, 2016)."
            ),
            "caveats": (
                "Превышение больше примерно трёх «sd» случайно встречается редко. При малом числе "
                "участков (например, только копии наблюдателей) тест замечает лишь большие "
                "превышения."
            ),
        },
        "kk": {
            "title": "Бүтін пайыздар",
            "shows": (
                "Қанша учаске келу деңгейін немесе көшбасшы үлесін бүтін пайызбен (±0,05 "
                "тармақ дәлдікпен, мысалы 70,0 %) көрсеткенін кездейсоқ күтілетін санмен "
                "салыстырады. Күтілетін сан әр учаскенің көлемі бойынша дәл есептеледі; артығы — "
                "айырма, ал «sd» кездейсоқ айырманың қаншалықты болатынын көрсетеді."
            ),
            "does_not_show": (
                "Қай учаске сандарын өзгерткенін көрсетпейді: әр учаске шамамен бестен бір "
                "мүмкіндікпен кездейсоқ «бүтін» болып шығады. Қанша дауыс қозғалғанын өлшемейді."
            ),
            "assumptions": (
                "Араласусыз учаске бюллетеньдері өз келу деңгейі мен үлесі бар кездейсоқ іріктеме "
                "сияқты. 100-ден аз сайлаушысы бар және 99–100 % нәтижелі учаскелер алынып "
                "тасталады (Кобак, Шпилькин, Пшеничников, 2016)."
            ),
            "caveats": (
                "Шамамен үш «sd»-ден асатын артық кездейсоқ сирек болады. Учаскелер аз болса "
                "(мысалы, тек бақылаушы көшірмелері) тест тек үлкен артықты байқайды."
            ),
        },
    },
    "fingerprint": {
        "en": {
            "title": "Turnout and leader share map",
            "shows": (
                "Each cell counts stations with a given turnout and a given leader's share. "
                "Ordinary elections usually form one compact cloud; a tail stretching towards "
                "100 % turnout and 100 % for the leader, or streaks at round numbers, stand out."
            ),
            "does_not_show": (
                "Why a station sits where it does. Real differences between town and country, or "
                "between regions, also spread or split the cloud."
            ),
            "assumptions": (
                "Stations with fewer than 100 voters are left out; bins are 1 or 0.5 points wide. "
                "The model fit needs at least 500 such stations."
            ),
            "caveats": (
                "The text under the chart gives the fit of the Klimek et al. model: the shares of "
                "stations (f_i, f_e) that the model attributes to incremental and to extreme "
                "anomalies. It is a rough, model-dependent figure, not a count of stations with "
                "violations. The model assumes that without interference turnout and the leader's "
                "share each form one bell-shaped peak, so real differences between regions or "
                "between town and country also count as 'anomalies'. For the Russian elections of "
                "2011 and 2012 another model (Mebane and Kalinin) gave shares about five times lower."
            ),
        },
        "ru": {
            "title": "Карта явки и доли лидера",
            "shows": (
                "Каждая клетка — число участков с данной явкой и данной долей лидера. Обычные "
                "выборы образуют одно компактное облако; «хвост» к 100 % явки и 100 % за лидера "
                "или полосы на круглых числах заметны сразу."
            ),
            "does_not_show": (
                "Почему участок находится именно там. Реальные различия между городом и селом "
                "или между регионами тоже растягивают или раздваивают облако."
            ),
            "assumptions": (
                "Участки меньше 100 избирателей исключены; ширина клетки — 1 или 0,5 пункта. "
                "Для подгонки модели нужно не меньше 500 таких участков."
            ),
            "caveats": (
                "В тексте под графиком приведена подгонка модели Климека и соавторов: доли "
                "участков (f_i, f_e), которые модель относит к умеренным и к крайним аномалиям. "
                "Это грубая оценка, зависящая от модели, а не число участков с нарушениями. Модель "
                "исходит из того, что без вмешательства явка и доля лидера образуют по одному "
                "колоколообразному пику, поэтому реальные различия между регионами или между "
                "городом и селом тоже засчитываются как «аномалии». Для российских выборов 2011 "
                "и 2012 годов другая модель (Мебейна и Калинина) дала доли примерно в пять раз меньше."
            ),
        },
        "kk": {
            "title": "Келу мен көшбасшы үлесінің картасы",
            "shows": (
                "Әр ұяшық — белгілі бір келу деңгейі мен көшбасшы үлесі бар учаскелер саны. "
                "Қалыпты сайлауда бір жинақы бұлт пайда болады; 100 % келу мен 100 % көшбасшыға "
                "қарай созылған «құйрық» немесе бүтін сандардағы жолақтар бірден көзге түседі."
            ),
            "does_not_show": (
                "Учаскенің неге сол жерде тұрғанын көрсетпейді. Қала мен ауыл немесе өңірлер "
                "арасындағы нақты айырмашылықтар да бұлтты созады немесе екіге бөледі."
            ),
            "assumptions": (
                "100-ден аз сайлаушысы бар учаскелер алынып тасталады; ұяшық ені 1 немесе 0,5 тармақ. "
                "Модельді бағалау үшін кемінде 500 осындай учаске қажет."
            ),
            "caveats": (
                "Графиктің астындағы мәтінде Климек пен әріптестерінің моделі бойынша баға "
                "берілген: модель орташа және шектен тыс ауытқуларға жатқызатын учаскелердің "
                "үлестері (f_i, f_e). Бұл — модельге тәуелді шамамен алынған баға, бұзушылық болған "
                "учаскелер саны емес. Модель араласусыз келу деңгейі мен көшбасшы үлесінің "
                "әрқайсысы бір қоңырау тәрізді шың құрайды деп болжайды, сондықтан өңірлер немесе "
                "қала мен ауыл арасындағы нақты айырмашылықтар да «ауытқу» болып есептеледі. "
                "Ресейдегі 2011 және 2012 жылғы сайлаулар үшін басқа модель (Мебейн мен Калинин) "
                "шамамен бес есе төмен үлестер берген."
            ),
        },
    },
    "shpilkin": {
        "en": {
            "title": "Votes by turnout",
            "shows": (
                "Each option's votes, added up over stations grouped by turnout. If the leader "
                "gains mainly where turnout is unusually high, the leader's curve grows a long "
                "right tail that the others lack. The estimate takes the leader's share at a "
                "'clean' turnout level and counts the leader's votes above that share elsewhere."
            ),
            "does_not_show": (
                "A count of stolen votes. The 'excess' is what the leader received beyond a "
                "constant share, under the assumption below."
            ),
            "assumptions": (
                "Without interference, the leader's share would not depend on turnout, and the "
                "chosen clean level (by default the most common turnout among other options' "
                "votes, below the official turnout; it can be set by hand) is free of it."
            ),
            "caveats": (
                "Real links between turnout and preference (rural areas, some regions) also "
                "produce a tail. If nearly every station is shifted, no level is clean and the "
                "estimate is too low. The answer changes with the clean level, which is shown."
            ),
        },
        "ru": {
            "title": "Голоса по явке",
            "shows": (
                "Голоса каждого варианта, сложенные по участкам, сгруппированным по явке. Если "
                "лидер получает прибавку в основном там, где явка необычно высока, у его кривой "
                "появляется длинный правый «хвост», которого нет у других. Оценка берёт долю "
                "лидера на «чистом» уровне явки и считает его голоса сверх этой доли."
            ),
            "does_not_show": (
                "Число украденных голосов. «Избыток» — это то, что лидер получил сверх "
                "постоянной доли, при допущении ниже."
            ),
            "assumptions": (
                "Без вмешательства доля лидера не зависела бы от явки, а выбранный чистый уровень "
                "(по умолчанию — самая частая явка среди голосов за других, ниже официальной "
                "явки; можно задать вручную) им не затронут."
            ),
            "caveats": (
                "Реальная связь явки и предпочтений (село, отдельные регионы) тоже даёт «хвост». "
                "Если сдвинуты почти все участки, чистого уровня нет и оценка занижена. Ответ "
                "зависит от выбранного уровня, он показан."
            ),
        },
        "kk": {
            "title": "Келу бойынша дауыстар",
            "shows": (
                "Әр нұсқаның дауыстары келу деңгейі бойынша топтастырылған учаскелерде "
                "қосылады. Егер көшбасшы қосымша дауысты негізінен келу ерекше жоғары жерде алса, "
                "оның қисығында басқаларда жоқ ұзын оң «құйрық» пайда болады. Бағалау көшбасшының "
                "«таза» келу деңгейіндегі үлесін алып, одан асқан дауыстарын санайды."
            ),
            "does_not_show": (
                "Ұрланған дауыстар санын көрсетпейді. «Артық» — төмендегі болжам бойынша "
                "көшбасшының тұрақты үлестен тыс алғаны."
            ),
            "assumptions": (
                "Араласусыз көшбасшы үлесі келуге тәуелді болмас еді, ал таңдалған таза деңгей "
                "(әдепкі бойынша — ресми келуден төмен, басқалардың дауыстары арасындағы ең жиі "
                "келу деңгейі; қолмен беруге болады) араласудан таза."
            ),
            "caveats": (
                "Келу мен қалау арасындағы нақты байланыс (ауыл, кейбір өңірлер) да «құйрық» "
                "береді. Барлық учаскелер дерлік жылжыса, таза деңгей болмайды және бағалау "
                "төмен шығады. Жауап таңдалған деңгейге байланысты, ол көрсетіледі."
            ),
        },
    },
    "digits": {
        "en": {
            "title": "Digit patterns",
            "shows": (
                "The average second digit of vote counts (about 4.19 is typical), the average last "
                "digit (4.5) and how often counts end in 0 or 5 (20 %), each with a 95 % range."
            ),
            "does_not_show": (
                "Fraud or its absence. These patterns depend on station sizes and voting habits; "
                "their authors found them unreliable for Russia."
            ),
            "assumptions": "Only counts of at least 10 (second digit) or 100 (last digit) are used.",
            "caveats": "A secondary diagnostic only; never read a single digit result as a flag.",
        },
        "ru": {
            "title": "Закономерности цифр",
            "shows": (
                "Средняя вторая цифра числа голосов (обычно около 4,19), средняя последняя цифра "
                "(4,5) и как часто числа оканчиваются на 0 или 5 (20 %), каждая с 95 % интервалом."
            ),
            "does_not_show": (
                "Наличие или отсутствие фальсификаций. Эти закономерности зависят от размеров "
                "участков и привычек голосования; для России сами авторы сочли их ненадёжными."
            ),
            "assumptions": "Используются только числа не меньше 10 (вторая цифра) или 100 (последняя).",
            "caveats": "Только вспомогательная проверка; один результат по цифрам — не сигнал.",
        },
        "kk": {
            "title": "Цифрлар заңдылығы",
            "shows": (
                "Дауыс сандарының орташа екінші цифры (әдетте 4,19 шамасында), орташа соңғы цифры "
                "(4,5) және сандардың 0 немесе 5-пен қаншалықты жиі аяқталатыны (20 %), әрқайсысы "
                "95 % аралығымен."
            ),
            "does_not_show": (
                "Бұрмалаудың бар-жоғын көрсетпейді. Бұл заңдылықтар учаске көлеміне және дауыс "
                "беру әдетіне байланысты; авторлардың өзі оларды Ресей үшін сенімсіз деп тапқан."
            ),
            "assumptions": "Тек кемінде 10 (екінші цифр) немесе 100 (соңғы цифр) сандар қолданылады.",
            "caveats": "Тек қосымша тексеру; цифрлар бойынша жалғыз нәтиже белгі емес.",
        },
    },
    "observed": {
        "en": {
            "title": "Stations with and without observers",
            "shows": (
                "Turnout and the leader's share at stations where observers were present and "
                "where they were not, with 95 % ranges and the difference."
            ),
            "does_not_show": (
                "That observers changed the result. Observers are rarely sent at random: they go "
                "more often to towns, large stations or places of concern."
            ),
            "assumptions": "Ranges treat stations as the units, so differences between stations count.",
            "caveats": "Compare like with like (e.g. within a region) before drawing conclusions.",
        },
        "ru": {
            "title": "Участки с наблюдателями и без",
            "shows": (
                "Явка и доля лидера на участках, где были наблюдатели, и где их не было, с 95 % "
                "интервалами и разницей."
            ),
            "does_not_show": (
                "Что наблюдатели изменили результат. Наблюдателей редко распределяют случайно: "
                "чаще они бывают в городах, на крупных участках или там, где ждут нарушений."
            ),
            "assumptions": "Интервалы считают единицей участок, поэтому различия между участками учтены.",
            "caveats": "Прежде чем делать выводы, сравнивайте сопоставимое (например, внутри региона).",
        },
        "kk": {
            "title": "Бақылаушысы бар және жоқ учаскелер",
            "shows": (
                "Бақылаушылар болған және болмаған учаскелердегі келу деңгейі мен көшбасшы үлесі, "
                "95 % аралықтарымен және айырмасымен."
            ),
            "does_not_show": (
                "Бақылаушылар нәтижені өзгерткенін көрсетпейді. Бақылаушылар сирек кездейсоқ "
                "бөлінеді: олар көбіне қалаларға, ірі учаскелерге немесе күдікті жерлерге барады."
            ),
            "assumptions": "Аралықтар учаскені бірлік деп санайды, сондықтан учаскелер арасындағы айырма ескеріледі.",
            "caveats": "Қорытынды жасамас бұрын салыстырмалыны салыстырыңыз (мысалы, бір өңір ішінде).",
        },
    },
}


def explanation(method: str, lang: str) -> dict[str, str]:
    """Return the explanation of a method in ``lang`` (English when the language is unknown)."""
    texts = EXPLANATIONS[method]
    return texts.get(lang, texts["en"])
