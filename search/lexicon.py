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

Over 600 lines: most of it is data (word lists and the Dutch-English pairs), kept in
one module so that both engines and the test that checks every word read one list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from itertools import chain

from search.variants import word_key


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

# Words that only say how a question is asked ("ik heb net gehoord dat ...", "waar moet ik
# heen", "who should I see"), dropped from the query but never from the index: some of them
# are content words in the other language ("been" is a leg in Dutch, "kind" a child), so
# they are dropped in the language the query is written in (:func:`query_language`).
QUESTION_WORDS_NL = _words(
    """
    mij me jou jouw hij hem haar hun hen ons onze jullie men welk
    maar want dus omdat toen tegen tussen na sinds zonder wiens waarom wanneer hoe
    waren bent had hadden wordt worden werd werden kan kunnen kun kon moet moeten moest mag
    mogen wil willen zou zouden ga gaat gaan ging gegaan komt komen krijg krijgen gekregen
    heel erg veel beetje even net pas eigenlijk misschien graag alstublieft aub svp bedankt
    zeer hele erge ontzettend enorm extreem uiterst genaamd genoemd blijft blijven steeds
    begon begonnen gemerkt merk merkte studie studies trial trials klinische onderzoek
    pt pat pte pts advies verdenking verdacht vermoeden vermoedelijk waarschijnlijk mogelijk
    dank heen naartoe terecht zoek zoeken gezocht vind vinden gevonden weet weten gehoord
    horen hoorde zeggen zegt zei gezegd denkt denken dacht heet heten geloof hulp helpen help
    vraag vragen informatie info meer lees lezen last laatst gediagnosticeerd vastgesteld
    geconstateerd ontdekt diagnose arts artsen dokter dokters huisarts specialist
    specialisten expert experts expertise deskundige deskundigen gespecialiseerd goed goede
    aanmelden aanmelding verwijzen verwijzing doorverwijzen doorverwijzing insturen indienen
    patient patiente patienten tweede mening meningen opinie voel voelt voelde gevoeld
    word week dag dagen gisteren vandaag onlangs recent kortgeleden geleden vorige afgelopen
    kreeg kregen snel sneller reageert reageren reactie antwoord antwoordt duurt
    beste behandelen behandeld behandelt behandeling behandelaar second opinion nederland
    vorm soort ding iets iemand jaar jaren jarig jarige oud oude maanden weken achter naast
    binnen buiten tijdens vader moeder broer zus zuster opa oma echtgenoot echtgenote
    partner schoonvader schoonmoeder tante oom neef nicht vriend vriendin collega buurman
    buurvrouw nabij dichtbij buurt omgeving rondom oudere ouderen bejaard bejaarde bejaarden
    """
)
QUESTION_WORDS_EN = _words(
    """
    but so are were been being am has have had having did mine us our he him his she her
    they them their these those whom whose when why how there here just now then than also
    too very really please thanks thank can could should would will shall may might must
    extremely incredibly quite rather called named keeps keep kept still started starts
    appeared noticed notice study studies trial trials clinical research pt pts advice
    suspected suspicion suspect probable probably possible possibly
    advise second opinion opinions pathway pathways
    get got getting go going goes went gone see seen told tell telling said say says think
    thinks thought know knows find found looking look need needs want best good treat
    treats treated treating treatment specialised specialized specialises specializes
    doctor doctors gp specialist specialists expert experts refer referral referring submit
    patient patients feel feels felt
    last week weeks day days yesterday today recently recent ago
    fast quickly quick respond responds answer answers
    expertise diagnosed diagnosis about some any kind sort form netherlands old years year
    months aged age weeks help where which father mother dad mum mom brother sister
    husband wife grandfather grandmother grandpa grandma granddad partner friend uncle
    aunt near nearby around close elderly older senior seniors
    """
)

# Words after which a query names what it is about: "a brain tumour called
# medulloblastoma" describes first, then names (:func:`search.query.understand`).
NAME_MARKERS = _words("called named genaamd genoemd heet heten")

