"""kgpub serve: the SPARQL endpoint and the linked-data site over the built dataset."""
