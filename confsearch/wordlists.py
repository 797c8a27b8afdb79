"""Swedish word lists: stopwords, function words, and the words every question here contains.

Plain data that the lexical index, grounding and confidence each read; kept apart from the
text helpers of :mod:`confsearch.text` so the lists are easy to review and extend.
"""

from __future__ import annotations

# -------------------------------------------------------------------------- word lists

# Snowball's Swedish stopword list (the one bm25s ships), spelled out so this module does
# not need bm25s; plus a few function words that are equally content-free in conference
# prose. tests/test_text.py checks that the first part equals bm25s's list.
# fmt: off
SNOWBALL_STOPWORDS = frozenset((
    "och", "det", "att", "i", "en", "jag", "hon", "som", "han", "på", "den", "med", "var",
    "sig", "för", "så", "till", "är", "men", "ett", "om", "hade", "de", "av", "icke", "mig",
    "du", "henne", "då", "sin", "nu", "har", "inte", "hans", "honom", "skulle", "hennes",
    "där", "min", "man", "ej", "vid", "kunde", "något", "från", "ut", "när", "efter", "upp",
    "vi", "dem", "vara", "vad", "över", "än", "dig", "kan", "sina", "här", "ha", "mot",
    "alla", "under", "någon", "eller", "allt", "mycket", "sedan", "ju", "denna", "själv",
    "detta", "åt", "utan", "varit", "hur", "ingen", "mitt", "ni", "bli", "blev", "oss",
    "din", "dessa", "några", "deras", "blir", "mina", "samma", "vilken", "er", "sådan",
    "vår", "blivit", "dess", "inom", "mellan", "sådant", "varför", "varje", "vilka", "ditt",
    "vem", "vilket", "sitta", "sådana", "vart", "dina", "vars", "vårt", "våra", "ert",
    "era", "vilkas",
))
# fmt: on
EXTRA_STOPWORDS = frozenset(
    ("också", "även", "samt", "ska", "skall", "både", "dock", "bara", "genom", "enligt", "hos")
) | {"kring"}
STOPWORDS: frozenset[str] = SNOWBALL_STOPWORDS | EXTRA_STOPWORDS