# Question words people write as abbreviations, in capitals too ("my GP thinks"): dropped
# even then, where a word in capitals is otherwise an abbreviation to search for
# (:func:`search.query.understand`).
QUESTION_ABBREVIATIONS = _words("gp aub svp pt")

# Words that say whose ("mijn man", "in mijn lies"): what follows is a person or a part of
# the body, never a place (Lies is a village on Terschelling).
POSSESSIVES = _words("mijn haar zijn uw onze je jouw hun my his her our your their")

# Words that say who the search is for: a child steers the answer to children's care.
CHILD_WORDS = _words(
    """
    kind kinderen kindje kindjes zoon zoontje dochter dochtertje baby babys babies peuter
    kleuter tiener tieners puber pubers meisje meisjes jongen jongens pasgeborene zuigeling
    child children kid kids son daughter toddler infant newborn teenager teenagers teenage
    teen teens boy girl childhood pediatric paediatric
    """
)
# A child's growth in one word: "kinderkanker", "kindertumoren", "kinderoncologie".
CHILD_PREFIX = "kinder"
CHILD_GROWTH = _words("oncologie leukemie hersentumor hersentumoren")
# How children are named in the catalogue: optional words that put paediatric entries first.
CHILD_TERMS = (
    "childhood",
    "pediatric",
    "paediatric",
    "juvenile",
    "infantile",
    "kinder",
    "kinderziekenhuis",
    "kinderoncologie",
    "children",
)
# Words that say the patient is an adult: next to a disease they only steer, like a place
# ("hersentumor bij volwassenen" found the adult heart tumour and adult liver cancer).
ADULT_WORDS = _words("volwassen volwassene volwassenen adult adults grownup grownups")
# Words for a kind ("a rare type of ..."): they say which kind only with the word they
# go with, so they name no disease (:func:`search.query.names_a_disease`).
KIND_WORDS = _words("type types typen subtype vorm vormen")
# Words a name negates ("non-Hodgkin", "niet-functionerend", "non-seminomatous"): typed
# apart, "niet" is a stop word, and "niet hodgkin lymfoom" found Hodgkin lymphoma first.
NEGATABLE = (
    "hodgkin",
    "seminom",
    "dysgermin",
    "functio",
    "secre",
    "papil",
    "epitheli",
    "gestation",
    "erfelijk",
    "hereditary",
    "invasi",
    "ossif",
    "involut",
)
# Non-small cell lung cancer, the common one, in the words people type it ("niet
# kleincellig" found small cell lung cancer): read as the abbreviation "nsclc".
NSCLC_PHRASES: tuple[tuple[str, ...], ...] = (
    ("non", "small", "cell"),
    ("niet", "kleincellig"),
    ("non", "kleincellig"),
)

# Words that say a cancer is rare: every cancer in the catalogue is. Next to a word that
# says which, they only steer ("a rare cancer called chordoma" found the rare tumours'
# group, which matches "rare cancer", before chordoma).
RARE_WORDS = _words(
    "zeldzaam zeldzame zeldzamer zeldzamere zeldzaamste rare rarer rarest uncommon unusual"
)
PREGNANCY_WORDS = _words("zwanger zwangere zwangerschap pregnant pregnancy")
AGE_WORDS = _words("jaar jarig jarige jr maand maanden years year yrs yo months old aged")
# Words for the patient's sex, as a doctor writes them next to an age ("vrouw 45 jaar",
# "62yo male"): with an age they describe the patient; "vrouw" found OLVG (Onze Lieve
# *Vrouwe* Gasthuis) second.
SEX_WORDS = _words("man vrouw male female woman dhr mevr mw")
# Units of a size in a doctor's note ("GIST maag 6 cm"): the number is no word to find.
SIZE_UNITS = _words("mm cm")
ADULT_AGE = 18

