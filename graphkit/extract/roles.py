"""Syntactic roles around a trigger word, normalised across voice and construction.

A relation pattern names the roles its two arguments fill ("subj" and "prep_from" for
"X broke away from Y"); this module finds the tokens in those roles, whatever the
construction: active or passive, a relative clause, a participle ("X, led by P"), a
light verb with a nominal trigger ("X formed an alliance with Y"), an apposition
("Y, a splinter of X"). Coordination is followed, so "X, Y and Z merged" puts all three
in ``subj``.

Role names:

``subj``       the logical subject (the agent of a passive)
``obj``        the logical object (the subject of a passive)
``self``       for a noun such as "leader" or "affiliate": the entity it denotes
``poss``       a possessor ("X's ally")
``compound``   a name compounded with a noun trigger ("TTP chief")
``prep_<w>``   the object of the preposition ``w`` ("prep_with", "prep_between")
``xobj``       the object of an infinitive purpose clause ("merged to form Z")
``place``      a place the trigger's clause happens in ("attacked a base in Kunar")
``obj_if_passive``  the logical object, only when the trigger is passive ("based in")
``hyphen_pair``  two names joined by a hyphen before a noun ("the US-Taliban deal")
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator

from spacy.tokens import Token

SUBJ_DEPS = frozenset({"nsubj", "csubj"})
PASSIVE_SUBJ_DEPS = frozenset({"nsubjpass", "csubjpass"})
OBJ_DEPS = frozenset({"dobj", "obj"})
LOCATIVE_VERBS = frozenset({"belong", "lie", "rest", "remain", "stay", "go"})
# Common nouns for people who leave a group and found another ("IRA dissidents formed …").
DISSENTERS = frozenset({"dissident", "defector", "hardliner", "renegade", "breakaway",
                        "splinter", "faction", "rebel", "veteran", "loyalist", "commander",
                        "member", "militant", "fighter", "cadre", "leader"})
# Verbs through which a nominal trigger takes the clause's subject as its own argument:
# "X formed an alliance", "P became leader", "P took charge of X".
LIGHT_VERBS = frozenset({
    "form", "forge", "sign", "enter", "announce", "build", "strike", "reach", "conclude",
    "hold", "maintain", "have", "seek", "establish", "become", "remain", "serve", "take",
    "assume", "declare", "agree", "make", "keep", "cement", "deepen", "strengthen",
    "pledge", "swear", "give", "offer", "provide", "renew", "launch", "wage", "open",
    "begin", "start", "continue", "resume", "join", "be", "emerge", "act", "operate",
    "function", "name", "appoint", "elect", "choose", "proclaim", "install",
    # Verbs that deny, admit or change a tie keep its parties: "X denied any links to Y".
    "deny", "reject", "dismiss", "acknowledge", "admit", "confirm", "cut", "sever",
    "break", "end", "renounce", "disavow", "restore", "rebuild", "boast", "claim",
})
# Verbs whose object is the one a nominal trigger denotes: "named P as leader".
NAMING_VERBS = frozenset({"name", "appoint", "elect", "choose", "proclaim", "install",
                          "designate", "select", "describe", "call", "label", "brand",
                          "regard", "see", "view", "consider", "recognise", "recognize"})


# The lemmatizer's known slips on words patterns depend on ("waged" -> "wag").
LEMMA_FIXES = {"wag": "wage"}


def lemma(token: Token) -> str:
    """The token's lemma, lower-cased, with the lemmatizer's known slips corrected."""
    value = token.lemma_.lower()
    return LEMMA_FIXES.get(value, value)


def expand_conj(token: Token) -> list[Token]:
    """A token and every token coordinated with it ("X, Y and Z"). A list the parser
    read as an apposition ("X, Y, Z and W": Y appos of X, Z and W conj of Y) counts."""
    out = [token]
    for child in token.children:
        if child.dep_ == "conj" or (child.dep_ == "appos" and any(
                g.dep_ == "conj" for g in child.children)):
            out.extend(expand_conj(child))
    return out


# "with Cuba and Norway as guarantors": third parties to talks, not parties to them
THIRD_PARTIES = frozenset({"guarantor", "mediator", "host", "observer", "facilitator",
                           "broker", "witness", "intermediary", "sponsor", "go-between"})


def third_party(token: Token) -> bool:
    """A name in a phrase such as "with Cuba and Norway as guarantors"."""
    base = token
    while base.dep_ == "conj" and base.head.i != base.i:
        base = base.head
    for node in (token, base, base.head, base.head.head):
        for child in node.children:
            if child.dep_ == "prep" and child.lower_ == "as" and any(
                    lemma(g) in THIRD_PARTIES for g in child.children):
                return True
    return False


def _prep_objects(prep: Token) -> Iterator[Token]:
    for child in prep.children:
        if child.dep_ in ("pobj", "pcomp"):
            yield from (t for t in expand_conj(child) if not third_party(t))
            # "between X and Y" sometimes parses Y as a second pobj or a conj of X.


def _add_preps(token: Token, roles: dict[str, list[Token]]) -> None:
    """prep_<w> roles from the token and its particles ("broke away from")."""
    heads = [token] + [c for c in token.children if c.dep_ in ("prt", "advmod", "acomp")]
    if token.dep_ == "nsubj" and lemma(token.head) in LOCATIVE_VERBS:
        heads.append(token.head)  # "its loyalty belongs to X"
    for head in heads:
        for child in head.children:
            if child.dep_ == "dative" and child.pos_ in ("NOUN", "PROPN", "PRON"):
                roles["dative"].extend(expand_conj(child))  # "shipped the group arms"
            elif child.dep_ in ("prep", "agent", "dative"):
                word = "by" if child.dep_ == "agent" else child.lower_
                # "to X and to Y": a coordinated preposition shares the role
                for prep in [child, *(g for g in child.children
                                      if g.dep_ == "conj" and g.pos_ == "ADP")]:
                    roles[f"prep_{word}"].extend(_prep_objects(prep))
                # Two-word prepositions: "away from", "out of", "along with", "as part of".
                for grand in child.children:
                    if grand.dep_ == "prep":
                        roles[f"prep_{word}_{grand.lower_}"].extend(_prep_objects(grand))
                # "side by side against X", "in the fight against X": whom it is against
                for obj in _prep_objects(child):
                    for grand in obj.children:
                        if grand.dep_ == "prep" and grand.lower_ == "against":
                            roles["prep_against"].extend(_prep_objects(grand))


def _is_passive(verb: Token, depth: int = 0) -> bool:
    if any(c.dep_ in PASSIVE_SUBJ_DEPS or c.dep_ == "auxpass" for c in verb.children):
        return True
    if verb.dep_ == "conj" and verb.tag_ == "VBN" and depth < 3 and not any(
            c.dep_ in SUBJ_DEPS or c.dep_ == "aux" for c in verb.children):
        return _is_passive(verb.head, depth + 1)  # "was armed and funded by X"
    # A past participle modifying a noun ("X, led by P") or opening a clause ("Led by P,
    # the group ...") is passive.
    return verb.dep_ in ("acl", "advcl") and verb.tag_ == "VBN"


def _surface_subjects(verb: Token) -> list[Token]:
    return [t for c in verb.children if c.dep_ in SUBJ_DEPS | PASSIVE_SUBJ_DEPS
            for t in expand_conj(c)]


def _clause_subjects(verb: Token, depth: int = 0) -> list[Token]:
    """The subject of a verb, inherited through coordination, control and relatives."""
    subj = [t for c in verb.children if c.dep_ in SUBJ_DEPS for t in expand_conj(c)]
    if subj or depth > 4:
        return [t for t in subj if t.tag_ not in ("WDT", "WP")] or (
            _relative_head(verb) if subj else [])
    if verb.dep_ in ("relcl", "acl") and verb.tag_ != "VBN":
        return _relative_head(verb)
    if verb.dep_ == "pcomp" and verb.head.head.i != verb.head.i:
        # "X was accused of receiving …" / "Y accused X of receiving …"
        governor = verb.head.head
        objects = [t for c in governor.children if c.dep_ in OBJ_DEPS for t in expand_conj(c)]
        return objects or _surface_subjects(governor)
    if verb.dep_ in ("conj", "xcomp", "advcl", "ccomp") and verb.head.i != verb.i:
        head = verb.head
        if verb.dep_ == "advcl" and any(c.dep_ == "mark" for c in verb.children
                                        if c.lower_ not in ("to",)):
            return []  # "when its commanders accepted": an adverbial clause with its own frame
        if verb.dep_ == "xcomp":
            # "forced X to leave", "prevent X to operate": with an object, the verb's
            # object is the subject of what it controls (object control)
            objects = [t for c in head.children if c.dep_ == "dobj" for t in expand_conj(c)]
            if objects:
                return objects
        # "X was founded in 1990 and pledged loyalty to Y": the conjunct's subject is
        # the first verb's surface subject, passive or not.
        inherited = _surface_subjects(head)
        if inherited:
            return [t for t in inherited if t.tag_ not in ("WDT", "WP")] or _relative_head(head)
        return _clause_subjects(head, depth + 1)
    return []


def _relative_head(verb: Token) -> list[Token]:
    if verb.dep_ in ("relcl", "acl"):
        return expand_conj(verb.head)
    return []


def _clause_objects(verb: Token) -> list[Token]:
    objs = [t for c in verb.children if c.dep_ in OBJ_DEPS for t in expand_conj(c)]
    intransitive = any(c.dep_ in ("prep", "prt", "advmod", "dative") for c in verb.children)
    if not objs and not intransitive:
        # "Iran armed and funded Hezbollah": the object is shared with the conjunct.
        for c in verb.children:
            if c.dep_ == "conj" and c.pos_ == "VERB":
                objs = [t for g in c.children if g.dep_ in OBJ_DEPS for t in expand_conj(g)]
                if objs:
                    break
        if not objs and verb.dep_ == "conj":
            # "X funded and armed Y" parses Y under the first verb only.
            objs = [t for c in verb.head.children if c.dep_ in OBJ_DEPS
                    for t in expand_conj(c) if c.i > verb.i]
    return objs


PLACE_NOUNS = frozenset({"airport", "city", "town", "village", "province", "region", "district",
                         "capital", "suburb", "suburbs", "border", "coast", "port", "valley",
                         "mountains", "mountain", "forest", "desert", "island", "islands",
                         "north", "south", "east", "west", "heartland", "state", "county",
                         "territory", "area", "areas", "camp", "base", "outskirts", "centre",
                         "center", "part", "parts", "countryside", "hills", "river", "lake",
                         "prefecture", "governorate", "neighbourhood", "neighborhood"})
CONTESTS = frozenset({"battle", "fight", "siege", "offensive", "assault", "struggle", "war"})
PLACE_PREPS = frozenset({"in", "at", "across", "throughout", "into", "near", "around",
                         "inside", "within", "on", "of", "outside", "along", "over"})


def _places(token: Token, depth: int = 0) -> Iterator[Token]:
    """Nouns under place prepositions below ``token``, not crossing into another clause."""
    if depth > 4:
        return
    for child in token.children:
        if child.dep_ == "prep" and (child.lower_ in PLACE_PREPS or (
                # "operated from Beni", "the battle for Qusayr"
                depth == 0 and child.lower_ == "from" and token.pos_ == "VERB") or (
                child.lower_ == "for" and lemma(token) in CONTESTS)):
            for obj in _prep_objects(child):
                yield obj
                yield from _places(obj, depth + 1)
        elif child.dep_ == "prep" and child.lower_ in ("against", "with", "for", "by"):
            # "an offensive against X in Y": look through the target for the place.
            for obj in _prep_objects(child):
                yield from _places(obj, depth + 1)
        elif child.dep_ in ("dobj", "compound", "npadvmod") or (
                depth > 0 and child.dep_ == "appos") or (
                child.dep_ == "poss" and lemma(token) in PLACE_NOUNS):
            # a possessor is a place only of a place ("Madrid's airport", not
            # "Myanmar's military")
            yield child
            yield from _places(child, depth + 1)


def verb_roles(verb: Token) -> dict[str, list[Token]]:
    """Roles around a verbal (or adjectival) trigger."""
    roles: dict[str, list[Token]] = defaultdict(list)
    if _is_passive(verb):
        roles["obj"] = [t for c in verb.children if c.dep_ in PASSIVE_SUBJ_DEPS
                        for t in expand_conj(c)]
        if verb.dep_ in ("acl", "relcl"):
            roles["obj"].extend(_relative_head(verb))
        elif verb.dep_ == "advcl" and not roles["obj"]:
            roles["obj"].extend(_clause_subjects(verb.head))
        if not roles["obj"] and verb.dep_ == "conj":
            # "X, often called Y, was formed in 2007 by P": the first verb's subject
            roles["obj"] = _surface_subjects(verb.head)
        _add_preps(verb, roles)
        if not roles.get("prep_by"):
            # "X was armed and funded by Y": the agent stated once for both verbs
            for conj in verb.children:
                if conj.dep_ == "conj" and conj.tag_ == "VBN":
                    for child in conj.children:
                        if child.dep_ == "agent":
                            roles["prep_by"].extend(_prep_objects(child))
        roles["subj"] = list(roles.get("prep_by", []))
        roles["obj_if_passive"] = list(roles["obj"])
    else:
        roles["subj"] = _clause_subjects(verb)
        roles["obj"] = _clause_objects(verb)
        _add_preps(verb, roles)
        for obj in roles["obj"]:
            # "took charge of X", "assumed command of X"
            for child in obj.children:
                if child.dep_ == "prep":
                    roles[f"dobj_prep_{child.lower_}"].extend(_prep_objects(child))
        if verb.dep_ == "amod":
            # "the Iran-backed militia": the modified noun, and the name to the left
            roles["head"] = expand_conj(verb.head)
            roles["compound_left"] = [c for c in verb.children if c.i < verb.i and c.dep_ in (
                "npadvmod", "compound", "nmod", "nsubj", "amod")]
        if verb.dep_ == "amod" or (verb.pos_ == "ADJ" and verb.dep_ == "acomp"):
            # "X is loyal to Y" / "the Y-linked X": the adjective's subject is the clause's.
            host = verb.head
            roles["subj"] = _clause_subjects(host) if verb.dep_ == "acomp" else expand_conj(host)
    for child in verb.children:
        if child.dep_ in ("xcomp", "advcl") and child.pos_ == "VERB" and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in child.children):
            # "merged to form Z", "split off to create Z" (a purpose, not "…, accusing Z")
            roles["xobj"].extend(_clause_objects(child))
    for subj in roles.get("subj", []):
        if subj.lemma_.lower() in DISSENTERS:
            # "IRA dissidents formed Y", "defectors from X founded Y": where they came from
            roles["dissent_origin"].extend(
                c for c in subj.children if c.dep_ in ("compound", "poss", "amod"))
            for child in subj.children:
                if child.dep_ == "prep" and child.lower_ in ("of", "from", "in"):
                    roles["dissent_origin"].extend(_prep_objects(child))
    roles["place"] = list(_places(verb))
    if verb.dep_ in ("advcl", "relcl") and any(
            c.lower_ in ("when", "as", "after") for c in verb.children
            if c.dep_ in ("advmod", "mark")):
        # "Z was formed in 2017 when X and Y merged": the main clause's subject (the
        # parser may hang the "when" clause on the date: climb to the verb)
        host = verb.head
        while host.pos_ not in ("VERB", "AUX") and host.head.i != host.i:
            host = host.head
        roles["host_subj"] = _surface_subjects(host)
    return roles


def noun_roles(noun: Token) -> dict[str, list[Token]]:
    """Roles around a nominal trigger ("alliance", "leader", "splinter")."""
    roles: dict[str, list[Token]] = defaultdict(list)
    _add_preps(noun, roles)
    for child in noun.children:
        if child.dep_ == "poss":
            roles["poss"].extend(expand_conj(child))
        elif child.dep_ in ("compound", "nmod", "amod") and child.pos_ in ("PROPN", "NOUN", "ADJ"):
            roles["compound"].extend(expand_conj(child))
            # "the US-Taliban agreement": two names joined by a hyphen, both parties
            joined = [g for g in child.children if g.dep_ == "compound" and g.i + 2 == child.i
                      and noun.doc[g.i + 1].text in ("-", "–", "/")]
            if joined:
                roles["hyphen_pair"].extend([joined[0], child])
        elif child.dep_ == "appos":
            roles["self"].extend(expand_conj(child))
    anchor = noun
    if noun.dep_ == "pobj" and noun.head.lower_ == "of" and (
            noun.head.head.like_num or noun.head.head.lower_ in ("one", "some", "many")):
        anchor = noun.head.head  # "X, one of Kashmir's oldest groups"
    after = noun.i + 1
    if after < len(noun.doc) and noun.doc[after].pos_ == "PROPN" and noun.dep_ != "compound":
        roles["self"].append(noun.doc[after])  # "its political ally Sinn Fein"
    head = anchor.head
    apposed = anchor.dep_ == "appos" or noun.dep_ == "appos"
    if apposed or (noun.dep_ in ("compound", "nmod") and head.pos_ in ("PROPN", "NOUN")):
        roles["self"].append(head)
    elif noun.dep_ in ("attr", "oprd", "dobj", "nsubjpass") or (
            noun.dep_ == "pobj" and head.lower_ == "as"):
        verb = head.head if noun.dep_ == "pobj" else head
        if lemma(verb) in NAMING_VERBS:
            roles["self"].extend(_clause_objects(verb))
        subjects = (_clause_subjects(verb) or _surface_subjects(verb)) if verb.pos_ in (
            "VERB", "AUX") else []
        if noun.dep_ in ("attr", "oprd") or (noun.dep_ == "pobj" and not roles["self"]):
            roles["self"].extend(subjects)
        if lemma(verb) in LIGHT_VERBS or noun.dep_ == "attr":
            roles["subj"].extend(subjects)
            _add_preps(verb, roles)
    roles["place"] = list(_places(noun))
    if noun.dep_ == "pobj" and head.lower_ in ("with", "through", "via", "thanks", "despite",
                                               "at", "in"):
        # "X was set up with Iranian backing": the backing is for the clause's subject
        clause = head.head
        roles["clause_subj"] = _surface_subjects(clause) if clause.pos_ in (
            "VERB", "AUX") else []
    if noun.dep_ == "conj":
        # "the leader and founder of X": share the first conjunct's frame.
        first = noun.head
        for key, toks in noun_roles(first).items():
            if key not in roles:
                roles[key] = toks
    return roles


# Nouns through which "under the leadership of P" reaches P.
CONTROL_NOUNS = frozenset({"leadership", "command", "control", "guidance", "direction", "rule",
                           "banner", "helm", "wing"})


def adposition_roles(prep: Token) -> dict[str, list[Token]]:
    """Roles around a preposition trigger ("took up arms under P", "the faction under P").

    ``pobj`` is the preposition's object (through "the leadership of P"); ``gov`` is
    what the phrase attaches to: the subject of a verb, or the noun itself.
    """
    roles: dict[str, list[Token]] = defaultdict(list)
    for obj in _prep_objects(prep):
        roles["pobj"].append(obj)
        if obj.lemma_.lower() in CONTROL_NOUNS:
            for child in obj.children:
                if child.dep_ == "prep" and child.lower_ == "of":
                    roles["pobj"].extend(_prep_objects(child))
                elif child.dep_ == "poss":
                    roles["pobj"].extend(expand_conj(child))
    head = prep.head
    if head.pos_ in ("VERB", "AUX"):
        roles["gov"] = _clause_subjects(head) if not _is_passive(head) else [
            t for c in head.children if c.dep_ in PASSIVE_SUBJ_DEPS for t in expand_conj(c)]
    else:
        roles["gov"] = [head]
    return roles


def effective_pos(token: Token) -> str:
    """The part of speech, corrected where the tagger called a clause's verb a noun
    ("fighters overran the town" with "overran" tagged PROPN)."""
    if token.pos_ in ("NOUN", "PROPN") and token.dep_ == "ROOT" and any(
            c.dep_ in ("nsubj", "aux", "auxpass") for c in token.children) and any(
            c.dep_ in ("dobj", "prep") for c in token.children):
        return "VERB"
    return token.pos_


def roles_for(trigger: Token) -> dict[str, list[Token]]:
    """Roles for any trigger token, chosen by its part of speech."""
    pos = effective_pos(trigger)
    if pos in ("NOUN", "PROPN"):
        return noun_roles(trigger)
    if pos == "ADP":
        return adposition_roles(trigger)
    return verb_roles(trigger)
