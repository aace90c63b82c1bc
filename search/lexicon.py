"""The query lexicon: small words to ignore, location words, and Dutch <-> English terms.

The catalogue's own lay terms (``lay_term`` table, curated by editors) are folded
into the condition documents; this module holds what is about *language* rather
than about conditions: function words, the prepositions that introduce a place
("sarcoom bij Groningen"), and a bilingual word list so that an English query
finds a record that only has a Dutch name, and the reverse. Both engines use it:
the embedded engine expands queries with it, the Meilisearch adapter turns it
into index synonyms.

All entries are folded (lower case, no accents); multi-word entries are
separated by spaces.
"""

from __future__ import annotations

from collections import defaultdict


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS = _words(
    """
    de het een en of van in op bij met voor aan naar door uit om over als dan die dat dit
    deze wat welke waar wie is zijn was ben heb hebt heeft hebben ik mijn je jij u uw we wij
    ze zij er hier daar ook nog niet geen wel al zo te tot
    the a an of in on at with for to and or is are was be by from as that this which what
    where who my i me we you your it its not no do does
    """
)

# Words that introduce a place: "sarcoom bij Groningen", "sarcoma near Utrecht".
LOCATION_WORDS = _words(
    """
    bij in nabij naby omgeving rond rondom regio buurt dichtbij dicht te near around
    close nearby area region
    """
)

# Words that ask for a kind of place rather than a condition: "ziekenhuis bij Leeuwarden",
# "umc near 2333". With a location and only such words, nearby institutions are the answer.
# HOSPITAL_WORDS fit every institution; the others narrow the choice (university centres).
HOSPITAL_WORDS = _words(
    """
    ziekenhuis ziekenhuizen hospitaal kliniek medisch centrum centra hospital hospitals clinic
    medical centre center centres centers
    """
)
INSTITUTION_WORDS = HOSPITAL_WORDS | _words(
    "umc academisch academische universitair expertisecentrum university academic"
)

# Words that belong with a location word: "in de buurt van", "close to".
LOCATION_FILLER = _words("de het van buurt omgeving to the of")

