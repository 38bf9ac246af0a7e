"""Free-text bank for demo incident reports, per checklist section and language.

Texts are generic for their section, so any item of the section can carry them. None names a
person, a phone number or a place finer than "the station". A few contain markup, a Markdown
link, a spreadsheet formula or a script tag on purpose: the views must show them as plain text.
"""

from __future__ import annotations

INCIDENT_TEXTS: dict[str, dict[str, tuple[str, ...]]] = {
    "PRE": {
        "kk": (
            "Жәшіктер байқаушылар сұрағаннан кейін ғана мөрленді.",
            "Ашылу хаттамасы оқылды, бірақ көшірмесі берілмеді.",
            "Үй-жай белгіленген уақыттан бұрын ашылды, түсініктеме берілмеді.",
        ),
        "ru": (
            "Урны опечатали только после просьбы наблюдателей.",
            "Протокол открытия зачитали, но копию не выдали.",
            "Помещение открыли раньше установленного времени, объяснений не дали.",
        ),
        "en": (
            "Boxes were sealed only after observers asked for it.",
            "The opening protocol was read out but no copy was handed over.",
            "Premises opened before the legal time; <b>no</b> explanation was given.",
        ),
    },
    "ROOM": {
        "kk": (
            "Кабиналар комиссия үстелінен белгілер көрінетіндей орналасқан.",
            "Кіреберісте үгіт плакаттары қалды.",
            "Кіреберісте пандус жоқ, арбадағы сайлаушыны қолмен көтеріп кіргізді.",
        ),
        "ru": (
            "Кабины стоят так, что отметки видны со стола комиссии.",
            "У входа остались агитационные плакаты.",
            "На входе нет пандуса, избирателя на коляске заносили на руках.",
        ),
        "en": (
            "Booths stand so that marks can be seen from the commission table.",
            "Campaign posters were still up at the entrance.",
            "No ramp at the entrance; a wheelchair user had to be carried in.",
        ),
    },
    "VOTE": {
        "kk": (
            "Бірнеше сайлаушыға құжатсыз бюллетень берілді.",
            "Топ бірге келіп, бір кабинада дауыс берді.",
            "Байқаушыға үстелдерден алыс сызықтың артында тұру айтылды.",
        ),
        "ru": (
            "Нескольким избирателям выдали бюллетени без документа.",
            "Группа пришла вместе и голосовала в одной кабине.",
            "Наблюдателю велели стоять за линией далеко от столов.",
        ),
        "en": (
            "Several voters received ballots without showing an ID document.",
            "A group arrived together and voted in the same booth.",
            "Observer was told to stay behind a line far from the tables, see [link](http://x)",
        ),
    },
    "MOB": {
        "kk": (
            "Көшпелі жәшікті комиссияның бір ғана мүшесі алып шықты.",
            "Көшпелі жәшік шыққанда байқаушыларға хабарланбады.",
            "Алып шығылған бюллетеньдер саны жазылмады.",
        ),
        "ru": (
            "Переносную урну вынес один член комиссии.",
            "Наблюдателей не известили о выезде с переносной урной.",
            "Число вынесенных бюллетеней не записали.",
        ),
        "en": (
            "The mobile box left with a single commission member.",
            "Observers were not told when the mobile box left.",
            "The number of ballots taken out was not recorded.",
        ),
    },
    "CNT": {
        "kk": (
            "Бюллетеньдер белгілері байқаушыларға көрсетілмей саналды.",
            "Пайдаланылмаған бюллетеньдер жәшіктер ашылғаннан кейін жойылды.",
            "Хаттама көшірмесі тек таңертең берілді.",
        ),
        "ru": (
            "Бюллетени считали, не показывая отметки наблюдателям.",
            "Неиспользованные бюллетени погасили уже после вскрытия урн.",
            "Копию протокола выдали только утром. <script>alert(1)</script>",
        ),
        "en": (
            "Ballots were counted without showing the marks to observers.",
            "Unused ballots were cancelled only after the boxes were opened.",
            '=HYPERLINK("http://x","protocol photo")',
        ),
    },
}
