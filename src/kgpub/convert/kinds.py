"""The classes a reference may be required to have (checked along rdfs:subClassOf)."""

from __future__ import annotations

from ..namespaces import KGP

AGENT = (KGP.Agent,)
PERSON = (KGP.Person,)
MEDIA = (KGP.MediaOrganization,)
ORG_OR_COUNTRY = (KGP.Organization, KGP.Country)
EVENT = (KGP.Event,)
QUOTE = (KGP.Quote,)
STANCE_OR_EVENT = (KGP.Stance, KGP.Event)
SOURCE_DOCUMENT = (KGP.SourceDocument,)
POST = (KGP.Post,)
ARTICLE = (KGP.NewsArticle,)