# Words that any question or passage about Swedish regional development may contain. A
# passage never counts as *covering* a question because it shares them, they are never
# shown as "Matchade på ord", and a question is never refused for lacking them:
# * FUNCTION_WORDS — question and function words the stopword list lacks, speech and
#   work verbs, English function words: not even searched for (a passage must never win
#   on "få" or "säger");
# * DOMAIN_WORDS — the domain's own generic nouns ("region", "län", "kommun"): searched,
#   since "Vilken region …" rightly prefers a passage that names one, but not evidence.
# Lower case, as written.
# fmt: off
FUNCTION_WORDS = frozenset((
    # question and function words the stopword list lacks
    "vilka", "vilken", "vilket", "vem", "vad", "hur", "varför", "när", "var", "finns",
    "fanns", "får", "få", "fick", "gör", "göra", "gjorde", "gjort", "går", "gå", "kan",
    "kunna", "kunde", "bör", "måste", "behöver", "behövs", "varken", "någon", "några",
    "något", "mer", "mest", "fler", "flera", "många", "mycket", "lite", "andra", "annan",
    "annat", "olika", "nya", "ny", "nytt", "stor", "stora", "bra", "sätt", "exempel",
    "t.ex", "också", "even", "någonting", "ex", "finnas", "ge", "ger", "gav", "ta", "tar",
    "tog", "hel", "hela", "kring", "om", "sig", "sin", "sina", "sitt", "egen", "egna",
    # (not "stod" nor "låg": folded, they are "stöd" and "lag")
    "före", "står", "stått", "ligger", "legat", "bakom", "framför", "hänt",
    "hända", "händer", "hände", "görs", "gjordes",
    # speech and work verbs
    "säger", "sa", "sade", "sagt", "berättar", "berättade", "berättat", "berätta",
    "pratar", "pratade", "nämner", "nämnde", "menar", "tycker", "anser", "beskriver",
    "beskrev", "presenterar", "presenterade", "visar", "visade", "arbetar", "arbetade",
    "arbeta", "jobbar", "jobbade", "jobba", "jobbat", "arbetat", "hanterar", "hantera",
    "handlar", "handlade", "lärde", "lär", "lära", "tänka", "tänker", "jobb", "arbete",
    "arbetet", "arbetar", "använder", "använda", "används", "användes", "sker", "ske",
    "skedde", "fungerar", "fungera", "syftar", "syfte", "gäller", "gällde",
    # help verbs: "Hur kan regionen stödja …?" frames a question as "arbeta med" does
    "stödja", "stödjer", "stöder", "stödde", "stötta", "stöttar", "stöttade", "hjälpa",
    "hjälper", "hjälpte",
    # a job-title question's frame ("Vilken titel har X?"): the texts write the title
    # itself ("projektledare"), never the word; the title check (questionroles) decides
    "titel", "titeln", "titlar", "befattning", "befattningen", "yrkestitel",
    "yrkestiteln", "tjänstetitel", "tjänstetiteln",
    # a yes/no check's frame ("Stämmer det att …?", "Är det sant att …?", "Is it true
    # that …?"): the claim after it is what the texts must hold
    "stämmer", "stammer", "stämde", "sant", "korrekt", "true", "correct",
    # a memo's frame ("Till en PM om …:", "For a briefing on …:"): what the answer is for,
    # not what it is about; "PM" would otherwise be read as an acronym the texts lack
    "pm", "promemoria", "memo", "memot", "briefing", "briefingen", "dragning",
    "dragningen", "föredragning",
    # a definition question's frame ("Vad står förkortningen LUX för?", "What does the
    # abbreviation RUS stand for?"): the term is what the texts must hold
    "förkortningen", "förkortning", "akronymen", "begreppet", "termen", "abbreviation",
    "acronym", "stand",
    # modal verbs and sentence adverbs: closed classes, never a topic (adverbs of time
    # stay: "redan", "fortfarande" are what a yes/no claim turns on)
    "borde", "vill", "ville", "velat", "brukar", "brukade", "behövde", "egentligen",
    "faktiskt",
    # what kind, how many, by what name is asked ("Vilken typ av åtgärder …", "Antal faser
    # i modellen?", "Vilka nämnder, med namn, …"), and "i dag": the question's frame
    "typ", "typer", "sorts", "sorters", "slags", "antal", "antalet", "namn", "namnen", "dag",
    # pronouns as typed in a hurry, spelled as spoken ("vad sa dom", "finns det nån …")
    "dom", "nån", "nåt", "nåra", "mej", "dej", "sej", "ngn", "ngt",
))
DOMAIN_WORDS = frozenset((
    "region", "regionen", "regioner", "regionerna", "regionens", "regional", "regionala",
    "regionalt", "län", "länet", "länen", "kommun", "kommuner", "kommunen", "kommunerna",
    "organisation", "organisationer", "organisationen", "aktör", "aktörer", "aktörerna",
    "sverige", "svensk", "svenska", "lärpass", "lärpasset", "lärpassen", "konferens",
    "konferensen", "årskonferens", "årskonferensen", "seminarium", "seminariet",
    "fråga", "frågan", "frågor", "frågorna", "säga", "sägs", "talare",
    "talaren", "person", "personer", "människor", "folk", "county", "counties",
    "regions", "organisations", "organization",
    "organizations", "sweden", "swedish", "session", "sessions", "speaker", "speakers",
    "conference", "people",
))
FUNCTION_WORDS |= frozenset((
    # English function and question words
    "what", "which", "who", "whom", "how", "why", "when", "where", "is", "are", "was",
    "were", "do", "does", "did", "the", "a", "an", "of", "in", "on", "for", "to", "and",
    "or", "about", "with", "from", "by", "they", "their", "them", "it", "its", "this",
    "that", "these", "those", "there", "any", "some", "can", "could", "should", "would",
    "say", "said", "says", "tell", "told", "talk", "talked", "work", "works", "worked",
    "working", "presented", "present", "presents",
    "describe", "described", "describes", "mention", "mentioned", "use", "used", "using",
    "get", "gets", "got", "make", "makes", "made", "have", "has", "had", "be", "been",
    "being", "not", "no", "yes", "into", "at", "as", "than", "then", "so", "if", "also",
    "more", "most", "many", "much", "other", "others", "new", "example", "examples",
    "we", "you", "i", "he", "she", "his", "her", "our", "your", "one", "ones",
))
# fmt: on
GENERIC_WORDS = FUNCTION_WORDS | DOMAIN_WORDS

