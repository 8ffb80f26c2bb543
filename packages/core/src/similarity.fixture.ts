/**
 * Labelled pairs for the duplicate hint (SPEC D5). Written before the rule, by one test: "would
 * the person typing `b` be content to upvote `a` instead?". If yes, the pair is a duplicate,
 * even when the wording differs; if the two ask for a different thing, a different place, a
 * different day or the opposite action, it is not, however many words they share.
 *
 * The questions are the kind heard at a Gentofte Talks evening: cycle paths, libraries,
 * schools, climate, elder care, parking, the swimming pool. Some duplicates are hard on
 * purpose (synonyms, abbreviations); a rule that misses them shows it in recall, and the
 * labels are not changed to suit the rule.
 */

export interface LabelledPair {
  a: string;
  b: string;
  isDuplicate: boolean;
  /** What the pair tests, for the failure message. */
  note: string;
}

export const SIMILARITY_PAIRS: readonly LabelledPair[] = [
  // ── Duplicates ───────────────────────────────────────────────────────────────────────────
  {
    a: 'Hvornår bliver cykelstien på Bernstorffsvej færdig?',
    b: 'Hvornår er cykelstien på Bernstorffsvej færdig?',
    isDuplicate: true,
    note: 'rephrased verb',
  },
  {
    a: 'Hvornår åbner svømmehallen igen?',
    b: 'Hvornår åbner svømmehallen igen efter renoveringen?',
    isDuplicate: true,
    note: 'one adds a detail',
  },
  {
    a: 'Hvorfor lukker biblioteket i Hellerup om søndagen?',
    b: 'Om søndagen lukker biblioteket i Hellerup – hvorfor?',
    isDuplicate: true,
    note: 'word order',
  },
  {
    a: 'Hvornår bliver Ordrup Skole færdigrenoveret?',
    b: 'Hvornaar bliver Ordrup skole faerdigrenoveret',
    isDuplicate: true,
    note: 'aa/ae spelling on a foreign keyboard',
  },
  {
    a: 'Kan vi få flere ladestandere til elbiler på Vangedevej?',
    b: 'Kan vi faa flere ladestandere til elbiler paa Vangedevej?',
    isDuplicate: true,
    note: 'aa spelling',
  },
  {
    a: 'Hvad gør kommunen for at rense Gentofte Sø?',
    b: 'Hvad gør kommunen for at rense Gentofte Soe',
    isDuplicate: true,
    note: 'oe spelling',
  },
  {
    a: 'Vi mangler en cykelsti langs Lyngbyvej',
    b: 'Vi mangler en cykel sti langs Lyngbyvejen',
    isDuplicate: true,
    note: 'compound written apart, definite form',
  },
  {
    a: 'Kan der komme flere bænke ved Gentofte Sø?',
    b: 'Kan der komme en bænk mere ved Gentofte Sø?',
    isDuplicate: true,
    note: 'plural and singular',
  },
  {
    a: 'Hvornår bliver cykelstien på Jægersborg Allé bygget?',
    b: 'hvornår bliver cykelstein på jægersborg alle bygget',
    isDuplicate: true,
    note: 'typo, no accent, lower case',
  },
  {
    a: 'Hvorfor er der så få p-pladser ved Gentofte Station?',
    b: 'Hvorfor er der så få parkeringspladser ved Gentofte station??',
    isDuplicate: true,
    note: 'abbreviation p-plads',
  },
  {
    a: 'Hvad gør Gentofte for klimaet?',
    b: 'Hvad gør Gentofte Kommune for klimaet?',
    isDuplicate: true,
    note: 'one adds a word',
  },
  {
    a: 'Kan bibliotekerne få længere åbningstider?',
    b: 'Kan biblioteket få længere åbningstid?',
    isDuplicate: true,
    note: 'plural definite and singular definite',
  },
  {
    a: 'Hvorfor skal den gamle villa på Strandvejen rives ned?',
    b: 'Hvorfor skal villaen på Strandvejen rives ned?',
    isDuplicate: true,
    note: 'shorter rephrasing',
  },
  {
    a: 'Hvornår kommer der en fodgængerovergang ved Maglegårdsskolen?',
    b: 'Hvornår får vi et fodgængerfelt ved Maglegårds Skole?',
    isDuplicate: true,
    note: 'synonym and compound written apart (hard)',
  },
  {
    a: 'Hvad gør I ved ensomhed blandt ældre?',
    b: 'Hvad gør I ved ensomheden blandt de ældre?',
    isDuplicate: true,
    note: 'definite forms',
  },
  {
    a: 'Hvorfor er der så lang ventetid på en plejehjemsplads?',
    b: 'Hvorfor er ventetiden på plejehjemspladser så lang?',
    isDuplicate: true,
    note: 'word order, definite, plural',
  },
  {
    a: 'Kan skolerne få flere lærere i stedet for flere vikarer?',
    b: 'Kan skolerne få flere lærere i stedet for vikarer?',
    isDuplicate: true,
    note: 'near identical',
  },
  {
    a: 'Hvornår bliver Kildeskovshallen renoveret?',
    b: 'Hvornår skal Kildeskovshallen renoveres?',
    isDuplicate: true,
    note: 'passive form',
  },
  {
    a: 'What is the municipality doing about climate change?',
    b: 'What is the municipality doing about the climate?',
    isDuplicate: true,
    note: 'English',
  },
  {
    a: 'When will the swimming pool reopen?',
    b: 'When does the swimming pool open again?',
    isDuplicate: true,
    note: 'English, reopen / open again',
  },
  {
    a: 'Hvorfor fjerner I p-pladserne på Hellerupvej?',
    b: 'Hvorfor skal p-pladserne på Hellerupvej fjernes?',
    isDuplicate: true,
    note: 'active and passive',
  },
  {
    a: 'Hvad med 30 km/t ved skolerne?',
    b: 'Kan vi få 30 km/t ved alle skoler?',
    isDuplicate: true,
    note: 'different framing, same wish',
  },
  {
    a: 'Hvornår kommer der busser til Vangede igen?',
    b: 'Hvornår kommer bussen tilbage til Vangede?',
    isDuplicate: true,
    note: 'plural and definite, igen / tilbage',
  },
  {
    a: 'Kan vi få en hundeskov i Gentofte?',
    b: 'Kan vi få en hundeskov i gentofte 🐶🐶',
    isDuplicate: true,
    note: 'emoji instead of a question mark',
  },
  {
    a: 'Hvorfor er der ikke flere affaldsspande i Ordrup Krat?',
    b: 'Hvorfor er der ikke flere skraldespande i Ordrup Krat?',
    isDuplicate: true,
    note: 'synonym compounds',
  },
  {
    a: 'Hvordan vil I sikre nok pædagoger i daginstitutionerne?',
    b: 'Hvordan sikrer I at der er nok pædagoger i daginstitutionerne?',
    isDuplicate: true,
    note: 'verb form',
  },
  {
    a: 'Hvad er planen for det gamle rådhus?',
    b: 'Hvad er planen med det gamle rådhus?',
    isDuplicate: true,
    note: 'preposition',
  },
  {
    a: 'Kommer der solceller på de kommunale bygninger?',
    b: 'Kommer der solceller på kommunens bygninger?',
    isDuplicate: true,
    note: 'adjective and genitive',
  },
  {
    a: 'Hvorfor er der altid kø på genbrugsstationen?',
    b: 'Hvorfor er der altid så lang kø ved genbrugsstationen?',
    isDuplicate: true,
    note: 'one adds a word',
  },
  {
    a: 'Kan kommunen plante flere træer langs Lyngbyvej?',
    b: 'Plant flere træer langs Lyngbyvej!',
    isDuplicate: true,
    note: 'question and imperative',
  },
  {
    a: 'Hvorfor tager det så lang tid at få en byggetilladelse?',
    b: 'Hvorfor tager byggetilladelser så lang tid?',
    isDuplicate: true,
    note: 'restructured',
  },
  {
    a: 'Hvornår bliver Jægersborg Vandtårn åbnet for offentligheden?',
    b: 'Hvornår bliver Jaegersborg vandtaarn åbnet for offentligheden',
    isDuplicate: true,
    note: 'ae/aa spelling',
  },
  {
    a: 'Hvorfor er der ikke flere cykelstier i Gentofte?',
    b: 'hvorfor er der ikke flere cykelstier i gentofte kommune',
    isDuplicate: true,
    note: 'case and an added word',
  },
  {
    a: 'Kan I gøre noget ved larmen fra Helsingørmotorvejen?',
    b: 'Hvad vil I gøre ved støjen fra Helsingørmotorvejen?',
    isDuplicate: true,
    note: 'synonym larm / støj',
  },
  {
    a: 'Hvornår bliver der bygget flere almene boliger?',
    b: 'Hvornår bygger I flere almene boliger?',
    isDuplicate: true,
    note: 'passive and active',
  },

  // ── Look-alikes that ask something else ─────────────────────────────────────────────────
  {
    a: 'Hvornår åbner svømmehallen?',
    b: 'Hvornår lukker svømmehallen?',
    isDuplicate: false,
    note: 'opposite verb',
  },
  {
    a: 'Hvornår åbner det nye bibliotek i Hellerup?',
    b: 'Hvornår lukker biblioteket i Hellerup?',
    isDuplicate: false,
    note: 'opposite verb',
  },
  {
    a: 'Hvorfor bliver Dyssegårdsskolen lukket?',
    b: 'Hvorfor bliver Dyssegårdsskolen udvidet?',
    isDuplicate: false,
    note: 'opposite outcome',
  },
  {
    a: 'Hvad koster en plads i vuggestuen?',
    b: 'Hvad koster en plads i børnehaven?',
    isDuplicate: false,
    note: 'different institution',
  },
  {
    a: 'Hvor mange p-pladser forsvinder på Hellerupvej?',
    b: 'Hvor mange træer forsvinder på Hellerupvej?',
    isDuplicate: false,
    note: 'different object',
  },
  {
    a: 'Hvorfor er der ikke cykelparkering ved Hellerup Station?',
    b: 'Hvorfor er der ikke bilparkering ved Hellerup Station?',
    isDuplicate: false,
    note: 'compounds sharing their head',
  },
  {
    a: 'Hvad gør I for de ældre, der er ensomme?',
    b: 'Hvad gør I for de unge, der er ensomme?',
    isDuplicate: false,
    note: 'different group',
  },
  {
    a: 'Kan biblioteket holde åbent om søndagen?',
    b: 'Kan biblioteket holde åbent om lørdagen?',
    isDuplicate: false,
    note: 'different day',
  },
  {
    a: 'Hvornår bliver der plantet flere træer i Gentofte?',
    b: 'Hvornår bliver der fældet flere træer i Gentofte?',
    isDuplicate: false,
    note: 'opposite verb',
  },
  {
    a: 'Vil I sænke hastigheden til 40 km/t på Bernstorffsvej?',
    b: 'Vil I sænke hastigheden til 40 km/t på Ordrup Jagtvej?',
    isDuplicate: false,
    note: 'different road',
  },
  {
    a: 'Hvornår åbner udendørsbassinet i Kildeskovshallen?',
    b: 'Hvornår åbner indendørsbassinet i Kildeskovshallen?',
    isDuplicate: false,
    note: 'compounds differing in one part',
  },
  {
    a: 'Hvorfor er vandet i Gentofte Sø så beskidt?',
    b: 'Hvorfor er vandet ved Bellevue Strand så beskidt?',
    isDuplicate: false,
    note: 'different place',
  },
  {
    a: 'Hvad koster det nye rådhus?',
    b: 'Hvad koster den nye skole?',
    isDuplicate: false,
    note: 'different building',
  },
  {
    a: 'Hvornår får plejehjemmene flere medarbejdere?',
    b: 'Hvornår får skolerne flere medarbejdere?',
    isDuplicate: false,
    note: 'different institution',
  },
  {
    a: 'Kan vi få flere cykelstier?',
    b: 'Kan vi få færre biler?',
    isDuplicate: false,
    note: 'same frame, other topic',
  },
  {
    a: 'Hvorfor må man ikke bade ved Hellerup Strand?',
    b: 'Hvorfor må man ikke grille ved Hellerup Strand?',
    isDuplicate: false,
    note: 'different activity',
  },
  {
    a: 'Hvad mener partierne om en ny metrolinje til Gentofte?',
    b: 'Hvad mener partierne om en ny letbane til Gentofte?',
    isDuplicate: false,
    note: 'different project',
  },
  {
    a: 'Hvor mange flygtninge tager Gentofte imod i år?',
    b: 'Hvor mange elever tager Gentofte imod i år?',
    isDuplicate: false,
    note: 'different group',
  },
  {
    a: 'Hvorfor stiger ejendomsskatten?',
    b: 'Hvorfor stiger prisen på fjernvarme?',
    isDuplicate: false,
    note: 'different cost',
  },
  {
    a: 'Hvornår bliver cykelstien på Bernstorffsvej færdig?',
    b: 'Hvornår bliver cykelstien på Lyngbyvej færdig?',
    isDuplicate: false,
    note: 'different road',
  },
  {
    a: 'Hvad gør I for at flere ældre kan blive boende hjemme?',
    b: 'Hvad gør I for at flere unge kan få en bolig?',
    isDuplicate: false,
    note: 'same frame, other group and need',
  },
  {
    a: 'Kan skolerne få mere idræt?',
    b: 'Kan skolerne få mere musik?',
    isDuplicate: false,
    note: 'different subject',
  },
  {
    a: 'Må hunde komme med på biblioteket?',
    b: 'Må børn komme med på biblioteket?',
    isDuplicate: false,
    note: 'different group',
  },
  {
    a: 'Why is the swimming pool so expensive?',
    b: 'Why is the swimming pool so cold?',
    isDuplicate: false,
    note: 'English, different complaint',
  },
  {
    a: 'Hvorfor skal vi betale for parkering ved stranden?',
    b: 'Hvorfor skal vi betale for affaldssortering?',
    isDuplicate: false,
    note: 'same frame, other topic',
  },
  {
    a: 'Hvad sker der med den gamle brandstation?',
    b: 'Hvad sker der med den gamle politistation?',
    isDuplicate: false,
    note: 'compounds sharing their head',
  },
  {
    a: 'Hvem betaler for den nye kunstgræsbane?',
    b: 'Hvem bestemmer over den nye kunstgræsbane?',
    isDuplicate: false,
    note: 'different question about the same thing',
  },
  {
    a: 'Hvorfor er der ingen toiletter ved Gentofte Sø?',
    b: 'Hvorfor er der ingen bænke ved Gentofte Sø?',
    isDuplicate: false,
    note: 'different facility',
  },
  {
    a: 'Hvornår starter byggeriet af den nye skole i Vangede?',
    b: 'Hvornår slutter byggeriet af den nye skole i Vangede?',
    isDuplicate: false,
    note: 'start and end',
  },
  {
    a: 'Får de ældre på plejehjem varm mad hver dag?',
    b: 'Får børnene i vuggestuen varm mad hver dag?',
    isDuplicate: false,
    note: 'different group and place',
  },
  {
    a: 'Hvornår bliver der bygget flere almene boliger?',
    b: 'Hvornår bliver der bygget flere ældreboliger?',
    isDuplicate: false,
    note: 'different kind of housing',
  },
  {
    a: 'Kan I gøre noget ved larmen fra Helsingørmotorvejen?',
    b: 'Kan I gøre noget ved larmen fra festerne på stranden?',
    isDuplicate: false,
    note: 'different source of noise',
  },
  {
    a: 'Hvornår kommer der busser til Vangede igen?',
    b: 'Hvornår kommer der cykelstier i Vangede?',
    isDuplicate: false,
    note: 'same place, other topic',
  },
  {
    a: 'Kan vi få en hundeskov i Gentofte?',
    b: 'Kan vi få en legeplads i Gentofte?',
    isDuplicate: false,
    note: 'different facility',
  },
];
