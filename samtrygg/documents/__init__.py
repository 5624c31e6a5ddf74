"""Generated documents, shared by the apps that make them: PDFs rendered from the pages' own
templates (:mod:`.pdf`) and maps drawn as SVG without a tile server (:mod:`.svgmap`).

This package knows no app: the lägesbild (``situation``) and the meetings and walks
(``actions``) both build on it, never on each other's document code.
"""