# Words with two common meanings: both are searched and the page names both.
# word -> ((Dutch label, English label), ...) of the readings, in the order shown.
AMBIGUOUS: dict[str, tuple[tuple[str, str], ...]] = {
    "been": (("bot", "bone"), ("been (ledemaat)", "leg")),
    "borst": (("borst (mamma)", "breast"), ("borstkas", "chest")),
    "klier": (("lymfeklier", "lymph node"), ("klier", "gland")),
    "klieren": (("lymfeklieren", "lymph nodes"), ("klieren", "glands")),
    # "een tumor in mijn hoofd": the brain to most people, the head and neck to doctors.
    "hoofd": (("hersenen", "brain"), ("hoofd-halsgebied", "head and neck")),
    "head": (("hersenen", "brain"), ("hoofd-halsgebied", "head and neck")),
}

# Parts of the body and organs. A typo never turns one into another: "maagkanker" must not
# become "oogkanker" (two letters apart), and "borstkanker" not "botkanker".
BODY_SITES = _words(
    """
    been benen bot botten borst borsten long longen darm darmen maag lever nier nieren
    blaas galblaas galweg galwegen huid oog ogen tong mond keel neus oor oren hart hersen
    hersenen hoofd hals nek rug buik bekken schedel kaak lip lippen wang tandvlees bijnier
    schildklier bijschildklier hypofyse alvleesklier pancreas milt zwezerik thymus
    baarmoeder baarmoederhals eierstok eierstokken eileider vagina schede vulva schaamlip
    schaamlippen penis zaadbal zaadballen teelbal teelballen prostaat anus endeldarm slokdarm
    strottenhoofd stemband stembanden speekselklier traanklier oogkas netvlies buikvlies
    borstvlies hersenvlies beenmerg bloed lymfeklier klier spier spieren vet gewricht knie
    heup schouder arm armen voet hand vinger dij bovenbeen onderbeen ruggenmerg zenuw
    placenta urineleider urinebuis onderkaak bovenkaak nierbekken borstkas borstholte
    bone bones breast lung lungs bowel colon intestine stomach liver kidney bladder
    gallbladder skin eye eyes tongue mouth throat nose ear heart brain head neck back abdomen
    pelvis skull jaw cheek gum adrenal thyroid parathyroid pituitary spleen uterus womb
    ovary fallopian testis testicle prostate rectum esophagus oesophagus gullet larynx voice
    salivary retina marrow blood lymph gland muscle tendon joint knee hip shoulder leg foot
    finger thigh spine spinal nerve ureter urethra peritoneum pleura meninges mandible
    maxilla jawbone chest thorax
    """
)

# Words for a passage or a space in a part of the body: with the part they name a place
# ("ear canal", "neusholte"), never a disease (:func:`search.query.names_a_disease`).
SITE_PARTS = _words("kanaal canal gang holte cavity duct ducts buis tube")

# Parts of the body that do not say where on their own: a gland (which one?).
GENERIC_SITES = _words("klier klieren gland glands")
# Parts of the body that are a tissue found everywhere: in a compound they say what
# grows ("huidkanker", "botkanker"), not where.
TISSUE_SITES = _words("huid skin bot bone bloed blood spier muscle vet zenuw nerve")

# Abbreviations people type that the catalogue does not use: what they are about.
ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "hipec": ("peritoneum", "buikvlies"),  # heated chemotherapy in the abdomen
    "pipac": ("peritoneum", "buikvlies"),
    "cup": ("unknown primary",),  # cancer of unknown primary
    # Non-small cell lung cancer, the common lung cancer (one letter from SCLC, the small
    # cell one, which it found first): the rare tumours of the lung.
    "nsclc": ("long", "lung"),
}

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
# Words that ask for an expert panel, without naming one ("mdo", "tumorboard"): a panel
# that matches the other words as well as the best hit comes first.
PANEL_WORDS = _words(
    """
    mdo mdos panel panels expertpanel expertpanels tumorboard tumorboards multidisciplinair
    multidisciplinary overleg board boards tumourboard tumourboards mtb
    pathologie pathology pathologiepanel revisie review radiologie radiology
    """
)
# Words that say how far a panel or group reaches ("landelijk mdo", "regionaal expertpanel").
REACH_WORDS = _words(
    "landelijk landelijke nationaal nationale national regionaal regionale regional"
)
# Words that ask for a kind of place or panel without naming one. Next to what it is for
# ("welk ziekenhuis behandelt sarcoom", "expertisecentrum oogmelanoom", "landelijk mdo
# sarcoom") they are optional: every institution is a hospital, so as required words
# they put the hospitals (or panels) with the word in their name level with the disease,
# whatever they treat.
KIND_OF_PLACE_WORDS = (
    HOSPITAL_WORDS | PANEL_WORDS | REACH_WORDS | _words("expertisecentrum expertisecentra")
)

