"""The pages that find things: search results, the lists with facets, the timelines and the
stance network, all read from the search index (kgpub.search), off the event loop.

A mixin of Site (pages.py): it uses the Site's templates, terms and index.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlencode

from jinja2 import Environment

from ..search import SearchIndex
from ..search.browse import Filters
from ..search.kinds import KINDS, SEARCH_KINDS
from ..search.pictures import NetworkQuery, TimelineQuery
from . import network, timeline
from .browse import listing_view
from .terms import Terms

T = TypeVar("T")
KIND_TITLES = {"actor": "Actors", "event": "Events", "article": "Articles", "quote": "Quotes",
               "evidence": "Evidence", "concept": "Vocabulary concepts"}
SVG_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n'
assert set(KIND_TITLES) == set(SEARCH_KINDS)


class NoIndex(Exception):
    """The server has no search index (it is made by `kgpub build` or at start)."""


class FindingPages:
    index: SearchIndex | None
    terms: Terms
    env: Environment

    def _render(self, template: str, **context: Any) -> str:
        raise NotImplementedError  # Site's

    async def _ask(self, call: Callable[..., T], *args: Any) -> T:
        if self.index is None:
            raise NoIndex("this server has no search index")
        return await asyncio.to_thread(call, *args)

    # -- search -------------------------------------------------------------------------------

    async def search_page(self, text: str, kind: str | None, limit: int = 50) -> str:
        result = await self._ask(self.index.search, text, kind, limit)  # type: ignore[union-attr]
        links = {k: "/search?" + urlencode({"q": text, **({"kind": k} if k else {})})
                 for k in ("", *SEARCH_KINDS)}
        return self._render("search.html", result=result, kind_titles=KIND_TITLES,
                            kind_links=links, search_text=text,
                            fallback_label=self.terms.fallback_label)

    # -- lists --------------------------------------------------------------------------------

    async def browse_index_page(self) -> str:
        counts = await self._ask(self.index.counts)  # type: ignore[union-attr]
        return self._render("browse_index.html", kinds=list(KINDS.values()), counts=counts)

    async def browse_page(self, kind: str, filters: Filters, page: int) -> str:
        listing = await self._ask(self.index.browse, kind, filters, page)  # type: ignore
        return self._render("browse.html", v=listing_view(self.terms, listing, f"/browse/{kind}"))

    # -- timelines ----------------------------------------------------------------------------

    async def _timeline(self, query: TimelineQuery) -> tuple[dict[str, Any], str, Any]:
        data = await self._ask(self.index.timeline, query)  # type: ignore[union-attr]
        names = data.labels

        def name(iri: str) -> str:
            return names.get(iri) or self.terms.fallback_label(iri)

        if query.holder and query.target:
            heading = f"{name(query.holder)} → {name(query.target)}: stances over time"
        elif query.actor:
            heading = f"Stances of {name(query.actor)} over time"
        elif query.holder or query.target:
            heading = (f"Stances held by {name(query.holder)}" if query.holder else
                       f"Stances toward {name(query.target)}") + " over time"
        else:
            heading = "Stances over time"
        if query.stance_type:
            heading += f" ({name(query.stance_type)})"
        return timeline.timeline(self.terms, data), heading, data

    async def timeline_page(self, query: TimelineQuery) -> str:
        view, heading, data = await self._timeline(query)
        params = _timeline_params(query)
        named = [(role, self.terms.iri_term(value, data.labels)) for role, value in
                 (("actor", query.actor), ("holder", query.holder), ("target", query.target),
                  ("stance type", query.stance_type)) if value]
        swap = None
        if query.holder and query.target:
            swap = "/timeline?" + urlencode(_timeline_params(TimelineQuery(
                "", query.target, query.holder, query.stance_type, query.date_from,
                query.date_to)))
        listing = None
        if not query.actor:
            facets = [(n, v) for n, v in (("holder", query.holder), ("target", query.target),
                                          ("type", query.stance_type)) if v]
            listing = "/browse/stances?" + urlencode(Filters(tuple(facets), query.date_from,
                                                             query.date_to).params())
        fields = [(n, label, v, data.labels.get(v, "")) for n, label, v in (
            ("actor", "actor (any role)", query.actor), ("holder", "holder", query.holder),
            ("target", "target", query.target), ("type", "stance type", query.stance_type))]
        return self._render("timeline.html", heading=heading, tl=view, tl_title=heading,
                            named=named, swap=swap, listing=listing, fields=fields,
                            svg="/timeline?" + urlencode(params + [("format", "svg")]),
                            date_from=query.date_from, date_to=query.date_to)

    async def timeline_svg(self, query: TimelineQuery) -> str:
        view, heading, _ = await self._timeline(query)
        return SVG_HEAD + self._render("_partials/timeline_svg.html", tl=view, tl_title=heading)

    async def actor_timeline(self, iri: str) -> dict[str, Any] | None:
        """The timeline on an actor's page, when the index lists it and it has stances."""
        if self.index is None or "actors" not in await self._ask(self.index.find, iri):
            return None
        query = TimelineQuery(actor=iri)
        view, _, data = await self._timeline(query)
        if not data.marks:
            return None
        return {"view": view, "page": "/timeline?" + urlencode(_timeline_params(query))}

    # -- the network --------------------------------------------------------------------------

    async def network_picture(self, query: NetworkQuery
                              ) -> tuple[dict[str, Any], list[tuple[str, str, int]]]:
        data, types = await asyncio.gather(
            self._ask(self.index.network, query),  # type: ignore[union-attr]
            self._ask(self.index.stance_types))  # type: ignore[union-attr]
        drawn = network.network(self.terms, data.edges, data.labels,
                                data.edges_total > len(data.edges))
        drawn["summary"] = data
        return drawn, types

    async def network_page(self, query: NetworkQuery) -> str:
        drawn, types = await self.network_picture(query)
        params = _network_params(query)
        facets = (("type", query.stance_type),) if query.stance_type else ()
        listing = "/browse/stances?" + urlencode(Filters(facets, query.date_from,
                                                         query.date_to).params())
        return self._render("network.html", network=drawn, summary=drawn["summary"],
                            stance_types=types, chosen_type=query.stance_type,
                            date_from=query.date_from, date_to=query.date_to,
                            filtered=bool(params), listing=listing,
                            svg="/network?" + urlencode(params + [("format", "svg")]))

    async def network_svg(self, query: NetworkQuery) -> str:
        drawn, _ = await self.network_picture(query)
        return SVG_HEAD + self._render("_partials/network_svg.html", network=drawn)


def _timeline_params(query: TimelineQuery) -> list[tuple[str, str]]:
    return [(n, v) for n, v in (("actor", query.actor), ("holder", query.holder),
                                ("target", query.target), ("type", query.stance_type),
                                ("from", query.date_from), ("to", query.date_to)) if v]


def _network_params(query: NetworkQuery) -> list[tuple[str, str]]:
    return [(n, v) for n, v in (("type", query.stance_type), ("from", query.date_from),
                                ("to", query.date_to)) if v]