# Dutch term, English term(s). One line per pair; alternatives separated by "|".
_PAIRS = """
kanker = cancer | malignancy
kwaadaardig = malignant
goedaardig = benign
gezwel = tumor | growth
tumor = tumor | neoplasm
nieuwvorming = neoplasm
uitzaaiing = metastasis
uitzaaiingen = metastases
zeldzaam = rare
zeldzame = rare
erfelijk = hereditary | inherited | familial
erfelijke = hereditary | inherited | familial
aangeboren = congenital
kind = child | childhood | pediatric | paediatric
kinderen = children | childhood | pediatric | paediatric
kinder = childhood | pediatric | paediatric
volwassen = adult
volwassenen = adult
jeugd = juvenile
bot = bone
been = bone
botten = bones
kraakbeen = cartilage | chondro
weke delen = soft tissue
wekedelen = soft tissue
spier = muscle
spieren = muscles
vet = fat | adipose | lipo
vetweefsel = adipose tissue | fat
bindweefsel = connective tissue
bloedvat = blood vessel | vascular
bloedvaten = blood vessels | vascular
zenuw = nerve | neural
zenuwen = nerves
hersenen = brain | cerebral
hersen = brain
hersentumor = brain tumor
ruggenmerg = spinal cord
zenuwstelsel = nervous system
oog = eye | ocular
ogen = eyes
netvlies = retina
huid = skin | cutaneous
slijmvlies = mucosa | mucosal
long = lung | pulmonary
longen = lungs
borstvlies = pleura | pleural
buikvlies = peritoneum | peritoneal
borstkas = chest | thorax | thoracic
zwezerik = thymus
lever = liver | hepatic
galweg = bile duct | biliary
galwegen = bile ducts | biliary
galblaas = gallbladder
alvleesklier = pancreas | pancreatic
maag = stomach | gastric
darm = intestine | bowel | intestinal
darmen = intestines | bowel
dunne darm = small intestine
dikke darm = colon | large intestine
endeldarm = rectum | rectal
anus = anus | anal
slokdarm = esophagus | oesophagus | esophageal | oesophageal
mond = mouth | oral
mondholte = oral cavity
tong = tongue
keel = throat | pharynx
strottenhoofd = larynx
neus = nose | nasal
neusholte = nasal cavity
bijholte = sinus
speekselklier = salivary gland
speekselklieren = salivary glands
hoofd hals = head and neck
hoofd-hals = head and neck
schildklier = thyroid
bijschildklier = parathyroid
bijnier = adrenal | adrenal gland
hypofyse = pituitary
nier = kidney | renal
nieren = kidneys
blaas = bladder
urineblaas = urinary bladder
urineweg = urinary tract
urinewegen = urinary tract
prostaat = prostate
zaadbal = testis | testicle | testicular
zaadballen = testes
penis = penis | penile
baarmoeder = uterus | uterine | womb
baarmoederhals = cervix | cervical
eierstok = ovary | ovarian
eierstokken = ovaries
eileider = fallopian tube
schede = vagina | vaginal
vulva = vulva | vulvar | vulval
placenta = placenta | placental
zwangerschap = pregnancy | gestational
borst = breast
bloed = blood
beenmerg = bone marrow
lymfeklier = lymph node
lymfeklieren = lymph nodes
klier = gland
kliertje = gland
hart = heart | cardiac
bloedkanker = blood cancer | leukemia | leukaemia
ziekenhuis = hospital
ziekenhuizen = hospitals
academisch ziekenhuis = academic hospital | university hospital
umc = university medical centre | university medical center
centrum = centre | center
expertisecentrum = expertise centre | centre of expertise | expert centre
werkgroep = working group
werkgroepen = working groups
landelijk = national
landelijke = national
nederlands = dutch
nederlandse = dutch
commissie = committee
adviesgroep = advisory board | advisory group
panel = panel
expertpanel = expert panel
mdo = tumour board | tumor board | multidisciplinary meeting
netwerk = network
behandeling = treatment
diagnose = diagnosis
ziekte = disease
syndroom = syndrome
groot = large
grootcellig = large cell
kleincellig = small cell
mestcel = mast cell
stemband = vocal cord
stembanden = vocal cords
kinderkanker = childhood cancer | pediatric cancer | paediatric cancer
"""

# Everyday Dutch words, and the word the catalogue uses (one way only).
_PLAIN_DUTCH = """
piemel = penis
eikel = penis
ballen = zaadballen
balzak = zaadbal
borsten = borst
"""


def _parse(text: str) -> dict[str, tuple[str, ...]]:
    pairs: dict[str, set[str]] = defaultdict(set)
    for line in text.strip().splitlines():
        dutch, _, english = line.partition("=")
        nl = " ".join(dutch.split())
        ens = [" ".join(e.split()) for e in english.split("|") if e.strip()]
        for en in ens:
            if en != nl:
                pairs[nl].add(en)
                pairs[en].add(nl)
    return {k: tuple(sorted(v)) for k, v in pairs.items()}


def _parse_one_way(text: str) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for line in text.strip().splitlines():
        plain, _, standard = line.partition("=")
        out[" ".join(plain.split())] = tuple(
            " ".join(w.split()) for w in standard.split("|") if w.strip()
        )
    return out


TRANSLATIONS: dict[str, tuple[str, ...]] = _parse(_PAIRS)
for _plain, _standard in _parse_one_way(_PLAIN_DUTCH).items():
    TRANSLATIONS[_plain] = tuple(sorted(set(TRANSLATIONS.get(_plain, ())) | set(_standard)))
LONGEST_PHRASE = max(len(k.split()) for k in TRANSLATIONS)


def translations(phrase: str) -> tuple[str, ...]:
    """The other language's words for a folded word or phrase (empty if none)."""
    return TRANSLATIONS.get(phrase, ())