# Parts of the limbs and of the trunk's wall. A rare tumour there is nearly always one of
# the soft tissue or the bone, and the catalogue names the tissue, not where it grows
# (sarcomas grow anywhere): "a lump in my thigh" asks for soft-tissue and bone tumours.
# Next to a word that says what it is ("melanoom op mijn arm") such a word only says where,
# and is optional (:func:`search.query.understand`).
LIMB_WORDS = _words(
    """
    arm armen bovenarm onderarm been benen bovenbeen onderbeen dij dijen dijbeen knie
    knieen kuit kuiten scheenbeen heup heupen bil billen lies liezen oksel oksels schouder
    schouders elleboog pols polsen hand handen vinger vingers voet voeten enkel enkels
    borstwand buikwand knieholte rug linkerarm rechterarm linkerbeen rechterbeen
    linkerhand rechterhand linkervoet rechtervoet gewricht gewrichten bekken
    borstbeen sleutelbeen rib ribben wervel wervels schouderblad heiligbeen schaambeen
    pelvis sternum clavicle collarbone ribs vertebra vertebrae scapula sacrum
    staartbeen tailbone coccyx retroperitoneum retroperitoneaal retroperitoneale retroperitoneal
    arms forearm leg legs thigh thighs knee knees calf shin hip hips buttock buttocks groin
    armpit shoulder shoulders elbow wrist hands finger fingers foot feet ankle joint joints
    """
)
# What a limb word stands for when nothing else says what grows there.
LIMB_TISSUES = ("wekedelen", "weke delen", "soft tissue", "bot", "bone", "sarcoom", "sarcoma")
# Words that say that something grows, not what it is ("knobbel", "lump").
GROWTH_WORDS = _words(
    """
    kanker kankers tumor tumoren gezwel gezwellen knobbel knobbels knobbeltje bult bulten
    bultje zwelling zwellingen kwaadaardig kwaadaardige goedaardig goedaardige
    cancer cancers tumour tumours tumors lump lumps growth growths swelling swellings mass
    masses malignant benign
    """
)
# Common benign growths: not a rare cancer, and no name of the catalogue. The page says
# so above what was found ("vetbult" found liposarcoma first, "myoom baarmoeder" uterine
# leiomyosarcoma).
COMMON_BENIGN_WORDS = _words(
    """
    vleesboom vleesbomen myoom myomen lipoom lipomen vetbult vetbulten wrat wratten
    atheroom atheroomcyste fibroid fibroids lipoma lipomas wart warts
    """
)
# Complaints, not diseases: a query of only these asks what a doctor should answer, and
# the names it matched frightened more than they helped ("vermoeid en blauwe plekken"
# found a choroid plexus tumour, "night sweats" a sweat gland tumour). A lump is a growth
# word, not a complaint: "bult in de hals" is searched.
SYMPTOM_WORDS = _words(
    """
    nachtzweten nachtzweet zweten transpireren afvallen gewichtsverlies vermageren
    vermagering hoofdpijn buikpijn rugpijn koorts moe moeheid vermoeid vermoeidheid
    uitgeput jeuk jeuken hoest hoesten ophoesten bloedneus bloedneuzen bloedverlies
    bloedingen blauwe plekken misselijk misselijkheid braken overgeven duizelig
    duizeligheid benauwd benauwdheid kortademig kortademigheid hees heesheid
    slikklachten obstipatie diarree geelzucht dubbelzien wazig tintelingen krampen
    zwakte flauwvallen eetlust
    sweats sweating headache headaches fever fevers tired tiredness fatigue exhausted
    itch itching itchy cough coughing nosebleed nosebleeds bruise bruises bruising
    nausea nauseous vomiting dizzy dizziness breathless breathlessness hoarse hoarseness
    constipation diarrhoea diarrhea jaundice blurred tingling cramps weakness appetite loss
    """
)
# Words that go with a complaint without naming a disease ("night sweats", "weight loss",
# "wazig zien"): alone they are searched.
SYMPTOM_COMPANIONS = _words(
    """
    nacht nachts zien gewicht verlies veel erg vaak steeds weinig geen last bloed urine
    plas ontlasting
    night weight losing blurry vision seeing double lot always often little blood urine up
    stool
    """
)
# Words that ask for a cancer, not any growth: a benign condition is less likely meant.
MALIGNANT_WORDS = _words(
    """
    kanker kankers kwaadaardig kwaadaardige maligne maligniteit cancer cancers malignant
    malignancy carcinoom carcinomen carcinoma carcinomas sarcoom sarcomen sarcoma sarcomas
    """
)
MALIGNANT_ENDINGS = ("kanker", "cancer", "carcinoom", "carcinoma", "sarcoom", "sarcoma")
# The words for the class every entry belongs to: a name says it in its own way
# ("mesothelioom van het hartzakje" is a cancer of the pericardium without "kanker").
CLASS_WORDS = _words(
    "kanker kankers tumor tumoren gezwel gezwellen cancer cancers tumour tumours tumors"
)
# Words that describe a lump (how it grows or feels, which side) without saying what it
# is. Next to other words they are optional: "een harde bult in mijn kuit die groeit" is
# about the bult and the kuit, and "growing" must not make Growing teratoma syndrome the
# answer to "a growing lump on my upper arm".
LUMP_DESCRIPTIONS = _words(
    """
    groeit groeien groeiend groeiende gegroeid groter grotere hard harde gezwollen
    snelgroeiend snelgroeiende weggaat verdwijnt geneest overgaat
    opgezet opgezette dikke pijn pijnen pijnlijk
    pijnlijk pijnlijke pijnloos pijnloze links rechts linker rechter boven onder
    grows growing grown bigger larger hard painful painless left right upper lower
    heal heals healing disappear disappears away
    swollen pain aching
    """
)

