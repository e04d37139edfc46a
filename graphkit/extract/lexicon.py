"""The words mention finding relies on: name cues, demonyms, place and group nouns.

Loaded once from ``names.json`` (data, not code); no relations live here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from graphkit.vocab import EntityType

NAMES = json.loads((Path(__file__).parent / "names.json").read_text(encoding="utf-8"))
GROUP_CUES = frozenset(NAMES["group_cues"])
ORG_CUES = frozenset(NAMES["organization_cues"])
STATE_FORCE_NOUNS = frozenset(NAMES["state_force_nouns"])
CONNECTORS = frozenset(NAMES["connectors"])
ANAPHORA_NOUNS = frozenset(NAMES["anaphora_nouns"])
ANAPHORA_PRONOUNS = frozenset(NAMES["anaphora_pronouns"])
DEMONYMS: dict[str, str] = NAMES["demonyms"]
PLACE_CUES = frozenset(NAMES["place_cues"])
DIRECTIONS = frozenset(NAMES["directions"])
# A demonym names a state when it modifies one of these ("Iranian backing", "Israeli
# airstrike"), never when it only describes a group ("an Iraqi militia").
STATE_ACTION_NOUNS = STATE_FORCE_NOUNS | frozenset(NAMES["state_action_nouns"])
NER_TYPES = {"PERSON": EntityType.PERSON, "GPE": EntityType.STATE, "LOC": EntityType.LOCATION,
             "FAC": EntityType.LOCATION, "ORG": EntityType.MILITANT_GROUP,
             "NORP": EntityType.MILITANT_GROUP}
# Source priorities when candidate spans overlap: a gazetteer name beats a cue name
# beats NER, and a longer span beats a shorter one of the same source.
PRIORITY = {"gaz": 3, "cue": 2, "ner": 1, "chunk": 0}
ACRONYM_DEF = re.compile(r"\(\s*([A-Z][A-Za-z0-9'\-]{1,11})\s*\)")
# "Yemen-based", "Syria-headquartered": the name before the hyphen is a place.
PLACED = frozenset({"base", "based", "headquarter", "headquartered", "station", "stationed",
                    "locate", "located", "centre", "center", "centred", "centered"})
LOCATIVE_PREPS = frozenset({"in", "across", "throughout", "into", "inside", "within", "near",
                            "around", "at", "over", "along", "outside"})


TAKING = frozenset({"capture", "seize", "overrun", "overran", "storm", "retake", "recapture",
                    "occupy", "besiege", "blockade", "control", "hold", "enter", "raid",
                    "bomb", "shell", "encircle", "surround", "liberate"})


MONTHS = frozenset({"january", "february", "march", "april", "may", "june", "july", "august",
                    "september", "october", "november", "december", "monday", "tuesday",
                    "wednesday", "thursday", "friday", "saturday", "sunday"})


PLURAL_GROUP_NOUNS = frozenset({"groups", "movements", "factions", "organisations",
                                "organizations", "sides", "rivals", "militias", "networks",
                                "outfits", "allies", "insurgencies", "parties", "two"})
# Name words no person's name contains.
STRONG_GROUP_CUES = GROUP_CUES - {"state", "islamic", "party", "union", "council", "league",
                                  "guard", "guards", "force", "forces", "hamas", "front"}
# Creeds and peoples that describe a group without naming it ("a Salafi militia").
CREEDS = frozenset({"salafi", "sunni", "shia", "shiite", "shi'ite", "wahhabi", "deobandi",
                    "sufi", "tuareg", "fulani", "hutu", "tutsi", "pashtun", "baloch", "kurdish",
                    "kurd", "arab", "berber", "tamil", "christian", "muslim", "jihadi",
                    "hema", "lendu", "bedouin", "druze", "alawite", "yazidi", "houthi",
                    "mai-mai", "maoist", "marxist", "leftist", "rightist", "loyalist",
                    "republican", "tribal", "ethnic", "dissident", "rebel"})
PEOPLE_OF = frozenset({"fighters", "rebels", "militants", "insurgents", "members", "supporters",
                       "loyalists", "commanders", "leaders", "gunmen", "remnants", "units",
                       "elements", "veterans", "defectors", "dissidents", "cadres"})
LOWER_GROUP_NOUNS = frozenset({"group", "network", "movement", "militia", "faction",
                               "brigade", "brigades", "organisation", "organization"})


ALIAS_CUES = frozenset({"known", "alias", "nicknamed", "dubbed", "called", "aka"})


PLACE_HEADS = frozenset({"region", "province", "district", "valley", "mountains", "forest",
                         "forests", "county", "city", "town", "village", "area",
                         "territory", "governorate", "prefecture", "department", "peninsula",
                         "island", "islands", "hills", "desert", "basin", "delta", "corridor",
                         "municipality", "commune", "suburb", "neighbourhood", "neighborhood",
                         "camp", "border", "coast", "plateau", "enclave", "zone"})


GROUPISH = frozenset({"group", "groups", "faction", "factions", "militia", "militias", "gang",
                      "gangs", "federation", "federations", "coalition", "movement",
                      "movements", "organisation", "organization", "outfit", "cartel",
                      "cartels", "brigade", "brigades", "network", "networks", "cell",
                      "cells", "insurgency", "rebels", "alliance"})


PERSON_PRONOUNS = frozenset({"he", "him", "his", "she", "her"})