# Prepositions, conjunctions and focusing adverbs that neither list above holds, Swedish
# and English: closed classes, never what a question is about, so never reported as a
# term the texts lack ("Vilka miljövinster utöver klimatnyttan …?" is not about "utöver").
# Only grounding reads them (wordclass.never_a_topic); search and focus keep them.
# fmt: off
CLOSED_CLASS = frozenset((
    "utöver", "förutom", "bortom", "inklusive", "exklusive", "jämte", "gentemot", "bland",
    "beträffande", "angående", "rörande", "trots", "utanför", "ovanför", "nedanför",
    "bredvid", "innan", "tills", "medan", "eftersom", "huruvida", "ifall", "liksom",
    "såsom", "antingen", "vare", "dels", "nämligen", "exempelvis", "alltså", "således",
    "därmed", "därför", "emellertid", "ändå", "respektive", "just", "endast", "enbart",
    "främst", "särskilt", "speciellt",
    # verb particles and adverbs written as one word ("komma igång", "i stället för")
    "igång", "iväg", "ihop", "isär", "itu", "stället", "istället",
    # adverbs of place, direction, time and degree, and words that only determine a noun
    # ("Vilka sorts …", "den enda …", "ytterligare …"): they locate or count, never a topic
    "ifrån", "emot", "bort", "borta", "inne", "ute", "hemma", "kvar", "dit", "hit",
    "tillbaka", "igenom", "framåt", "bakåt", "uppåt", "nedåt", "överallt", "någonstans",
    "ingenstans", "varifrån", "idag", "igår", "imorgon", "framöver", "hittills",
    "samtidigt", "åtminstone", "ungefär", "helst", "ytterligare", "enda",
    "sista", "nästa", "extra", "själva", "vems", "sorts", "slags",
    "allra", "runt", "omkring", "ner", "ned", "ganska", "nog", "väl",
    "besides", "except", "apart", "including", "regarding", "concerning", "according",
    "towards", "toward", "within", "without", "among", "between", "despite", "although",
    "whether", "unless", "until", "since", "while", "beyond", "along", "across",
    "through", "during", "before", "after", "against", "around", "instead", "only",
    "especially", "particularly", "mainly",
))
# fmt: on


# Function words that tell an English question from a Swedish one (text.is_english).
# fmt: off
ENGLISH_MARKERS = frozenset((
    "the", "of", "and", "to", "in", "is", "are", "was", "were", "what", "which", "who",
    "how", "why", "does", "did", "do", "can", "could", "with", "for", "about", "from", "that",
    "this", "these", "those", "their", "there", "has", "have", "had", "be", "been",
))
SWEDISH_MARKERS = frozenset((
    "och", "att", "det", "är", "som", "för", "på", "med", "vad", "hur", "vilken", "vilka",
    "varför", "en", "ett", "av", "om", "har", "till", "den", "de", "inte", "kan", "ska", "sig",
))
# fmt: on