# A melanoma in a part of the body lined with mucosa is a mucosal melanoma, which the
# catalogue names by the mucosa, not the place: next to a melanoma these words also match
# MUCOSA_WORDS ("melanoom in de mond" found mouth cancer and the eye's melanoma first).
MELANOMA_WORDS = _words("melanoom melanomen melanoma melanomas")
MUCOSAL_SITES = _words(
    """
    mond mondholte tong tandvlees verhemelte neus neusholte neusbijholte
    neusbijholten keel vagina vaginaal vaginale schede anus anaal anale endeldarm rectum
    slokdarm vulva vulvair vulvaire schaamlip schaamlippen
    mouth oral tongue gum gums palate nose nasal sinus sinuses sinonasal throat vaginal
    anal rectal oesophagus esophagus vulvar
    """
)
MUCOSA_WORDS = ("slijmvlies", "mucosa", "mucosal")
# "Mole" is a mole of the skin to most people and a molar pregnancy to a gynaecologist:
# without a word of pregnancy or of the molar pregnancies' names it is the skin's
# (:func:`search.query.understand`): "mole on my back" found the hydatidiform mole.
MOLE_WORDS = _words("mole moles")
MOLA_WORDS = _words("hydatidiform complete partial invasive molar mola gestational")
SKIN_MOLE_WORDS = ("naevus", "nevus", "moedervlek")

# Words that belong with a location word: "in de buurt van", "close to".
LOCATION_FILLER = _words("de het van buurt omgeving to the of")

