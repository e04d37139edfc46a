"""How the model's ties and the patterns' ties of one sentence are combined."""

from __future__ import annotations

from graphkit.extract.candidates import Candidate
from graphkit.extract.scoring import _overruled
from graphkit.vocab import Modality, Relation

G, P = "MilitantGroup", "Person"


def tie(subject: str, relation: Relation, obj: str, start: int = 0,
        types: tuple[str, str] = (G, G)) -> Candidate:
    return Candidate(subject=subject, subject_type=types[0], relation=relation, object=obj,
                     object_type=types[1], modality=Modality.ASSERTED, confidence=0.6,
                     year=None, start=start, end=start + 60)


def test_the_model_cannot_call_rivals_a_pair_the_patterns_read_as_allies():
    # "The alliance between A and B has endured": the patterns read an alliance, so
    # the model's rivalry between the same two, from the same sentence, is dropped
    patterns = [tie("a", Relation.ALLIED_WITH, "b")]
    assert _overruled(tie("b", Relation.RIVAL_OF, "a"), patterns)
    # in another sentence it stands, and so does a third party's rivalry
    assert not _overruled(tie("b", Relation.RIVAL_OF, "a", start=100), patterns)
    assert not _overruled(tie("a", Relation.RIVAL_OF, "c"), patterns)
    # ties that can hold together (a splinter that is a rival) are both kept
    assert not _overruled(tie("a", Relation.RIVAL_OF, "b"),
                          [tie("a", Relation.SPLINTER_OF, "b")])


def test_a_leader_the_patterns_found_is_not_given_a_second_group_or_rival_leader():
    # "… hiding al-Qaeda's leader, Osama bin Laden": he leads al-Qaeda, not the Taliban
    patterns = [tie("obl", Relation.LEADER_OF, "aq", types=(P, G))]
    assert _overruled(tie("obl", Relation.LEADER_OF, "taliban", types=(P, G)), patterns)
    # "their leader, Mullah Omar, refused to hand over bin Laden": one leader
    patterns = [tie("omar", Relation.LEADER_OF, "taliban", types=(P, G))]
    assert _overruled(tie("obl", Relation.LEADER_OF, "taliban", types=(P, G)), patterns)
    # the same tie twice is not a conflict, and membership is not leadership
    assert not _overruled(tie("omar", Relation.LEADER_OF, "taliban", types=(P, G)), patterns)
    assert not _overruled(tie("obl", Relation.MEMBER_OF, "taliban", types=(P, G)), patterns)
