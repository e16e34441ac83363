"""The texts of the starter set, one item per template and language, installed by starter.py."""

from interventions.models import QuestionKind

VALUES_NL = "\n".join(
    [
        "Eerlijkheid",
        "Vrijheid",
        "Verbondenheid",
        "Zorgzaamheid",
        "Groei en leren",
        "Creativiteit",
        "Rust",
        "Avontuur",
        "Betrouwbaarheid",
        "Gezondheid",
        "Rechtvaardigheid",
        "Plezier",
    ]
)

VALUES_EN = "\n".join(
    [
        "Honesty",
        "Freedom",
        "Connection",
        "Caring for others",
        "Growth and learning",
        "Creativity",
        "Calm",
        "Adventure",
        "Reliability",
        "Health",
        "Fairness",
        "Enjoyment",
    ]
)

STARTER_SET = [
    # 1. Weekly reflection
    {
        "key": "weekly_reflection",
        "language": "nl",
        "title": "Weekreflectie",
        "introduction": (
            "Een vast moment om terug te kijken op je week: wat ging er goed, wat was lastig en "
            "wat neem je mee naar volgende week? Het kost je ongeveer tien minuten. Er zijn geen "
            "goede of foute antwoorden; schrijf gewoon op wat er in je opkomt."
        ),
        "steps": [
            {
                "text": (
                    "Begin met wat er goed ging. Het hoeft niet groot te zijn: een gesprek dat "
                    "prettig liep, iets wat je eindelijk hebt afgerond, een moment waarop je "
                    "tevreden was over jezelf."
                ),
                "questions": [
                    {
                        "kind": QuestionKind.LONG_TEXT,
                        "text": "Wat ging er goed deze week?",
                        "required": True,
                    },
                    {
                        "kind": QuestionKind.SCALE,
                        "text": "Hoe kijk je, alles bij elkaar, terug op deze week?",
                        "required": True,
                        "scale_min": 1,
                        "scale_max": 10,
                        "min_label": "Een zware week",
                        "max_label": "Een heel fijne week",
                    },
                ],
            },
            {
                "text": (
                    "Kijk nu naar wat minder soepel ging. Probeer er zonder oordeel naar te "
                    "kijken, zoals je naar de week van een goede vriend zou kijken."
                ),
                "questions": [
                    {
                        "kind": QuestionKind.LONG_TEXT,
                        "text": "Wat vond je lastig deze week?",
                        "required": True,
                    },
                    {
                        "kind": QuestionKind.SHORT_TEXT,
                        "text": "Wat hielp je om ermee om te gaan, al was het maar een beetje?",
                    },
                ],
            },
            {
                "text": (
                    "Soms merk je in een week iets over jezelf: hoe je reageert, waar je energie "
                    "van krijgt, wat je liever anders had gedaan."
                ),
                "questions": [
                    {
                        "kind": QuestionKind.LONG_TEXT,
                        "text": "Wat heb je deze week geleerd of over jezelf gemerkt?",
                        "required": True,
                    },
                ],
            },
            {
                "text": (
                    "Kies tot slot één ding dat je volgende week wilt doen of anders wilt "
                    "aanpakken. Hoe kleiner en concreter, hoe groter de kans dat het lukt."
                ),
                "questions": [
                    {
                        "kind": QuestionKind.SHORT_TEXT,
                        "text": "Wat neem je je voor volgende week?",
                        "required": True,
                    },
                    {
                        "kind": QuestionKind.DATE,
                        "text": "Wanneer ga je ermee aan de slag?",
                    },
                ],
            },
        ],
    },
    {
        "key": "weekly_reflection",
        "language": "en",
        "title": "Weekly reflection",
        "introduction": (
            "A regular moment to look back on your week: what went well, what was hard, and what "
            "do you want to take into next week? It takes about ten minutes. There are no right "
            "or wrong answers; just write down whatever comes to mind."
        ),
        "steps": [
            {
                "text": (
                    "Start with what went well. It doesn't have to be big: a conversation that "
                    "went nicely, something you finally finished, a moment when you felt good "
                    "about yourself."
                ),
                "questions": [
                    {
                        "kind": QuestionKind.LONG_TEXT,
                        "text": "What went well this week?",
                        "required": True,
                    },
                    {
                        "kind": QuestionKind.SCALE,
                        "text": "All things considered, how was this week for you?",
                        "required": True,
                        "scale_min": 1,
                        "scale_max": 10,
                        "min_label": "A tough week",
                        "max_label": "A really good week",
                    },
                ],
            },
            {
                "text": (
                    "Now look at what was less easy. Try to look at it without judging yourself, "
                    "the way you would look at a good friend's week."
                ),
                "questions": [
                    {
                        "kind": QuestionKind.LONG_TEXT,
                        "text": "What did you find hard this week?",
                        "required": True,
                    },
                    {
                        "kind": QuestionKind.SHORT_TEXT,
                        "text": "What helped you deal with it, even a little?",
                    },
                ],
            },
            {
                "text": (
                    "Sometimes a week shows you something about yourself: how you react, what "
                    "gives you energy, what you would rather have done differently."
                ),
                "questions": [
                    {
                        "kind": QuestionKind.LONG_TEXT,
                        "text": "What did you learn or notice about yourself this week?",
                        "required": True,
                    },
                ],
            },
            {
                "text": (
                    "Finally, choose one thing you want to do, or do differently, next week. The "
                    "smaller and more concrete it is, the more likely it is to happen."
                ),
                "questions": [
                    {
                        "kind": QuestionKind.SHORT_TEXT,
                        "text": "What is your intention for next week?",
                        "required": True,
                    },
                    {
                        "kind": QuestionKind.DATE,
                        "text": "When will you start?",
                    },
                ],
            },
        ],
    },
    # 2. Values
    {
        "key": "values",
        "language": "nl",
        "title": "Wat vind jij belangrijk?",
        "introduction": (
            "Waarden zijn de dingen die je echt belangrijk vindt: in hoe je leeft, werkt en met "
            "anderen omgaat. Als je weet wat jouw waarden zijn, wordt kiezen vaak makkelijker. "
            "Deze oefening duurt ongeveer twintig minuten. Neem er rustig de tijd voor."
        ),
        "steps": [
            {
                "text": (
                    "Lees de lijst rustig door en kies de waarden die voor jou het meest tellen. "
                    "Kies er niet te veel; drie tot vijf werkt meestal het best."
                ),
                "questions": [
                    {
                        "kind": QuestionKind.MULTIPLE_CHOICE,
                        "text": "Welke waarden zijn voor jou het belangrijkst?",
                        "required": True,
                        "options": VALUES_NL,
                    },
                    {
                        "kind": QuestionKind.SHORT_TEXT,
                        "text": "Mis je een waarde in de lijst? Schrijf hem hier op.",
                    },
                ],
            },
            {
                "text": (
                    "Als je er maar één mocht houden, welke zou dat dan zijn? Dat is niet altijd "
                    "makkelijk. Kies de waarde die het meest als 'jij' voelt."
                ),
                "questions": [
                    {
                        "kind": QuestionKind.SHORT_TEXT,
                        "text": "Welke waarde staat voor jou op één?",
                        "required": True,
                    },
                    {
                        "kind": QuestionKind.LONG_TEXT,
                        "text": "Waarom juist deze?",
                    },
                ],
            },
            {
                "text": (
                    "Kijk nu naar je dagelijks leven: je werk, je thuis, de mensen om je heen en "
                    "de tijd die je voor jezelf hebt."
                ),
                "questions": [
                    {
                        "kind": QuestionKind.LONG_TEXT,
                        "text": (
                            "Waar in je dagelijks leven leef je al naar deze waarde? "
                            "Geef een paar voorbeelden."
                        ),
                        "required": True,
                    },
                    {
                        "kind": QuestionKind.LONG_TEXT,
                        "text": (
                            "Waar lukt dat nog niet, of minder dan je zou willen? "
                            "Wat houdt je dan tegen?"
                        ),
                        "required": True,
                    },
                ],
            },
            {
                "text": (
                    "Eén kleine stap is genoeg. Bedenk iets wat je deze week kunt doen en wat "
                    "past bij deze waarde."
                ),
                "questions": [
                    {
                        "kind": QuestionKind.SHORT_TEXT,
                        "text": "Welke kleine stap zet je deze week?",
                        "required": True,
                    },
                    {
                        "kind": QuestionKind.FILE,
                        "text": (
                            "Wil je er iets bij doen? Bijvoorbeeld een tekening of foto die voor "
                            "jou bij deze waarde hoort."
                        ),
                        "required": False,
                    },
                ],
            },
        ],
    },
    {
        "key": "values",
        "language": "en",
        "title": "What matters to you?",
        "introduction": (
            "Values are the things you really care about: in how you live, how you work and how "
            "you treat other people. Knowing your values often makes choices easier. This "
            "exercise takes about twenty minutes. Take your time."
        ),
        "steps": [
            {
                "text": (
                    "Read through the list and choose the values that matter most to you. Don't "
                    "choose too many; three to five usually works best."
                ),
                "questions": [
                    {
                        "kind": QuestionKind.MULTIPLE_CHOICE,
                        "text": "Which values matter most to you?",
                        "required": True,
                        "options": VALUES_EN,
                    },
                    {
                        "kind": QuestionKind.SHORT_TEXT,
                        "text": "Is a value missing from the list? Write it here.",
                    },
                ],
            },
            {
                "text": (
                    "If you could keep only one, which would it be? That isn't always easy. "
                    "Choose the value that feels most like 'you'."
                ),
                "questions": [
                    {
                        "kind": QuestionKind.SHORT_TEXT,
                        "text": "Which value comes first for you?",
                        "required": True,
                    },
                    {
                        "kind": QuestionKind.LONG_TEXT,
                        "text": "Why this one?",
                    },
                ],
            },
            {
                "text": (
                    "Now think about your daily life: your work, your home, the people around you "
                    "and the time you have for yourself."
                ),
                "questions": [
                    {
                        "kind": QuestionKind.LONG_TEXT,
                        "text": (
                            "Where in your daily life do you already live by this value? "
                            "Give a few examples."
                        ),
                        "required": True,
                    },
                    {
                        "kind": QuestionKind.LONG_TEXT,
                        "text": (
                            "Where don't you, or not as much as you would like? "
                            "What gets in the way?"
                        ),
                        "required": True,
                    },
                ],
            },
            {
                "text": (
                    "One small step is enough. Think of something you can do this week that fits "
                    "this value."
                ),
                "questions": [
                    {
                        "kind": QuestionKind.SHORT_TEXT,
                        "text": "What small step will you take this week?",
                        "required": True,
                    },
                    {
                        "kind": QuestionKind.FILE,
                        "text": (
                            "Would you like to add something? For example, a drawing or photo "
                            "that stands for this value."
                        ),
                        "required": False,
                    },
                ],
            },
        ],
    },
    # 3. Wellbeing check-in
    {
        "key": "wellbeing_checkin",
        "language": "nl",
        "title": "Hoe gaat het met je?",
        "introduction": (
            "Een korte check-in van een paar minuten. Je vult hem elke week in, zodat je samen "
            "met je coach kunt zien hoe het in de loop van de tijd met je gaat. Ga op je gevoel "
            "af; er is geen goed of fout antwoord."
        ),
        "steps": [
            {
                "text": (
                    "Denk bij deze vragen aan de afgelopen week als geheel, niet alleen aan "
                    "vandaag."
                ),
                "questions": [
                    {
                        "kind": QuestionKind.SCALE,
                        "text": "Hoe voelde je je de afgelopen week, over het algemeen?",
                        "required": True,
                        "scale_min": 1,
                        "scale_max": 10,
                        "min_label": "Heel slecht",
                        "max_label": "Heel goed",
                    },
                    {
                        "kind": QuestionKind.SCALE,
                        "text": "Hoeveel energie had je?",
                        "required": True,
                        "scale_min": 1,
                        "scale_max": 10,
                        "min_label": "Helemaal geen energie",
                        "max_label": "Heel veel energie",
                    },
                    {
                        "kind": QuestionKind.SCALE,
                        "text": "Hoe heb je geslapen?",
                        "required": True,
                        "scale_min": 1,
                        "scale_max": 10,
                        "min_label": "Heel slecht",
                        "max_label": "Heel goed",
                    },
                    {
                        "kind": QuestionKind.SCALE,
                        "text": (
                            "Hoeveel spanning of stress heb je gevoeld? "
                            "Let op: hier betekent een hoger cijfer méér stress."
                        ),
                        "required": True,
                        "scale_min": 1,
                        "scale_max": 10,
                        "min_label": "Geen stress, ontspannen",
                        "max_label": "Heel veel stress",
                    },
                ],
            },
            {
                "text": "Tot slot, als je wilt:",
                "questions": [
                    {
                        "kind": QuestionKind.LONG_TEXT,
                        "text": "Is er nog iets wat je je coach wilt laten weten?",
                        "required": False,
                    },
                ],
            },
        ],
    },
    {
        "key": "wellbeing_checkin",
        "language": "en",
        "title": "How are you doing?",
        "introduction": (
            "A short check-in that takes a few minutes. You fill it in every week, so that you "
            "and your coach can see how you are doing over time. Go with your gut; there is no "
            "right or wrong answer."
        ),
        "steps": [
            {
                "text": (
                    "For these questions, think about the past week as a whole, not just today."
                ),
                "questions": [
                    {
                        "kind": QuestionKind.SCALE,
                        "text": "Overall, how have you felt this past week?",
                        "required": True,
                        "scale_min": 1,
                        "scale_max": 10,
                        "min_label": "Very bad",
                        "max_label": "Very good",
                    },
                    {
                        "kind": QuestionKind.SCALE,
                        "text": "How much energy did you have?",
                        "required": True,
                        "scale_min": 1,
                        "scale_max": 10,
                        "min_label": "No energy at all",
                        "max_label": "Lots of energy",
                    },
                    {
                        "kind": QuestionKind.SCALE,
                        "text": "How well did you sleep?",
                        "required": True,
                        "scale_min": 1,
                        "scale_max": 10,
                        "min_label": "Very badly",
                        "max_label": "Very well",
                    },
                    {
                        "kind": QuestionKind.SCALE,
                        "text": (
                            "How much tension or stress did you feel? "
                            "Note: here a higher number means more stress."
                        ),
                        "required": True,
                        "scale_min": 1,
                        "scale_max": 10,
                        "min_label": "No stress, relaxed",
                        "max_label": "A great deal of stress",
                    },
                ],
            },
            {
                "text": "Finally, if you like:",
                "questions": [
                    {
                        "kind": QuestionKind.LONG_TEXT,
                        "text": "Is there anything else you would like your coach to know?",
                        "required": False,
                    },
                ],
            },
        ],
    },
    # 4. Goal setting
    {
        "key": "goal_setting",
        "language": "nl",
        "title": "Een doel stellen",
        "introduction": (
            "Met deze oefening maak je een doel concreet: wat je wilt bereiken, waarom het ertoe "
            "doet en hoe je begint. Het duurt ongeveer twintig minuten. Je antwoorden kun je "
            "daarna samen met je coach verder uitwerken."
        ),
        "steps": [
            {
                "text": (
                    "Begin met het doel zelf. Schrijf het op in je eigen woorden, zoals je het aan "
                    "iemand zou vertellen."
                ),
                "questions": [
                    {
                        "kind": QuestionKind.LONG_TEXT,
                        "text": "Wat wil je bereiken?",
                        "required": True,
                    },
                    {
                        "kind": QuestionKind.LONG_TEXT,
                        "text": "Waarom is dit belangrijk voor je? Wat verandert er als het lukt?",
                        "required": True,
                    },
                ],
            },
            {
                "text": (
                    "Een doel wordt makkelijker als je weet hoe 'bereikt' eruitziet. Stel je voor "
                    "dat het gelukt is: wat zie je dan, wat doe je anders, wat merken anderen?"
                ),
                "questions": [
                    {
                        "kind": QuestionKind.LONG_TEXT,
                        "text": (
                            "Waaraan merk je dat je je doel hebt bereikt? "
                            "Maak het zo concreet mogelijk."
                        ),
                        "required": True,
                    },
                ],
            },
            {
                "text": (
                    "Elke verandering begint met een eerste stap. Kies iets kleins wat je "
                    "binnenkort echt kunt doen."
                ),
                "questions": [
                    {
                        "kind": QuestionKind.SHORT_TEXT,
                        "text": "Wat is je eerste stap?",
                        "required": True,
                    },
                    {
                        "kind": QuestionKind.DATE,
                        "text": "Wanneer zet je die stap?",
                        "required": True,
                    },
                ],
            },
            {
                "text": (
                    "Bijna elk doel kent hobbels onderweg. Als je ze van tevoren bedenkt, ben je "
                    "er beter op voorbereid."
                ),
                "questions": [
                    {
                        "kind": QuestionKind.LONG_TEXT,
                        "text": "Wat zou je in de weg kunnen zitten? En wat doe je dan?",
                        "required": True,
                    },
                    {
                        "kind": QuestionKind.SHORT_TEXT,
                        "text": "Wie kan je hierbij helpen of steunen?",
                    },
                    {
                        "kind": QuestionKind.SCALE,
                        "text": "Hoeveel vertrouwen heb je erin dat je dit doel gaat bereiken?",
                        "required": True,
                        "scale_min": 0,
                        "scale_max": 10,
                        "min_label": "Helemaal geen vertrouwen",
                        "max_label": "Heel veel vertrouwen",
                    },
                ],
            },
        ],
    },
    {
        "key": "goal_setting",
        "language": "en",
        "title": "Setting a goal",
        "introduction": (
            "This exercise helps you make a goal concrete: what you want to achieve, why it "
            "matters and how you will start. It takes about twenty minutes. Afterwards you can "
            "work on your answers further with your coach."
        ),
        "steps": [
            {
                "text": (
                    "Start with the goal itself. Write it down in your own words, the way you "
                    "would tell someone about it."
                ),
                "questions": [
                    {
                        "kind": QuestionKind.LONG_TEXT,
                        "text": "What do you want to achieve?",
                        "required": True,
                    },
                    {
                        "kind": QuestionKind.LONG_TEXT,
                        "text": "Why does this matter to you? What will change if you get there?",
                        "required": True,
                    },
                ],
            },
            {
                "text": (
                    "A goal gets easier when you know what 'done' looks like. Imagine you have "
                    "made it: what do you see, what are you doing differently, what do other "
                    "people notice?"
                ),
                "questions": [
                    {
                        "kind": QuestionKind.LONG_TEXT,
                        "text": (
                            "How will you know you have reached your goal? "
                            "Make it as concrete as you can."
                        ),
                        "required": True,
                    },
                ],
            },
            {
                "text": (
                    "Every change starts with a first step. Choose something small that you can "
                    "really do soon."
                ),
                "questions": [
                    {
                        "kind": QuestionKind.SHORT_TEXT,
                        "text": "What is your first step?",
                        "required": True,
                    },
                    {
                        "kind": QuestionKind.DATE,
                        "text": "When will you take it?",
                        "required": True,
                    },
                ],
            },
            {
                "text": (
                    "Almost every goal meets some bumps along the way. Thinking about them "
                    "beforehand helps you be ready for them."
                ),
                "questions": [
                    {
                        "kind": QuestionKind.LONG_TEXT,
                        "text": "What might get in your way? And what will you do then?",
                        "required": True,
                    },
                    {
                        "kind": QuestionKind.SHORT_TEXT,
                        "text": "Who can help or support you with this?",
                    },
                    {
                        "kind": QuestionKind.SCALE,
                        "text": "How confident are you that you will reach this goal?",
                        "required": True,
                        "scale_min": 0,
                        "scale_max": 10,
                        "min_label": "Not confident at all",
                        "max_label": "Very confident",
                    },
                ],
            },
        ],
    },
]
