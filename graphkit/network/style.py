"""How the network looks, in one place for both the HTML view and the GEXF export:
colours per entity class and per relation, muted variants for claims that are not
asserted, node sizes by degree and a seeded layout.

>>> CLASS_COLORS[EntityType.MILITANT_GROUP]
'#d62728'
>>> edge_color(Relation.RIVAL_OF.value, Modality.ASSERTED.value)
'#e6550d'
>>> edge_color(Relation.RIVAL_OF.value, Modality.NEGATED.value)
'#cf8662'
>>> hex_to_rgb("#d62728")
(214, 39, 40)
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from graphkit.network.layout import LAYOUT_SEED, layout  # noqa: F401  (re-exported)
from graphkit.vocab import EntityType, Modality, Relation

# Read-only mappings: the palette is a constant, never state to be changed at run time.
CLASS_COLORS: Mapping[EntityType, str] = MappingProxyType({
    EntityType.MILITANT_GROUP: "#d62728",
    EntityType.PERSON: "#1f77b4",
    EntityType.STATE: "#2ca02c",
    EntityType.ORGANIZATION: "#9467bd",
    EntityType.LOCATION: "#8c564b",
})

RELATION_COLORS: Mapping[Relation, str] = MappingProxyType({
    Relation.ALLIED_WITH: "#31a354",
    Relation.RIVAL_OF: "#e6550d",
    Relation.AFFILIATE_OF: "#3182bd",
    Relation.SPLINTER_OF: "#fd8d3c",
    Relation.MERGED_INTO: "#756bb1",
    Relation.SUPPORTS: "#17becf",
    Relation.NEGOTIATES_WITH: "#bcbd22",
    Relation.LEADER_OF: "#843c39",
    Relation.MEMBER_OF: "#e377c2",
    Relation.FOUNDER_OF: "#393b79",
    Relation.OPERATES_IN: "#8c6d31",
})

UNKNOWN_COLOR = "#999999"
MUTED_GREY = "#b8b8b8"
# Above this many nodes the browser's physics would take too long to settle: the
# view then shows the Python layout as is.
PHYSICS_NODE_LIMIT = 300


def node_color(entity_class: str) -> str:
    """Colour of a node given its class local name (grey when the class is unknown)."""
    try:
        return CLASS_COLORS[EntityType(entity_class)]
    except ValueError:
        return UNKNOWN_COLOR


def relation_color(relation: str) -> str:
    """Colour of a relation given its local name."""
    try:
        return RELATION_COLORS[Relation(relation)]
    except ValueError:
        return UNKNOWN_COLOR


def edge_color(relation: str, modality: str) -> str:
    """The relation's colour, blended halfway to grey when the claim is not asserted."""
    base = relation_color(relation)
    return base if modality == Modality.ASSERTED.value else mix(base, MUTED_GREY, 0.5)


def hex_to_rgb(color: str) -> tuple[int, int, int]:
    """``#rrggbb`` to an (r, g, b) tuple."""
    value = color.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def mix(color: str, other: str, share: float) -> str:
    """Blend ``share`` of ``other`` into ``color``.

    >>> mix("#000000", "#ffffff", 0.5)
    '#808080'
    """
    a, b = hex_to_rgb(color), hex_to_rgb(other)
    r, g, bl = (round(x + (y - x) * share) for x, y in zip(a, b, strict=True))
    return f"#{r:02x}{g:02x}{bl:02x}"


def node_size(degree: int) -> float:
    """Node size growing slowly with degree so hubs stand out without hiding the rest.

    >>> node_size(0), node_size(3), node_size(100)
    (10.0, 16.0, 40.0)
    """
    return float(min(10 + 2 * degree, 40))


def edge_width(weight: int) -> float:
    """Edge width from the number of supporting statements, capped.

    >>> edge_width(1), edge_width(4), edge_width(50)
    (1.5, 3.0, 8.0)
    """
    return min(1.0 + weight * 0.5, 8.0)