# Dutch term, English term(s). One line per pair; alternatives separated by "|".
_PAIRS = """
kanker = cancer | malignancy
kankers = cancers
kwaadaardig = malignant
goedaardig = benign
gezwel = tumor | growth
knobbel = lump | tumor | growth
bult = lump | tumor | growth
tumor = tumor | neoplasm
nieuwvorming = neoplasm
uitzaaiing = metastasis
uitzaaiingen = metastases
zeldzaam = rare
zeldzame = rare
erfelijk = hereditary | inherited | familial
erfelijke = hereditary | inherited | familial
familiair = familial | hereditary | inherited
familiaire = familial | hereditary | inherited
erfelijkheid = hereditary | inherited | erfelijk
erfelijkheidsonderzoek = hereditary | inherited | erfelijk
genetisch = genetic | hereditary | erfelijk
genetische = genetic | hereditary | erfelijk
familie = familial | familiaire | erfelijk
aangeboren = congenital
kind = child | childhood | pediatric | paediatric
kinderen = children | childhood | pediatric | paediatric
kinder = childhood | pediatric | paediatric
volwassen = adult
volwassenen = adult
jeugd = juvenile
bot = bone
been = bone | leg | limb | extremity
botten = bones
kraakbeen = cartilage | chondro
weke delen = soft tissue
wekedelen = soft tissue
spier = muscle
spieren = muscles
vet = fat | adipose | lipo
vetweefsel = adipose tissue | fat
bindweefsel = connective tissue | soft tissue
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
cutaan = cutaneous | skin
slijmvlies = mucosa | mucosal
long = lung | pulmonary
longen = lungs
borstvlies = pleura | pleural
buikvlies = peritoneum | peritoneal
borstkas = chest | thorax | thoracic
buik = abdomen | abdominal
oksel = armpit | axilla | axillary
wervelkolom = spine | spinal | vertebral
wervel = vertebra | vertebral
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
zwanger = pregnant | pregnancy
man = male
mannen = male
vrouw = female | woman | women
vrouwen = women | female
werkgroep = working group | group | society | consortium | network
vereniging = society | association
patientenvereniging = patientenplatform | patient organisation | support group
patientenplatform = patient platform | support group
lotgenoten = support group | patientenplatform
kinderziekenhuis = childrens hospital | pediatric hospital
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
verhemelte = palate | palatal
gehemelte = palate | palatal
harde verhemelte = hard palate
zachte verhemelte = soft palate
huig = uvula
dikkedarm = colon | large intestine | colorectal
dunnedarm = small intestine | small bowel
blindedarm = appendix | appendiceal
twaalfvingerige darm = duodenum | duodenal
twaalfvingerigedarm = duodenum | duodenal
oor = ear | auricular
hersenstam = brainstem | brain stem | pons | pontine
milt = spleen | splenic
buikspeekselklier = alvleesklier | pancreas
protonenbestraling = protonentherapie | proton therapy | protontherapie
protonen = proton | protons
hersenvlies = meninges | meningeal | brain lining
oren = ears | ear
tandvlees = gingiva | gingival | gum
kaak = jaw | maxilla | mandible | gnathic
bovenkaak = maxilla | maxillary | upper jaw
onderkaak = mandible | mandibular | lower jaw
nierbekken = renal pelvis | kidney pelvis
amandel = tonsil | tonsillar
amandelen = tonsils | tonsillar
traanklier = lacrimal gland | lacrimal | tear gland
traanbuis = lacrimal duct | nasolacrimal | tear duct
traanzak = lacrimal sac | lacrimal
ooglid = eyelid | palpebral
oogleden = eyelids | eyelid
hoornvlies = cornea | corneal
bindvlies = conjunctiva | conjunctival
regenboogvlies = iris
gehoorgang = ear canal | auditory canal
trommelvlies = eardrum | tympanic membrane
middenoor = middle ear
binnenoor = inner ear
schedel = skull | cranial
schedelbasis = skull base
stuitje = coccyx | sacrococcygeal
stuitbeen = coccyx | sacrococcygeal
heiligbeen = sacrum | sacral
dijbeen = femur | femoral
dij = thigh
oogkas = orbit | orbital | eye socket
scheenbeen = tibia | tibial
kuitbeen = fibula
opperarmbeen = humerus
sleutelbeen = clavicle
borstbeen = sternum
schouderblad = scapula
rib = rib
ribben = ribs | rib
middenrif = diaphragm
luchtpijp = trachea | tracheal | windpipe
hartzakje = pericardium | pericardial
lymfevat = lymphatic vessel | lymphatic
plasbuis = urethra | urethral
urinebuis = urethra | urethral
zaadblaasje = seminal vesicle
bijbal = epididymis
voorhuid = foreskin | prepuce
baarmoederslijmvlies = endometrium | endometrial
onderhuid = subcutaneous | subcutis
zweetklier = sweat gland | eccrine
haarzakje = hair follicle
nagelbed = nail bed | nail
pees = tendon
"""

