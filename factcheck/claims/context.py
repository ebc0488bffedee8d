"""Claims in context: who "the Russian president", "he" and "his offer" are, read from the article itself.

A claim is searched for and judged on its own, so it must say what the article lets a reader infer:
"The Russian president will take up his offer" only finds evidence once it reads "Vladimir Putin will
take up Kim Jong Un's invitation to visit Pyongyang". :class:`ArticleContext` walks the article in order
and keeps a table of the people and organisations named so far, with the country each belongs to where
the article says so ("Russian President Vladimir Putin", "Kim Hong-kyun, South Korea's deputy foreign
minister"). For each sentence it proposes substitutions:

- a role phrase ("the North Korean leader", "the city council") becomes the one recent name it fits;
- a capital standing for its government ("Pyongyang denied …") becomes the country;
- "he"/"she" opening a sentence becomes the previous sentence's subject when that is one person;
- "his offer" / "the invitation" becomes the offer an earlier sentence spells out ("X invited Y to …").

It is conservative: when two names fit, or none, the words stay as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# A nationality adjective or a country's short name → the country.
DEMONYMS = {
    "russian": "Russia", "north korean": "North Korea", "south korean": "South Korea", "korean": "Korea",
    "american": "United States", "us": "United States", "u.s.": "United States", "chinese": "China",
    "ukrainian": "Ukraine", "british": "United Kingdom", "uk": "United Kingdom", "french": "France",
    "german": "Germany", "japanese": "Japan", "indian": "India", "iranian": "Iran", "israeli": "Israel",
    "italian": "Italy", "spanish": "Spain", "canadian": "Canada", "australian": "Australia",
    "brazilian": "Brazil", "turkish": "Turkey", "polish": "Poland", "swedish": "Sweden", "finnish": "Finland",
    "belarusian": "Belarus", "syrian": "Syria", "palestinian": "Palestine", "egyptian": "Egypt",
    "saudi": "Saudi Arabia", "mexican": "Mexico", "dutch": "Netherlands", "irish": "Ireland",
}
# Capitals and seats of government that stand for the state in news copy.
METONYMS = {
    "pyongyang": "North Korea", "moscow": "Russia", "the kremlin": "Russia", "kremlin": "Russia",
    "washington": "United States", "the white house": "United States", "seoul": "South Korea",
    "beijing": "China", "kyiv": "Ukraine", "kiev": "Ukraine", "tokyo": "Japan", "tehran": "Iran",
    "london": "United Kingdom", "downing street": "United Kingdom", "paris": "France", "berlin": "Germany",
    "minsk": "Belarus", "damascus": "Syria", "ankara": "Turkey", "new delhi": "India",
}
_COUNTRY_ALIASES = {"us": "United States", "u.s.": "United States", "usa": "United States", "america": "United States",
                    "the united states": "United States", "uk": "United Kingdom", "britain": "United Kingdom",
                    "dprk": "North Korea", "russian federation": "Russia"}
# The last word of a phrase that names a person by office.
ROLE_NOUNS = {
    "president", "leader", "minister", "premier", "chancellor", "king", "queen", "dictator", "ruler",
    "prime minister", "head", "chief", "secretary", "spokesman", "spokeswoman", "governor", "mayor",
    "ambassador", "envoy", "general", "commander", "counterpart", "monarch", "emperor", "pope", "coach",
    "manager", "captain", "chairman", "chairwoman", "ceo", "founder",
}
# Nouns that stand for an earlier sentence's offer, and the verbs that make such an offer.
_OFFER_NOUNS = {"offer": {"offer", "invite", "propose"}, "invitation": {"invite"}, "proposal": {"propose", "offer"},
                "request": {"request", "ask"}}
_PERSONAL_PRONOUNS = {"he": "person", "she": "person"}
_POSSESSIVES = {"his", "her", "their", "its", "the", "that", "this"}


@dataclass
class Resolved:
    """A mention in a claim and what the article says it refers to (shown to the reviewer)."""

    mention: str
    resolved: str


@dataclass
class _Entity:
    """A person or organisation the article has named."""

    name: str
    kind: str  # "person" or "org"
    country: str | None = None
    last_sentence: int = 0


@dataclass
class Substitution:
    """Replace tokens ``first..last`` of a sentence's doc with ``text``."""

    first: int
    last: int
    text: str
    mention: str


