"""Importers: workflows made with other tools, turned into Flowlane documents with a report."""