# Everyday words (Dutch and English), and the word the catalogue uses (one way only).
_PLAIN_DUTCH = """
belly = buik | abdomen | abdominal
adrenaline = feochromocytoom | pheochromocytoma
pheo = feochromocytoom | pheochromocytoma
feo = feochromocytoom | pheochromocytoma
incidentaloom = tumor | incidentaloma
incidentaloma = tumor
noradrenaline = feochromocytoom | pheochromocytoma
tummy = buik | abdomen | abdominal
pupil = oog | eye
piemel = penis
eikel = penis
ballen = zaadballen
balzak = zaadbal
borsten = borst
zwanger = zwangerschap
teelbal = zaadbal
teelballen = zaadballen
schaamlip = vulva
schaamlippen = vulva
mond = mondholte
lippen = lip
keel = keelholte | orofarynx | hypofarynx | farynx
aars = anus
moederkoek = placenta
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
        word = " ".join(plain.split())
        if word in out:
            # A second line would silently replace the first one's words.
            raise ValueError(f"everyday word {word!r} is written twice")
        out[word] = tuple(" ".join(w.split()) for w in standard.split("|") if w.strip())
    return out


TRANSLATIONS: dict[str, tuple[str, ...]] = _parse(_PAIRS)
for _plain, _standard in _parse_one_way(_PLAIN_DUTCH).items():
    TRANSLATIONS[_plain] = tuple(sorted(set(TRANSLATIONS.get(_plain, ())) | set(_standard)))
LONGEST_PHRASE = max(len(k.split()) for k in TRANSLATIONS)


def _key(phrase: str) -> str:
    return " ".join(word_key(w) for w in phrase.split())


# The same entries by spelling key, so inflected forms find them ("kwaadaardige",
# "zeldzaam", "tumoren" as "kwaadaardig", "zeldzame", "tumor").
_BY_KEY: dict[str, tuple[str, ...]] = {}
for _phrase, _others in TRANSLATIONS.items():
    _BY_KEY[_key(_phrase)] = tuple(sorted(set(_BY_KEY.get(_key(_phrase), ())) | set(_others)))


def translations(phrase: str) -> tuple[str, ...]:
    """The other language's words for a folded word or phrase (empty if none)."""
    found = TRANSLATIONS.get(phrase)
    if found is not None:
        return found
    return _BY_KEY.get(_key(phrase), ())


# Broader or narrower words that still answer the question, one way, at a higher cost than
# a translation: "maagkanker" should reach "maagcarcinoom" and "Zeldzame oogtumor" should
# answer "oogkanker".
RELATED: dict[str, tuple[str, ...]] = {
    "kanker": ("carcinoom", "tumor", "maligne"),
    "cancer": ("carcinoma", "tumor", "malignant"),
    "kankers": ("carcinomen", "tumoren"),
    "cancers": ("carcinomas", "tumors"),
}