def _key(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower())


def country_of(text: str) -> str | None:
    """The country a demonym, alias or capital names: "North Korean" → "North Korea"; else None."""
    low = text.lower().strip()
    low = re.sub(r"'s$|’s$", "", low)
    return DEMONYMS.get(low) or _COUNTRY_ALIASES.get(low) or METONYMS.get(low) or (
        text.strip() if low in {c.lower() for c in DEMONYMS.values()} else None
    )


def _ent_span(token):
    """The named-entity span ``token`` belongs to, or None."""
    if not token.ent_type_:
        return None
    for ent in token.doc.ents:
        if ent.start <= token.i < ent.end:
            return ent
    return None


def _text(tokens) -> str:
    return "".join(t.text_with_ws for t in tokens).strip()


@dataclass
class ArticleContext:
    """What the article has said so far: its people and organisations, in the order it named them."""

    entities: list[_Entity] = field(default_factory=list)
    sentence_no: int = 0
    # The previous sentence: its subject (an entity, if it named one) and its offers ("invited X to …").
    previous_subject: _Entity | None = None
    offers: list[tuple[int, str, str, str]] = field(default_factory=list)  # (sentence, verb lemma, maker, text)

    # --- the table ----------------------------------------------------------------------------
    def _find(self, name: str, kind: str) -> _Entity | None:
        key = _key(name)
        words = [w for w in re.split(r"[\s-]+", name) if w]
        for entity in self.entities:
            if entity.kind != kind:
                continue
            if _key(entity.name) == key:
                return entity
        if kind == "person" and len(words) > 1:
            # "Vladimir Putin" after "Putin": the same person, now with the full name.
            matches = [e for e in self.entities if e.kind == "person" and " " not in e.name and
                       e.name.lower() == words[-1].lower()]
            if len(matches) == 1:
                matches[0].name = name
                return matches[0]
        if kind == "person" and len(words) == 1:
            # "Putin" after "Vladimir Putin": the surname alone, when one person bears it.
            matches = [e for e in self.entities if e.kind == "person" and
                       re.split(r"[\s-]+", e.name)[-1].lower() == words[0].lower()]
            if len(matches) == 1:
                return matches[0]
        return None

    def _note(self, name: str, kind: str, country: str | None = None) -> _Entity:
        entity = self._find(name, kind)
        if entity is None:
            entity = _Entity(name=name, kind=kind)
            self.entities.append(entity)
        entity.last_sentence = self.sentence_no
        if country and entity.country is None:
            entity.country = country
        return entity

    # --- reading a sentence -------------------------------------------------------------------
    def resolve(self, sent) -> list[Substitution]:
        """Propose substitutions for ``sent`` (a spaCy Span) from what came before; then learn from it."""
        self.sentence_no += 1
        substitutions: list[Substitution] = []
        taken: set[int] = set()
        roles: dict[int, _Entity] = {}
        for token in sent:
            if token.i in taken:
                continue
            found = self._role_phrase(token, sent, roles) or self._offer_phrase(token) or self._metonym(token) or \
                self._pronoun(token, sent)
            if found is not None:
                substitutions.append(found)
                taken.update(range(found.first, found.last + 1))
        self._learn(sent, roles)
        return substitutions

    def _role_phrase(self, token, sent, roles: dict[int, _Entity]) -> Substitution | None:
        """ "the North Korean leader" → the one recent person it fits; "the city council" → the council named before."""
        if token.pos_ != "NOUN" or token.ent_type_ or token.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj", "poss"):
            return None
        det = next((c for c in token.children if c.dep_ == "det"), None)
        if det is None or det.lower_ != "the":
            return None
        modifiers = [c for c in token.children if c.dep_ in ("amod", "compound", "poss") and c.i < token.i]
        if any(c.dep_ in ("relcl", "acl", "appos") for c in token.children) or any(
            c.dep_ == "prep" and c.lower_ == "of" for c in token.children
        ):
            return None  # "the leader of the opposition" says who by itself
        first = min([det.i] + [t.i for m in modifiers for t in m.subtree])
        phrase = token.doc[first : token.i + 1]
        lemma = token.lemma_.lower()
        if lemma in ROLE_NOUNS:
            described = token.doc[det.i + 1 : token.i]
            countries = {country_of(described.text)} if country_of(described.text) else {
                country_of(ent.text) for ent in described.ents if ent.label_ in ("NORP", "GPE")} - {None}
            if len(countries) != 1:
                return None  # "the president" alone could be anyone's
            country = countries.pop()
            entity = self._person_for(country, token, sent)
            if entity is None:
                return None
            roles[token.i] = entity
            entity.country = entity.country or country
            entity.last_sentence = self.sentence_no
            return Substitution(first, token.i, entity.name, phrase.text)
        # "the city council", "the ministry": the organisation named earlier whose name ends in this noun
        # and holds every modifier.
        words = {m.lower_ for m in modifiers if m.dep_ != "poss"}
        fits = [e for e in self.entities if e.kind == "org" and self.sentence_no - e.last_sentence <= 5
                and e.name.split()[-1].lower() in (lemma, token.lower_) and words <= set(e.name.lower().split())]
        if len(fits) == 1 and any(c.dep_ == "poss" for c in modifiers) is False:
            return Substitution(first, token.i, fits[0].name, phrase.text)
        return None

    def _person_for(self, country: str, token, sent) -> _Entity | None:
        """The person most recently named who can hold ``country``'s office in ``token``'s clause, if just one."""
        clause = token.head
        while clause.dep_ not in ("ROOT", "ccomp", "conj", "advcl", "relcl", "xcomp") and clause.head.i != clause.i:
            clause = clause.head
        # Someone named as another argument of the same clause is not the role's holder
        # ("the North Korean leader had invited Putin": the leader is not Putin).
        arguments = (clause.i, *[c.i for c in clause.children])
        co_arguments = [self._find(ent.text.strip(), "person") for ent in sent.ents
                        if ent.label_ == "PERSON" and ent.root.head.i in arguments]
        here = [self._note(ent.text.strip(), "person") for ent in sent.ents
                if ent.label_ == "PERSON" and ent.end <= token.i and ent.root.head.i not in arguments]
        groups = [here] + [[e for e in self.entities if e.kind == "person" and self.sentence_no - e.last_sentence == back]
                           for back in (1, 2, 3)]
        # The nearest sentence that names someone who fits decides; two who fit there leave it open.
        for group in groups:
            group = [e for e in group if not any(e is other for other in co_arguments)]
            same = [e for e in group if e.country == country]
            unknown = [e for e in group if e.country is None]
            if same or unknown:
                fits = same or unknown
                return fits[0] if len(fits) == 1 else None
        return None

    def _offer_phrase(self, token) -> Substitution | None:
        """ "his offer" → "Kim Jong Un's invitation to make a visit to Pyongyang", from the sentence that made it."""
        lemma = token.lemma_.lower()
        if token.pos_ != "NOUN" or lemma not in _OFFER_NOUNS:
            return None
        det = next((c for c in token.children if c.dep_ in ("poss", "det")), None)
        if det is None or det.lower_ not in _POSSESSIVES or any(c.dep_ in ("prep", "acl", "relcl") for c in token.children):
            return None
        for sentence, verb, maker, content in reversed(self.offers):
            if self.sentence_no - sentence > 2:
                break
            if verb in _OFFER_NOUNS[lemma]:
                return Substitution(det.i, token.i, f"{maker}'s {token.text} {content}", f"{det.text} {token.text}")
        return None

    def _metonym(self, token) -> Substitution | None:
        """ "Pyongyang denied …": a capital acting as a government becomes its country."""
        if token.dep_ not in ("nsubj", "nsubjpass") or token.ent_type_ not in ("GPE", "ORG", "FAC"):
            return None
        ent = _ent_span(token)
        if ent is None or ent.root.i != token.i:
            return None
        country = METONYMS.get(ent.text.lower())
        if country is None:
            return None
        # The capital's name stays beside the country's: sources write either.
        return Substitution(ent.start, ent.end - 1, f"{country} ({ent.text})", ent.text)

    def _pronoun(self, token, sent) -> Substitution | None:
        """ "He resigned." → the previous sentence's subject, when that was one named person."""
        if token.lower_ not in _PERSONAL_PRONOUNS or token.dep_ not in ("nsubj", "nsubjpass"):
            return None
        # Only a pronoun before any person in its own sentence: otherwise the sentence itself may hold the antecedent.
        if any(t.ent_type_ == "PERSON" for t in sent if t.i < token.i) or token.head.dep_ not in ("ROOT",):
            return None
        if self.previous_subject is None or self.previous_subject.kind != "person":
            return None
        return Substitution(token.i, token.i, self.previous_subject.name, token.text)

    def _learn(self, sent, roles: dict[int, _Entity]) -> None:
        """Add the sentence's names (with the countries its titles give them), its subject and its offers."""
        for ent in sent.ents:
            # A title in front makes a person of a name the tagger took for an organisation
            # ("German Chancellor Olaf Scholz").
            titled = ent.start > 0 and ent.doc[ent.start - 1].lower_ in ROLE_NOUNS
            if ent.label_ == "PERSON" or (ent.label_ == "ORG" and titled):
                self._note(ent.text.strip(), "person", self._title_country(ent))
            elif ent.label_ == "ORG" and len(ent) > 1:
                self._note(ent.text.strip(), "org")
        subject = next((t for t in sent if t.dep_ in ("nsubj", "nsubjpass") and t.head.dep_ == "ROOT"), None)
        self.previous_subject = None
        if subject is not None:
            if subject.i in roles:
                self.previous_subject = roles[subject.i]
            elif subject.ent_type_ == "PERSON" and _ent_span(subject) is not None:
                self.previous_subject = self._find(_ent_span(subject).text.strip(), "person")
        for token in sent:
            if token.pos_ != "VERB" or token.lemma_.lower() not in {v for vs in _OFFER_NOUNS.values() for v in vs}:
                continue
            maker_token = next((c for c in token.children if c.dep_ == "nsubj"), None)
            content = next((c for c in token.children if c.dep_ == "xcomp"), None)
            if maker_token is None or content is None:
                continue
            maker = roles.get(maker_token.i)
            if maker is None and maker_token.ent_type_ == "PERSON" and _ent_span(maker_token) is not None:
                maker = self._find(_ent_span(maker_token).text.strip(), "person")
            if maker is None:
                continue
            self.offers.append((self.sentence_no, token.lemma_.lower(), maker.name, _text(content.subtree)))

    @staticmethod
    def _title_country(ent) -> str | None:
        """The country a person's title gives: "Russian President Vladimir Putin", "Kim, North Korea's leader"."""
        doc = ent.doc
        words = []
        i = ent.start - 1
        while i >= 0 and (doc[i].lower_ in ROLE_NOUNS or doc[i].ent_type_ in ("NORP", "GPE") or doc[i].lower_ in (
                "'s", "’s", "deputy", "foreign", "vice", "prime", "defence", "defense", "former")):
            words.insert(0, doc[i])
            i -= 1
        if any(w.lower_ in ROLE_NOUNS for w in words):
            for w in words:
                ent_span = _ent_span(w)
                if ent_span is not None and ent_span.label_ in ("NORP", "GPE"):
                    return country_of(ent_span.text)
        appos = next((c for c in ent.root.children if c.dep_ == "appos" and c.lemma_.lower() in ROLE_NOUNS), None)
        if appos is not None:
            for t in appos.subtree:
                span = _ent_span(t)
                if span is not None and span.label_ in ("NORP", "GPE"):
                    return country_of(span.text)
        return None