# Countries and continents, in Swedish and in English (lower case): "vilka andra länder än
# Indien" is answered by a sentence naming another one. An English name maps to the
# Swedish one the texts write (COUNTRY_IN_SWEDISH, folded keys).
# fmt: off
COUNTRY_IN_SWEDISH = {
    "sweden": "sverige", "norway": "norge", "denmark": "danmark", "finland": "finland",
    "iceland": "island", "estonia": "estland", "latvia": "lettland", "lithuania": "litauen",
    "poland": "polen", "germany": "tyskland", "france": "frankrike", "spain": "spanien",
    "portugal": "portugal", "italy": "italien", "greece": "grekland",
    "netherlands": "nederländerna", "belgium": "belgien", "austria": "österrike",
    "switzerland": "schweiz", "britain": "storbritannien", "uk": "storbritannien",
    "england": "england", "scotland": "skottland", "ireland": "irland", "usa": "usa",
    "canada": "kanada", "mexico": "mexiko", "brazil": "brasilien", "argentina": "argentina",
    "china": "kina", "japan": "japan", "korea": "korea", "india": "indien",
    "pakistan": "pakistan", "bangladesh": "bangladesh", "vietnam": "vietnam",
    "thailand": "thailand", "indonesia": "indonesien", "philippines": "filippinerna",
    "australia": "australien", "russia": "ryssland", "ukraine": "ukraina",
    "turkey": "turkiet", "iran": "iran", "iraq": "irak", "syria": "syrien",
    "israel": "israel", "egypt": "egypten", "morocco": "marocko",
    "south africa": "sydafrika", "nigeria": "nigeria", "kenya": "kenya",
    "ethiopia": "etiopien", "somalia": "somalia", "europe": "europa", "africa": "afrika",
    "asia": "asien", "america": "amerika",
}
# fmt: on
COUNTRIES = frozenset(
    (
        *COUNTRY_IN_SWEDISH,
        *COUNTRY_IN_SWEDISH.values(),
        "holland",
        "sydkorea",
    )
)

# Interrogatives and question scaffolding: never a question's focus (retrieval.question).
# fmt: off
QUESTION_WORDS = frozenset((
    "vad", "vem", "vilka", "vilken", "vilket", "hur", "när", "nar", "var", "varför", "varfor",
    "who", "what", "which", "how", "when", "where", "why", "sa", "sade", "säger", "berättade",
    "berättar", "tyckte", "tycker", "menade", "menar", "said", "say", "says", "told", "think",
    "thinks", "mean", "means", "does", "do", "did", "is", "are", "was", "were", "andra",
    "other", "än", "than"
))
# fmt: on

# Nouns that are part of a fixed phrase, a complex preposition or a light verb's idiom
# ("i samband med", "i förhållande till", "dra nytta av"): the phrase says how the topic
# relates, it is no topic of its own, so never reported as a term the texts lack. Each is
# (the words that may stand before it, "|"-separated, the noun, the word after), lower
# case; grounding also reads them folded ("i forhallande till").
# fmt: off
FIXED_PHRASES = frozenset((
    ("i", "samband", "med"), ("i", "förhållande", "till"), ("i", "relation", "till"),
    ("med", "hjälp", "av"), ("på", "grund", "av"), ("i", "fråga", "om"),
    ("med", "tanke", "på"), ("i", "stället", "för"), ("i", "form", "av"),
    ("med", "avseende", "på"), ("i", "syfte", "att"), ("till", "följd", "av"),
    ("i", "enlighet", "med"), ("med", "hänsyn", "till"), ("i", "anslutning", "till"),
    ("i", "linje", "med"), ("i", "takt", "med"), ("på", "tal", "om"), ("i", "brist", "på"),
    ("på", "bekostnad", "av"), ("i", "närheten", "av"), ("med", "stöd", "av"),
    ("i", "kraft", "av"), ("i", "mån", "av"),
    ("dra|drar|drog|dragit|dras", "nytta", "av"), ("ta|tar|tog|tagit|tas", "del", "av"),
    ("ta|tar|tog|tagit|tas", "hänsyn", "till"), ("ta|tar|tog|tagit", "ställning", "till"),
))
# fmt: on