# Small parts of the body the catalogue does not name, and the broader site whose rare
# tumours it does name, one way, at the cost of a related word: a tumour of the urethra is
# one of the "rare tumours of the urinary tract", a tumour of the cheek one of the oral
# cavity. Applied to whole words and to compound parts ("plasbuiskanker").
BROADER_SITES: dict[str, tuple[str, ...]] = _parse_one_way(
    """
plasbuis = urinewegen | urinary tract
urinebuis = urinewegen | urinary tract
urethra = urinewegen | urinary tract
urethral = urinewegen | urinary tract
luchtpijp = luchtwegen | respiratory
trachea = luchtwegen | respiratory
tracheal = luchtwegen | respiratory
windpipe = luchtwegen | respiratory
wang = mondholte | oral cavity
wangen = mondholte | oral cavity
cheek = mondholte | oral cavity
tandvlees = mondholte | oral cavity
gum = mondholte | oral cavity
gums = mondholte | oral cavity
verhemelte = mondholte | oral cavity
palate = mondholte | oral cavity
mondbodem = mondholte | oral cavity
traanklier = oog | eye
onderkaak = kaak | jaw
bovenkaak = kaak | jaw
mandible = kaak | jaw
maxilla = kaak | jaw
jawbone = kaak | jaw
hoofd = hersenen | brain
head = hersenen | brain
gehoorgang = oor | ear
oorschelp = oor | ear
trommelvlies = oor | ear
lacrimal = oog | eye
tear gland = oog | eye
tear duct = oog | eye
lacrimal gland = oog | eye
nierbekken = hogere urinewegen | upper tract urothelial
renal pelvis = hogere urinewegen | upper tract urothelial
kidney pelvis = hogere urinewegen | upper tract urothelial
chest wall = wekedelen | soft tissue | bot | bone
thoracic wall = wekedelen | soft tissue | bot | bone
abdominal wall = wekedelen | soft tissue
clitoris = vulva
hoornvlies = oogoppervlak | ocular surface | oog | eye
cornea = oogoppervlak | ocular surface | oog | eye
traanbuis = oog | eye
strottenklepje = strottenhoofd | larynx
epiglottis = strottenhoofd | larynx
huig = orofarynx | oropharynx
uvula = orofarynx | oropharynx
neusamandel = neuskeelholte | nasopharynx
bijbal = paratestis | paratesticulair | paratesticular
epididymis = paratestis | paratesticulair | paratesticular
zaadstreng = paratestis | paratesticulair | paratesticular
"""
)

# Function words that only one of the two languages has: they tell which language a
# query is in, so that its question words can be dropped.
_NL_MARKERS = _words(
    """
    de het een ik mijn heb heeft hebben van voor met naar bij waar wat welk welke moet
    kan wie dat die er niet geen zijn haar hij zij mij onze ons jullie je u
    """
)
_EN_MARKERS = _words(
    """
    the a an i my have has of for with to at where what which should must can who that
    there not no his her he she our your you is are was were
    """
)


def query_language(words: Sequence[str], default: str) -> str:
    """``nl`` or ``en``: the language whose function words the query uses most."""
    nl = sum(1 for w in words if w in _NL_MARKERS)
    en = sum(1 for w in words if w in _EN_MARKERS)
    if nl == en:
        return default
    return "nl" if nl > en else "en"


# Every single word the lexicon knows, and their keys: both engines take such a word as
# complete, never as a typo of another word.
LEXICON_WORDS = frozenset(
    w
    for w in chain(TRANSLATIONS, BODY_SITES, ABBREVIATIONS, RELATED, BROADER_SITES, LIMB_WORDS)
    if " " not in w
)
LEXICON_KEYS = frozenset(word_key(w) for w in LEXICON_WORDS)
# The keys of stop words: a part of a compound with such a key ("oor" of "oorkanker" has
# the key of "or") matches only through its translations, never the names' "or".
STOPWORD_KEYS = frozenset(word_key(w) for w in STOPWORDS)
# A place or group for a pregnancy names it with one of these words (both engines list
# such documents for the pregnancy audience).
PREGNANCY_KEYS = frozenset(word_key(w) for w in ("zwangerschap", "pregnancy"))
# Adolescents and young adults (AYA, 18 to 39): an age in that range steers to the places
# whose names say they are for them (the AYA care network), as a child's age does to the
# children's cancer centre.
YOUNG_ADULT_KEYS = frozenset(word_key(w) for w in ("jongvolwassenen", "aya"))
YOUNG_ADULT_AGES = range(18, 40)
